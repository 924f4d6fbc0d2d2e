"""A small in-memory outside source for resolver tests that need exact control of errors.

Recognises ``https://fake.example/item/<id>`` (kind "id") and ``【<code>】`` (kind "token").
Ids listed in ``errors`` raise that typed source error; other ids answer from ``infos``.
"""
from __future__ import annotations

import re
from datetime import timedelta

from affiliates.sources.base import NotFound, PasteMatch, ProductInfo, Source, SourceClient

LINK_RE = re.compile(r"fake\.example/item/(\w+)")
TOKEN_RE = re.compile(r"【(\w{6,})】")


class FakeClient(SourceClient):
    max_order_window = timedelta(hours=1)
    max_page_size = 50

    def __init__(self, source: Source = Source.JD, infos: dict | None = None, errors: dict | None = None,
                 link_re=LINK_RE, token_re=TOKEN_RE):
        self.source = source
        self.infos = infos or {}
        self.errors = errors or {}
        self.link_re = link_re
        self.token_re = token_re
        self.resolved: list[PasteMatch] = []

    def match_paste(self, text):
        m = self.link_re.search(text) if self.link_re else None
        if m:
            return PasteMatch(source=self.source.value, kind="id", value=m.group(1))
        m = self.token_re.search(text) if self.token_re else None
        if m:
            return PasteMatch(source=self.source.value, kind="token", value=m.group(1))
        return None

    def resolve(self, match):
        self.resolved.append(match)
        return self.product_detail(match.value)

    def product_detail(self, external_id):
        if external_id in self.errors:
            raise self.errors[external_id]
        if external_id not in self.infos:
            raise NotFound(self.source.value, "no such item")
        return self.infos[external_id]

    def products_detail(self, external_ids):
        return [self.infos[i] for i in external_ids if i in self.infos]

    def search(self, *, keyword="", page=1, page_size=20, sort=None):
        raise NotImplementedError

    def promotion_link(self, *, external_id, click_id):
        raise NotImplementedError

    def order_reports(self, *, start, end, page=1, page_size=None):
        raise NotImplementedError


def use_clients(monkeypatch, *clients) -> None:
    """Make the resolver see exactly these outside clients."""
    monkeypatch.setattr("affiliates.sources.external_clients", lambda: list(clients))


__all__ = ["FakeClient", "ProductInfo", "use_clients"]
