"""The home feed (/): full-screen videos, one page at a time, more as the shopper scrolls."""
from __future__ import annotations

from django.shortcuts import render

from .. import selectors


def _first_video_id(request) -> int | None:
    raw = request.GET.get("v", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**63 else None


def feed(request):
    page = selectors.feed_page(viewer=request.user, first_video_id=_first_video_id(request))
    return render(request, "engage/feed.html", {"page": page})


def feed_more(request):
    """The next slides after ``cursor``, as HTML the feed script appends."""
    page = selectors.feed_page(viewer=request.user, cursor=request.GET.get("cursor", "")[:200])
    return render(request, "engage/_slides.html", {"page": page})
