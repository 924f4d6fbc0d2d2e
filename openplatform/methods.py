"""The one registry of open methods: params (with types), scope, example and handler.

Each handler is a thin call of an existing service or selector, scoped to the token's user; ``/open/docs/``
is generated from the same definitions.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from commissions.selectors import income_summary, line_filters_parse, lines_for
from core.errors import InvalidInput, NotFound
from showcase import selectors as showcase_selectors
from showcase.services.live import live_explaining_set
from showcase.services.video_cart import video_product_add
from showcase.services.window import showcase_item_add, showcase_item_remove
from showcase.stats.selectors import MAX_RANGE_DAYS, WINDOWS, dashboard_for


@dataclass(frozen=True)
class Param:
    name: str
    type: type
    required: bool = False
    help: str = ""

    @property
    def is_int(self) -> bool:
        return self.type is int


@dataclass(frozen=True)
class Method:
    name: str
    scope: str
    summary: str
    handler: Callable
    params: tuple[Param, ...] = ()
    example: dict = field(default_factory=dict)


SCOPES = {
    "showcase.read": _("Read your showcase"),
    "showcase.write": _("Change your showcase, video carts and live explaining"),
    "orders.read": _("Read the orders attributed to you"),
    "commission.read": _("Read your commission"),
    "data.read": _("Read your dashboard figures"),
}

REGISTRY: dict[str, Method] = {}


def register(method: Method) -> Method:
    REGISTRY[method.name] = method
    return method


def clean_params(method: Method, raw) -> dict:
    """Check the business parameters against the definition; a wrong one → InvalidInput naming it."""
    if not isinstance(raw, dict):
        raise InvalidInput(_("param_json must be a JSON object."), field="param_json")
    known = {p.name for p in method.params}
    for name in raw:
        if name not in known:
            raise InvalidInput(_("Unknown parameter “%(name)s”.") % {"name": name}, field=name)
    out = {}
    for p in method.params:
        value = raw.get(p.name)
        if value is None:
            if p.required:
                raise InvalidInput(_("This parameter is required."), field=p.name)
            continue
        if p.type is int:
            if isinstance(value, bool) or not isinstance(value, int) or not (0 < value < 2**63):
                raise InvalidInput(_("Must be a positive whole number."), field=p.name)
        elif p.type is str:
            if not isinstance(value, str) or len(value) > 2000:
                raise InvalidInput(_("Must be a text of at most 2000 characters."), field=p.name)
        out[p.name] = value
    return out


def _page(params) -> tuple[int, int]:
    page = params.get("page", 1)
    size = min(params.get("size", 20), 100)
    return page, size


def _item(item) -> dict:
    p = item.product
    return {"item_id": item.pk, "product_id": p.pk, "title": p.title, "price_fen": p.price_fen,
            "source": p.source, "position": item.position, "is_recommended": item.is_recommended}


def showcase_items_list(user, params):
    page, size = _page(params)
    qs = showcase_selectors.own_items(user).select_related("product")
    total = qs.count()
    rows = qs[(page - 1) * size: page * size]
    return {"total": total, "page": page, "items": [_item(i) for i in rows]}


def showcase_item_add_h(user, params):
    if not params.get("product_id") and not params.get("text"):
        raise InvalidInput(_("Give product_id (a pool product) or text (a pasted link or 淘口令)."),
                           field="product_id")
    item = showcase_item_add(owner=user, product_id=params.get("product_id"), text=params.get("text", ""))
    return _item(item)


def showcase_item_remove_h(user, params):
    showcase_item_remove(owner=user, item_id=params["item_id"])
    return {"item_id": params["item_id"], "removed": True}


def commission_summary(user, params):
    return income_summary(creator_id=user.pk).as_dict()


def commission_lines_list(user, params):
    page, size = _page(params)
    filters = line_filters_parse({k: params[k] for k in ("from", "to", "status") if k in params})
    qs = lines_for(creator_id=user.pk, filters=filters)
    total = qs.count()
    rows = qs[(page - 1) * size: page * size]
    return {"total": total, "page": page, "lines": [
        {"id": ln.pk, "source": ln.source, "order_number": ln.order_number, "title": ln.title,
         "status": ln.status, "paid_fen": ln.paid_fen, "commission_fen": ln.commission_fen,
         "net_fen": ln.net_fen, "created_at": ln.created_at.isoformat()} for ln in rows]}


def video_cart_set(user, params):
    if not any(params.get(k) for k in ("product_id", "item_id", "text")):
        raise InvalidInput(_("Give product_id, item_id (a showcase item) or text (a pasted link)."),
                           field="product_id")
    link = video_product_add(owner=user, video_id=params["video_id"], product_id=params.get("product_id"),
                             item_id=params.get("item_id"), text=params.get("text", ""))
    return {"video_id": params["video_id"], "product_id": link.product_id, "position": link.position}


def live_explaining_set_h(user, params):
    lp = live_explaining_set(host=user, session_id=params["session_id"], product_id=params["product_id"])
    return {"session_id": params["session_id"], "product_id": lp.product_id, "explaining": True}


def orders_list(user, params):
    """Orders attributed to the creator on our own checkout (Taobao and other outside reports excluded);
    no buyer's name, phone or address."""
    from .selectors import attributed_orders

    page, size = _page(params)
    qs = attributed_orders(user)
    total = qs.count()
    return {"total": total, "page": page, "orders": [
        {"number": o.number, "title": o.title, "status": o.status, "total_fen": o.total_fen,
         "commission_fen": o.commission_fen, "channel": o.channel, "created_at": o.created_at.isoformat()}
        for o in qs[(page - 1) * size: page * size]]}


def _day(params, name):
    import datetime

    raw = params.get(name)
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        raise InvalidInput(_("Use a date as yyyy-MM-dd."), field=name) from None


def data_dashboard(user, params):
    from django.utils import timezone

    start, end = _day(params, "start_date"), _day(params, "end_date")
    if start or end:
        if "days" in params:
            raise InvalidInput(_("Send either days or start_date and end_date."), field="days")
        if not (start and end):
            raise InvalidInput(_("This parameter is required."), field="start_date" if not start else "end_date")
        if start > end:
            raise InvalidInput(_("start_date must not be after end_date."), field="start_date")
        if end > timezone.localdate():
            raise InvalidInput(_("end_date must not be in the future."), field="end_date")
        days = (end - start).days + 1
        if days > MAX_RANGE_DAYS:
            raise InvalidInput(_("A range is at most %(max)s days.") % {"max": MAX_RANGE_DAYS}, field="start_date")
        d = dashboard_for(creator_id=user.pk, days=days, today=end)
    else:
        days = params.get("days", 7)
        if days not in WINDOWS:
            raise InvalidInput(_("days must be one of: %(values)s.") % {"values": ", ".join(map(str, WINDOWS))},
                               field="days")
        d = dashboard_for(creator_id=user.pk, days=days)
    return {"days": d.days, "start": d.start.isoformat(), "end": d.end.isoformat(), "totals": d.totals,
            "previous": d.previous_totals, "daily": [{"day": day.isoformat(), **counts} for day, counts in d.daily],
            "products": [{"product_id": p.product_id, "title": p.title, **p.counts} for p in d.products]}


PAGE = (Param("page", int, help=_("Page number, from 1.")), Param("size", int, help=_("Rows per page, at most 100.")))

register(Method("showcase.items.list", "showcase.read", _("The products of the creator's showcase, in order."),
                showcase_items_list, PAGE, {"page": 1, "size": 20}))
register(Method("showcase.item.add", "showcase.write",
                _("Add a product to the showcase: a pool product id or a pasted link / 淘口令."),
                showcase_item_add_h,
                (Param("product_id", int, help=_("A product of the pool.")),
                 Param("text", str, help=_("A pasted product link or 淘口令."))), {"product_id": 1}))
register(Method("showcase.item.remove", "showcase.write", _("Remove a product from the showcase."),
                showcase_item_remove_h, (Param("item_id", int, True, _("The showcase item id.")),),
                {"item_id": 1}))
register(Method("commission.summary", "commission.read", _("The creator's commission totals and balances (fen)."),
                commission_summary))
register(Method("commission.lines.list", "commission.read", _("The creator's commission lines, newest first."),
                commission_lines_list,
                (*PAGE, Param("from", str, help=_("First day, YYYY-MM-DD.")),
                 Param("to", str, help=_("Last day, YYYY-MM-DD.")),
                 Param("status", str, help=_("estimated, settled or clawed_back."))), {"page": 1}))

register(Method("video.cart.set", "showcase.write",
                _("Hang a product in a video's cart (小黄车): a pool product, a showcase item or a pasted link."),
                video_cart_set,
                (Param("video_id", int, True, _("The creator's video.")), Param("product_id", int, help=_("A product of the pool.")),
                 Param("item_id", int, help=_("A showcase item.")), Param("text", str, help=_("A pasted product link or 淘口令."))),
                {"product_id": 1, "video_id": 1}))
register(Method("live.explaining.set", "showcase.write", _("Mark a product of the running live session as being explained."),
                live_explaining_set_h,
                (Param("session_id", int, True, _("The live session.")), Param("product_id", int, True, _("A product of the session."))),
                {"product_id": 1, "session_id": 1}))
register(Method("orders.list", "orders.read", _("Orders attributed to the creator, newest first (Taobao excluded)."),
                orders_list, PAGE, {"page": 1}))
register(Method("data.dashboard", "data.read",
                _("The dashboard's figures for a date range, or for the last 7, 30 or 90 days."),
                data_dashboard, (Param("days", int, help=_("7, 30 or 90 (default 7); not with a date range.")),
                                 Param("start_date", str, help=_("First day, yyyy-MM-dd (Asia/Shanghai).")),
                                 Param("end_date", str, help=_("Last day, yyyy-MM-dd, not in the future; at most "
                                                               "366 days after start_date."))),
                {"start_date": "2026-11-01", "end_date": "2026-11-30"}))

__all__ = ["REGISTRY", "SCOPES", "Method", "Param", "clean_params", "NotFound"]
