"""Every link and 淘口令 the README offers resolves through the paste box against the sandbox."""
import re
from pathlib import Path

import pytest

from affiliates.resolver import product_resolve

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = README.read_text().split("#### Links and 淘口令 to paste", 1)[-1].split("\n#", 1)[0]
EXAMPLES = [m for m in re.findall(r"`([^`]+)`", SECTION) if "://" in m or "￥" in m]
EXPECTED_SOURCES = {"taobao", "jd", "kaola", "vip", "suning"}


def test_readme_offers_an_example_for_every_outside_source():
    hosts = " ".join(EXAMPLES)
    assert "￥" in hosts and all(h in hosts for h in ("taobao.com", "jd.com", "kaola.com", "vip.com", "suning.com"))


@pytest.mark.parametrize("text", EXAMPLES)
def test_readme_example_resolves_through_the_paste_box(sandbox, text):
    product = product_resolve(text=text)
    assert product.source in EXPECTED_SOURCES and product.title and product.gate_passed
