"""What the five HTTP clients share: their settings, the transport, the clock, short links."""
from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

import requests
from django.utils import timezone

from .base import NotFound, PasteMatch, ProductInfo, SourceClient, SourceError
from .http import SourceConfig, Transport
from .values import CN_TZ

# A URL with a scheme, or a bare host/path such as ``item.jd.com/100012.html`` in share text.
_URL_RE = re.compile(
    r"https?://[^\s<>\"'，。；！？、「」【】]+"
    r"|(?<![A-Za-z0-9.\-])[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+/[^\s<>\"'，。；！？、「」【】]*"
)


def page_has_more(page: int, page_size: int, total: int, count: int) -> bool:
    """Whether a page-numbered listing that reports a ``total`` may hold more after ``page``.

    A short page does not prove the end (sources send short pages while more exist), so
    after one the next page is asked too; an empty page always ends the listing.
    """
    return count > 0 and (page * page_size < total or count < page_size)


class HttpSourceClient(SourceClient):
    """A client built from ``settings.SOURCES[source]``; never shows its secret."""

    def __init__(self, config: SourceConfig | None = None):
        self.config = config or SourceConfig.from_settings(self.source.value)
        self.transport = Transport(self.config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.config.base_url}>"

    def now(self) -> datetime:
        """The time the signatures carry, in GMT+8."""
        return timezone.now().astimezone(CN_TZ)

    def option(self, name: str, default: str = "") -> str:
        return str(self.config.options.get(name, default) or default)

    # --- single items through the batch call ------------------------------------------
    #: what NotFound says when the source returns nothing for an id
    missing_item_message = "the source knows no such item"
    missing_item_code = "item"

    def missing_item(self) -> SourceError:
        return NotFound(self.source.value, self.missing_item_message, code=self.missing_item_code)

    def resolve(self, match: PasteMatch) -> ProductInfo:
        return self.product_detail(match.value)

    def product_detail(self, external_id: str) -> ProductInfo:
        found = self.products_detail([external_id])
        if not found:
            raise self.missing_item()
        return found[0]

    # --- paste helpers ------------------------------------------------------------------
    @staticmethod
    def urls_in(text: str) -> list[str]:
        return _URL_RE.findall(text or "")

    def match_urls(self, text: str, patterns: list[tuple[re.Pattern, str]]) -> PasteMatch | None:
        """The first URL in ``text`` matching one of ``(pattern, kind)``; group 1 is the value."""
        for url in self.urls_in(text):
            for pattern, kind in patterns:
                m = pattern.search(url)
                if m:
                    return PasteMatch(source=self.source.value, kind=kind, value=m.group(1))
        return None

    def follow_short_link(self, url: str, *, host: str, id_patterns: list[re.Pattern]) -> str:
        """The item id behind a short link (``m.tb.cn``, ``u.jd.com``).

        The link is fetched from ``short_link_base`` (the real host when live, the sandbox in
        dev and test) without following redirects; the id is read from the ``Location`` header
        or, where the service answers with a page, from the page.
        """
        parts = urlsplit(url if "://" in url else f"https://{url}")
        if parts.netloc.lower() != host:
            raise NotFound(self.source.value, "not a short link of this source", code="bad_link")
        base = self.option("short_link_base", f"https://{host}/")
        target = base.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")

        def send(session: requests.Session, timeout):
            return session.get(target, timeout=timeout, allow_redirects=False)

        def parse(response: requests.Response) -> str:
            haystack = response.headers.get("Location", "") + "\n" + response.text[:65536]
            for pattern in id_patterns:
                m = pattern.search(haystack)
                if m:
                    return m.group(1)
            raise NotFound(self.source.value, "the short link points at no item", code="short_link")

        return self.transport.call("short link", send, parse)
