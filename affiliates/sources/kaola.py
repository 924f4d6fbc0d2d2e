"""Kaola (考拉海购) through its 赚客 (zhuanke) router ``/zhuanke/api``.

SOURCES.md marks most of this protocol *unverified*; the most plausible reading, kept here:
- a TOP-style router: form POST of ``method, unionId, timestamp (yyyy-MM-dd HH:mm:ss, GMT+8),
  v=1.0, signMethod=md5`` plus the business params; sign = upper-hex MD5(secret + sorted
  ``k+v`` + secret) over every param but ``sign``;
- answers ``{"code": 200, "msg", "data"}``; the error codes are ``_ERRORS``;
- goods records nest ``baseInfo / priceInfo / commissionInfo / categoryInfo / stockInfo /
  linkInfo``; ``commissionRate`` is a percentage;
- ``queryGoodsInfo`` with ``trackingCode`` (our click id) returns the promotion link in
  ``linkInfo``, and order rows return that ``trackingCode``;
- ``queryRecommendGoodsList`` takes an optional ``keyword`` and a ``sortType``;
- ``queryOrderInfo`` takes ``startDate/endDate`` in ms (≤ 1 hour) with ``queryType=2``
  (by update time); ``orderStatus`` as in ``ORDER_STATUS``.
"""
from __future__ import annotations

import hashlib
import re
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
from .values import bp_from_percent, cn_time_str, fen, from_ms, integer, loads, to_ms


def kaola_sign(params: dict[str, str], secret: str) -> str:
    s = "".join(f"{k}{v}" for k, v in sorted(params.items()) if k != "sign" and v is not None)
    # The source's signing protocol fixes MD5; it is not our choice of hash.
    return hashlib.md5((secret + s + secret).encode()).hexdigest().upper()  # nosec B324


ORDER_STATUS = {  # orderStatus → OrderStatus (*unverified* codes)
    "0": OrderStatus.UNPAID,
    "1": OrderStatus.PAID,
    "2": OrderStatus.PAID,  # shipped
    "3": OrderStatus.CONFIRMED,
    "4": OrderStatus.SETTLED,
    "5": OrderStatus.INVALID,  # cancelled / refunded
}
_ERRORS = {401: BadSignature, 403: BadSignature, 429: RateLimited, 404: NotFound}
_SORTS = {"sales": 1, "price_asc": 2, "price_desc": 3, "commission": 4}
_PASTE_RES = [(re.compile(r"^(?:https?://)?(?:goods|m-goods|m)\.kaola\.com/product/(\d{3,12})\.html", re.I), "id")]


class KaolaClient(HttpSourceClient):
    missing_item_message = "Kaola knows no such item"
    missing_item_code = "goods"
    source = Source.KAOLA
    max_order_window = timedelta(hours=1)
    max_page_size = 50
    max_order_page_size = 100

    def call(self, method: str, **params):
        payload = {k: str(v) for k, v in params.items() if v is not None}
        payload.update({"method": method, "unionId": self.config.app_key, "timestamp": cn_time_str(self.now()),
                        "v": "1.0", "signMethod": "md5"})
        payload["sign"] = kaola_sign(payload, self.config.app_secret)

        def send(session: requests.Session, timeout):
            return session.post(self.config.base_url, data=payload, timeout=timeout)

        return self.transport.call(method, send, self._read)

    def _read(self, response: requests.Response):
        body = loads(response.content)
        code = integer(body.get("code"), 0)
        if code == 200:
            return body.get("data")
        shown = f"{body.get('msg') or 'Kaola error'} ({code})"
        if code >= 500:
            raise Transient("kaola", shown, code=str(code))
        raise _ERRORS.get(code, SourceError)("kaola", shown, code=str(code))

    def match_paste(self, text: str) -> PasteMatch | None:
        return self.match_urls(text, _PASTE_RES)

    def categories(self, parent_id: str = "") -> list[CategoryInfo]:
        """``kaola.zhuanke.api.queryCategoryList`` (*unverified* name and fields): the children of
        ``parentId`` (0 = the first level), each with ``categoryLevel`` and ``leaf``."""
        parent = str(parent_id) if str(parent_id).isdigit() else "0"
        rows = self.call("kaola.zhuanke.api.queryCategoryList", parentId=parent) or []
        return [CategoryInfo(category_id=str(r.get("categoryId", "")), name=str(r.get("categoryName", "")).strip(),
                             parent_id="" if parent == "0" else parent, level=integer(r.get("categoryLevel"), 1),
                             is_leaf=bool(r.get("leaf"))) for r in rows]

    def products_detail(self, external_ids: list[str]) -> list[ProductInfo]:
        ids = [i for i in map(str, external_ids) if i.isdigit()]
        out: list[ProductInfo] = []
        for start in range(0, len(ids), 20):  # goodsIds: at most 20 per call
            data = self.call("kaola.zhuanke.api.queryGoodsInfo", goodsIds=",".join(ids[start:start + 20]))
            out.extend(self._product(g) for g in data or [])
        return out

    def search(self, *, keyword: str = "", page: int = 1, page_size: int = 20,
               sort: str | None = None) -> SearchPage:
        page_size = min(max(1, page_size), self.max_page_size)
        data = self.call("kaola.zhuanke.api.queryRecommendGoodsList", keyword=keyword or None, pageIndex=page,
                         pageSize=page_size, sortType=_SORTS.get(sort or "")) or {}
        total = integer(data.get("totalCount"), 0)
        items = [self._product(g) for g in data.get("dataList") or []]
        return SearchPage(items=items, page=page, has_more=page_has_more(page, page_size, total, len(items)), total=total)

    def promotion_link(self, *, external_id: str, click_id: str) -> PromotionLink:
        data = self.call("kaola.zhuanke.api.queryGoodsInfo", goodsIds=str(external_id), trackingCode=click_id)
        links = [link for g in data or [] for link in g.get("linkInfo") or [] if link.get("shareUrl")]
        if not links:
            raise NotFound(self.source.value, "Kaola made no link for this item", code="link")
        return PromotionLink(url=links[0]["shareUrl"])

    def order_reports(self, *, start: datetime, end: datetime, page: int = 1,
                      page_size: int | None = None, cursor: str | None = None,
                      by: str = ORDER_TIME_UPDATED) -> OrderPage:
        if end - start > self.max_order_window or end <= start:
            raise ValueError("a Kaola order window is at most 1 hour and not empty")
        size = min(page_size or self.max_order_page_size, self.max_order_page_size)
        data = self.call("kaola.zhuanke.api.queryOrderInfo", startDate=to_ms(start), endDate=to_ms(end),
                         queryType=1 if by == ORDER_TIME_ORDERED else 2,  # 1 order time, 2 update time
                         pageIndex=page, pageSize=size) or {}
        rows = [self._order_row(o, g) for o in data.get("orderList") or [] for g in o.get("goodsList") or []]
        return OrderPage(rows=rows, has_more=bool(data.get("hasNext")), page=page)

    def _product(self, g: dict) -> ProductInfo:
        base, price = g.get("baseInfo") or {}, g.get("priceInfo") or {}
        categories = sorted(g.get("categoryInfo") or [], key=lambda c: integer(c.get("level"), 0))
        leaf = categories[-1] if categories else {}
        return ProductInfo(
            source=self.source.value, external_id=str(g["goodsId"]), title=base.get("goodsTitle", ""),
            price_fen=fen(price.get("currentPrice")), original_price_fen=fen(price.get("marketPrice")) or None,
            commission_rate_bp=bp_from_percent((g.get("commissionInfo") or {}).get("commissionRate")),
            image_urls=list(base.get("imageList") or []), category=leaf.get("categoryName", ""),
            category_id=str(leaf.get("categoryId", "")),
            category_path=category_path(*(c.get("categoryName") for c in categories)),
            shop=ShopInfo(shop_id=str(base.get("brandId", "")), name=base.get("brandName", ""),
                          shop_type="self" if base.get("selfProduct") else ""),
            sales_volume=integer(base.get("saleCount"), 0),
            available=not (g.get("stockInfo") or {}).get("isStockOut"), item_url=base.get("goodsUrl", ""),
        )

    def _order_row(self, o: dict, g: dict) -> OrderReportRow:
        raw = str(o.get("orderStatus", ""))
        return OrderReportRow(
            source=self.source.value, order_id=str(o["orderId"]), line_id=str(g.get("orderItemId") or g["goodsId"]),
            product_external_id=str(g.get("goodsId", "")), title=g.get("goodsName", ""),
            quantity=integer(g.get("buyAmount"), 1), paid_amount_fen=fen(g.get("payAmount")),
            commission_rate_bp=bp_from_percent(g.get("commissionRate")),
            estimated_commission_fen=fen(g.get("commissionAmount")),
            settled_commission_fen=fen(g.get("settledCommission")),
            status=ORDER_STATUS.get(raw, OrderStatus.INVALID), raw_status=raw,
            click_id=str(o.get("trackingCode") or ""), ordered_at=from_ms(o.get("orderTime")),
            paid_at=from_ms(o.get("payTime")), finished_at=from_ms(o.get("finishTime")),
            updated_at=from_ms(o.get("updateTime")),
        )
