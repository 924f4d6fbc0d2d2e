"""Suning Union (苏宁联盟) on the SOP gateway (``/api/http/sopRequest/<appMethod>``).

Wire facts (SOURCES.md): headers ``AppMethod, AppRequestTime (yyyy-MM-dd HH:mm:ss, GMT+8),
Format, AppKey, VersionNo, signInfo``; signInfo = lower-hex MD5(appSecret + appMethod +
appRequestTime + appKey + versionNo + base64(JSON body)); the body is
``{"sn_request": {"sn_body": {"<bizName>": {...}}}}``; answers
``{"sn_responseContent": {"sn_body", "sn_head", "sn_error": {error_code, error_msg}}}``.

External id: ``"<commodityCode>-<supplierCode>"`` (the API's ``commodityStr`` form).
Choices where the facts run out (*unverified*, one place each): error codes (``_ERRORS``);
``rate`` (item) is a percentage while ``commissionRatio`` (order) is a fraction, as the public
SDKs document; no-keyword search is ``recommendcommodity.query``; the promotion link is
``extensionlink.get``'s ``shortLink`` with ``subUser`` = our click id, which order rows
return as ``childAccountId``; line statuses in ``LINE_STATUS``; the order query by submit
time (``ORDER_BY_SUBMIT_TIME``).
"""
from __future__ import annotations

import base64
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
from .values import bp_from_fraction, bp_from_percent, cn_time, cn_time_str, dumps_compact, fen, integer, loads

VERSIONS = {  # appMethod → (VersionNo, bizName)
    "suning.netalliance.commoditydetail.query": ("v1.2", "queryCommoditydetail"),
    "suning.netalliance.searchcommodity.query": ("v1.2", "querySearchcommodity"),
    "suning.netalliance.recommendcommodity.query": ("v1.2", "queryRecommendcommodity"),
    "suning.netalliance.extensionlink.get": ("v1.2", "getExtensionlink"),
    "suning.netalliance.order.query": ("v1.2", "queryOrder"),
    "suning.netalliance.commoditycategory.query": ("v1.2", "queryCommoditycategory"),
}


def suning_sign(app_secret: str, app_method: str, request_time: str, app_key: str, version: str,
                body: str) -> str:
    encoded = base64.b64encode(body.encode()).decode()
    # The source's signing protocol fixes MD5; it is not our choice of hash.
    return hashlib.md5((app_secret + app_method + request_time + app_key + version + encoded).encode()).hexdigest()  # nosec B324


LINE_STATUS = {  # orderLineStatusDesc → OrderStatus (*unverified* texts)
    "等待付款": OrderStatus.UNPAID,
    "支付完成": OrderStatus.PAID,
    "确认收货": OrderStatus.CONFIRMED,
    "已结算": OrderStatus.SETTLED,
    "退款": OrderStatus.INVALID,
    "订单已取消": OrderStatus.INVALID,
}
# *unverified*: ``order.query`` windows are by line status change time; ``timeType=1`` asks by
# order submit time instead (the day report reconciliation reads).
ORDER_BY_SUBMIT_TIME = "1"
_ERRORS = {
    "sys.check.sign-error": BadSignature,
    "sys.check.appKey-invalid": BadSignature,
    "sys.check.api-over-limit": RateLimited,
    "sys.system-error": Transient,
}
_SORTS = {"sales": 2, "price_asc": 3, "price_desc": 4, "commission": 5}
_PASTE_RES = [
    re.compile(r"^(?:https?://)?product\.suning\.com/(\d{10})/(\d{6,12})\.html", re.I),
    re.compile(r"^(?:https?://)?m\.suning\.com/product/(\d{10})/(\d{6,12})\.html", re.I),
]
_ID_RE = re.compile(r"^\d{6,12}-\d{10}$")


class SuningClient(HttpSourceClient):
    missing_item_message = "Suning Union knows no such item"
    missing_item_code = "commodity"
    source = Source.SUNING
    max_order_window = timedelta(hours=1)
    max_page_size = 40
    max_order_page_size = 50

    def call(self, app_method: str, **business):
        version, biz_name = VERSIONS[app_method]
        body = dumps_compact({"sn_request": {"sn_body": {biz_name: business}}})
        request_time = cn_time_str(self.now())
        headers = {
            "AppMethod": app_method, "AppRequestTime": request_time, "Format": "json", "AppKey": self.config.app_key,
            "VersionNo": version, "Content-Type": "application/json; charset=UTF-8",
            "signInfo": suning_sign(self.config.app_secret, app_method, request_time, self.config.app_key,
                                    version, body),
        }
        url = f"{self.config.base_url.rstrip('/')}/{app_method}"

        def send(session: requests.Session, timeout):
            return session.post(url, data=body.encode(), headers=headers, timeout=timeout)

        return self.transport.call(app_method, send, lambda r: self._read(biz_name, r))

    def _read(self, biz_name: str, response: requests.Response) -> tuple:
        content = loads(response.content).get("sn_responseContent")
        if content is None:
            raise ValueError("no sn_responseContent in the answer")
        error = content.get("sn_error")
        if error:
            code = str(error.get("error_code", ""))
            shown = f"{error.get('error_msg') or 'Suning error'} ({code})"
            raise _ERRORS.get(code, SourceError)("suning", shown, code=code)
        return (content.get("sn_body") or {}).get(biz_name), content.get("sn_head") or {}

    def match_paste(self, text: str) -> PasteMatch | None:
        for url in self.urls_in(text):
            for pattern in _PASTE_RES:
                m = pattern.search(url)
                if m:
                    return PasteMatch(source=self.source.value, kind="id", value=f"{m.group(2)}-{m.group(1)}")
        return None

    def categories(self, parent_id: str = "") -> list[CategoryInfo]:
        """``suning.netalliance.commoditycategory.query``: ``commoditycategoryList`` of
        ``{parentId, grade}`` (grade 1 = the first level); the answer's ``resultList[0].catalogList``
        holds ``childCategoryCode`` / ``childCategoryName`` (grade and leaf flag *unverified*)."""
        grade = self._grades.get(str(parent_id), 0) + 1 if parent_id else 1
        query = {"grade": str(grade), **({"parentId": str(parent_id)} if parent_id else {})}
        body, _ = self.call("suning.netalliance.commoditycategory.query", commoditycategoryList=[query])
        out = []
        for result in (body or {}).get("resultList") or []:
            for row in result.get("catalogList") or []:
                code = str(row.get("childCategoryCode", ""))
                self._grades[code] = grade
                out.append(CategoryInfo(category_id=code, name=str(row.get("childCategoryName", "")).strip(),
                                        parent_id=str(parent_id or ""), level=grade,
                                        is_leaf=str(row.get("isLeaf", "")).upper() in ("Y", "1", "TRUE")))
        return out

    @property
    def _grades(self) -> dict[str, int]:
        if not hasattr(self, "_grade_of"):
            self._grade_of: dict[str, int] = {}
        return self._grade_of

    def products_detail(self, external_ids: list[str]) -> list[ProductInfo]:
        ids = [i for i in map(str, external_ids) if _ID_RE.match(i)]
        out: list[ProductInfo] = []
        for start in range(0, len(ids), 20):  # commodityStr: at most 20 per call
            body, _ = self.call("suning.netalliance.commoditydetail.query", commodityStr=",".join(ids[start:start + 20]),
                                picWidth="800", picHeight="800")
            out.extend(self._product(c) for c in body or [])
        return out

    def search(self, *, keyword: str = "", page: int = 1, page_size: int = 20,
               sort: str | None = None) -> SearchPage:
        page_size = min(max(1, page_size), self.max_page_size)
        query = {"pageIndex": str(page), "size": str(page_size), "picWidth": "800", "picHeight": "800"}
        if keyword:
            query.update(keyword=keyword, sortType=str(_SORTS.get(sort or "", 1)))
            body, head = self.call("suning.netalliance.searchcommodity.query", **query)
        else:
            body, head = self.call("suning.netalliance.recommendcommodity.query", **query)
        total = integer(head.get("totalSize"), 0)
        items = [self._product(c) for c in body or []]
        return SearchPage(items=items, page=page, has_more=page_has_more(page, page_size, total, len(items)),
                          total=total)

    def promotion_link(self, *, external_id: str, click_id: str) -> PromotionLink:
        commodity, _, supplier = str(external_id).partition("-")
        body, _ = self.call("suning.netalliance.extensionlink.get",
                            productUrl=f"https://product.suning.com/{supplier}/{commodity}.html",
                            subUser=click_id, positionId=self.option("position_id") or None)
        link = (body or {}).get("shortLink") or (body or {}).get("extendLink")
        if not link:
            raise NotFound(self.source.value, "Suning Union made no link for this item", code="link")
        return PromotionLink(url=link)

    def order_reports(self, *, start: datetime, end: datetime, page: int = 1,
                      page_size: int | None = None, cursor: str | None = None,
                      by: str = ORDER_TIME_UPDATED) -> OrderPage:
        if end - start > self.max_order_window or end <= start:
            raise ValueError("a Suning order window is at most 1 hour and not empty")
        size = min(page_size or self.max_order_page_size, self.max_order_page_size)
        by_time = {"timeType": ORDER_BY_SUBMIT_TIME} if by == ORDER_TIME_ORDERED else {}
        body, head = self.call("suning.netalliance.order.query", startTime=cn_time_str(start),
                               endTime=cn_time_str(end), pageNo=str(page), pageSize=str(size), **by_time)
        orders = body or []
        rows = [self._order_row(o, d) for o in orders for d in o.get("orderDetail") or []]
        return OrderPage(rows=rows, has_more=bool(orders) and page < integer(head.get("pageTotal"), 0), page=page)

    def _product(self, c: dict) -> ProductInfo:
        info, category = c.get("commodityInfo") or {}, c.get("categoryInfo") or {}
        pictures = sorted(info.get("pictureUrl") or [], key=lambda p: integer(p.get("locationId"), 0))
        coupon = c.get("couponInfo") or {}
        return ProductInfo(
            source=self.source.value, external_id=f"{info['commodityCode']}-{info['supplierCode']}",
            title=info.get("commodityName", ""), price_fen=fen(info.get("commodityPrice") or info.get("snPrice")),
            original_price_fen=fen(info.get("snPrice")) or None, commission_rate_bp=bp_from_percent(info.get("rate")),
            image_urls=[p["picUrl"] for p in pictures if p.get("picUrl")],
            category=category.get("thirdSaleCategoryName", ""), category_id=str(category.get("thirdSaleCategoryId", "")),
            category_path=category_path(category.get("firstSaleCategoryName"), category.get("secondSaleCategoryName"),
                                        category.get("thirdSaleCategoryName")),
            shop=ShopInfo(shop_id=str(info.get("supplierCode", "")), name=info.get("supplierName", "")),
            sales_volume=integer(info.get("monthSales"), 0), available=integer(info.get("saleStatus"), 0) == 0,
            item_url=info.get("productUrl", ""), coupon_fen=fen(coupon.get("couponValue")),
        )

    def _order_row(self, o: dict, d: dict) -> OrderReportRow:
        raw = d.get("orderLineStatusDesc", "")
        status = LINE_STATUS.get(raw, OrderStatus.INVALID)
        return OrderReportRow(
            source=self.source.value, order_id=str(o["orderCode"]), line_id=str(d["orderLineNumber"]),
            product_external_id=f"{d.get('goodsNum', '')}-{d.get('sellerCode', '')}", title=d.get("productName", ""),
            quantity=integer(d.get("saleNum"), 1), paid_amount_fen=fen(d.get("payAmount")),
            commission_rate_bp=bp_from_fraction(d.get("commissionRatio")),
            estimated_commission_fen=fen(d.get("prePayCommission")),
            settled_commission_fen=fen(d.get("prePayCommission")) if status == OrderStatus.SETTLED else 0,
            status=status, raw_status=raw, click_id=str(d.get("childAccountId") or ""),
            ordered_at=cn_time(d.get("orderSubmitTime")), paid_at=cn_time(d.get("payTime")),
            updated_at=cn_time(d.get("orderLineStatusChangeTime")),
        )
