"""The demo world: creators whose application was approved get showcases (categories, 推荐, 上新) from the pool and the
alliance, videos with cart products and seeding tags, and one live session explaining a product.
Running it again changes nothing."""
import io

import pytest

from showcase import demo
from showcase.models import LiveProduct, LiveSession, ShowcaseCategory, ShowcaseItem, VideoProduct
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory, VideoFactory

from .helpers import creator_with_rights


def approved_creator(**kwargs):
    from django.utils import timezone

    from creators.models import CartApplication, CartRight

    creator = creator_with_rights(**kwargs)
    application = CartApplication.objects.create(applicant=creator, status="approved", entry_point="creator_center",
                                                 submitted_at=timezone.now())
    CartRight.objects.filter(user=creator).update(application=application)
    return creator

pytestmark = pytest.mark.django_db


def counts():
    return (ShowcaseItem.objects.count(), ShowcaseCategory.objects.count(), VideoProduct.objects.count(),
            LiveSession.objects.count(), LiveProduct.objects.filter(explaining=True).count())


def test_seed_fills_showcases_videos_and_one_live_and_is_idempotent():
    linlin = approved_creator(handle="linlin_chuanda", nickname="琳琳穿搭")
    other = approved_creator()
    granted_without_application = creator_with_rights()
    UserFactory()  # no rights: no showcase
    VideoFactory.create_batch(3, owner=linlin)
    for category in ("T恤", "连衣裙", "运动鞋", "珠宝配饰"):
        ProductFactory.create_batch(4, category=category)
    ProductFactory.create_batch(8, category="厨房电器")
    ProductFactory.create_batch(2, source="alliance")
    out = io.StringIO()
    demo.seed(out)
    first = counts()
    assert ShowcaseItem.objects.filter(showcase__owner=linlin).count() == 12
    assert list(ShowcaseCategory.objects.filter(showcase__owner=linlin).values_list("name", flat=True)) == \
        ["上衣", "裙装", "鞋包配饰"]
    assert ShowcaseItem.objects.filter(showcase__owner=linlin, is_recommended=True).count() == 2
    assert ShowcaseItem.objects.filter(showcase__owner=linlin, is_new=True).count() == 3
    assert ShowcaseItem.objects.filter(showcase__owner=other).exists()
    assert not ShowcaseItem.objects.filter(showcase__owner=granted_without_application).exists()
    assert VideoProduct.objects.filter(video__owner=linlin, kind="cart").exists()
    assert VideoProduct.objects.filter(video__owner=linlin, kind="seeding").exists()
    live = LiveSession.objects.get()
    assert live.host == linlin and live.is_live and first[4] == 1
    demo.seed(out)
    assert counts() == first
