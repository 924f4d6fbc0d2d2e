"""Whether a comment is about a product: it carries a product link or names one of the
video's products. The back office (E后台) filters on it so that a creator finds the
questions about what they sell among the chatter."""
from __future__ import annotations

import re

from affiliates.search import index_tokens
from affiliates.sources import recognise

# Our own seeding pages (种草页), absolute or relative.
_OWN_PRODUCT_LINK = re.compile(r"(?:^|[\s/])products/\d+(?:/|\b)", re.I)
# Title words that say nothing about which product it is.
GENERIC_WORDS = frozenset({
    "新款", "款式", "正品", "官方", "旗舰", "旗舰店", "爆款", "同款", "热卖", "现货", "特价", "男女", "女士",
    "男士", "女款", "男款", "儿童", "春季", "夏季", "秋季", "冬季", "春夏", "秋冬", "网红", "推荐", "好物", "家用",
    "大码", "加厚", "套装", "一件", "礼盒", "进口", "国产", "品牌",
})


def _words(text: str) -> set[str]:
    """Words of two or more characters, with the dictionary words inside compounds
    ("保温杯" → 保温, 保温杯), as product search segments titles."""
    return {w for w in index_tokens(text or "").split() if len(w) >= 2 and not w.isdigit()}


def has_product_link(text: str) -> bool:
    """A seeding page link, an outside source's item link or a 淘口令."""
    return bool(_OWN_PRODUCT_LINK.search(text or "")) or recognise(text or "") is not None


def names_product(text: str, titles: list[str]) -> bool:
    """The text shares a distinctive word with a product title: "短袖会起球吗" names
    "夏季新款纯棉短袖T恤", "夏季到了" does not."""
    words = _words(text)
    return bool(words) and any(words & (_words(title) - GENERIC_WORDS) for title in titles if title)


def mentions_product(text: str, *, product_titles: list[str]) -> bool:
    return has_product_link(text) or names_product(text, product_titles)
