"""Vipshop Union (唯品会联盟) on the VOP gateway (``gw.vipapis.com``).

Wire facts (SOURCES.md): query params ``service, method, version, appKey, timestamp (Unix
seconds), format=JSON`` (+ ``sign``); business params are the JSON body; sign = upper-hex
HMAC-MD5(appSecret, sorted system params ``k+v`` + body). Answers
``{"returnCode": "0", "returnMessage", "result"}``.

Choices where the facts run out (*unverified*, one place each): the gateway's error codes
(``_ERRORS``); no-keyword search is ``UnionGoodsService.goodsList`` with ``channelType=1``
(出单爆款); order reports ask by update time (``updateTimeStart/End``) and carry our click id
in ``chanTag`` → ``channelTag``; ``hasStock`` 0 = out of stock; statuses in ``ORDER_STATUS``.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from datetime import datetime, timedelta

import requests

from .base import (
    ORDER_TIME_ORDERED,
    ORDER_TIME_UPDATED,
    BadSignature,
    CategoryInfo,
    NotFound,
    OrderPage,
    OrderReportRow,
    OrderStatus,
    PasteMatch,
    ProductInfo,
    PromotionLink,
    RateLimited,
    SearchPage,
    ShopInfo,
    Source,
    SourceError,
    Transient,
    category_path,
)
from .client import HttpSourceClient, page_has_more
from .values import bp_from_percent, dumps_compact, fen, from_ms, integer, loads, to_ms

GOODS = "com.vip.adp.api.open.service.UnionGoodsService"
URLS = "com.vip.adp.api.open.service.UnionUrlService"
ORDERS = "com.vip.adp.api.open.service.UnionOrderService"
def vip_sign(system_params: dict[str, str], body: str, secret: str) -> str:
    """Upper-hex HMAC-MD5(secret, every system param sent but ``sign``, sorted, ``k+v``, + JSON
    body): VOP's doc signs "all system-level parameters sorted by name", not a fixed list."""
    s = "".join(f"{k}{v}" for k, v in sorted(system_params.items()) if k != "sign" and v is not None)
    return hmac.new(secret.encode(), (s + body).encode(), hashlib.md5).hexdigest().upper()


_ERRORS = {  # returnCode → error (*unverified* codes)
    "vipapis.signature-invalid": BadSignature,
    "vipapis.appKey-invalid": BadSignature,
    "vipapis.request-limited": RateLimited,
    "vipapis.system-error": Transient,
}
_SORTS = {"sales": ("SALES", 1), "price_asc": ("PRICE", 0), "price_desc": ("PRICE", 1),
          "commission": ("COMMISSION", 1)}
_PASTE_RES = [
    (re.compile(r"^(?:https?://)?detail\.vip\.com/detail-\d+-(\d{4,20})\.html", re.I), "id"),
    (re.compile(r"^(?:https?://)?m\.vip\.com/product-\d+-(\d{4,20})\.html", re.I), "id"),
]


# (status 0 not qualified / 1 pending / 2 finished, refinement) → OrderStatus; the refinement
# of status 1 is the sub-status name ("" = any other), of status 2 the ``settled`` flag.
ORDER_STATUS = {
    ("0", ""): OrderStatus.INVALID,
    ("1", "已下单"): OrderStatus.UNPAID,
    ("1", ""): OrderStatus.PAID,
    ("2", "0"): OrderStatus.CONFIRMED,
    ("2", "1"): OrderStatus.SETTLED,
}


def _status(status: str, sub_status: str, settled: int) -> OrderStatus:
    refinement = str(settled) if status == "2" else sub_status if (status, sub_status) in ORDER_STATUS else ""
    return ORDER_STATUS.get((status, refinement), OrderStatus.INVALID)


class VipClient(HttpSourceClient):
    missing_item_message = "Vipshop Union knows no such item"
    missing_item_code = "goods"
    source = Source.VIP
    max_order_window = timedelta(hours=1)
    max_page_size = 50
    max_order_page_size = 100

    def call(self, service: str, method: str, body: dict, version: str = "1.0.0"):
        text = dumps_compact({**body, "requestId": uuid.uuid4().hex})
        query = {"service": service, "method": method, "version": version, "appKey": self.config.app_key,
                 "timestamp": str(int(self.now().timestamp())), "format": "JSON"}
        if self.option("access_token"):
            query["accessToken"] = self.option("access_token")
        query["sign"] = vip_sign(query, text, self.config.app_secret)

        def send(session: requests.Session, timeout):
            return session.post(self.config.base_url, params=query, data=text.encode(), timeout=timeout,
                                headers={"Content-Type": "application/json; charset=UTF-8"})

        return self.transport.call(f"{service.rsplit('.', 1)[-1]}.{method}", send, self._read)

    def _read(self, response: requests.Response):
        body = loads(response.content)
        code = str(body.get("returnCode", ""))
        if code == "0":
            return body.get("result")
        shown = f"{body.get('returnMessage') or 'Vipshop error'} ({code})"
        raise _ERRORS.get(code, SourceError)("vip", shown, code=code)

    def match_paste(self, text: str) -> PasteMatch | None:
        return self.match_urls(text, _PASTE_RES)

    def categories(self, parent_id: str = "") -> list[CategoryInfo]:
        """``UnionGoodsService.getCategorys`` (1.3.0): the children of ``parentId`` ("" = the first
        level); the request and answer fields are *unverified* (``cateId``, ``cateName``,
        ``parentId``, ``level``, ``leaf``)."""
        result = self.call(GOODS, "getCategorys", {"request": {"parentId": str(parent_id or "")}}, version="1.3.0")
        return [CategoryInfo(category_id=str(r.get("cateId", "")), name=str(r.get("cateName", "")).strip(),
                             parent_id=str(parent_id or ""), level=integer(r.get("level"), 1),
                             is_leaf=bool(r.get("leaf"))) for r in result or []]

    def products_detail(self, external_ids: list[str]) -> list[ProductInfo]:
        ids = [i for i in map(str, external_ids) if i.isdigit()]
        out: list[ProductInfo] = []
        for start in range(0, len(ids), 50):  # goodsIdList: at most 50 per call
            result = self.call(GOODS, "getByGoodsIdsV2", {"goodsIdList": ids[start:start + 50]})
            out.extend(self._product(g) for g in result or [])
        return out

    def search(self, *, keyword: str = "", page: int = 1, page_size: int = 20,
               sort: str | None = None) -> SearchPage:
        page_size = min(max(1, page_size), self.max_page_size)
        request = {"page": page, "pageSize": page_size}
        if sort in _SORTS:
            request.update(fieldName=_SORTS[sort][0], order=_SORTS[sort][1])
        if keyword:
            result = self.call(GOODS, "query", {"request": {**request, "keyword": keyword}})
        else:
            result = self.call(GOODS, "goodsList", {"request": {**request, "channelType": 1, "sourceType": 0}})
        result = result or {}
        total = integer(result.get("total"), 0)
        items = [self._product(g) for g in result.get("goodsInfoList") or []]
        return SearchPage(items=items, page=page, has_more=page_has_more(page, page_size, total, len(items)), total=total)

    def promotion_link(self, *, external_id: str, click_id: str) -> PromotionLink:
        result = self.call(URLS, "genByGoodsId", {"goodsIdList": [str(external_id)], "chanTag": click_id}) or {}
        urls = [u for u in result.get("urlInfoList") or [] if u.get("url")]
        if not urls:
            raise NotFound(self.source.value, "Vipshop Union made no link for this item", code="url")
        return PromotionLink(url=urls[0]["url"])

    def order_reports(self, *, start: datetime, end: datetime, page: int = 1,
                      page_size: int | None = None, cursor: str | None = None,
                      by: str = ORDER_TIME_UPDATED) -> OrderPage:
        if end - start > self.max_order_window or end <= start:
            raise ValueError("a Vipshop order window is at most 1 hour and not empty")
        size = min(page_size or self.max_order_page_size, self.max_order_page_size)
        field = "orderTime" if by == ORDER_TIME_ORDERED else "updateTime"
        result = self.call(ORDERS, "orderList", {"queryModel": {
            f"{field}Start": to_ms(start), f"{field}End": to_ms(end), "page": page, "pageSize": size,
        }}) or {}
        orders = result.get("orderInfoList") or []
        rows = [self._order_row(o, d) for o in orders for d in o.get("detailList") or []]
        total = integer(result.get("total"), 0)
        return OrderPage(rows=rows, has_more=page_has_more(page, size, total, len(orders)), page=page)

    def _product(self, g: dict) -> ProductInfo:
        store = g.get("storeInfo") or {}
        images = [g["goodsMainPicUrl"]] if g.get("goodsMainPicUrl") else []
        images += [u for u in g.get("goodsCarouselPictures") or [] if u not in images]
        return ProductInfo(
            source=self.source.value, external_id=str(g["goodsId"]), title=g.get("goodsName", ""),
            price_fen=fen(g.get("vipPrice")), original_price_fen=fen(g.get("marketPrice")) or None,
            commission_rate_bp=bp_from_percent(g.get("commissionRate")), image_urls=images,
            category=g.get("categoryName") or g.get("cat2ndName", ""), category_id=str(g.get("categoryId", "")),
            category_path=category_path(g.get("cat1stName"), g.get("cat2ndName"), g.get("categoryName")),
            shop=ShopInfo(shop_id=str(store.get("storeId", "")), name=store.get("storeName", "")),
            sales_volume=integer(g.get("sellNum"), 0), available=integer(g.get("hasStock"), 1) != 0,
            item_url=g.get("destUrl", ""),
        )

    def _order_row(self, o: dict, d: dict) -> OrderReportRow:
        raw = str(o.get("status", ""))
        sub = o.get("orderSubStatusName", "")
        return OrderReportRow(
            source=self.source.value, order_id=str(o["orderSn"]), line_id=str(d.get("goodsId", "")),
            product_external_id=str(d.get("goodsId", "")), title=d.get("goodsName", ""),
            quantity=integer(d.get("goodsCount"), 1), paid_amount_fen=fen(d.get("commissionTotalCost")),
            commission_rate_bp=bp_from_percent(d.get("commissionRate")),
            estimated_commission_fen=fen(d.get("commission")),
            settled_commission_fen=fen(d.get("commission")) if integer(o.get("settled"), 0) else 0,
            status=_status(raw, sub, integer(o.get("settled"), 0)), raw_status=f"{raw}/{sub}",
            click_id=str(o.get("channelTag") or ""), ordered_at=from_ms(o.get("orderTime")),
            paid_at=from_ms(o.get("payTime")), finished_at=from_ms(o.get("signTime")),
            updated_at=from_ms(o.get("lastUpdateTime")),
        )
