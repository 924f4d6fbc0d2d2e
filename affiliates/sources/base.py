"""The one small interface every product source speaks.

A new outside source is one module here (a :class:`SourceClient` subclass registered in
``affiliates/sources/__init__.py``) plus its twin in ``affiliates/sandbox/``; nothing else
changes. Native sources (shop 小店, alliance 精选联盟) live in our own tables and do not
go through a client.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class Source(StrEnum):
    TAOBAO = "taobao"
    JD = "jd"
    KAOLA = "kaola"
    VIP = "vip"
    SUNING = "suning"
    ALLIANCE = "alliance"
    SHOP = "shop"


EXTERNAL_SOURCES = (Source.TAOBAO, Source.JD, Source.KAOLA, Source.VIP, Source.SUNING)
NATIVE_SOURCES = (Source.ALLIANCE, Source.SHOP)


# --- typed errors: never carry a secret, a signature or a full signed URL -------------------
class SourceError(Exception):
    """A source said no, or could not be reached. ``code`` is the source's own code."""

    retryable = False

    def __init__(self, source: str, message: str, *, code: str | None = None):
        super().__init__(f"[{source}] {message}")
        self.source = source
        self.message = message
        self.code = code

    def __reduce__(self):  # picklable (Celery results, multiprocessing) with every attribute
        return (_rebuild_error, (type(self), dict(self.__dict__)))


def _rebuild_error(cls, state):
    error = cls.__new__(cls)
    Exception.__init__(error, f"[{state['source']}] {state['message']}")
    error.__dict__.update(state)
    return error


class BadSignature(SourceError):
    """The gateway rejected our signature (misconfigured key or secret)."""


class RateLimited(SourceError):
    retryable = True

    def __init__(self, source: str, message: str, *, code: str | None = None, retry_after: float | None = None):
        super().__init__(source, message, code=code)
        self.retry_after = retry_after


class NotFound(SourceError):
    """No such item (or the pasted link/token points at nothing)."""


class NotPromotable(SourceError):
    """The item exists but cannot be promoted (e.g. a Taobao item outside Taobao Union).

    The rule for Taobao: the union API serves no data for an item outside Taobao Union, so
    ``resolve`` / ``product_detail`` / ``promotion_link`` RAISE this error (they never return a
    ``ProductInfo`` with ``promotable=False``), and its ``message`` tells the user to add the
    item to Taobao Union (淘宝客联盟) first. ``products_detail`` (batch, for sync) leaves such
    ids out like unknown ones.
    """


class Transient(SourceError):
    """5xx, timeouts, ``isp.top-remote-*``: safe to retry."""

    retryable = True


# --- plain data handed to the rest of the platform ------------------------------------------
@dataclass(frozen=True)
class ShopInfo:
    shop_id: str
    name: str
    # Seller credit level (Taobao 1–20, 6 = one diamond) or the source's own shop level.
    credit_level: int | None = None
    # Shop scores ×100 (4.85 → 485) with the industry averages ×100; None where unknown.
    dsr_description: int | None = None
    dsr_service: int | None = None
    dsr_logistics: int | None = None
    industry_description: int | None = None
    industry_service: int | None = None
    industry_logistics: int | None = None
    # JD: shopLevel (店铺评分, 0–5) ×100; None elsewhere.
    shop_score: int | None = None
    # JD: how each score ranks against the industry (commentFactorScoreRankGrade etc.):
    # one of SHOP_GRADES ("high", "medium", "low"); None where the source gives averages instead.
    description_grade: str | None = None
    service_grade: str | None = None
    logistics_grade: str | None = None
    # "tmall" / "taobao" (user_type), "self" / "pop" (JD owner g/p) or "" where unknown.
    shop_type: str = ""


SHOP_GRADES = ("high", "medium", "low")


def category_path(*names) -> str:
    """``"top/…/leaf"`` from a source's category names, top first (blanks and repeats dropped)."""
    out: list[str] = []
    for name in names:
        name = str(name or "").strip().replace("/", "／")
        if name and name not in out:
            out.append(name)
    return "/".join(out)


@dataclass(frozen=True)
class CategoryInfo:
    """One node of a source's category tree, as its category API gives it."""

    category_id: str
    name: str
    parent_id: str = ""  # "" for a top node
    level: int = 1
    is_leaf: bool = False


@dataclass(frozen=True)
class ProductInfo:
    source: str
    external_id: str
    title: str
    price_fen: int
    commission_rate_bp: int
    image_urls: list[str] = field(default_factory=list)
    original_price_fen: int | None = None
    category: str = ""
    category_id: str = ""
    shop: ShopInfo | None = None
    # The leaf's ancestors and the leaf, top first, as the source's category info names them
    # ("医疗器械/家用医疗器械"): a banned-category rule on any of them covers the product.
    category_path: str = ""
    sales_volume: int = 0
    available: bool = True
    item_url: str = ""
    # False when the source says the item is outside its affiliate programme (Taobao Union).
    promotable: bool = True
    coupon_fen: int = 0


@dataclass(frozen=True)
class SearchPage:
    items: list[ProductInfo]
    page: int
    has_more: bool
    total: int | None = None


@dataclass(frozen=True)
class PromotionLink:
    url: str
    # The share text a shopper pastes into the source's app (淘口令), where there is one.
    token: str | None = None


class OrderStatus(StrEnum):
    """Order report statuses of every source, mapped by each client."""

    UNPAID = "unpaid"
    PAID = "paid"
    CONFIRMED = "confirmed"  # received / finished, commission not yet settled
    SETTLED = "settled"
    INVALID = "invalid"  # closed, refunded, risk-controlled


@dataclass(frozen=True)
class OrderReportRow:
    source: str
    order_id: str
    line_id: str  # unique with order_id: (source, order_id, line_id) identifies a row
    product_external_id: str
    title: str
    quantity: int
    paid_amount_fen: int
    commission_rate_bp: int
    estimated_commission_fen: int
    settled_commission_fen: int
    status: OrderStatus
    raw_status: str
    click_id: str  # our click id, carried in the source's sub-id field
    ordered_at: datetime
    paid_at: datetime | None = None
    finished_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class OrderPage:
    rows: list[OrderReportRow]
    has_more: bool
    page: int = 1
    # Where the next page starts, for sources that page by position (Taobao position_index):
    # pass it back as ``order_reports(cursor=...)`` with ``page + 1``.
    cursor: str | None = None


@dataclass(frozen=True)
class PasteMatch:
    """What a client recognised in pasted text: an item id, a share token or a short link."""

    source: str
    kind: str  # "id" | "token" | "short_link"
    value: str


#: ``order_reports(by=...)``: rows updated in the window (the sync's incremental feed), or rows
#: of orders placed in it (a day's report, for reconciliation)
ORDER_TIME_UPDATED = "updated"
ORDER_TIME_ORDERED = "ordered"

#: ``search(sort=...)`` values every client understands; None = the source's default order.
SORTS = ("sales", "price_asc", "price_desc", "commission")


class SourceClient(ABC):
    """One outside source. Clients are cheap to build (``affiliates.sources.get_client``);
    the HTTP session and the per-source rate limit live in ``affiliates.sources.http``.

    External ids: Taobao ``num_iid``, JD ``skuId``, Kaola ``goodsId``, Vipshop ``goodsId``,
    Suning ``"<commodityCode>-<supplierCode>"`` (both halves are needed to query an item).
    """

    source: Source
    #: the longest time window one order report request may cover
    max_order_window: timedelta
    #: the largest page size the search API accepts
    max_page_size: int
    #: the largest page size the order report API accepts (defaults to ``max_page_size``)
    max_order_page_size: int | None = None

    @abstractmethod
    def match_paste(self, text: str) -> PasteMatch | None:
        """Recognise this source's links or tokens in pasted text (no network)."""

    @abstractmethod
    def resolve(self, match: PasteMatch) -> ProductInfo:
        """Turn a recognised paste into product details (through the source's API)."""

    @abstractmethod
    def product_detail(self, external_id: str) -> ProductInfo:
        ...

    @abstractmethod
    def products_detail(self, external_ids: list[str]) -> list[ProductInfo]:
        """Batch detail for sync; ids the source no longer knows are left out."""

    @abstractmethod
    def search(self, *, keyword: str = "", page: int = 1, page_size: int = 20,
               sort: str | None = None) -> SearchPage:
        """The source's promotable pool; with no keyword, its recommended hot sellers."""

    @abstractmethod
    def promotion_link(self, *, external_id: str, click_id: str) -> PromotionLink:
        """A link that carries ``click_id`` in the source's sub-id field."""

    @abstractmethod
    def order_reports(self, *, start: datetime, end: datetime, page: int = 1,
                      page_size: int | None = None, cursor: str | None = None,
                      by: str = ORDER_TIME_UPDATED) -> OrderPage:
        """Order rows updated within [start, end); ``end - start <= max_order_window``.

        ``by=ORDER_TIME_ORDERED``: the rows of orders *placed* within the window instead, each as
        it stands now (the day report that reconciliation compares with our lines).

        Follow ``has_more`` (never stop at a short page: sources send short pages while more
        exist); an empty page ends the window even if the previous one said there was more.
        """

    def categories(self, parent_id: str = "") -> list[CategoryInfo]:
        """The children of one node of the source's category tree ("" = the top nodes).

        Sources without a category API raise ``NotImplementedError``.
        """
        raise NotImplementedError(f"{self.source} has no category API")
