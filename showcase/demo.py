"""Demo world of the showcase room: every demo creator whose application was approved gets a
showcase filled from the pool and the alliance (categories, 推荐 and 上新), products and seeding tags on their videos, and
the first of them is live with a product being explained.

Idempotent: a creator whose showcase already holds products is left alone; everything goes
through the services, so the limits, the quality gate and the rights apply as for anyone.
"""
from __future__ import annotations

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from affiliates.models import POOL_CONDITION, Product, ProductSource
from core.errors import DomainError
from creators.models import CartApplication, CartRight, User

from . import services
from .models import LiveSession, ShowcaseItem

# Per creator: showcase categories with the pool categories that fill them, whether the alliance's
# (精选联盟) products fit, and the live session's title.
THEMES = {
    "linlin_chuanda": {
        "categories": [("上衣", ["T恤"]), ("裙装", ["连衣裙"]), ("鞋包配饰", ["运动鞋", "珠宝配饰"])],
        "alliance": False,
        "live": "小个子秋冬穿搭专场｜今晚上新",
    },
    "guoge_jiaxiang": {
        "categories": [("家乡特产", ["坚果炒货", "食品饮料"]), ("好茶", ["茶叶"]), ("厨房好物", ["厨房电器"])],
        "alliance": True,
        "live": "洛川苹果产地直播",
    },
}
PER_CATEGORY = 4
DEFAULT_CATEGORIES = [("好物推荐", [])]


def _approved_creators() -> list[User]:
    """Creators whose product sharing application was approved (the creators room's demo)."""
    active = CartRight.objects.filter(kind=CartRight.Kind.SHOWCASE, status=CartRight.Status.ACTIVE,
                                      application__status=CartApplication.Status.APPROVED)
    return list(User.objects.filter(pk__in=active.values("user_id"), is_active=True).order_by("pk"))


def _pool(exclude: set[int]):
    outside = [ProductSource.SHOP, ProductSource.ALLIANCE]
    return Product.objects.filter(POOL_CONDITION).exclude(source__in=outside).exclude(pk__in=exclude)


def _pick(categories: list[str], n: int, taken: set[int]) -> list[Product]:
    qs = _pool(taken)
    if categories:
        qs = qs.filter(category__in=categories)
    return list(qs.order_by("-sales_volume", "id")[:n])


def _cover(title: str, seed: int) -> ContentFile:
    rng = random.Random(seed)
    image = Image.new("RGB", (360, 480), (rng.randint(180, 255), rng.randint(80, 160), rng.randint(100, 180)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        r = rng.randint(30, 120)
        x, y = rng.randint(-30, 360), rng.randint(-30, 480)
        draw.ellipse((x, y, x + r, y + r), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name=f"live-{seed}.jpg")


def _fill_showcase(creator: User, theme: dict, taken: set[int]) -> list[ShowcaseItem]:
    items = []
    for name, pool_categories in theme.get("categories") or DEFAULT_CATEGORIES:
        category = services.showcase_category_create(owner=creator, name=name)
        for product in _pick(pool_categories, PER_CATEGORY if pool_categories else 8, taken):
            taken.add(product.pk)
            try:
                items.append(services.showcase_item_add(owner=creator, product_id=product.pk,
                                                        category_id=category.pk))
            except DomainError:
                continue
    alliance = Product.objects.filter(POOL_CONDITION, source=ProductSource.ALLIANCE).order_by("-sales_volume", "id")
    for product in alliance[:3] if theme.get("alliance", True) else []:
        try:
            items.append(services.showcase_item_add(owner=creator, product_id=product.pk))
        except DomainError:
            continue
    for item in items[:2]:
        services.showcase_item_update(owner=creator, item_id=item.pk, is_recommended=True)
    for item in items[-3:]:
        services.showcase_item_update(owner=creator, item_id=item.pk, is_new=True)
    return items


def _tag_videos(creator: User, items: list[ShowcaseItem]) -> int:
    tagged = 0
    videos = list(creator.videos.filter(is_public=True, is_original=True).order_by("-created_at", "-pk")[:4])
    products = [i.product_id for i in items]
    for n, video in enumerate(videos):
        if video.products.exists():
            continue
        picks = products[n * 2:n * 2 + 3] or products[:3]
        for product_id in picks:
            services.video_product_add(owner=creator, video_id=video.pk, product_id=product_id)
        seed = products[-(n + 1)]
        if seed not in picks:
            services.video_product_add(owner=creator, video_id=video.pk, product_id=seed, kind="seeding")
        tagged += 1
    return tagged


def seed(out) -> None:
    creators = _approved_creators()
    if not Product.objects.filter(POOL_CONDITION).exists():
        out.write("Showcases: the product pool is empty, nothing to fill.")
        return
    taken: set[int] = set()
    filled = 0
    for creator in creators:
        if ShowcaseItem.objects.filter(showcase__owner=creator).exists():
            continue
        theme = THEMES.get(creator.handle, {})
        items = _fill_showcase(creator, theme, taken)
        videos = _tag_videos(creator, items)
        filled += 1
        out.write(f"  @{creator.handle}: {len(items)} showcase products, {videos} videos with products")
    host = next((c for c in creators if c.handle in THEMES), creators[0] if creators else None)
    if host is not None and not LiveSession.objects.filter(host=host).exists():
        items = list(ShowcaseItem.objects.filter(showcase__owner=host).order_by("position", "id")[:6])
        if items:
            session = services.live_session_start(
                host=host, title=THEMES.get(host.handle, {}).get("live", "好物直播"), cover=_cover(host.handle, host.pk),
                product_ids=[i.product_id for i in items])
            services.live_explaining_set(host=host, session_id=session.pk, product_id=items[1 % len(items)].product_id)
            out.write(f"  @{host.handle} is live: {session.title} (/live/{session.pk}/)")
    total = ShowcaseItem.objects.count()
    live = LiveSession.objects.filter(status=LiveSession.Status.LIVE).count()
    out.write(f"Showcases: {filled} filled now; {total} showcase products in all, {live} live session(s).")

