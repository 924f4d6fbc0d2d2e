"""Screenshots of a journey's key pages in both languages, for people to look at (issue 13).

``shoot(page, "shopper", "checkout")`` saves ``screenshots/shopper/checkout-zh-hans.png`` and
``…-en.png`` (a later run overwrites them; the index orders a journey's pages as they were taken): the page is reloaded (a GET: call it after a page was reached by a link or a
redirect, never on the answer to a POST) under each language cookie, then once more in the
page's own language, so the journey goes on where it was. ``make screenshots`` runs the journeys
and writes ``screenshots/index.html`` (``tools/screenshots_html.py``). The folder is git-ignored."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2] / "screenshots"
LANGS = ("zh-hans", "en")


def shoot(page, journey: str, name: str, *, lang: str = "zh-hans", full_page: bool = True) -> list[Path]:
    parts = urlsplit(page.url)
    origin = f"{parts.scheme}://{parts.netloc}"
    folder = ROOT / journey
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for each in (*LANGS, lang):
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": each, "url": origin}])
        page.reload(wait_until="load")  # (not "networkidle": the live room polls for ever)
        page.wait_for_timeout(150)  # images and the page's own script settle
        if len(saved) < len(LANGS):
            path = folder / f"{name}-{each}.png"
            page.screenshot(path=str(path), full_page=full_page)
            saved.append(path)
    return saved
