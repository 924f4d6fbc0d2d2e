"""A deterministic generated catalog per outside source.

Every item is a pure function of ``(source, index)``: fields come from a keyed hash, so
100k items per source cost no storage and every process sees the same catalog. External ids
map to indexes and back (``base + index × stride``). The size is ``settings.
SANDBOX_CATALOG_SIZE`` (per source). Lists over the whole catalog (hot sellers, sorted
search, titles for keyword search) are computed once per process and size.

Like the real sources, any well-formed id outside that catalog also names an item: its
fields come from the same hash keyed by the id itself (so every paste format can be tried
with any real-looking link), except three documented ranges of the id's last three digits:

- ``000``–``009``: not found (the source answers as for an unknown id);
- ``010``–``019``: delisted (下架): found, out of stock, not promotable;
- ``020``–``029``: not in the union: found, but the union answers it is not promoted.

Well-formed ids: Taobao 6–15 digits, JD 4–15, Kaola 3–12, Vipshop 4–20, Suning
``<6–12 digit commodity>-<10 digit supplier>`` (the paste formats' own bounds).
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from django.conf import settings

from .words import ADJECTIVES, CATEGORIES, RESTRICTED_TOPS, SELLING_POINTS, SHOP_SUFFIXES, SPECS

SOURCES = ("taobao", "jd", "kaola", "vip", "suning")

# (base, stride) of each source's numeric ids: believable lengths, invertible.
_ID_SPACE = {
    "taobao": (600_000_000_000, 7_919),
    "jd": (10_020_000_000, 1_307),
    "kaola": (5_000_000, 17),
    "vip": (6_919_000_000_000, 10_007),
    "suning": (10_000_000_000, 3_391),
}
_BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
NOT_IN_UNION_PER_MILLE = {"taobao": 50}  # 5 % of Taobao items are outside Taobao Union
OUT_OF_STOCK_PER_MILLE = 30


def size() -> int:
    return int(getattr(settings, "SANDBOX_CATALOG_SIZE", 2000))


def h(*parts: object) -> int:
    """A stable 64-bit hash of ``parts`` (the catalog's only source of variety)."""
    return int.from_bytes(hashlib.blake2b(repr(parts).encode(), digest_size=8).digest(), "big")


def pick(seq, *parts):
    return seq[h(*parts) % len(seq)]


def between(lo: int, hi: int, *parts) -> int:
    return lo + h(*parts) % (hi - lo + 1)


def base62(n: int, width: int = 0) -> str:
    out = ""
    while True:
        n, r = divmod(n, 62)
        out = _BASE62[r] + out
        if not n:
            break
    return out.rjust(width, "0")


def unbase62(text: str) -> int:
    n = 0
    for ch in text:
        n = n * 62 + _BASE62.index(ch)
    return n


# --- shops --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Shop:
    source: str
    index: int
    shop_id: str
    name: str
    credit_level: int  # Taobao seller credit 1–20 (6 = one diamond)
    is_mall: bool  # Tmall / JD self-operated / the platform's own
    dsr: tuple[int, int, int]  # description, service, logistics; ×100 on a 5-point scale
    industry: tuple[int, int, int]  # the industry averages, same scale
    jd_scores: tuple[int, int, int]  # JD userEvaluate, afterService, logisticsLvyue; ×100 on 10
    jd_level: int  # JD shopLevel ×100 (0–5)


def shops_per_category() -> int:
    return max(2, size() // 25 // len(CATEGORIES))


def shop_count() -> int:
    return shops_per_category() * len(CATEGORIES)


@lru_cache(maxsize=4096)
def shop(source: str, index: int) -> Shop:
    brands = CATEGORIES[index // shops_per_category() % len(CATEGORIES)][4]  # a shop sells one category
    name = pick(brands, source, "shopbrand", index) + pick(SHOP_SUFFIXES[source], source, "shopsfx", index)
    industry = tuple(between(470, 482, source, "ind", index % 7, k) for k in range(3))
    # Most shops sit around their industry; some fall below on one score or more.
    dsr = tuple(min(500, industry[k] - 12 + between(0, 30, source, "dsr", index, k)) for k in range(3))
    jd = tuple(between(880, 999, source, "jds", index, k) for k in range(3))
    return Shop(
        source=source, index=index,
        shop_id=str(between(10_000, 99_999, source, "shopid", index) * 1000 + index % 1000),
        name=name,
        credit_level=between(1, 20, source, "credit", index),
        is_mall=h(source, "mall", index) % 3 == 0,
        dsr=dsr, industry=industry, jd_scores=jd,
        jd_level=between(350, 500, source, "jdlevel", index),
    )


# --- items -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Category:
    cat_id: str
    top: str
    leaf: str


@dataclass(frozen=True)
class Item:
    source: str
    index: int
    external_id: str
    num_id: int  # the numeric id (Suning: commodity code)
    title: str
    brand: str
    category: Category
    price_fen: int
    original_price_fen: int
    commission_rate_bp: int
    coupon_fen: int
    sales_volume: int
    in_union: bool
    available: bool
    shop: Shop
    image_count: int
    delisted: bool = False


_CUMULATIVE_WEIGHTS = list(accumulate(row[7] for row in CATEGORIES))


def _category_row(source: str, index: int):
    """A category drawn by weight (row[7])."""
    ticket = h(source, "cat", index) % _CUMULATIVE_WEIGHTS[-1]
    return CATEGORIES[bisect_right(_CUMULATIVE_WEIGHTS, ticket)]


def title_of(source: str, index: int) -> str:
    row = _category_row(source, index)
    brand = pick(row[4], source, "brand", index)
    return (f"{brand}{pick(ADJECTIVES, source, 'adj', index)}{pick(row[3], source, 'noun', index)}"
            f"{pick(SPECS, source, 'spec', index)}{pick(SELLING_POINTS, source, 'sell', index)}")


def sales_of(source: str, index: int) -> int:
    # Skewed: most items sell tens, a few sell tens of thousands.
    return int(10 ** (h(source, "sales", index) % 10_000 / 2_000))


def price_of(source: str, index: int) -> int:
    lo, hi = _category_row(source, index)[5]
    return between(lo, hi, source, "price", index) * 100 + pick((0, 90, 90, 80, 0, 50), source, "cents", index)


def rate_of(source: str, index: int) -> int:
    lo, hi = _category_row(source, index)[6]
    return between(lo * 2, hi * 2, source, "rate", index) * 50  # whole half-percents, in bp


def in_union(source: str, index: int) -> bool:
    per_mille = NOT_IN_UNION_PER_MILLE.get(source, 0)
    return h(source, "union", index) % 1000 >= per_mille


def available(source: str, index: int) -> bool:
    return h(source, "stock", index) % 1000 >= OUT_OF_STOCK_PER_MILLE


def external_id(source: str, index: int) -> str:
    base, stride = _ID_SPACE[source]
    num = base + index * stride
    if source == "suning":
        return f"{num}-{supplier_code(shop_index(source, index))}"
    return str(num)


def supplier_code(shop_idx: int) -> str:
    return f"{70_000_000 + shop_idx * 1_117:010d}"


def shop_index(source: str, index: int) -> int:
    row = _category_row(source, index)
    return CATEGORIES.index(row) * shops_per_category() + h(source, "shop", index) % shops_per_category()


def index_of(source: str, ext_id: str) -> int | None:
    """The catalog index of an external id, or None when the id is not in the catalog."""
    text = str(ext_id).strip()
    num_text = text.split("-", 1)[0] if source == "suning" else text
    if not num_text.isdigit():
        return None
    base, stride = _ID_SPACE[source]
    offset = int(num_text) - base
    if offset < 0 or offset % stride:
        return None
    index = offset // stride
    if index >= size():
        return None
    if source == "suning" and "-" in text and external_id(source, index) != text:
        return None
    return index


@lru_cache(maxsize=8192)
def _item(source: str, index: int, catalog_size: int) -> Item:
    row = _category_row(source, index)
    price = price_of(source, index)
    original = price + price * between(5, 60, source, "markup", index) // 100 // 100 * 100
    coupon = 0
    if h(source, "coupon", index) % 10 < 3:
        coupon = min(pick((300, 500, 1000, 2000, 3000), source, "couponv", index), price // 3 // 100 * 100)
    return Item(
        source=source, index=index, external_id=external_id(source, index),
        num_id=_ID_SPACE[source][0] + index * _ID_SPACE[source][1],
        title=title_of(source, index), brand=pick(row[4], source, "brand", index),
        category=Category(cat_id=row[0], top=row[1], leaf=row[2]),
        price_fen=price, original_price_fen=original, commission_rate_bp=rate_of(source, index),
        coupon_fen=coupon, sales_volume=sales_of(source, index),
        in_union=in_union(source, index), available=available(source, index),
        shop=shop(source, shop_index(source, index)), image_count=between(1, 4, source, "imgs", index),
    )


def item(source: str, index: int) -> Item:
    return _item(source, index, size())


WELL_FORMED = {
    "taobao": re.compile(r"\d{6,15}"), "jd": re.compile(r"\d{4,15}"), "kaola": re.compile(r"\d{3,12}"),
    "vip": re.compile(r"\d{4,20}"), "suning": re.compile(r"\d{6,12}-\d{10}"),
}
NOT_FOUND_TAILS = range(0, 10)
DELISTED_TAILS = range(10, 20)
NOT_IN_UNION_TAILS = range(20, 30)


def find(source: str, ext_id: str) -> Item | None:
    """The item an external id names: a catalog item, an item derived from any other
    well-formed id, or None (malformed, or in the not-found range)."""
    index = index_of(source, ext_id)
    if index is not None:
        return item(source, index)
    text = str(ext_id).strip()
    if not WELL_FORMED[source].fullmatch(text):
        return None
    tail = int(text.split("-", 1)[0]) % 1000
    if tail in NOT_FOUND_TAILS:
        return None
    return _derived_item(source, text)


@lru_cache(maxsize=8192)
def _derived_item(source: str, ext_id: str) -> Item:
    """An item for an id outside the catalog: the catalog's generators at a pseudo index
    taken from the id (past the catalog, so it never repeats a catalog item)."""
    pseudo = 10**9 + h(source, "derived", ext_id) % 10**9
    base = _item(source, pseudo, 0)
    tail = int(ext_id.split("-", 1)[0]) % 1000
    delisted = tail in DELISTED_TAILS
    shop_ = base.shop
    if source == "suning":
        shop_ = Shop(**{**shop_.__dict__, "shop_id": ext_id.split("-", 1)[1]})
    return Item(**{**base.__dict__, "external_id": ext_id, "num_id": int(ext_id.split("-", 1)[0]),
                   "in_union": not delisted and tail not in NOT_IN_UNION_TAILS,
                   "available": base.available and not delisted, "delisted": delisted, "shop": shop_})


# --- whole-catalog lists (once per process and size) ----------------------------------------------
@lru_cache(maxsize=16)
def _titles(source: str, catalog_size: int) -> tuple[str, ...]:
    return tuple(title_of(source, i) for i in range(catalog_size))


@lru_cache(maxsize=64)
def _order(source: str, catalog_size: int, sort: str) -> tuple[int, ...]:
    promotable = [i for i in range(catalog_size) if in_union(source, i)]
    keys = {
        "sales": lambda i: (-sales_of(source, i), i),
        "price_asc": lambda i: (price_of(source, i), i),
        "price_desc": lambda i: (-price_of(source, i), i),
        "commission": lambda i: (-rate_of(source, i), -sales_of(source, i), i),
    }
    return tuple(sorted(promotable, key=keys.get(sort, keys["sales"])))


@lru_cache(maxsize=64)
def _hot(source: str, catalog_size: int, sort: str) -> tuple[int, ...]:
    return tuple(i for i in _order(source, catalog_size, sort)
                 if _category_row(source, i)[1] not in RESTRICTED_TOPS and available(source, i))


def search(source: str, keyword: str = "", sort: str | None = None) -> list[int] | tuple[int, ...]:
    """Indexes of promotable items (in the union), sorted; with no keyword, the recommended
    hot sellers (in stock, none from a restricted category).

    A substring scan over the generated titles is fine here: it is the outside source's
    search, not ours.
    """
    keyword = (keyword or "").strip()
    if not keyword:
        return _hot(source, size(), sort or "sales")
    ordered = _order(source, size(), sort or "sales")
    titles = _titles(source, size())
    return [i for i in ordered if keyword in titles[i]]


# --- share tokens and short links of catalog items (stateless) -------------------------------------
def token_for(source: str, index: int) -> str:
    """An 11-character 淘口令 body for an item: 7 hash characters, then the index in base 62."""
    return base62(h(source, "tpwd", index), 7)[-7:] + base62(index, 4)


def index_of_token(source: str, token: str) -> int | None:
    if len(token) != 11 or any(c not in _BASE62 for c in token):
        return None
    index = unbase62(token[7:])
    if index >= size() or token_for(source, index) != token:
        return None
    return index
