"""The sandbox's category tree: three levels shared by every twin.

Level 1 groups the catalog's top categories, level 2 is the top category the items report,
level 3 the leaf with the id every item carries (``catalog.Item.category.cat_id``), so a
product's leaf is always a node of the tree its source's category API serves.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .words import CATEGORIES

# level-1 group → level-2 top names (each top of words.CATEGORIES appears once)
GROUPS = (
    ("服饰鞋包", ("女装", "男装", "鞋靴")),
    ("家居家纺", ("床上用品", "家居日用")),
    ("美妆个护", ("美妆护肤",)),
    ("食品饮料", ("零食", "茶饮冲调")),
    ("数码家电", ("手机数码", "数码配件", "家用电器")),
    ("母婴宠物", ("母婴", "宠物")),
    ("运动健康", ("运动户外",)),
    ("医药保健", ("医疗器械",)),
    ("计生情趣", ("成人用品",)),
    ("烟草", ("电子烟",)),
)


@dataclass(frozen=True)
class Node:
    cat_id: str
    name: str
    parent_id: str  # "" for level 1
    level: int


@lru_cache(maxsize=1)
def tree() -> tuple[Node, ...]:
    nodes: list[Node] = []
    leaves = {row[1]: row for row in CATEGORIES}
    for g, (group, tops) in enumerate(GROUPS, start=1):
        group_id = str(900000 + g)
        nodes.append(Node(group_id, group, "", 1))
        for t, top in enumerate(tops, start=1):
            row = leaves[top]
            top_id = str(900000 + g * 100 + t)
            nodes.append(Node(top_id, top, group_id, 2))
            nodes.append(Node(row[0], row[2], top_id, 3))
    return tuple(nodes)


def children(parent_id: str) -> list[Node]:
    parent_id = "" if str(parent_id) in ("", "0") else str(parent_id)
    return [n for n in tree() if n.parent_id == parent_id]


def node(cat_id: str) -> Node | None:
    return next((n for n in tree() if n.cat_id == str(cat_id)), None)
