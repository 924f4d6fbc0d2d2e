"""Chinese keyword search over product titles (which have no spaces): every word of the query
must be a word of the title.

Titles are segmented with jieba in search mode (words and the dictionary words inside them,
"不锈钢保温杯" → 不锈 不锈钢 保温 保温杯) and stored on the row as padded, space-separated
tokens. A query is segmented in precise mode, so each query word must be a token of the
title: "保温杯" and "保温" find that cup, "温杯" (a substring across the segmenter's word
boundary) does not.

Words the dictionary does not know fall apart into single characters ("百搭" → 百 搭,
"穿搭" → 穿 搭). Such a run of single characters is one word the dictionary lacks, so it is
matched by its character pairs: a title's run adds its pairs to the tokens (百搭), and a
query's run asks for all of its pairs. "穿搭" then needs the pair 穿搭 and no longer finds
a nappy through the 搭 of 百搭; "显高穿搭" needs 显高, 高穿 and 穿搭 side by side. A single
character that stands alone in the query (不, 猫) is a word of its own.

Every query word must match (``不存在的东西xyz`` finds nothing, not everything with a 不).
On PostgreSQL the tokens are matched with full-text search (``to_tsvector('simple', ...)``
backed by a GIN expression index created in migration 0002); elsewhere (SQLite) each token
is matched as a whole padded token. Videos and nicknames, which have no stored tokens, use
:func:`has_every_word` on their text.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache, reduce
from operator import and_

import jieba
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import F, Func, Q, QuerySet

jieba.setLogLevel(logging.WARNING)

MAX_QUERY_TOKENS = 12
_NON_WORD = re.compile(r"\W+", re.UNICODE)
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Tokens too common in product titles to mean anything on their own.
STOPWORDS = frozenset({"的", "了", "和", "与", "及", "或", "是", "在", "之", "款", "个", "件", "送", "包邮"})


def _clean(tokens) -> list[str]:
    seen: dict[str, None] = {}
    for raw in tokens:
        # Keep only word characters so a token is always one tsvector lexeme.
        tok = _NON_WORD.sub("", raw.lower())
        if tok and tok not in STOPWORDS:
            seen[tok] = None
    return list(seen)


def _single_cjk(token: str) -> bool:
    return len(token) == 1 and _CJK_CHAR.match(token) is not None


def _runs(tokens) -> list[str | list[str]]:
    """The tokens in order, with each run of two or more single CJK characters as one list."""
    out: list[str | list[str]] = []
    run: list[str] = []
    for tok in [*tokens, ""]:
        if _single_cjk(tok):
            run.append(tok)
            continue
        if len(run) > 1:
            out.append(run)
        elif run:
            out.append(run[0])
        run = []
        if tok:
            out.append(tok)
    return out


def _pairs(run: list[str]) -> list[str]:
    return [run[i] + run[i + 1] for i in range(len(run) - 1)]


@lru_cache(maxsize=20_000)
def _segment_for_index(text: str) -> tuple[str, ...]:
    # HMM off: unknown words fall apart into characters the same way in titles and queries.
    # Upper case first: jieba's dictionary is case-sensitive ("T恤"), queries are typed any way.
    tokens: list[str] = []
    for part in _runs(jieba.cut_for_search(text.upper(), HMM=False)):
        tokens.extend([*part, *_pairs(part)] if isinstance(part, list) else [part])
    return tuple(_clean(tokens))


def index_tokens(title: str, category: str = "") -> str:
    """The ``search_tokens`` value of a product: padded so ``" tok "`` matches whole tokens."""
    tokens = _clean([*_segment_for_index(title), *_segment_for_index(category.replace("/", " "))])
    return f" {' '.join(tokens)} " if tokens else ""


def query_tokens(text: str) -> list[str]:
    """The tokens a text must hold to match the query: its words (precise mode), with each run of
    single characters asked for as its character pairs."""
    tokens: list[str] = []
    for part in _runs(jieba.cut((text or "").upper(), HMM=False)):
        tokens.extend(_pairs(part) if isinstance(part, list) else [part])
    return _clean(tokens)[:MAX_QUERY_TOKENS]


def has_every_word(text: str, tokens: list[str]) -> bool:
    """Whether ``text`` (a video title, a nickname) holds every query token as a word."""
    return bool(tokens) and set(tokens) <= set(_segment_for_index(text or ""))


class TokensVector(Func):
    """``to_tsvector('simple', search_tokens)``: exactly the expression the GIN index holds."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def keyword_filter(qs: QuerySet, text: str) -> QuerySet:
    """Rows whose tokens contain every word of the query. An empty or all-punctuation query
    matches nothing."""
    tokens = query_tokens(text)
    if not tokens:
        return qs.none()
    if connection.vendor == "postgresql":
        combined = reduce(and_, [SearchQuery(t, config="simple", search_type="plain") for t in tokens])
        return qs.alias(_tokens_vector=TokensVector(F("search_tokens"))).filter(_tokens_vector=combined)
    return qs.filter(reduce(and_, [Q(search_tokens__contains=f" {t} ") for t in tokens]))
