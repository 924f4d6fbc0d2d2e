"""The Kaola zhuanke router twin (``/sandbox/kaola/zhuanke/api``); its protocol reading is the
client's (``affiliates/sources/kaola.py``), which SOURCES.md marks *unverified*."""
from __future__ import annotations

from datetime import timedelta

from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from affiliates.sources.values import from_ms, to_ms

from .. import catalog, categories
from ..checks import cn_wall_time, in_window, kaola_signature, same
from ..gateway import FAULT_5XX, FAULT_RATE_LIMIT, inject, json_response, secret_for, server_error
from ..models import SandboxOrder
from .common import catalog_page, image_urls, landing_url, order_page, orders_in, percent, yuan

SOURCE = "kaola"
SUB_PARAM = "trackingCode"
SHORT_HOST = None
THEME = {"name": "考拉海购", "colour": "#d7000f"}
ORDER_STATUS = {"unpaid": 0, "paid": 1, "finished": 3, "settled": 4, "refunded": 5}
_SORTS = {"1": "sales", "2": "price_asc", "3": "price_desc", "4": "commission"}


class Fault(Exception):
    def __init__(self, code: int, msg: str):
        super().__init__(msg)
        self.body = {"code": code, "msg": msg, "data": None}


@csrf_exempt
def gateway(request):
    params = {**request.GET.dict(), **request.POST.dict()}
    fault = inject(SOURCE)
    if fault == FAULT_RATE_LIMIT:
        return json_response(Fault(429, "访问过于频繁，请稍后再试").body)
    if fault == FAULT_5XX:
        return server_error()
    try:
        # ``unionId`` (zhuanke) or ``app_key`` (Kaola's open platform, what the ``kaola`` SDK sends)
        secret = secret_for(SOURCE, params.get("unionId") or params.get("app_key", ""))
        if secret is None:
            raise Fault(403, "unionId无效")
        if not same(params.get("sign"), kaola_signature(params, secret)):
            raise Fault(401, "签名错误")
        if not in_window(SOURCE, cn_wall_time(params.get("timestamp")), timezone.now()):
            raise Fault(402, "时间戳无效")
        handler = METHODS.get(params.get("method", ""))
        if handler is None:
            raise Fault(400, "method不存在")
        return json_response({"code": 200, "msg": "success", "data": handler(request, params)})
    except Fault as exc:
        return json_response(exc.body)


def _int(params: dict, name: str, default: int, hi: int) -> int:
    try:
        value = int(params.get(name) or default)
    except ValueError:
        raise Fault(400, f"{name}格式错误")
    if not 1 <= value <= hi:
        raise Fault(400, f"{name}须在1到{hi}之间")
    return value


def goods_record(request, item: catalog.Item, tracking_code: str = "") -> dict:
    record = {
        "goodsId": item.num_id,
        "baseInfo": {"goodsTitle": item.title, "brandId": item.shop.shop_id, "brandName": item.shop.name,
                     "imageList": image_urls(request, item), "goodsUrl": landing_url(request, SOURCE, item.external_id),
                     "saleCount": item.sales_volume, "selfProduct": item.shop.is_mall},
        "priceInfo": {"currentPrice": yuan(item.price_fen), "marketPrice": yuan(item.original_price_fen)},
        "commissionInfo": {"commissionRate": percent(item.commission_rate_bp)},
        "categoryInfo": [{"categoryId": item.category.cat_id[:4], "categoryName": item.category.top, "level": 1},
                         {"categoryId": item.category.cat_id, "categoryName": item.category.leaf, "level": 3}],
        "stockInfo": {"isStockOut": not item.available},
    }
    if tracking_code:
        url = landing_url(request, SOURCE, item.external_id, **{SUB_PARAM: tracking_code})
        record["linkInfo"] = [{"linkType": 1, "shareUrl": url}]
    return record


def order_record(order: SandboxOrder) -> dict:
    ms = {"orderTime": order.created_at, "payTime": order.paid_at, "finishTime": order.finished_at,
          "updateTime": order.updated_at}
    return {
        "orderId": order.order_id, "orderStatus": ORDER_STATUS[order.status], SUB_PARAM: order.click_id,
        **{k: to_ms(v) if v else 0 for k, v in ms.items()},
        "goodsList": [{"orderItemId": order.line_id, "goodsId": int(order.product_external_id),
                       "goodsName": order.title, "buyAmount": order.quantity, "unitPrice": yuan(order.unit_price_fen),
                       "payAmount": yuan(order.paid_amount_fen), "commissionRate": percent(order.commission_rate_bp),
                       "commissionAmount": yuan(order.estimated_commission_fen),
                       "settledCommission": yuan(order.settled_commission_fen)}],
    }


def query_goods_info(request, params):
    ids = [i.strip() for i in str(params.get("goodsIds", "")).split(",") if i.strip()]
    if not ids or len(ids) > 20:
        raise Fault(400, "goodsIds须为1到20个商品id")
    found = [catalog.find(SOURCE, i) for i in ids]
    return [goods_record(request, it, params.get(SUB_PARAM, "")) for it in found if it and it.in_union]


def query_recommend_goods_list(request, params):
    page, size = _int(params, "pageIndex", 1, 10_000), _int(params, "pageSize", 20, 50)
    items, total, _ = catalog_page(SOURCE, params.get("keyword", ""), _SORTS.get(params.get("sortType", "")),
                                   page, size)
    return {"dataList": [goods_record(request, it) for it in items], "totalCount": total}


def query_order_info(request, params):
    try:
        start, end = from_ms(params.get("startDate")), from_ms(params.get("endDate"))
    except ValueError:
        start = end = None
    if not start or not end or end <= start or end - start > timedelta(hours=1):
        raise Fault(400, "查询时间跨度不能超过1小时")
    page, size = _int(params, "pageIndex", 1, 10_000), _int(params, "pageSize", 20, 100)
    by = "updated" if params.get("queryType") == "2" else "created"
    rows, window = order_page(SOURCE, orders_in(SOURCE, start, end, by=by), page, size, by=by)
    return {"orderList": [order_record(o) for o in rows], "hasNext": window.has_more}


def query_category_list(request, params):
    parent = str(params.get("parentId", "0") or "0")
    if not parent.isdigit():
        raise Fault(400, "parentId须为数字")
    return [{"categoryId": int(n.cat_id), "categoryName": n.name, "parentId": int(n.parent_id or 0),
             "categoryLevel": n.level, "leaf": n.level >= 3} for n in categories.children(parent)]


METHODS = {
    "kaola.zhuanke.api.queryCategoryList": query_category_list,
    "kaola.zhuanke.api.queryGoodsInfo": query_goods_info,
    "kaola.zhuanke.api.queryRecommendGoodsList": query_recommend_goods_list,
    "kaola.zhuanke.api.queryOrderInfo": query_order_info,
}

urlpatterns = [path("zhuanke/api", gateway, name="kaola_gateway")]
