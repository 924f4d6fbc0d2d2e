"""Demo history of the stats room: 90 days of views, impressions, clicks, paid orders and a
few refunds for every creator holding product sharing rights, recorded through the real
services (events checked by ``event_field`` and added once per creator by ``stats_batch_apply``;
``sale_record``/``sale_refund``)
so the dashboard, leaderboard and commission income show numbers that add up.

Traffic grows over the quarter, is higher at weekends and during a promotion week, and
converts impression → seeding-page view → buy click → paid order at believable rates; a seeded random generator makes the
history the same on every machine. Also seeds the academy, announcements and the rules
center (their content lives with their apps). Idempotent: a history already seeded
(its ``demo-`` order references exist) is left alone.
"""
from __future__ import annotations

import datetime
import random
import zlib
from collections import Counter

from django.db.models import Q
from django.utils import timezone

from affiliates.models import Product
from core.money import apply_rate
from creators.models import CartRight, User

from .models import SaleRecord
from .services import (
    event_field,
    leaderboard_refresh,
    sale_record,
    sale_refund,
    stats_batch_apply,
    stats_flush_lock,
)

DAYS = 90
PROMO_DAYS = range(DAYS - 20, DAYS - 14)  # a promotion week three weeks ago
REFUND_RATE = 0.04


def _creators() -> list[User]:
    with_rights = CartRight.objects.exclude(status=CartRight.Status.REVOKED).values("user_id")
    return list(User.objects.filter(pk__in=with_rights, is_official=False, is_active=True)
                .exclude(violations__isnull=False).order_by("pk"))


def _products_for(creator: User, index: int) -> list[Product]:
    """The creator's showcase products, or (before the showcase demo ran) pool products."""
    try:
        from showcase.models import ShowcaseItem

        products = [i.product for i in ShowcaseItem.objects.filter(showcase__owner=creator)
                    .select_related("product").order_by("pk")[:12]]
    except Exception:  # noqa: BLE001 - the showcase tables may not exist in a partial setup
        products = []
    if products:
        return products
    pool = list(Product.objects.filter(available=True).filter(Q(price_fen__gt=0)).order_by("pk")[:200])
    start = (index * 8) % max(len(pool), 1)
    return (pool[start:] + pool[:start])[:8]


def _moment(day: datetime.date, rng: random.Random, now: datetime.datetime) -> datetime.datetime:
    hour = rng.choice([9, 12, 13, 19, 20, 20, 21, 21, 22, 23])
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60))))
    return min(moment, now - datetime.timedelta(minutes=rng.randrange(1, 30)))


def _history(creator: User, products: list[Product], index: int) -> tuple[int, int, int]:
    """The creator's 90 days. Events are counted here and added to DailyStat as one batch named
    after the creator (exactly once, however often the seeding runs); they never pass through the
    live buffer, so a seeding rolled back leaves nothing behind for the scheduled flush."""
    counts: Counter = Counter()
    rng = random.Random(zlib.crc32(creator.handle.encode()))
    now = timezone.now()
    today = timezone.localdate()
    popularity = 0.7 + 0.6 * rng.random()
    weights = [rng.uniform(0.3, 1.0) for _ in products]
    events = orders = refunds = 0
    for offset in range(DAYS):
        day = today - datetime.timedelta(days=DAYS - 1 - offset)
        factor = popularity * (0.5 + offset / DAYS) * (1.3 if day.weekday() >= 5 else 1.0)
        factor *= 2.2 if offset in PROMO_DAYS else 1.0
        factor *= rng.uniform(0.8, 1.2)
        if day == today:
            factor *= min(1.0, (now.hour + 1) / 24)
        live_today = day.weekday() in (1, 4, 6)
        page_views = {"showcase": 30 * factor, "video": 90 * factor, "live": 70 * factor if live_today else 0,
                      "search": 0, "comment": 0}
        for channel, amount in page_views.items():
            for _ in range(int(amount)):
                counts[event_field(kind="view", channel=channel, creator_id=creator.pk, at=_moment(day, rng, now))] += 1
                events += 1
        per_product = {"showcase": 12, "video": 20, "live": 16 if live_today else 0, "search": 6, "comment": 3}
        for product, weight in zip(products, weights, strict=True):
            for channel, base in per_product.items():
                impressions = int(base * factor * weight * rng.uniform(0.6, 1.4) / max(len(products) / 6, 1))
                views = sum(rng.random() < 0.3 for _ in range(impressions))  # the seeding page opened
                clicks = sum(rng.random() < 0.35 for _ in range(views))  # the buy button
                for kind, count in (("impression", impressions), ("view", views), ("click", clicks)):
                    for _ in range(count):
                        counts[event_field(kind=kind, channel=channel, creator_id=creator.pk,
                                           product_id=product.pk, at=_moment(day, rng, now))] += 1
                events += impressions + views + clicks
                for n in range(sum(rng.random() < 0.22 for _ in range(clicks))):
                    quantity = 2 if rng.random() < 0.2 else 1
                    gmv = product.price_fen * quantity
                    ref = f"demo-{creator.pk}-{day:%Y%m%d}-{product.pk}-{channel}-{n}"
                    sale_record(creator_id=creator.pk, channel=channel, product_id=product.pk, order_ref=ref,
                                quantity=quantity, gmv_fen=gmv, commission_fen=apply_rate(gmv, product.commission_rate_bp),
                                paid_at=_moment(day, rng, now))
                    orders += 1
                    if rng.random() < REFUND_RATE:
                        sale_refund(order_ref=ref)
                        refunds += 1
    stats_batch_apply(batch_id=f"demo-history:{creator.pk}", counts=counts)
    return events, orders, refunds


def seed(out) -> None:
    from creators.demo_rules import seed as seed_rules
    from notices.demo_board import seed as seed_board

    seed_board(out)
    seed_rules(out)
    # Until this seeding commits no flush runs (they skip), and a second seeding waits here and
    # then finds the first one's history.
    stats_flush_lock()
    if SaleRecord.objects.filter(order_ref__startswith="demo-").exists():
        out.write("Stats: demo history already recorded.")
        return
    totals = [0, 0, 0]
    creators = _creators()
    for index, creator in enumerate(creators):
        products = _products_for(creator, index)
        if not products:
            continue
        for i, n in enumerate(_history(creator, products, index)):
            totals[i] += n
    leaderboard_refresh()
    out.write(f"Stats: {len(creators)} creators, {totals[0]} events, "
              f"{totals[1]} paid orders, {totals[2]} refunds over {DAYS} days; leaderboard refreshed.")
