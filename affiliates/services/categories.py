"""The category tree of each source, pulled from its category API through our clients.

``category_tree_sync(source=…)`` walks the tree top-down (one call per node with children),
stores every node with its ancestors (``Category.path_ids`` / ``path_names``), then links the
stored products of that source to their leaf and re-checks them against the gate, so a rule
on a node now covers products whose source reports only the leaf. Native sources (精选联盟,
小店) use the platform's own one-level tree (``ShopCategory``).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation

from ..models import Category, Product, ShopCategory
from ..sources import get_client
from ..sources.base import NATIVE_SOURCES, CategoryInfo, SourceClient
from .products import product_gate_recheck

logger = logging.getLogger(__name__)

MAX_NODES = 50_000  # a guard against a source answering in circles


@dataclass(frozen=True)
class TreeCounts:
    nodes: int = 0
    created: int = 0
    products_linked: int = 0
    products_rechecked: int = 0


def _walk(client: SourceClient) -> list[CategoryInfo]:
    out: list[CategoryInfo] = []
    seen: set[str] = set()
    queue = [""]
    while queue:
        parent = queue.pop(0)
        for node in client.categories(parent):
            if not node.category_id or node.category_id in seen or len(out) >= MAX_NODES:
                continue
            seen.add(node.category_id)
            out.append(node)
            if not node.is_leaf:
                queue.append(node.category_id)
    return out


def _native_tree() -> list[CategoryInfo]:
    with translation.override("zh-hans"):
        return [CategoryInfo(category_id=value, name=str(label), level=1, is_leaf=True)
                for value, label in ShopCategory.choices]


def category_tree_sources() -> list[str]:
    """The sources whose tree a sync pulls: the outside ones with a client, then the native ones."""
    from ..sync.selectors import sync_sources

    return [*sync_sources(), *(str(s) for s in NATIVE_SOURCES)]


def category_tree_sync(*, source: str, client: SourceClient | None = None) -> TreeCounts:
    """Pull one source's tree and store it; link that source's products to their leaves."""
    infos = _native_tree() if source in NATIVE_SOURCES else _walk(client or get_client(source))
    now = timezone.now()
    created = 0
    with transaction.atomic():
        existing = {c.source_category_id: c for c in Category.objects.filter(source=source)}
        by_id = {i.category_id: i for i in infos}
        stored: dict[str, Category] = {}

        def store(info: CategoryInfo, depth: int = 0) -> Category:
            nonlocal created
            if info.category_id in stored:
                return stored[info.category_id]
            parent_info = by_id.get(info.parent_id) if info.parent_id and depth < 50 else None
            parent = store(parent_info, depth + 1) if parent_info else None
            name = info.name.replace("/", "／")[:100]
            path_ids = f"{parent.path_ids if parent else '/'}{info.category_id}/"
            path_names = f"{parent.path_names}/{name}" if parent else name
            fields = {"name": name, "parent": parent, "level": parent.level + 1 if parent else 1,
                      "is_leaf": info.is_leaf, "path_ids": path_ids[:500], "path_names": path_names[:500],
                      "synced_at": now}
            node = existing.get(info.category_id)
            if node is None:
                node = Category.objects.create(source=source, source_category_id=info.category_id[:64], **fields)
                created += 1
            elif any(getattr(node, k) != v for k, v in fields.items() if k != "synced_at"):
                for k, v in fields.items():
                    setattr(node, k, v)
                node.save()
            stored[info.category_id] = node
            return node

        for info in infos:
            store(info)
        Category.objects.filter(source=source, pk__in=[n.pk for n in stored.values()]).update(synced_at=now)
        linked = category_products_link(source=source)
    rechecked = product_gate_recheck(product_ids=linked) if linked else 0
    return TreeCounts(nodes=len(stored), created=created, products_linked=len(linked), products_rechecked=rechecked)


def category_products_link(*, source: str) -> list[int]:
    """Link the source's products to their tree node and store its path; returns the pks changed."""
    changed: list[int] = []
    leaves = {c.source_category_id: c for c in Category.objects.filter(source=source)}
    if not leaves:
        return changed
    qs = Product.objects.filter(source=source, category_id__in=list(leaves)).only(
        "pk", "category_id", "category_node_id", "category_path_ids", "category_path")
    for product in qs.iterator(chunk_size=2000):
        node = leaves[product.category_id]
        if product.category_node_id == node.pk and product.category_path_ids == node.path_ids:
            continue
        Product.objects.filter(pk=product.pk).update(category_node=node, category_path_ids=node.path_ids[:500],
                                                     category_path=node.path_names[:300])
        changed.append(product.pk)
    return changed
