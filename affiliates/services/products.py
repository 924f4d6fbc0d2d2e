"""Writing the product pool: one set-based upsert for every source, and the gate re-check."""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ..gate import GateRules, gate_evaluate, gate_rules_load
from ..models import Category, Product, ProductSource
from ..search import index_tokens
from ..sources.base import ProductInfo

logger = logging.getLogger(__name__)

# Columns that come from the source; a change in any of them (or in the gate rules) is a write.
CONTENT_FIELDS = (
    "title", "image_urls", "price_fen", "original_price_fen", "coupon_fen", "commission_rate_bp",
    "category", "category_id", "category_path", "category_node_id", "category_path_ids", "shop_external_id", "shop_name", "shop_credit_level",
    "shop_dsr_description", "shop_dsr_service", "shop_dsr_logistics",
    "industry_dsr_description", "industry_dsr_service", "industry_dsr_logistics",
    "shop_grade_description", "shop_grade_service", "shop_grade_logistics", "shop_score", "shop_type",
    "sales_volume", "available", "promotable", "item_url",
)
DERIVED_FIELDS = ("search_tokens", "gate_passed", "gate_failures", "gate_checked_at", "content_hash",
                  "last_synced_at", "updated_at")
INSERT_ONLY_FIELDS = ("source", "external_id", "is_recommended", "created_at")
JSON_FIELDS = frozenset({"image_urls", "gate_failures"})
TIME_FIELDS = frozenset({"gate_checked_at", "last_synced_at", "updated_at", "created_at"})
UPSERT_CHUNK = 500
_VALID_SOURCES = frozenset(ProductSource.values)


@dataclass(frozen=True)
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # infos the source sent that cannot be stored (logged)

    @property
    def written(self) -> int:
        return self.created + self.updated

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(self.created + other.created, self.updated + other.updated,
                            self.unchanged + other.unchanged, self.skipped + other.skipped)


def _cut(value: str | None, length: int) -> str:
    return (value or "")[:length]


def _content_row(info: ProductInfo) -> dict:
    shop = info.shop
    return {
        "title": _cut(info.title, 255),
        "image_urls": [str(u) for u in (info.image_urls or [])][:20],
        "price_fen": int(info.price_fen),
        "original_price_fen": None if info.original_price_fen is None else int(info.original_price_fen),
        "coupon_fen": int(info.coupon_fen or 0),
        "commission_rate_bp": int(info.commission_rate_bp),
        "category": _cut(info.category, 100),
        "category_id": _cut(str(info.category_id or ""), 64),
        "category_path": _cut(info.category_path or info.category, 300),
        "category_node_id": None,
        "category_path_ids": "",
        "shop_external_id": _cut(shop.shop_id if shop else "", 64),
        "shop_name": _cut(shop.name if shop else "", 100),
        "shop_credit_level": shop.credit_level if shop else None,
        "shop_dsr_description": shop.dsr_description if shop else None,
        "shop_dsr_service": shop.dsr_service if shop else None,
        "shop_dsr_logistics": shop.dsr_logistics if shop else None,
        "industry_dsr_description": shop.industry_description if shop else None,
        "industry_dsr_service": shop.industry_service if shop else None,
        "industry_dsr_logistics": shop.industry_logistics if shop else None,
        # Fields some sources fill (JD's industry ranks and overall score, shop type).
        "shop_grade_description": _cut(getattr(shop, "description_grade", None), 8),
        "shop_grade_service": _cut(getattr(shop, "service_grade", None), 8),
        "shop_grade_logistics": _cut(getattr(shop, "logistics_grade", None), 8),
        "shop_score": getattr(shop, "shop_score", None),
        "shop_type": _cut(getattr(shop, "shop_type", None), 8),
        "sales_volume": max(int(info.sales_volume or 0), 0),
        "available": bool(info.available),
        "promotable": bool(info.promotable),
        "item_url": _cut(info.item_url, 1000),
    }


def _content_hash(source: str, row: dict, fingerprint: str) -> str:
    payload = repr(tuple(row[f] for f in CONTENT_FIELDS)) + "|" + fingerprint
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


def _invalid_reason(info: ProductInfo) -> str | None:
    if info.source not in _VALID_SOURCES:
        return "unknown source"
    if not info.external_id or len(str(info.external_id)) > 64:
        return "bad external id"
    if not info.title:
        return "empty title"
    if info.price_fen is None or info.price_fen < 0:
        return "negative price"
    if info.commission_rate_bp is None or not 0 <= info.commission_rate_bp <= 10_000:
        return "commission rate out of range"
    return None


def _derive(source: str, row: dict, rules: GateRules, now) -> dict:
    passed, failures = gate_evaluate({"source": source, **row}, rules)
    return {
        "search_tokens": index_tokens(row["title"], row["category"]),
        "gate_passed": passed,
        "gate_failures": failures,
        "gate_checked_at": now,
        "last_synced_at": now,
        "updated_at": now,
    }


_COLUMNS = (*INSERT_ONLY_FIELDS, *CONTENT_FIELDS, *DERIVED_FIELDS)
_UPDATES = (*CONTENT_FIELDS, *DERIVED_FIELDS)
_JSON_AT = tuple(i for i, c in enumerate(_COLUMNS) if c in JSON_FIELDS)
_TIME_AT = tuple(i for i, c in enumerate(_COLUMNS) if c in TIME_FIELDS)


def _params(rows: list[dict]) -> list:
    adapt_time = connection.ops.adapt_datetimefield_value
    params: list = []
    for row in rows:
        values = [row[c] for c in _COLUMNS]
        for i in _JSON_AT:
            values[i] = "[]" if not values[i] else json.dumps(values[i], ensure_ascii=False)
        for i in _TIME_AT:
            if values[i] is not None:
                values[i] = adapt_time(values[i])
        params.extend(values)
    return params


def _write(rows: list[dict]) -> None:
    """INSERT … ON CONFLICT (source, external_id) DO UPDATE … WHERE the hash differs.

    The WHERE keeps a row that another writer already brought up to date untouched.
    """
    table = connection.ops.quote_name(Product._meta.db_table)
    q = connection.ops.quote_name
    placeholders = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    head = f"INSERT INTO {table} ({', '.join(q(c) for c in _COLUMNS)}) VALUES "
    tail = (f" ON CONFLICT ({q('source')}, {q('external_id')}) DO UPDATE SET "
            + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in _UPDATES)
            + f" WHERE {table}.{q('content_hash')} <> EXCLUDED.{q('content_hash')}")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_CHUNK):
            chunk = rows[start:start + UPSERT_CHUNK]
            cursor.execute(head + ", ".join([placeholders] * len(chunk)) + tail, _params(chunk))


def _tree_leaves(infos: Iterable[ProductInfo]) -> dict[tuple[str, str], Category]:
    """The synced tree nodes of these products' category ids (one query per source)."""
    wanted: dict[str, set[str]] = {}
    for info in infos:
        if info.category_id:
            wanted.setdefault(str(info.source), set()).add(_cut(str(info.category_id), 64))
    found: dict[tuple[str, str], Category] = {}
    for source, ids in wanted.items():
        for node in Category.objects.filter(source=source, source_category_id__in=ids).only(
                "pk", "source", "source_category_id", "path_ids", "path_names"):
            found[(source, node.source_category_id)] = node
    return found


def _place_in_tree(row: dict, node: Category | None) -> None:
    """Link the row to its leaf and store the tree's path (the tree knows every ancestor)."""
    if node is None:
        return
    row["category_node_id"] = node.pk
    row["category_path_ids"] = _cut(node.path_ids, 500)
    row["category_path"] = _cut(node.path_names, 300)


def product_upsert_many(*, infos: Iterable[ProductInfo], rules: GateRules | None = None) -> UpsertCounts:
    """Store a page of products from any source in a few queries, whatever its size.

    New rows are inserted; rows whose content (or the gate rules they were checked against)
    changed are rewritten with fresh search tokens and gate results; unchanged rows are not
    written at all. Infos that cannot be stored (negative price, rate over 100 %, no id)
    are skipped and logged. Pass ``rules`` to reuse one ``gate_rules_load()`` across pages.
    """
    by_key: dict[tuple[str, str], ProductInfo] = {}
    skipped = 0
    for info in infos:
        reason = _invalid_reason(info)
        if reason:
            skipped += 1
            logger.warning("product skipped: %s (%s %r)", reason, info.source, info.external_id)
            continue
        by_key[(str(info.source), str(info.external_id))] = info  # a page repeating an id keeps the last
    if not by_key:
        return UpsertCounts(skipped=skipped)
    rules = rules or gate_rules_load()
    fingerprints: dict[str, str] = {}
    ids_by_source: dict[str, list[str]] = {}
    for source, external_id in by_key:
        ids_by_source.setdefault(source, []).append(external_id)
        if source not in fingerprints:
            fingerprints[source] = rules.fingerprint(source)
    existing: dict[tuple[str, str], str] = {}
    for source, ids in ids_by_source.items():
        for start in range(0, len(ids), 2000):
            for external_id, content_hash in Product.objects.filter(
                source=source, external_id__in=ids[start:start + 2000]
            ).values_list("external_id", "content_hash"):
                existing[(source, external_id)] = content_hash
    leaves = _tree_leaves(by_key.values())
    now = timezone.now()
    rows: list[dict] = []
    created = updated = unchanged = 0
    for (source, external_id), info in by_key.items():
        row = _content_row(info)
        _place_in_tree(row, leaves.get((source, row["category_id"])))
        content_hash = _content_hash(source, row, fingerprints[source])
        old = existing.get((source, external_id))
        if old == content_hash:
            unchanged += 1
            continue
        if old is None:
            created += 1
        else:
            updated += 1
        rows.append({"source": source, "external_id": external_id, "is_recommended": False, "created_at": now,
                     **row, **_derive(source, row, rules, now), "content_hash": content_hash})
    if rows:
        _write(rows)
    return UpsertCounts(created=created, updated=updated, unchanged=unchanged, skipped=skipped)


def product_recommended_set(*, source: str, external_ids: Iterable[str]) -> int:
    """Make exactly these products the source's recommended hot sellers; returns rows changed.

    Rows already in the wanted state are not written.
    """
    ids = list(dict.fromkeys(str(i) for i in external_ids))
    with transaction.atomic():
        on = Product.objects.filter(source=source, external_id__in=ids, is_recommended=False).update(
            is_recommended=True, updated_at=timezone.now())
        off = Product.objects.filter(source=source, is_recommended=True).exclude(external_id__in=ids).update(
            is_recommended=False, updated_at=timezone.now())
    return on + off


def _row_from_product(product: Product) -> dict:
    return {f: getattr(product, f) for f in CONTENT_FIELDS}


def product_gate_recheck(*, source: str | None = None, product_ids: Iterable[int] | None = None,
                         batch_size: int = 1000) -> int:
    """Apply the gate rules in force now to stored products (after an admin changed them).

    Returns how many rows changed; rows already checked against these rules are not written.
    """
    rules = gate_rules_load()
    qs = Product.objects.order_by("pk").only("pk", "source", "content_hash", "gate_passed", "gate_failures",
                                             *CONTENT_FIELDS)
    if source:
        qs = qs.filter(source=source)
    if product_ids is not None:
        qs = qs.filter(pk__in=list(product_ids))
    changed = 0
    last_pk = 0
    now = timezone.now()
    while True:
        batch = list(qs.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return changed
        last_pk = batch[-1].pk
        dirty = []
        for product in batch:
            row = _row_from_product(product)
            content_hash = _content_hash(product.source, row, rules.fingerprint(product.source))
            if content_hash == product.content_hash:
                continue
            passed, failures = gate_evaluate(product, rules)
            product.content_hash = content_hash
            product.gate_passed = passed
            product.gate_failures = failures
            product.gate_checked_at = now
            product.updated_at = now
            dirty.append(product)
        if dirty:
            Product.objects.bulk_update(
                dirty, ["content_hash", "gate_passed", "gate_failures", "gate_checked_at", "updated_at"])
            changed += len(dirty)
