"""The Suning SOP gateway twin (``/sandbox/suning/api/http/sopRequest[/<appMethod>]``): the
signature travels in headers over the base64 of the JSON body. The method is read from the
path or, on the bare path (where the published Python SDK posts), from the ``AppMethod``
header alone; when both are given they must agree."""
from __future__ import annotations

from datetime import timedelta

from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from affiliates.sources.suning import VERSIONS
from affiliates.sources.values import cn_time, cn_time_str

from .. import catalog, categories
from ..checks import cn_wall_time, in_window, read_json_or_literal, same, suning_signature
from ..gateway import FAULT_5XX, FAULT_RATE_LIMIT, inject, json_response, page_window, secret_for, server_error
from ..models import SandboxLink, SandboxOrder
from ..services import sandbox_link_create
from .common import catalog_page, image_urls, landing_url, orders_in, percent, report_rows, short_url, yuan

SOURCE = "suning"
SUB_PARAM = "subUser"
SHORT_HOST = "sugs.suning.com"
THEME = {"name": "苏宁易购", "colour": "#f2a900"}
LINE_STATUS = {"unpaid": "等待付款", "paid": "支付完成", "finished": "确认收货", "settled": "已结算", "refunded": "退款"}
_SORTS = {"2": "sales", "3": "price_asc", "4": "price_desc", "5": "commission"}


class Fault(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _answer(body=None, head=None, error: Fault | None = None):
    content = {"sn_error": {"error_code": error.code, "error_msg": error.message}} if error else {
        "sn_body": body, "sn_head": head or {}}
    return json_response({"sn_responseContent": content})


@csrf_exempt
def gateway(request, app_method: str = ""):
    fault = inject(SOURCE)
    if fault == FAULT_RATE_LIMIT:
        return _answer(error=Fault("sys.check.api-over-limit", "调用频率超过限制"))
    if fault == FAULT_5XX:
        return server_error()
    h = request.headers
    raw = request.body
    try:
        secret = secret_for(SOURCE, h.get("AppKey", ""))
        if secret is None:
            raise Fault("sys.check.appKey-invalid", "appKey无效")
        header_method = h.get("AppMethod", "")
        method = app_method or header_method
        if (app_method and header_method and header_method != app_method) or method not in METHODS:
            raise Fault("sys.check.method-invalid", "appMethod无效")
        expected = suning_signature(secret, method, h.get("AppRequestTime", ""), h.get("AppKey", ""),
                                    h.get("VersionNo", ""), raw)
        if not same(h.get("signInfo"), expected):
            raise Fault("sys.check.sign-error", "签名错误")
        if not in_window(SOURCE, cn_wall_time(h.get("AppRequestTime")), timezone.now()):
            raise Fault("sys.check.requestTime-invalid", "请求时间无效")
        biz_name = VERSIONS[method][1]
        try:
            query = read_json_or_literal(raw.decode("utf-8"))["sn_request"]["sn_body"][biz_name]
        except (ValueError, KeyError, TypeError):
            raise Fault("sys.check.param-invalid", "请求报文格式错误")
        if not isinstance(query, dict):
            raise Fault("sys.check.param-invalid", "请求报文格式错误")
        result, head = METHODS[method](request, query)
        return _answer({biz_name: result}, head)
    except Fault as exc:
        return _answer(error=exc)


def _page(query: dict, page_key: str, size_key: str, hi: int) -> tuple[int, int]:
    try:
        page, size = int(query.get(page_key) or 1), int(query.get(size_key) or 20)
    except ValueError:
        raise Fault("biz.param-invalid", "分页参数错误")
    if page < 1 or not 1 <= size <= hi:
        raise Fault("biz.param-invalid", f"每页条数须在1到{hi}之间")
    return page, size


def commodity_record(request, item: catalog.Item) -> dict:
    commodity, supplier = item.external_id.split("-")
    return {
        "commodityInfo": {
            "commodityName": item.title, "commodityCode": commodity, "supplierCode": supplier,
            "supplierName": item.shop.name, "monthSales": item.sales_volume, "snPrice": yuan(item.original_price_fen),
            "commodityPrice": yuan(item.price_fen), "rate": percent(item.commission_rate_bp),
            "saleStatus": 0 if item.available else 1, "productUrl": landing_url(request, SOURCE, item.external_id),
            "pictureUrl": [{"picUrl": u, "locationId": n + 1} for n, u in enumerate(image_urls(request, item))],
        },
        "categoryInfo": {"firstSaleCategoryName": item.category.top, "thirdSaleCategoryId": item.category.cat_id,
                         "thirdSaleCategoryName": item.category.leaf},
        "couponInfo": {"couponValue": yuan(item.coupon_fen)} if item.coupon_fen else {},
    }


def order_record(order: SandboxOrder) -> dict:
    commodity, supplier = order.product_external_id.split("-")
    return {"orderCode": order.order_id, "orderDetail": [{
        "orderLineNumber": order.line_id, "orderLineStatusDesc": LINE_STATUS[order.status],
        "productName": order.title, "saleNum": str(order.quantity), "payAmount": yuan(order.paid_amount_fen),
        "commissionRatio": f"{order.commission_rate_bp / 10_000:.4f}", "goodsNum": commodity, "sellerCode": supplier,
        "prePayCommission": yuan(order.estimated_commission_fen), "childAccountId": order.click_id,
        "orderSubmitTime": cn_time_str(order.created_at),
        "payTime": cn_time_str(order.paid_at) if order.paid_at else "",
        "orderLineStatusChangeTime": cn_time_str(order.updated_at),
        "returnCommission": "1" if order.status == SandboxOrder.Status.SETTLED else "0",
    }]}


def commodity_detail(request, query):
    ids = [i for i in str(query.get("commodityStr", "")).split(",") if i]
    if not ids or len(ids) > 20:
        raise Fault("biz.param-invalid", "commodityStr须为1到20个商品")
    found = [catalog.find(SOURCE, i) for i in ids if "-" in i]
    return [commodity_record(request, it) for it in found if it and it.in_union], {}


def _listing(request, query, keyword: str, sort: str | None):
    page, size = _page(query, "pageIndex", "size", 40)
    items, total, window = catalog_page(SOURCE, keyword, sort, page, size)
    return [commodity_record(request, it) for it in items], {"totalSize": total, "pageNo": page}


def search_commodity(request, query):
    if not query.get("keyword"):
        raise Fault("biz.param-invalid", "keyword不能为空")
    return _listing(request, query, query["keyword"], _SORTS.get(str(query.get("sortType", ""))))


def recommend_commodity(request, query):
    return _listing(request, query, "", None)


def extension_link(request, query):
    url = str(query.get("productUrl", ""))
    parts = url.rstrip("/").removesuffix(".html").split("/")
    item = catalog.find(SOURCE, f"{parts[-1]}-{parts[-2]}") if len(parts) >= 2 else None
    if item is None or not item.in_union:
        raise Fault("biz.netalliance.extensionlink.invalid-url", "商品不存在或不参与推广")
    sub = str(query.get(SUB_PARAM) or "")
    target = landing_url(request, SOURCE, item.external_id, **{SUB_PARAM: sub or None})
    link = sandbox_link_create(source=SOURCE, target_url=target, external_id=item.external_id, click_id=sub, length=8)
    return {"shortLink": short_url(request, SOURCE, SHORT_HOST, link.code), "extendLink": target}, {}


def order_query(request, query):
    try:
        start, end = cn_time(query.get("startTime")), cn_time(query.get("endTime"))
    except ValueError:
        start = end = None
    if not start or not end or end <= start or end - start > timedelta(hours=1):
        raise Fault("biz.param-invalid", "查询时间跨度不能超过1小时")
    page, size = _page(query, "pageNo", "pageSize", 50)
    # timeType 1: by order submit time (the day report reconciliation reads); else by status change
    by = "created" if str(query.get("timeType", "")) == "1" else "updated"
    qs = orders_in(SOURCE, start, end, by=by)
    window = page_window(SOURCE, qs.count(), page, size)
    rows = report_rows(SOURCE, list(qs[window.start:window.end]), by=by)
    head = {"pageNo": page, "pageTotal": page + 1 if window.has_more else page, "totalSize": qs.count()}
    return [order_record(o) for o in rows], head


def short_link_target(request, code: str) -> tuple[str, str] | None:
    link = SandboxLink.objects.filter(source=SOURCE, code=code).first()
    if link is None:
        return None
    commodity, supplier = link.external_id.split("-")
    return f"https://product.suning.com/{supplier}/{commodity}.html", link.target_url


def commodity_category(request, query):
    asked = query.get("commoditycategoryList") or []
    if not isinstance(asked, list) or not asked or not all(isinstance(a, dict) for a in asked):
        raise Fault("biz.param-invalid", "commoditycategoryList不能为空")
    results = []
    for one in asked:
        grade, parent = str(one.get("grade", "")), str(one.get("parentId", "") or "")
        if grade not in ("1", "2", "3") or (grade != "1" and not parent):
            raise Fault("biz.param-invalid", "grade须为1到3，非一级类目须带parentId")
        nodes = [n for n in categories.children("" if grade == "1" else parent) if n.level == int(grade)]
        results.append({"parentId": parent, "grade": grade, "catalogList": [
            {"childCategoryCode": n.cat_id, "childCategoryName": n.name, "isLeaf": "Y" if n.level >= 3 else "N"}
            for n in nodes]})
    return {"resultList": results}, {}


METHODS = {
    "suning.netalliance.commoditycategory.query": commodity_category,
    "suning.netalliance.commoditydetail.query": commodity_detail,
    "suning.netalliance.searchcommodity.query": search_commodity,
    "suning.netalliance.recommendcommodity.query": recommend_commodity,
    "suning.netalliance.extensionlink.get": extension_link,
    "suning.netalliance.order.query": order_query,
}

urlpatterns = [path("api/http/sopRequest/<str:app_method>", gateway, name="suning_gateway"),
               path("api/http/sopRequest", gateway, name="suning_gateway_bare")]
