"""The paste box: any link or token a creator copies from a source's app → a Product ready to add.

Detection: Douyin product links (``haohuo.jinritemai.com/views/product/detail?id=`` or
``item2?id=``, 19 digits) are our own shop/alliance products and are looked up in the
database; everything else is offered to each outside client's ``match_paste`` (no network).
A link or item id beats a bare 淘口令 when several clients recognise something.
The recognised item is resolved through that client, upserted (search tokens and gate
result computed there) and must pass the quality gate.
"""
from __future__ import annotations

import logging
import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from rest_framework import status

from core.errors import DomainError, InvalidInput, NotFound

from . import gate
from . import sources as source_registry
from .models import Product, ProductSource, ShopProduct, ShopProductStatus
from .services.products import product_upsert_many
from .services.shops import shop_product_catalog_sync
from .sources import base as source_base

logger = logging.getLogger(__name__)

DOUYIN_PRODUCT_RE = re.compile(
    r"haohuo\.jinritemai\.com/views/product/(?:detail|item2)/?\?(?:[^\s#]*?&)?id=(\d{19})(?!\d)", re.IGNORECASE)


class SourceUnavailable(DomainError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "source_unavailable"


class SourceBusy(DomainError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "source_rate_limited"


class SourceFailed(DomainError):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "source_error"


class GateRefused(InvalidInput):
    """The product exists but fails the quality gate; ``product`` carries the stored result."""

    default_code = "quality_gate"

    def __init__(self, message, *, product: Product, **kwargs):
        super().__init__(message, field="text", **kwargs)
        self.product = product


def source_label(source: str) -> str:
    try:
        return str(ProductSource(source).label)
    except ValueError:
        return source


def supported_sources_text() -> str:
    return pgettext("list separator", ", ").join(str(label) for label in ProductSource.labels)


def unsupported_message() -> str:
    return _("We could not find a product in that text. Paste a Taobao token (淘口令) or a product link "
             "from a supported source: %(sources)s.") % {"sources": supported_sources_text()}


def _clients():
    return list(source_registry.external_clients())


def _detect(text: str) -> tuple[object, source_base.PasteMatch] | None:
    matches = []
    for client in _clients():
        match = client.match_paste(text)
        if match is not None:
            matches.append((client, match))
    if not matches:
        return None
    # A link or an item id says more than a bare token-shaped code (which other share texts may contain).
    matches.sort(key=lambda cm: cm[1].kind == "token")
    return matches[0]


def _fetch(client, match: source_base.PasteMatch) -> source_base.ProductInfo:
    label = source_label(match.source)
    try:
        return client.resolve(match)
    except source_base.NotFound:
        raise NotFound(_("No such product on %(source)s: the link or token points at nothing (it may have "
                         "expired or been taken down).") % {"source": label}, field="text")
    except source_base.NotPromotable:
        raise InvalidInput(_not_promotable_message(match.source), field="text", code="not_promotable")
    except source_base.RateLimited:
        raise SourceBusy(_("%(source)s is receiving too many requests right now. Try again in a minute.")
                         % {"source": label}, field="text")
    except source_base.Transient:
        raise SourceUnavailable(_("%(source)s did not answer in time. Try again in a moment.") % {"source": label},
                                field="text")
    except source_base.BadSignature as exc:
        # Our keys are wrong, not the creator's paste: log for operators (the error carries no secret).
        logger.error("source %s rejected our signature (code %s)", exc.source, exc.code)
        raise SourceFailed(_("We could not talk to %(source)s right now; the team has been notified. "
                             "Try again later.") % {"source": label}, field="text")
    except source_base.SourceError as exc:
        logger.warning("source %s failed to resolve a paste: %s (code %s)", exc.source, exc.message, exc.code)
        raise SourceFailed(_("%(source)s could not look up this product. Try again later.") % {"source": label},
                           field="text")


def _not_promotable_message(source: str) -> str:
    if source == ProductSource.TAOBAO:
        return _("This Taobao item is not in Taobao Union (淘宝客联盟). To share an item from your own Taobao "
                 "shop, first add it to Taobao Union, then paste its 淘口令 again.")
    return _("This %(source)s product is not open for promotion, so it cannot be added.") % {
        "source": source_label(source)}


def _checked(product: Product) -> Product:
    if not product.promotable:
        raise InvalidInput(_not_promotable_message(product.source), field="text", code="not_promotable")
    if not product.gate_passed:
        raise GateRefused(gate.refusal_message(product.gate_failures), product=product)
    if not product.available:
        raise InvalidInput(_("This product is sold out or no longer on sale."), field="text", code="unavailable")
    return product


def _resolve_douyin(public_id: str, user) -> Product:
    sp = ShopProduct.objects.select_related("shop").filter(public_id=public_id).first()
    if sp is None or sp.status == ShopProductStatus.DRAFT:
        raise NotFound(_("No such Douyin product: the link points at nothing."), field="text")
    own = user is not None and getattr(user, "is_authenticated", False) and sp.shop.owner_id == user.pk
    if sp.alliance_rate_bp is None and not own:
        raise InvalidInput(_("This Douyin Shop product is not in the Selected Alliance (精选联盟), so only its own "
                             "shop can add it."), field="text", code="not_in_alliance")
    shop_product_catalog_sync(shop_product=sp)
    wanted = ProductSource.ALLIANCE if sp.alliance_rate_bp is not None else ProductSource.SHOP
    return _checked(Product.objects.get(source=wanted, external_id=public_id))


def product_resolve(*, text: str, user=None) -> Product:
    """Resolve pasted share text, a 淘口令 or a product link into a stored, gate-passing Product.

    Raises ``InvalidInput`` (field ``text``) for unsupported or broken input, naming the
    supported sources; ``NotFound`` for links that point at nothing; ``GateRefused`` with
    the failing rules; 429/502/503 ``DomainError``s when the source itself is in trouble.
    """
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Paste a Taobao token (淘口令) or a product link."), field="text", code="required")
    if len(text) > settings.RESOLVER_MAX_PASTE_CHARS:
        raise InvalidInput(_("The pasted text is too long (at most %(n)s characters).")
                           % {"n": settings.RESOLVER_MAX_PASTE_CHARS}, field="text", code="max_length")
    douyin = DOUYIN_PRODUCT_RE.search(text)
    if douyin:
        return _resolve_douyin(douyin.group(1), user)
    if "jinritemai.com" in text.lower():
        raise InvalidInput(_("This Douyin link has no product id. Copy the product's link again."), field="text",
                           code="invalid")
    detected = _detect(text)
    if detected is None:
        raise InvalidInput(unsupported_message(), field="text", code="unsupported")
    client, match = detected
    info = _fetch(client, match)
    product_upsert_many(infos=[info])
    product = Product.objects.filter(source=info.source, external_id=info.external_id).first()
    if product is None:  # the source answered with data we cannot store (logged by the upsert)
        raise SourceFailed(_("%(source)s could not look up this product. Try again later.")
                           % {"source": source_label(match.source)}, field="text")
    return _checked(product)
