"""People read labels, never codes: a product's source on its seeding page, the showcase and the
video cart reads 考拉 / 京东 …, not kaola / jd."""
import html as htmllib
import re

import pytest
from django.urls import reverse
from django.utils import translation

from affiliates.models import ProductSource
from showcase import services
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import VideoFactory
from tests.showcase.helpers import login

pytestmark = pytest.mark.django_db
EXTERNAL = [ProductSource.TAOBAO, ProductSource.JD, ProductSource.KAOLA, ProductSource.VIP, ProductSource.SUNING]


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", page)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page))


def raw_codes(text: str) -> set[str]:
    codes = "|".join(ProductSource.values)
    return set(re.findall(rf"(?<![A-Za-z_])({codes})(?![A-Za-z_])", text))


def _zh(client):
    client.cookies["django_language"] = "zh-hans"
    return client


@pytest.mark.parametrize("source", EXTERNAL)
def test_a_seeding_page_names_its_source_by_label(client, source):
    product = ProductFactory(source=source)
    text = visible_text(_zh(client).get(reverse("showcase:product", args=[product.pk])).content.decode())
    with translation.override("zh-hans"):
        assert str(ProductSource(source).label) in text
    assert not raw_codes(text)


def test_the_video_cart_page_names_sources_by_label(client, creator):
    video = VideoFactory(owner=creator)
    for source in EXTERNAL:
        services.video_product_add(owner=creator, video_id=video.pk, product_id=ProductFactory(source=source).pk)
    _zh(login(client, creator))
    text = visible_text(client.get(reverse("showcase:video_cart", args=[video.pk])).content.decode())
    assert "考拉" in text and "京东" in text
    assert not raw_codes(text)
