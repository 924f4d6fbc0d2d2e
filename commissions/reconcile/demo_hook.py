"""``reconcile_demo()``: one JD reconciliation with exactly one mismatch, for ``seed_demo``.

Not named ``demo.py`` on purpose: ``seed_demo`` runs every ``<app>.demo.seed`` by itself, and
the commissions demo calls this where it wants it (after its own data).

What it does, through the real paths:

1. a shopper follows a demo creator's showcase card to a JD item (a click carrying the rate),
   and buys it on the sandbox JD shop: order ``DEMO_ORDER_ID``, paid now;
2. the order-report sync reads JD's feed through the real client and hands the rows over at
   once (even inside ``seed_demo``'s transaction), so the commission line exists;
3. JD's day report of that day then says the order earned ``DEMO_SHORTFALL_FEN`` fen less
   (the sandbox's ``recon_alter`` fault, set only for this run), and the reconciliation of that
   day finds exactly that: one ``mismatch`` item, ours C, theirs C − 100, difference −100 fen.

Idempotent: the order is made once; running it again reconciles its day again (the run's items
are replaced, still one mismatch). Returns the run, or None when the sandbox is off, the JD
client points elsewhere, or there is no creator or JD product to use (it says which on ``out``).
"""
from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.db.models import F
from django.test.utils import override_settings

from affiliates.models import Product
from affiliates.sandbox.models import SandboxOrder
from affiliates.sandbox.services import sandbox_order_create
from affiliates.sources import get_client
from affiliates.sources.values import CN_TZ
from affiliates.sync.services import order_reports_redeliver, order_reports_store
from affiliates.sync.services.orders import order_window_fetch
from core.errors import DomainError

from .inprocess import sandbox_in_process
from .models import ReconciliationRun
from .services import reconcile_source

DEMO_SOURCE = "jd"
DEMO_ORDER_ID = "100000000001"  # a JD order number (12 digits) no shopper draws: 1 then zeros
DEMO_SHORTFALL_FEN = 100
DEMO_CREATOR = "linlin_chuanda"  # the creators demo's approved creator (three rights active)
MIN_COMMISSION_FEN = 500  # so that the shortfall is a part of the commission, not all of it


def _minute_after(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(second=0, microsecond=0) + datetime.timedelta(minutes=2)


def _product_for(creator) -> Product | None:
    """A JD product in the creator's showcase earning at least ``MIN_COMMISSION_FEN`` a unit, or
    one from the pool put there."""
    from showcase.selectors import own_items
    from showcase.services import showcase_item_add

    floor = MIN_COMMISSION_FEN * 10_000  # price (fen) × rate (bp) / 10 000 = commission (fen)
    for item in own_items(creator).filter(product__source=DEMO_SOURCE):
        if item.product.price_fen * item.product.commission_rate_bp >= floor:
            return item.product
    pool = (Product.objects.filter(source=DEMO_SOURCE, gate_passed=True, available=True, promotable=True)
            .annotate(earning=F("price_fen") * F("commission_rate_bp")).filter(earning__gte=floor).order_by("pk"))
    for product in pool[:20]:
        try:
            showcase_item_add(owner=creator, product_id=product.pk)
        except DomainError:
            continue
        return product
    return None


def _demo_order(creator, out) -> SandboxOrder | None:
    order = SandboxOrder.objects.filter(source=DEMO_SOURCE, order_id=DEMO_ORDER_ID).first()
    if order is not None:
        return order
    from orders.services import click_create
    from showcase.selectors import creator_with_showcase_right
    from showcase.tracking import Via

    creator = creator or creator_with_showcase_right(DEMO_CREATOR)
    if creator is None:
        out.write(f"Reconciliation: no creator @{DEMO_CREATOR}, no demo run.")
        return None
    product = _product_for(creator)
    if product is None:
        out.write("Reconciliation: no JD product to sell, no demo run.")
        return None
    click = click_create(product_id=product.pk, via=Via(channel="showcase", creator_id=creator.pk))
    # JD reports whole seconds: the order is placed in the second after the click.
    at = click.created_at.replace(microsecond=0) + datetime.timedelta(seconds=1)
    return sandbox_order_create(source=DEMO_SOURCE, external_id=product.external_id, click_id=click.id, at=at,
                                order_id=DEMO_ORDER_ID, line_id=DEMO_ORDER_ID)


def reconcile_demo(*, creator=None, out=None) -> ReconciliationRun | None:
    out = out or io.StringIO()
    if not settings.SANDBOX_ENABLED:
        out.write("Reconciliation: sandbox off, no demo run.")
        return None
    client = get_client(DEMO_SOURCE)
    if not client.config.base_url.startswith(settings.SANDBOX_BASE_URL.rstrip("/") + "/"):
        out.write("Reconciliation: the JD client points at another gateway, no demo run.")
        return None
    with sandbox_in_process():  # no server is up during seed_demo
        order = _demo_order(creator, out)
        if order is None:
            return None
        # The sync's own steps: read JD's feed around the order, store it, hand it over now.
        rows = order_window_fetch(client, start=order.updated_at - datetime.timedelta(minutes=5),
                                  end=_minute_after(order.updated_at))
        order_reports_store(source=DEMO_SOURCE, rows=rows)
        order_reports_redeliver(older_than=datetime.timedelta(0))
        day = (order.paid_at or order.created_at).astimezone(CN_TZ).date()
        faults = dict(getattr(settings, "SANDBOX_FAULTS", {}) or {})
        faults[DEMO_SOURCE] = {**faults.get(DEMO_SOURCE, {}), "recon_alter": {DEMO_ORDER_ID: -DEMO_SHORTFALL_FEN}}
        with override_settings(SANDBOX_FAULTS=faults):
            run = reconcile_source(source=DEMO_SOURCE, day=day)
    out.write(f"Reconciliation: JD {day} — {run.matched_count} matched, {run.mismatch_count} mismatched "
              f"(order {DEMO_ORDER_ID}: JD's day report says {DEMO_SHORTFALL_FEN} fen less).")
    return run
