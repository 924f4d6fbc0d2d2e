"""The TOP gateway twin (``/sandbox/taobao/router/rest``) and ``m.tb.cn`` short links."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from affiliates.sources.taobao import TOKEN_RE, response_key
from affiliates.sources.values import cn_time, cn_time_str

from .. import catalog, categories
from ..checks import in_window, same, top_signature, top_time
from ..gateway import FAULT_5XX, FAULT_RATE_LIMIT, inject, json_response, secret_for, server_error
from ..models import SandboxLink, SandboxOrder
from ..services import sandbox_link_create
from .common import catalog_page, image_urls, landing_url, order_page, orders_in, percent, yuan

SOURCE = "taobao"
SUB_PARAM = "external_id"  # where the landing page finds our click id
SHORT_HOST = "m.tb.cn"
THEME = {"name": "淘宝网", "colour": "#ff5000"}
TK_STATUS = {"paid": 12, "refunded": 13, "finished": 14, "settled": 3}
QUERY_TYPES = {"1": "created", "2": "paid", "3": "settled", "4": "updated"}


class TopFault(Exception):
    def __init__(self, code: int, msg: str, sub_code: str = "", sub_msg: str = ""):
        super().__init__(msg)
        self.body = {"code": code, "msg": msg, "request_id": "sandbox"}
        if sub_code:
            self.body.update(sub_code=sub_code, sub_msg=sub_msg)


def _error(fault: TopFault):
    return json_response({"error_response": fault.body})


@csrf_exempt
def gateway(request):
    params = {**request.GET.dict(), **request.POST.dict()}
    fault = inject(SOURCE)
    if fault == FAULT_RATE_LIMIT:
        return _error(TopFault(7, "App Call Limited", "accesscontrol.limited-by-api-access-count",
                               "This ban will last for 1 more seconds"))
    if fault == FAULT_5XX:
        return server_error()
    try:
        _check(params)
        method = params["method"]
        handler = METHODS.get(method)
        if handler is None:
            raise TopFault(22, "Invalid method")
        return json_response({response_key(method): {**handler(request, params), "request_id": "sandbox"}})
    except TopFault as exc:
        return _error(exc)


def _check(params: dict) -> None:
    for name, code in (("method", 21), ("app_key", 28), ("timestamp", 30), ("sign", 24)):
        if not params.get(name):
            raise TopFault(code, f"Missing {name}")
    secret = secret_for(SOURCE, params["app_key"])
    if secret is None:
        raise TopFault(29, "Invalid app Key")
    sign_method = params.get("sign_method", "md5")
    expected = top_signature(params, secret, sign_method)
    if expected is None:
        raise TopFault(25, "Invalid signature", "isv.invalid-sign-method", sign_method)
    if not same(params["sign"], expected):
        raise TopFault(25, "Invalid signature")
    sent = top_time(params["timestamp"])
    if sent is None:
        raise TopFault(31, "Invalid timestamp")
    if not in_window(SOURCE, sent, timezone.now()):
        raise TopFault(31, "Invalid timestamp", "isv.invalid-timestamp", "时间戳与服务器时间相差超过10分钟")
    if params.get("v", "2.0") != "2.0":
        raise TopFault(33, "Invalid version")


def _required(params: dict, name: str) -> str:
    if not params.get(name):
        raise TopFault(40, f"Missing required arguments:{name}")
    return params[name]


def _int(params: dict, name: str, default: int, hi: int) -> int:
    try:
        value = int(params.get(name) or default)
    except ValueError:
        raise TopFault(41, f"Invalid arguments:{name}")
    if not 1 <= value <= hi:
        raise TopFault(41, f"Invalid arguments:{name}")
    return value


# --- records -------------------------------------------------------------------------------------
def item_record(request, item: catalog.Item, adzone_id: str = "") -> dict:
    shop = item.shop
    images = image_urls(request, item)
    dsr = {"desc_score": shop.dsr[0], "serv_score": shop.dsr[1], "post_score": shop.dsr[2],
           "desc_industry_avg": shop.industry[0], "serv_industry_avg": shop.industry[1],
           "post_industry_avg": shop.industry[2]}
    return {
        "num_iid": item.num_id, "title": item.title, "pict_url": images[0], "small_images": {"string": images[1:]},
        "reserve_price": yuan(item.original_price_fen), "zk_final_price": yuan(item.price_fen),
        "user_type": 1 if shop.is_mall else 0, "provcity": "浙江 杭州", "nick": shop.name,
        "seller_id": int(shop.shop_id), "shop_title": shop.name, "volume": item.sales_volume,
        "cat_name": item.category.top, "cat_leaf_name": item.category.leaf, "category_id": int(item.category.cat_id),
        "level_one_category_name": item.category.top,
        "item_url": landing_url(request, SOURCE, item.external_id),
        "url": landing_url(request, SOURCE, item.external_id, pid=f"mm_1_2_{adzone_id}" if adzone_id else None),
        "commission_rate": str(item.commission_rate_bp), "coupon_amount": str(item.coupon_fen // 100),
        "shop_dsr": sum(shop.dsr) * 100 // 3,
        "shop_dsr_info": {k: f"{v // 100}.{v % 100:02d}" for k, v in dsr.items()},
        "seller_credit_level": shop.credit_level,
    }


def order_record(order: SandboxOrder) -> dict:
    times = {"tk_create_time": order.created_at, "tk_paid_time": order.paid_at,
             "tk_earning_time": order.settled_at, "modified_time": order.updated_at}
    return {
        "trade_parent_id": order.order_id, "trade_id": order.line_id, "item_id": order.product_external_id,
        "item_title": order.title, "item_num": order.quantity, "alipay_total_price": yuan(order.paid_amount_fen),
        "pay_price": yuan(order.paid_amount_fen), "tk_status": TK_STATUS[order.status],
        "total_commission_rate": percent(order.commission_rate_bp),
        "pub_share_pre_fee": yuan(order.estimated_commission_fen),
        "pub_share_fee": yuan(order.settled_commission_fen), SUB_PARAM: order.click_id,
        "refund_tag": 1 if order.status == SandboxOrder.Status.REFUNDED else 0, "order_type": "淘宝",
        **{k: cn_time_str(v) for k, v in times.items() if v},
    }


def real_item_url(external_id: str) -> str:
    return f"https://item.taobao.com/item.htm?id={external_id}"


# --- methods ----------------------------------------------------------------------------------------
def item_info_get(request, params):
    ids = [i for i in _required(params, "num_iids").split(",") if i.strip()][:40]
    found = [catalog.find(SOURCE, i.strip()) for i in ids]
    return {"results": {"n_tbk_item": [item_record(request, it) for it in found if it and it.in_union]}}


def material_optional(request, params):
    adzone_id = _required(params, "adzone_id")
    page_no, page_size = _int(params, "page_no", 1, 10_000), _int(params, "page_size", 20, 100)
    sorts = {"total_sales_des": "sales", "price_asc": "price_asc", "price_des": "price_desc",
             "tk_rate_des": "commission"}
    items, total, _ = catalog_page(SOURCE, params.get("q", ""), sorts.get(params.get("sort", "")), page_no, page_size)
    return {"total_results": total, "result_list": {"map_data": [item_record(request, it, adzone_id) for it in items]}}


def _token_target(token: str) -> tuple[str, str] | None:
    """(external id, click id) behind a 淘口令 body."""
    link = SandboxLink.objects.filter(source=SOURCE, code=token).first()
    if link:
        return link.external_id, link.click_id
    index = catalog.index_of_token(SOURCE, token)
    return None if index is None else (catalog.external_id(SOURCE, index), "")


def tpwd_query(request, params):
    m = TOKEN_RE.search(_required(params, "password_content"))
    target = _token_target(m.group(1)) if m else None
    if target is None:
        return {"suc": False, "msg": "口令不存在或已过期"}
    it = catalog.find(SOURCE, target[0])
    return {"suc": True, "content": it.title, "title": it.title, "price": yuan(it.price_fen),
            "pic_url": image_urls(request, it)[0], "url": real_item_url(it.external_id),
            "native_url": f"tbopen://m.taobao.com/tbopen/index.html?action=ali.open.nav&id={it.external_id}"}


def tpwd_create(request, params):
    url = _required(params, "url")
    parts = urlsplit(url)
    ext_id = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if catalog.find(SOURCE, ext_id) is None:
        raise TopFault(15, "Remote service error", "isv.invalid-parameter:url", "链接不是有效的淘宝客链接")
    click_id = (parse_qs(parts.query).get(SUB_PARAM) or [""])[0]
    link = sandbox_link_create(source=SOURCE, target_url=url, external_id=ext_id, click_id=click_id)
    return {"data": {"model": f"￥{link.code}￥", "password_simple": f"￥{link.code}￥"}}


def order_details_get(request, params):
    try:
        start, end = cn_time(_required(params, "start_time")), cn_time(_required(params, "end_time"))
    except ValueError:
        raise TopFault(41, "Invalid arguments:start_time")
    if end <= start or end - start > timedelta(hours=3):
        raise TopFault(15, "Remote service error", "isv.invalid-parameter", "查询时间跨度不能超过3小时")
    by = QUERY_TYPES.get(params.get("query_type", "1"), "created")
    page_no, page_size = _int(params, "page_no", 1, 10_000), _int(params, "page_size", 20, 100)
    rows, window = order_page(SOURCE, orders_in(SOURCE, start, end, by=by, exclude_unpaid=True), page_no, page_size,
                              by=by)
    return {"data": {"has_next": window.has_more, "has_pre": page_no > 1, "page_no": page_no,
                     "page_size": page_size, "position_index": str(rows[-1].pk) if rows else "",
                     "results": {"publisher_order_dto": [order_record(o) for o in rows]}}}


def itemcats_get(request, params):
    parent = params.get("parent_cid", "")
    if not params.get("cids") and parent == "":
        raise TopFault(40, "Missing required arguments:parent_cid")
    if not str(parent or "0").isdigit():
        raise TopFault(41, "Invalid arguments:parent_cid")
    nodes = (
        [n for n in (categories.node(c.strip()) for c in params["cids"].split(",")) if n]
        if params.get("cids") else categories.children(parent)
    )
    return {"item_cats": {"item_cat": [
        {"cid": int(n.cat_id), "parent_cid": int(n.parent_id or 0), "name": n.name, "is_parent": n.level < 3,
         "status": "normal"} for n in nodes]}}


METHODS = {
    "taobao.itemcats.get": itemcats_get,
    "taobao.tbk.item.info.get": item_info_get,
    "taobao.tbk.dg.material.optional": material_optional,
    "taobao.wireless.share.tpwd.query": tpwd_query,
    "taobao.tbk.tpwd.create": tpwd_create,
    "taobao.tbk.order.details.get": order_details_get,
}


# --- the short link service ---------------------------------------------------------------------------
def short_link_target(request, code: str) -> tuple[str, str] | None:
    """(real-shaped item URL for clients, sandbox landing URL for browsers) of ``h.<code>``."""
    target = _token_target(code[2:]) if code.startswith("h.") else None
    if target is None:
        return None
    ext_id, click_id = target
    return real_item_url(ext_id), landing_url(request, SOURCE, ext_id, **{SUB_PARAM: click_id or None})


def short_link_for(external_id: str) -> str:
    """The ``m.tb.cn`` path of a catalog item (tests and seed data paste it)."""
    return f"h.{catalog.token_for(SOURCE, catalog.index_of(SOURCE, external_id))}"


urlpatterns = [path("router/rest", gateway, name="taobao_gateway")]
