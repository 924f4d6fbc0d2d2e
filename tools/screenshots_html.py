"""Write screenshots/index.html: every journey's screenshots side by side, Chinese and English.

Run by ``make screenshots`` after the browser journeys saved their pictures
(``tests/browser/shots.py``); the page uses relative paths and nothing from the network."""
from __future__ import annotations

import html
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "screenshots"
SHOT = re.compile(r"^(.+)-(zh-hans|en)\.png$")
TITLES = {"creator": "Creator · 达人", "shopper": "Shopper · 买家", "merchant": "Merchant · 商家",
          "operator": "Operator · 运营"}


def main() -> int:
    if not ROOT.is_dir():
        print("no screenshots yet: run `make screenshots`", file=sys.stderr)
        return 1
    sections = []
    for journey in sorted(p for p in ROOT.iterdir() if p.is_dir()):
        steps: dict[str, dict[str, str]] = defaultdict(dict)
        taken: dict[str, float] = {}
        for shot in journey.glob("*.png"):
            m = SHOT.match(shot.name)
            if m:
                steps[m[1]][m[2]] = f"{journey.name}/{shot.name}"
                taken[m[1]] = min(taken.get(m[1], shot.stat().st_mtime), shot.stat().st_mtime)
        rows = []
        for n, name in enumerate(sorted(steps, key=taken.__getitem__), start=1):
            langs = steps[name]
            cells = "".join(
                f'<figure><a href="{html.escape(langs[lang])}"><img loading="lazy" src="{html.escape(langs[lang])}" '
                f'alt="{html.escape(name)} ({lang})"></a><figcaption>{lang}</figcaption></figure>'
                for lang in ("zh-hans", "en") if lang in langs)
            rows.append(f'<section class="step"><h3>{n:02d} · {html.escape(name)}</h3><div>{cells}</div></section>')
        title = TITLES.get(journey.name, journey.name)
        sections.append(f'<h2 id="{html.escape(journey.name)}">{html.escape(title)}</h2>' + "".join(rows))
    nav = " · ".join(f'<a href="#{p.name}">{html.escape(TITLES.get(p.name, p.name))}</a>'
                     for p in sorted(ROOT.iterdir()) if p.is_dir())
    page = f"""<!doctype html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>douyin_cart · journeys</title>
<style>
body {{ font-family: system-ui, "WenQuanYi Zen Hei", sans-serif; margin: 2rem; background: #f6f6f6; }}
.step > div {{ display: flex; gap: 1rem; flex-wrap: wrap; }}
figure {{ margin: 0; background: #fff; padding: .5rem; border-radius: 8px; }}
img {{ max-width: 360px; max-height: 720px; object-fit: contain; object-position: top; display: block; }}
figcaption {{ color: #666; font-size: .85rem; text-align: center; }}
</style></head><body>
<h1>douyin_cart · journeys in the browser</h1><p>{nav}</p>
{''.join(sections)}
</body></html>
"""
    out = ROOT / "index.html"
    out.write_text(page, encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
