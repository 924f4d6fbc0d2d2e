"""What a banned-category rule does to products creators already sell.

An operator previews a new rule (which products it refuses and where creators sell them), then
enforces it: the products are re-checked (so they leave the pool and the paste box refuses
them), every placement is handed to the rooms that own it through
``affiliates.signals.banned_rule_enforced``, and each creator hears from 电商小助手 which of
their products went and under which rule.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_noop

from notices.models import OfficialKind
from notices.services import message_send_on_commit

from ..gate import GateRules, banned_rule_of, gate_evaluate
from ..models import BannedCategory, Product
from ..signals import banned_rule_enforced, banned_rule_placements
from .products import product_gate_recheck


@dataclass(frozen=True)
class Placement:
    """One place a creator sells a product: ``where`` is e.g. "showcase", "video", "live"."""

    creator_id: int
    product_id: int
    where: str
    label: str = ""


def banned_rule_products(*, rule: BannedCategory) -> QuerySet[Product]:
    """The stored products (of the rule's source, or of every source) this rule alone refuses.

    A rule on a tree node finds its subtree by one prefix lookup on the products' stored
    ancestor ids; every candidate is then confirmed by the gate itself.
    """
    plain = banned_rule_of(rule)
    rules = GateRules(banned={rule.source: [plain]})
    near = Q()
    if plain.node_path_ids:
        near |= Q(source=plain.node_source, category_path_ids__startswith=plain.node_path_ids)
    if plain.category_id:
        near |= Q(category_id=plain.category_id)
    if plain.category_name:
        near |= Q(category__icontains=plain.category_name) | Q(category_path__icontains=plain.category_name)
    if not near:
        return Product.objects.none()
    candidates = Product.objects.filter(near).order_by("pk")
    if rule.source:
        candidates = candidates.filter(source=rule.source)
    ids = [p.pk for p in candidates if not gate_evaluate(p, rules)[0]]
    return Product.objects.filter(pk__in=ids).order_by("pk")


def banned_rule_impact(*, rule: BannedCategory) -> list[Placement]:
    """Where creators sell the products this rule refuses (asked of the rooms that know)."""
    ids = list(banned_rule_products(rule=rule).values_list("pk", flat=True))
    if not ids:
        return []
    placements: list[Placement] = []
    for _receiver, answer in banned_rule_placements.send(sender=BannedCategory, product_ids=ids):
        placements.extend(answer or [])
    return sorted(placements, key=lambda p: (p.creator_id, p.product_id, p.where))


@transaction.atomic
def banned_rule_enforce(*, rule: BannedCategory) -> list[Placement]:
    """Apply the rule now: re-check its products, take every placement down after commit and
    message each creator once per product. Returns the placements taken down."""
    products = {p.pk: p for p in banned_rule_products(rule=rule)}
    placements = banned_rule_impact(rule=rule)
    product_gate_recheck(product_ids=list(products))
    told: set[tuple[int, int]] = set()
    creators = get_user_model().objects.in_bulk({p.creator_id for p in placements})
    for placement in placements:
        key = (placement.creator_id, placement.product_id)
        if key in told or placement.creator_id not in creators:
            continue
        told.add(key)
        message_send_on_commit(
            recipient=creators[placement.creator_id], sender_handle_or_user=OfficialKind.COMMERCE_ASSISTANT,
            kind="banned_category.removed", dedupe_key=f"banned_category:{rule.pk}:{placement.product_id}",
            title=gettext_noop("A product was removed from your showcase"),
            body=gettext_noop("“%(title)s” may no longer be promoted (rule: %(rule)s). It was taken off your "
                              "showcase, video carts and live carts."),
            params={"title": products[placement.product_id].title, "rule": rule.rule_name},
        )
    transaction.on_commit(lambda: banned_rule_enforced.send(sender=BannedCategory, rule=rule, placements=placements))
    return placements
