"""What "nothing loads from a CDN" means for a page: every asset it references is same-origin."""
import re

ASSET_ATTR = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""", re.IGNORECASE)
IMPORT = re.compile(r"""\bimport\s*(?:[^"']*\bfrom\s*)?["']([^"']+)["']""")


def foreign_asset_urls(html):
    """Every src/href/url()/import target that points off this site (absolute http(s) or protocol-relative).

    Matching the raw text for "cdn" would also match random CSRF tokens and CSP nonces.
    """
    urls = ASSET_ATTR.findall(html) + CSS_URL.findall(html) + IMPORT.findall(html)
    return [u for u in urls if re.match(r"^(?:https?:)?//", u.strip(), re.IGNORECASE)]
