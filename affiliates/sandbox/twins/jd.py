"""The JD gateway twins and ``u.jd.com`` short links.

Two union gateways share one handler: ``api.jd.com/routerjson`` (business params in
``360buy_param_json``, what JD's own SDKs send) and ``router.jd.com/api`` (the same in
``param_json``, what ``jdu`` sends). Either name is read on either path; a request carrying
both, or neither for a method that needs parameters, gets JD's error 16.

JD answers money as JSON numbers; the twin writes them from fen with ``fen / 100`` whose
shortest repr is the exact two-decimal text (the client reads them back as ``Decimal``).
"""
from __future__ import annotations

import json
import re
from datetime import timedelta

from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from affiliates.sources.jd import response_key
from affiliates.sources.values import cn_time, cn_time_str

from .. import catalog, categories
from ..checks import in_window, jd_signature, jd_time, same
from ..gateway import FAULT_5XX, FAULT_RATE_LIMIT, inject, json_response, secret_for, server_error
from ..models import SandboxLink, SandboxOrder
from ..services import sandbox_link_create
from .common import catalog_page, image_urls, landing_url, order_page, orders_in, short_url

SOURCE = "jd"
SUB_PARAM = "subUnionId"
SHORT_HOST = "u.jd.com"
THEME = {"name": "京东", "colour": "#e4393c"}
VALID_CODE = {"unpaid": 15, "paid": 16, "finished": 17, "settled": 18, "refunded": 3}
ORDER_TIME = {1: "created", 2: "finished", 3: "updated"}
_SORTS = {("inOrderCount30Days", "desc"): "sales", ("price", "asc"): "price_asc", ("price", "desc"): "price_desc",
          ("commissionShare", "desc"): "commission"}


class GatewayFault(Exception):
    def __init__(self, code: str, zh: str, en: str):
        super().__init__(en)
        self.body = {"error_response": {"code": code, "zh_desc": zh, "en_desc": en}}


class BusinessFault(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.result = {"code": code, "message": message}


def _money(fen: int) -> float:
    return fen / 100


@csrf_exempt
def gateway(request):
    params = {**request.GET.dict(), **request.POST.dict()}
    fault = inject(SOURCE)
    if fault == FAULT_RATE_LIMIT:
        return json_response(GatewayFault("73", "调用次数超过限制，请稍后再试", "Call limited").body)
    if fault == FAULT_5XX:
        return server_error()
    try:
        method, business = _check(params)
    except GatewayFault as exc:
        return json_response(exc.body)
    handler, result_key = METHODS[method]
    try:
        result = {"code": 200, "message": "success", **handler(request, business)}
    except BusinessFault as exc:
        result = exc.result
    result["requestId"] = "sandbox"
    return json_response({response_key(method): {"code": "0", result_key: json.dumps(result, ensure_ascii=False)}})


def _check(params: dict) -> tuple[str, dict]:
    secret = secret_for(SOURCE, params.get("app_key", ""))
    if secret is None:
        raise GatewayFault("19", "无效的app_key", "Invalid app_key")
    if not same(params.get("sign"), jd_signature(params, secret)):
        raise GatewayFault("12", "无效签名", "Invalid signature")
    if not in_window(SOURCE, jd_time(params.get("timestamp")), timezone.now()):
        raise GatewayFault("11", "无效的时间戳", "Invalid timestamp")
    if params.get("method") not in METHODS:
        raise GatewayFault("15", "不存在的方法名", "Invalid Method")
    carried = [name for name in PARAM_JSON_NAMES if name in params]
    if len(carried) > 1:
        raise GatewayFault("16", "参数错误：360buy_param_json与param_json不能同时传", "Invalid param_json")
    raw = params[carried[0]] if carried else ""
    if not raw.strip():
        raise GatewayFault("16", f"参数错误：缺少{PARAM_JSON_NAMES[0]}", "Missing 360buy_param_json")
    try:
        business = json.loads(raw)
    except ValueError:
        business = None
    if not isinstance(business, dict):
        raise GatewayFault("16", "参数错误", f"Invalid {carried[0]}")
    return params["method"], business


PARAM_JSON_NAMES = ("360buy_param_json", "param_json")


def _page(query: dict, hi: int) -> tuple[int, int]:
    page, size = int(query.get("pageIndex") or 1), int(query.get("pageSize") or 20)
    if not 1 <= size <= hi or page < 1:
        raise BusinessFault(400, f"pageSize须在1到{hi}之间")
    return page, size


# --- records -------------------------------------------------------------------------------------
def goods_record(request, item: catalog.Item) -> dict:
    shop = item.shop
    grades = ["高" if s >= 965 else "低" if s < 925 else "中" for s in shop.jd_scores]
    score = [f"{s // 100}.{s % 100:02d}" for s in shop.jd_scores]
    return {
        "skuId": item.num_id, "skuName": item.title, "brandName": item.brand,
        "materialUrl": landing_url(request, SOURCE, item.external_id), "owner": "g" if shop.is_mall else "p",
        "imageInfo": {"imageList": [{"url": u} for u in image_urls(request, item)]},
        "priceInfo": {"price": _money(item.original_price_fen), "lowestPrice": _money(item.price_fen),
                      "lowestPriceType": 1},
        "commissionInfo": {"commission": _money(item.price_fen * item.commission_rate_bp // 10_000),
                           "commissionShare": item.commission_rate_bp / 100},
        "categoryInfo": {"cid1": int(item.category.cat_id[:4]), "cid1Name": item.category.top,
                         "cid3": int(item.category.cat_id), "cid3Name": item.category.leaf},
        "shopInfo": {"shopId": int(shop.shop_id), "shopName": shop.name, "shopLevel": shop.jd_level / 100,
                     "userEvaluateScore": score[0], "afterServiceScore": score[1], "logisticsLvyueScore": score[2],
                     "commentFactorScoreRankGrade": grades[0], "afsFactorScoreRankGrade": grades[1],
                     "logisticsFactorScoreRankGrade": grades[2]},
        "couponInfo": {"couponList": [{"discount": _money(item.coupon_fen), "bindType": 1}] if item.coupon_fen else []},
        "inOrderCount30Days": item.sales_volume, "stockState": 1 if item.available else 0,
    }


def order_record(order: SandboxOrder) -> dict:
    settled = order.status == SandboxOrder.Status.SETTLED
    return {
        "id": order.line_id, "orderId": int(order.order_id), "parentId": 0, "skuId": int(order.product_external_id),
        "skuName": order.title, "skuNum": order.quantity,
        "skuReturnNum": order.quantity if order.status == SandboxOrder.Status.REFUNDED else 0,
        "price": _money(order.unit_price_fen), "commissionRate": order.commission_rate_bp / 100,
        "estimateCosPrice": _money(order.paid_amount_fen), "estimateFee": _money(order.estimated_commission_fen),
        "actualCosPrice": _money(order.paid_amount_fen) if settled else 0.0,
        "actualFee": _money(order.settled_commission_fen), "validCode": VALID_CODE[order.status],
        "orderTime": cn_time_str(order.created_at),
        "finishTime": cn_time_str(order.finished_at) if order.finished_at else "",
        "modifyTime": cn_time_str(order.updated_at),
        "payMonth": int(cn_time_str(order.settled_at)[:10].replace("-", "")) if order.settled_at else 0,
        SUB_PARAM: order.click_id, "siteId": 4000000001, "positionId": 3000000001,
    }


# --- methods ------------------------------------------------------------------------------------------
def goods_query(request, business):
    query = business.get("goodsReqDTO") or {}
    if query.get("skuIds"):
        skus = [str(s) for s in query["skuIds"]][:100]
        items = [it for it in (catalog.find(SOURCE, s) for s in skus) if it and it.in_union]
        return {"data": [goods_record(request, it) for it in items], "totalCount": len(items)}
    if not query.get("keyword"):
        raise BusinessFault(400, "keyword、skuIds等筛选条件不能同时为空")
    page, size = _page(query, 30)
    sort = _SORTS.get((query.get("sortName"), query.get("sort", "desc")))
    items, total, _ = catalog_page(SOURCE, query["keyword"], sort, page, size)
    return {"data": [goods_record(request, it) for it in items], "totalCount": total}


def jingfen_query(request, business):
    query = business.get("goodsReq") or {}
    page, size = _page(query, 50)
    sort = _SORTS.get((query.get("sortName"), query.get("sort", "desc")))
    items, total, _ = catalog_page(SOURCE, "", sort, page, size)
    return {"data": [goods_record(request, it) for it in items], "totalCount": total}


def promotion_common_get(request, business):
    query = business.get("promotionCodeReq") or {}
    if not query.get("siteId"):
        raise BusinessFault(400, "siteId不能为空")
    m = re.search(r"item\.jd\.com/(\d+)\.html", str(query.get("materialId", "")))
    item = catalog.find(SOURCE, m.group(1)) if m else None
    if item is None or not item.in_union:
        raise BusinessFault(2003002, "物料id无效或商品不在推广中")
    sub = str(query.get(SUB_PARAM) or "")
    target = landing_url(request, SOURCE, item.external_id, **{SUB_PARAM: sub or None})
    link = sandbox_link_create(source=SOURCE, target_url=target, external_id=item.external_id, click_id=sub, length=7)
    return {"data": {"clickURL": short_url(request, SOURCE, SHORT_HOST, link.code)}}


def order_row_query(request, business):
    query = business.get("orderReq") or {}
    try:
        start, end = cn_time(query.get("startTime")), cn_time(query.get("endTime"))
    except ValueError:
        start = end = None
    if not start or not end or end <= start or end - start > timedelta(hours=1):
        raise BusinessFault(400, "时间跨度不能超过1小时")
    page, size = _page(query, 500)
    by = ORDER_TIME.get(int(query.get("type") or 1), "created")
    rows, window = order_page(SOURCE, orders_in(SOURCE, start, end, by=by), page, size, by=by)
    return {"data": [order_record(o) for o in rows], "hasMore": window.has_more}


def category_goods_get(request, business):
    req = business.get("req") or {}
    try:
        parent, grade = int(req.get("parentId", 0)), int(req.get("grade", 0))
    except (TypeError, ValueError):
        raise BusinessFault(400, "parentId、grade须为数字")
    if not 0 <= grade <= 2:
        raise BusinessFault(400, "grade须在0到2之间")
    nodes = [n for n in categories.children(str(parent) if parent else "") if n.level == grade + 1]
    return {"data": [{"id": int(n.cat_id), "name": n.name, "grade": n.level - 1, "parentId": int(n.parent_id or 0)}
                     for n in nodes]}


METHODS = {
    "jd.union.open.category.goods.get": (category_goods_get, "getResult"),
    "jd.union.open.goods.query": (goods_query, "queryResult"),
    "jd.union.open.goods.jingfen.query": (jingfen_query, "queryResult"),
    "jd.union.open.promotion.common.get": (promotion_common_get, "getResult"),
    "jd.union.open.order.row.query": (order_row_query, "queryResult"),
}


# --- u.jd.com -------------------------------------------------------------------------------------------
def short_link_target(request, code: str) -> tuple[str, str] | None:
    link = SandboxLink.objects.filter(source=SOURCE, code=code).first()
    if link:
        ext_id, sub = link.external_id, link.click_id
    else:
        index = catalog.index_of_token(SOURCE, code)
        if index is None:
            return None
        ext_id, sub = catalog.external_id(SOURCE, index), ""
    return (f"https://item.jd.com/{ext_id}.html", landing_url(request, SOURCE, ext_id, **{SUB_PARAM: sub or None}))


def short_link_for(external_id: str) -> str:
    """The ``u.jd.com`` code of a catalog item (tests and seed data paste it)."""
    return catalog.token_for(SOURCE, catalog.index_of(SOURCE, external_id))


urlpatterns = [path("routerjson", gateway, name="jd_gateway"), path("api", gateway, name="jd_router_gateway")]
