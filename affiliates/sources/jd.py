"""JD Union (京东联盟) on the JD gateway (``/routerjson``).

Wire facts (SOURCES.md): system params ``app_key, method, timestamp (GMT+8), format=json,
v=1.0, sign_method=md5``; business params as ONE compact JSON string in
``360buy_param_json``; sign = upper-hex MD5(secret + sorted ``k+v`` + secret). Answers are
double-encoded: ``{"<method>_responce": {"code": "0", "queryResult": "<JSON string>"}}``
(sic "responce"; ``promotion.common.get`` says ``getResult``), errors
``{"error_response": {code, zh_desc, en_desc}}``.

Choices where the facts run out (*unverified*, one place each): detail and resolve use
``jd.union.open.goods.query`` with ``skuIds`` (it carries ``shopInfo``, which the quality
gate needs; ``promotiongoodsinfo`` does not); no-keyword search is ``goods.jingfen.query``
with ``eliteId=22`` (热销爆品); gateway codes in ``_GATEWAY_ERRORS``; ``validCode`` 18 =
settled and 3 = cancelled in ``VALID_CODE``; ``stockState`` 0 = out of stock.
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
from .values import bp_from_percent, cn_time, cn_time_str, dumps_compact, fen, integer, loads, x100


def jd_sign(params: dict[str, str], secret: str) -> str:
    """Upper-hex MD5(secret + k1v1k2v2… + secret) over every param but ``sign``, sorted."""
    s = "".join(f"{k}{v}" for k, v in sorted(params.items()) if k != "sign" and v is not None)
    # The source's signing protocol fixes MD5; it is not our choice of hash.
    return hashlib.md5((secret + s + secret).encode()).hexdigest().upper()  # nosec B324


def response_key(method: str) -> str:
    """``jd.union.open.goods.query`` → ``jd_union_open_goods_query_responce``."""
    return method.replace(".", "_") + "_responce"


VALID_CODE = {  # validCode → OrderStatus; every other code is one of JD's "invalid" reasons
    "15": OrderStatus.UNPAID,
    "16": OrderStatus.PAID,
    "17": OrderStatus.CONFIRMED,
    "18": OrderStatus.SETTLED,
    "24": OrderStatus.PAID,  # deposit paid (已付定金)
}
GRADES = {"高": "high", "中": "medium", "低": "low"}
_GATEWAY_ERRORS = {"12": BadSignature, "19": BadSignature, "73": RateLimited}  # *unverified* codes
_RESULT_NOT_FOUND = {2003002}  # *unverified*: queryResult code for an unknown materialId / sku
_PASTE_RES = [
    (re.compile(r"^(?:https?://)?item\.jd\.(?:com|hk)/(\d{4,15})\.html", re.I), "id"),
    (re.compile(r"^(?:https?://)?item\.m\.jd\.(?:com|hk)/product/(\d{4,15})\.html", re.I), "id"),
    (re.compile(r"^(?:https?://)?u\.jd\.com/([0-9A-Za-z]{4,16})(?:$|[/?#])", re.I), "short_link"),
]
_ID_IN_TEXT = [re.compile(r"item\.(?:m\.)?jd\.(?:com|hk)/(?:product/)?(\d{4,15})\.html", re.I)]


class JdClient(HttpSourceClient):
    missing_item_message = "JD Union knows no such item"
    missing_item_code = "sku"
    source = Source.JD
    max_order_window = timedelta(hours=1)
    max_page_size = 30  # goods.query
    max_order_page_size = 500

    def call(self, method: str, business: dict, result_key: str = "queryResult"):
        payload = {
            "app_key": self.config.app_key, "method": method, "timestamp": cn_time_str(self.now()),
            "format": "json", "v": "1.0", "sign_method": "md5", "360buy_param_json": dumps_compact(business),
        }
        if self.option("access_token"):
            payload["access_token"] = self.option("access_token")
        payload["sign"] = jd_sign(payload, self.config.app_secret)

        def send(session: requests.Session, timeout):
            return session.post(self.config.base_url, data=payload, timeout=timeout)

        return self.transport.call(method, send, lambda r: self._read(method, result_key, r))

    def _read(self, method: str, result_key: str, response: requests.Response) -> dict:
        body = loads(response.content)
        if "error_response" in body:
            error = body["error_response"]
            code = str(error.get("code", ""))
            shown = f"{error.get('zh_desc') or error.get('en_desc') or 'JD error'} ({code})"
            raise _GATEWAY_ERRORS.get(code, SourceError)("jd", shown, code=code)
        envelope = body.get(response_key(method))
        if envelope is None or result_key not in envelope:
            raise ValueError(f"no {response_key(method)}.{result_key} in the answer")
        result = loads(envelope[result_key])  # the second encoding
        code = integer(result.get("code"), 0)
        if code != 200:
            shown = f"{result.get('message') or 'JD error'} ({code})"
            if code >= 500 and code < 1000:
                raise Transient("jd", shown, code=str(code))
            raise (NotFound if code in _RESULT_NOT_FOUND else SourceError)("jd", shown, code=str(code))
        return result

    # --- the interface --------------------------------------------------------------------------
    def match_paste(self, text: str) -> PasteMatch | None:
        return self.match_urls(text, _PASTE_RES)

    def resolve(self, match: PasteMatch) -> ProductInfo:
        if match.kind == "short_link":
            sku = self.follow_short_link(f"https://u.jd.com/{match.value}", host="u.jd.com", id_patterns=_ID_IN_TEXT)
            return self.product_detail(sku)
        return self.product_detail(match.value)

    def categories(self, parent_id: str = "") -> list[CategoryInfo]:
        """``jd.union.open.category.goods.get``: the children of ``parentId`` (0 = the top
        level) at ``grade`` (0 = first level, 1 second, 2 third)."""
        parent = int(parent_id) if str(parent_id).isdigit() else 0
        grade = 0 if not parent else self._grades.get(str(parent), 0) + 1
        result = self.call("jd.union.open.category.goods.get", {"req": {"parentId": parent, "grade": grade}},
                           result_key="getResult")
        out = []
        for row in result.get("data") or []:
            level = integer(row.get("grade"), grade) + 1
            self._grades[str(row.get("id"))] = level - 1
            out.append(CategoryInfo(category_id=str(row.get("id", "")), name=str(row.get("name", "")).strip(),
                                    parent_id=str(parent) if parent else "", level=level, is_leaf=level >= 3))
        return out

    @property
    def _grades(self) -> dict[str, int]:
        if not hasattr(self, "_grade_of"):
            self._grade_of: dict[str, int] = {}
        return self._grade_of

    def products_detail(self, external_ids: list[str]) -> list[ProductInfo]:
        skus = [int(i) for i in map(str, external_ids) if i.isdigit()]
        out: list[ProductInfo] = []
        for start in range(0, len(skus), 100):  # skuIds: at most 100 per call
            batch = skus[start:start + 100]
            result = self.call("jd.union.open.goods.query",
                               {"goodsReqDTO": {"skuIds": batch, "pageIndex": 1, "pageSize": len(batch)}})
            out.extend(self._product(g) for g in result.get("data") or [])
        return out

    def search(self, *, keyword: str = "", page: int = 1, page_size: int = 20,
               sort: str | None = None) -> SearchPage:
        page_size = min(max(1, page_size), self.max_page_size)
        sort_name, order = {"sales": ("inOrderCount30Days", "desc"), "price_asc": ("price", "asc"),
                            "price_desc": ("price", "desc"),
                            "commission": ("commissionShare", "desc")}.get(sort or "", (None, None))
        query = {"pageIndex": page, "pageSize": page_size}
        if sort_name:
            query.update(sortName=sort_name, sort=order)
        if keyword:
            result = self.call("jd.union.open.goods.query", {"goodsReqDTO": {**query, "keyword": keyword}})
        else:
            result = self.call("jd.union.open.goods.jingfen.query", {"goodsReq": {**query, "eliteId": 22}})
        total = integer(result.get("totalCount"), 0)
        items = [self._product(g) for g in result.get("data") or []]
        return SearchPage(items=items, page=page, has_more=page_has_more(page, page_size, total, len(items)), total=total)

    def promotion_link(self, *, external_id: str, click_id: str) -> PromotionLink:
        request = {"materialId": f"https://item.jd.com/{external_id}.html", "siteId": self.option("site_id"),
                   "positionId": self.option("position_id"), "subUnionId": click_id}
        result = self.call("jd.union.open.promotion.common.get", {"promotionCodeReq": request}, "getResult")
        data = result.get("data") or {}
        if not data.get("clickURL"):
            raise NotFound(self.source.value, "JD Union made no link for this item", code="click_url")
        return PromotionLink(url=data["clickURL"], token=data.get("jCommand") or None)

    def order_reports(self, *, start: datetime, end: datetime, page: int = 1,
                      page_size: int | None = None, cursor: str | None = None,
                      by: str = ORDER_TIME_UPDATED) -> OrderPage:
        if end - start > self.max_order_window or end <= start:
            raise ValueError("a JD order window is at most 1 hour and not empty")
        size = min(page_size or self.max_order_page_size, self.max_order_page_size)
        result = self.call("jd.union.open.order.row.query", {"orderReq": {
            "pageIndex": page, "pageSize": size, "type": 1 if by == ORDER_TIME_ORDERED else 3,  # 1 ordered, 3 updated
            "startTime": cn_time_str(start), "endTime": cn_time_str(end),
        }})
        rows = [self._order_row(r) for r in result.get("data") or []]
        return OrderPage(rows=rows, has_more=bool(result.get("hasMore")), page=page)

    # --- records → plain data --------------------------------------------------------------------
    def _product(self, g: dict) -> ProductInfo:
        price = g.get("priceInfo") or {}
        commission = g.get("commissionInfo") or {}
        category = g.get("categoryInfo") or {}
        coupons = (g.get("couponInfo") or {}).get("couponList") or []
        sku = str(g["skuId"])
        return ProductInfo(
            source=self.source.value, external_id=sku, title=g.get("skuName", ""),
            price_fen=fen(price.get("lowestPrice") or price.get("price")),
            original_price_fen=fen(price.get("price")) or None,
            commission_rate_bp=bp_from_percent(commission.get("commissionShare")),
            image_urls=[i["url"] for i in (g.get("imageInfo") or {}).get("imageList") or [] if i.get("url")],
            category=category.get("cid3Name", ""), category_id=str(category.get("cid3", "")),
            category_path=category_path(category.get("cid1Name"), category.get("cid2Name"), category.get("cid3Name")),
            shop=self._shop(g.get("shopInfo") or {}, g.get("owner")),
            sales_volume=integer(g.get("inOrderCount30Days"), 0),
            available=integer(g.get("stockState", 1), 1) != 0,
            item_url=_absolute(g.get("materialUrl") or ""),
            coupon_fen=fen(coupons[0].get("discount")) if coupons else 0,
        )

    @staticmethod
    def _shop(s: dict, owner: str | None) -> ShopInfo:
        return ShopInfo(
            shop_id=str(s.get("shopId", "")), name=s.get("shopName", ""),
            dsr_description=x100(s.get("userEvaluateScore")), dsr_service=x100(s.get("afterServiceScore")),
            dsr_logistics=x100(s.get("logisticsLvyueScore")), shop_score=x100(s.get("shopLevel")),
            description_grade=GRADES.get(s.get("commentFactorScoreRankGrade", "")),
            service_grade=GRADES.get(s.get("afsFactorScoreRankGrade", "")),
            logistics_grade=GRADES.get(s.get("logisticsFactorScoreRankGrade", "")),
            shop_type={"g": "self", "p": "pop"}.get(owner or "", ""),
        )

    def _order_row(self, r: dict) -> OrderReportRow:
        raw = str(r.get("validCode", ""))
        return OrderReportRow(
            source=self.source.value, order_id=str(r["orderId"]), line_id=str(r.get("id") or r["skuId"]),
            product_external_id=str(r.get("skuId", "")), title=r.get("skuName", ""),
            quantity=integer(r.get("skuNum"), 1), paid_amount_fen=fen(r.get("estimateCosPrice")),
            commission_rate_bp=bp_from_percent(r.get("commissionRate")),
            estimated_commission_fen=fen(r.get("estimateFee")), settled_commission_fen=fen(r.get("actualFee")),
            status=VALID_CODE.get(raw, OrderStatus.INVALID), raw_status=raw,
            click_id=str(r.get("subUnionId") or ""), ordered_at=cn_time(r.get("orderTime")),
            paid_at=cn_time(r.get("orderTime")) if raw in ("16", "17", "18") else None,
            finished_at=cn_time(r.get("finishTime")), updated_at=cn_time(r.get("modifyTime")),
        )


def _absolute(url: str) -> str:
    return url if "://" in url or not url else f"https://{url}"
