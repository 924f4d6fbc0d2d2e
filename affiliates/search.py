"""Chinese keyword search over product titles (which have no spaces).

Titles are segmented with jieba in search mode (words and the dictionary words inside them,
"不锈钢保温杯" → 不锈 不锈钢 保温 保温杯) and stored on the row as padded, space-separated
tokens. A query is segmented in precise mode, so each query word must be a token of the
title: "保温杯" and "保温" find that cup, "温杯" (a substring across the segmenter's word
boundary) does not.

On PostgreSQL the tokens are matched with full-text search (``to_tsvector('simple', ...)``
backed by a GIN expression index created in migration 0002); elsewhere (SQLite) each token
is matched as a whole padded token. Both rank rows by how many distinct query words they
contain.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache, reduce
from operator import or_

import jieba
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, Value, When

jieba.setLogLevel(logging.WARNING)

MAX_QUERY_TOKENS = 8
_NON_WORD = re.compile(r"\W+", re.UNICODE)
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


@lru_cache(maxsize=20_000)
def _segment_for_index(text: str) -> tuple[str, ...]:
    # HMM off: unknown words fall apart into characters the same way in titles and queries.
    # Upper case first: jieba's dictionary is case-sensitive ("T恤"), queries are typed any way.
    return tuple(_clean(jieba.cut_for_search(text.upper(), HMM=False)))


def index_tokens(title: str, category: str = "") -> str:
    """The ``search_tokens`` value of a product: padded so ``" tok "`` matches whole tokens."""
    tokens = _clean([*_segment_for_index(title), *_segment_for_index(category.replace("/", " "))])
    return f" {' '.join(tokens)} " if tokens else ""


def query_tokens(text: str) -> list[str]:
    """The words of a search query, segmented like titles (precise mode)."""
    return _clean(jieba.cut((text or "").upper(), HMM=False))[:MAX_QUERY_TOKENS]


class TokensVector(Func):
    """``to_tsvector('simple', search_tokens)``: exactly the expression the GIN index holds."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def _rank(tokens: list[str]):
    return reduce(
        lambda acc, expr: acc + expr,
        [Case(When(search_tokens__contains=f" {t} ", then=Value(1)), default=Value(0), output_field=IntegerField())
         for t in tokens],
    )


def keyword_filter(qs: QuerySet, text: str, *, require_all: bool = False) -> QuerySet:
    """Rows whose tokens contain the query's words, annotated with ``match_rank``.

    ``require_all=False`` (relevance order): any word matches, rows with more words rank first.
    ``require_all=True`` (an explicit sort was chosen): every word must match.
    An empty or all-punctuation query matches nothing.
    """
    tokens = query_tokens(text)
    if not tokens:
        return qs.none().annotate(match_rank=Value(0, output_field=IntegerField()))
    if connection.vendor == "postgresql":
        queries = [SearchQuery(t, config="simple", search_type="plain") for t in tokens]
        combined = reduce((lambda a, b: a & b) if require_all else (lambda a, b: a | b), queries)
        qs = qs.alias(_tokens_vector=TokensVector(F("search_tokens"))).filter(_tokens_vector=combined)
    else:
        conditions = [Q(search_tokens__contains=f" {t} ") for t in tokens]
        qs = qs.filter(reduce((lambda a, b: a & b) if require_all else or_, conditions))
    return qs.annotate(match_rank=_rank(tokens))
