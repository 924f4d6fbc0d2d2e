"""Reads of the showcase room: what shoppers see (showcase, video products, live room, search)
and what creators manage. Every shopper read costs a fixed number of queries, whatever the
number of products (pinned by tests at 1, 20 and 200 products)."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from affiliates.models import Product
from affiliates.search import has_every_word, query_tokens
from affiliates.selectors import PoolFilters, pool_products
from creators.models import CartRight, User, Video

from .models import LiveProduct, LiveSession, Showcase, ShowcaseCategory, ShowcaseItem, VideoProduct


# --- creators ---------------------------------------------------------------------------------
def creator_with_showcase_right(handle: str) -> User | None:
    """An active user by Douyin number, with ``showcase_open`` (their showcase right is usable
    now) and ``showcase_ever_opened`` (they have the right, in any state) set — in one query."""
    rights = CartRight.objects.filter(user=OuterRef("pk"), kind=CartRight.Kind.SHOWCASE)
    user = (User.objects.filter(handle=handle, is_active=True)
            .annotate(_sc_status=Subquery(rights.values("status")[:1]),
                      _sc_until=Subquery(rights.values("suspended_until")[:1]))
            .first())
    if user is not None:
        user.showcase_open = _usable(user._sc_status, user._sc_until)
        user.showcase_ever_opened = user._sc_status is not None
    return user


def _usable(status: str | None, until) -> bool:
    if status == CartRight.Status.ACTIVE:
        return True
    return status == CartRight.Status.SUSPENDED and until is not None and until <= timezone.now()


def viewer_has_showcase(user) -> bool:
    if not user.is_authenticated:
        return False
    right = CartRight.objects.filter(user_id=user.pk, kind=CartRight.Kind.SHOWCASE).first()
    return right is not None and right.effective_status() == CartRight.Status.ACTIVE


# --- the showcase page ------------------------------------------------------------------------
@dataclass
class ShowcasePage:
    categories: list[ShowcaseCategory]  # the tabs: categories that hold products, in the creator's order
    items: list[ShowcaseItem]  # this page: recommended first, then the creator's order
    has_next: bool
    live: LiveSession | None


def showcase_page(*, owner_id: int, category_id: int | None = None, page: int = 1) -> ShowcasePage:
    """Three queries: tabs, one page of products (with their product rows), the live session."""
    size = settings.SHOWCASE_PAGE_SIZE
    categories = list(
        ShowcaseCategory.objects.filter(showcase__owner_id=owner_id)
        .annotate(n=Count("items")).filter(n__gt=0).order_by("position", "id")
    )
    items = ShowcaseItem.objects.filter(showcase__owner_id=owner_id)
    if category_id:
        items = items.filter(category_id=category_id)
    start = (max(page, 1) - 1) * size
    rows = list(items.select_related("product").order_by("-is_recommended", "position", "id")[start:start + size + 1])
    live = LiveSession.objects.filter(host_id=owner_id, status=LiveSession.Status.LIVE).first()
    return ShowcasePage(categories=categories, items=rows[:size], has_next=len(rows) > size, live=live)


# --- the seeding page -------------------------------------------------------------------------
def product_for_shoppers(pk: int) -> Product | None:
    """Any stored product (shoppers may open every product a creator tagged), one query."""
    return Product.objects.filter(pk=pk).first()


# --- videos -----------------------------------------------------------------------------------
def _by_video(kind: str, video_ids) -> dict[int, list[Product]]:
    found: dict[int, list[Product]] = defaultdict(list)
    links = (VideoProduct.objects.filter(video_id__in=list(video_ids), kind=kind)
             .select_related("product").order_by("video_id", "position", "id"))
    for link in links:
        found[link.video_id].append(link.product)
    return {vid: found.get(vid, []) for vid in video_ids}


def video_cart_products(*, video_ids) -> dict[int, list[Product]]:
    """The cart products of each video, in the creator's order (one query for all videos).
    A video with products shows the cart tag (购物车标签)."""
    return _by_video(VideoProduct.Kind.CART, video_ids)


def video_seeding_tags(*, video_ids) -> dict[int, list[Product]]:
    """The seeding tags (种草) of each video: product pages linked without the cart tag."""
    return _by_video(VideoProduct.Kind.SEEDING, video_ids)


def public_video(video_id: int) -> Video | None:
    return Video.objects.filter(pk=video_id, is_public=True, owner__is_active=True).first()


def video_links(video_id: int) -> list[VideoProduct]:
    """Both kinds of a video's products in one query (cart first, then seeding tags)."""
    return list(VideoProduct.objects.filter(video_id=video_id).select_related("product")
                .order_by("kind", "position", "id"))


# --- live -------------------------------------------------------------------------------------
def live_session_public(session_id: int) -> LiveSession | None:
    return LiveSession.objects.filter(pk=session_id, host__is_active=True).select_related("host").first()


def live_products(session_id: int) -> list[LiveProduct]:
    return list(LiveProduct.objects.filter(session_id=session_id).select_related("product")
                .order_by("position", "id"))


def current_live(host: User) -> LiveSession | None:
    return LiveSession.objects.filter(host=host, status=LiveSession.Status.LIVE).first()


# --- management -------------------------------------------------------------------------------
def own_showcase(owner: User) -> Showcase | None:
    return Showcase.objects.filter(owner=owner).first()


def own_items(owner: User) -> QuerySet[ShowcaseItem]:
    return (ShowcaseItem.objects.filter(showcase__owner=owner).select_related("product", "category")
            .order_by("position", "id"))


def own_categories(owner: User) -> QuerySet[ShowcaseCategory]:
    return (ShowcaseCategory.objects.filter(showcase__owner=owner).annotate(n=Count("items"))
            .order_by("position", "id"))


def own_video(owner: User, video_id: int) -> Video | None:
    return Video.objects.filter(pk=video_id, owner=owner).first()


def own_live_sessions(host: User) -> QuerySet[LiveSession]:
    return LiveSession.objects.filter(host=host).annotate(n=Count("products")).order_by("-started_at", "-id")


def own_live_session(host: User, session_id: int) -> LiveSession | None:
    return LiveSession.objects.filter(pk=session_id, host=host).first()


def showcase_items_not_in_live(host: User, session: LiveSession) -> QuerySet[ShowcaseItem]:
    """Showcase products the host can still add to this live cart."""
    return own_items(host).exclude(product_id__in=LiveProduct.objects.filter(session=session).values("product_id"))


# --- search (综合 and 商品 tabs) ----------------------------------------------------------------
SEARCH_SORTS = {"sales": "sales", "price": "price", "price_desc": "price_desc"}


def search_products(*, q: str, source: str = "", price_min_fen: int | None = None,
                    price_max_fen: int | None = None, sort: str = "") -> QuerySet[Product]:
    """Products for shoppers that have every word of the query (the pool's Chinese word search)."""
    if not q.strip():
        return Product.objects.none()
    filters = PoolFilters(q=q, source=source, price_min_fen=price_min_fen, price_max_fen=price_max_fen,
                          sort=SEARCH_SORTS.get(sort, "")).validate(
        names={"price_min_fen": "price_min", "price_max_fen": "price_max"})
    return pool_products(filters=filters)


# Rows read to find ``limit`` whose words match: the database narrows by substrings first, so a
# row that holds every word as text but not as a word (温杯 in 保温杯) is rare.
SEARCH_SCAN_FACTOR = 10


def _with_every_word(qs: QuerySet, field: str, tokens: list[str], limit: int, *, also: Q | None = None,
                     also_matches=None) -> list:
    """The first ``limit`` rows whose ``field`` holds every query token as a word: one query that
    narrows by substring (every token in ``field``, or the ``also`` condition), then the words."""
    condition = Q()
    for token in tokens:
        condition &= Q(**{f"{field}__icontains": token})
    if also is not None:
        condition |= also
    found = []
    for row in qs.filter(condition)[:limit * SEARCH_SCAN_FACTOR]:
        if (also_matches and also_matches(row)) or has_every_word(getattr(row, field), tokens):
            found.append(row)
            if len(found) == limit:
                break
    return found


_HANDLE_QUERY = re.compile(r"^[A-Za-z0-9_.]{2,32}$")


def search_creators(*, q: str, limit: int = 5) -> list[User]:
    """Creators whose nickname has every word of the query, or whose Douyin number contains the
    query, the most followed first."""
    tokens, text = query_tokens(q), q.strip()
    by_handle = _HANDLE_QUERY.match(text) is not None
    if not tokens and not by_handle:
        return []
    people = User.objects.filter(is_active=True, is_official=False).order_by("-fans_count", "pk")
    if not tokens:
        return list(people.filter(handle__icontains=text)[:limit])
    return _with_every_word(people, "nickname", tokens, limit,
                            also=Q(handle__icontains=text) if by_handle else None,
                            also_matches=(lambda u: text.lower() in u.handle.lower()) if by_handle else None)


def search_videos(*, q: str, limit: int = 6) -> list[Video]:
    """Public videos whose title has every word of the query, newest first."""
    tokens = query_tokens(q)
    if not tokens:
        return []
    videos = (Video.objects.filter(is_public=True, owner__is_active=True).select_related("owner")
              .order_by("-created_at", "-pk"))
    return _with_every_word(videos, "title", tokens, limit)


def product_placements(*, product_ids) -> list:
    """Where creators sell these products: one ``Placement`` per (creator, product, where) for
    showcases, video carts (and seeding tags) and live carts. Three queries, whatever the count."""
    from django.utils.translation import gettext as _

    from affiliates.services.banned import Placement

    ids = list(product_ids)
    found: set[tuple[int, int, str]] = set()
    found.update((c, p, "showcase") for c, p in ShowcaseItem.objects.filter(product_id__in=ids)
                 .values_list("showcase__owner_id", "product_id"))
    found.update((c, p, "video") for c, p in VideoProduct.objects.filter(product_id__in=ids)
                 .values_list("video__owner_id", "product_id"))
    found.update((c, p, "live") for c, p in LiveProduct.objects.filter(product_id__in=ids)
                 .values_list("session__host_id", "product_id"))
    labels = {"showcase": _("Showcase"), "video": _("Video cart"), "live": _("Live cart")}
    return [Placement(creator_id=c, product_id=p, where=w, label=str(labels[w])) for c, p, w in sorted(found)]
