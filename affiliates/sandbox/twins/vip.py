"""The Vipshop VOP gateway twin (``/sandbox/vip/``): system params in the query string,
business params as the JSON body, HMAC-MD5 over both."""
from __future__ import annotations

import json

from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from affiliates.sources.values import from_ms, to_ms
from affiliates.sources.vip import GOODS, ORDERS, URLS

from .. import catalog, categories
from ..checks import in_window, same, unix_seconds, vip_signature
from ..gateway import FAULT_5XX, FAULT_RATE_LIMIT, inject, json_response, secret_for, server_error
from ..models import SandboxOrder
from .common import catalog_page, image_urls, landing_url, order_page, orders_in, percent, yuan

SOURCE = "vip"
SUB_PARAM = "chanTag"
SHORT_HOST = None
THEME = {"name": "唯品会", "colour": "#f10180"}
# sandbox status → (status, orderSubStatusName, settled)
ORDER_STATUS = {"unpaid": ("1", "已下单", 0), "paid": ("1", "已付款", 0), "finished": ("2", "已签收", 0),
                "settled": ("2", "已完成", 1), "refunded": ("0", "已失效", 0)}
_SORTS = {("SALES", 1): "sales", ("PRICE", 0): "price_asc", ("PRICE", 1): "price_desc", ("COMMISSION", 1): "commission"}


class Fault(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.body = {"returnCode": code, "returnMessage": message}


@csrf_exempt
def gateway(request):
    query = request.GET.dict()
    fault = inject(SOURCE)
    if fault == FAULT_RATE_LIMIT:
        return json_response(Fault("vipapis.request-limited", "请求过于频繁，请稍后重试").body)
    if fault == FAULT_5XX:
        return server_error()
    body = request.body.decode("utf-8")
    try:
        secret = secret_for(SOURCE, query.get("appKey", ""))
        if secret is None:
            raise Fault("vipapis.appKey-invalid", "appKey不存在")
        if not same(query.get("sign"), vip_signature(query, body, secret)):
            raise Fault("vipapis.signature-invalid", "签名无效")
        if not in_window(SOURCE, unix_seconds(query.get("timestamp")), timezone.now()):
            raise Fault("vipapis.timestamp-invalid", "时间戳无效")
        handler = METHODS.get((query.get("service"), query.get("method")))
        if handler is None:
            raise Fault("vipapis.method-not-found", "服务或方法不存在")
        try:
            payload = json.loads(body or "{}")
        except ValueError:
            raise Fault("vipapis.param-invalid", "请求体不是合法的JSON")
        return json_response({"returnCode": "0", "returnMessage": "success", "result": handler(request, payload)})
    except Fault as exc:
        return json_response(exc.body)


def _page(request_body: dict, hi: int) -> tuple[int, int]:
    page, size = int(request_body.get("page") or 1), int(request_body.get("pageSize") or 20)
    if page < 1 or not 1 <= size <= hi:
        raise Fault("vipapis.param-invalid", f"pageSize须在1到{hi}之间")
    return page, size


def goods_record(request, item: catalog.Item) -> dict:
    images = image_urls(request, item)
    return {
        "goodsId": str(item.num_id), "goodsName": item.title, "goodsMainPicUrl": images[0],
        "goodsCarouselPictures": images[1:], "marketPrice": yuan(item.original_price_fen),
        "vipPrice": yuan(item.price_fen), "commissionRate": percent(item.commission_rate_bp),
        "commission": yuan(item.price_fen * item.commission_rate_bp // 10_000),
        "storeInfo": {"storeId": item.shop.shop_id, "storeName": item.shop.name}, "brandName": item.brand,
        "cat1stName": item.category.top, "categoryId": item.category.cat_id, "categoryName": item.category.leaf,
        "destUrl": landing_url(request, SOURCE, item.external_id), "hasStock": 1 if item.available else 0,
        "sellNum": item.sales_volume,
    }


def order_record(order: SandboxOrder) -> dict:
    status, sub, settled = ORDER_STATUS[order.status]
    ms = {"orderTime": order.created_at, "payTime": order.paid_at, "signTime": order.finished_at,
          "settledTime": order.settled_at, "lastUpdateTime": order.updated_at}
    return {
        "orderSn": order.order_id, "status": status, "orderSubStatusName": sub, "settled": settled,
        "channelTag": order.click_id, **{k: to_ms(v) if v else 0 for k, v in ms.items()},
        "commission": yuan(order.estimated_commission_fen),
        "detailList": [{"goodsId": order.product_external_id, "goodsName": order.title, "goodsCount": order.quantity,
                        "commissionTotalCost": yuan(order.paid_amount_fen),
                        "commissionRate": percent(order.commission_rate_bp),
                        "commission": yuan(order.estimated_commission_fen)}],
    }


def get_by_goods_ids(request, payload):
    ids = [str(i) for i in payload.get("goodsIdList") or []]
    if not ids or len(ids) > 50:
        raise Fault("vipapis.param-invalid", "goodsIdList须为1到50个商品id")
    return [goods_record(request, it) for it in (catalog.find(SOURCE, i) for i in ids) if it and it.in_union]


def _listing(request, body: dict, keyword: str):
    page, size = _page(body, 50)
    sort = _SORTS.get((body.get("fieldName"), int(body.get("order", 1))))
    items, total, _ = catalog_page(SOURCE, keyword, sort, page, size)
    return {"goodsInfoList": [goods_record(request, it) for it in items], "total": total, "page": page,
            "pageSize": size}


def query(request, payload):
    body = payload.get("request") or {}
    if not body.get("keyword"):
        raise Fault("vipapis.param-invalid", "keyword不能为空")
    return _listing(request, body, body["keyword"])


def goods_list(request, payload):
    return _listing(request, payload.get("request") or {}, "")


def gen_by_goods_id(request, payload):
    ids = [str(i) for i in payload.get("goodsIdList") or []]
    tag = str(payload.get(SUB_PARAM) or "")
    urls = []
    for it in (catalog.find(SOURCE, i) for i in ids):
        if it and it.in_union:
            url = landing_url(request, SOURCE, it.external_id, **{SUB_PARAM: tag or None})
            urls.append({"goodsId": it.external_id, "url": url, "longUrl": url, "source": tag})
    return {"urlInfoList": urls}


def order_list(request, payload):
    model = payload.get("queryModel") or {}
    try:
        start, end = from_ms(model.get("updateTimeStart")), from_ms(model.get("updateTimeEnd"))
        by = "updated"
        if start is None:
            start, end, by = from_ms(model.get("orderTimeStart")), from_ms(model.get("orderTimeEnd")), "created"
    except ValueError:
        start = end = None
    if not start or not end or end <= start:
        raise Fault("vipapis.param-invalid", "查询时间范围无效")
    page, size = _page(model, 100)
    qs = orders_in(SOURCE, start, end, by=by)
    rows, _ = order_page(SOURCE, qs, page, size, by=by)
    return {"orderInfoList": [order_record(o) for o in rows], "total": qs.count(), "page": page, "pageSize": size}


def get_categorys(request, payload):
    parent = str((payload.get("request") or {}).get("parentId") or "")
    if parent and not parent.isdigit():
        raise Fault("vipapis.param-invalid", "parentId须为类目id")
    return [{"cateId": n.cat_id, "cateName": n.name, "parentId": n.parent_id, "level": n.level, "leaf": n.level >= 3}
            for n in categories.children(parent)]


METHODS = {
    (GOODS, "getCategorys"): get_categorys,
    (GOODS, "getByGoodsIdsV2"): get_by_goods_ids,
    (GOODS, "query"): query,
    (GOODS, "goodsList"): goods_list,
    (URLS, "genByGoodsId"): gen_by_goods_id,
    (ORDERS, "orderList"): order_list,
}

urlpatterns = [path("", gateway, name="vip_gateway")]
