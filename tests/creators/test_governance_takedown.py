"""A product-removal penalty takes the named product off the creator's showcase and video
carts at once (issue 12 §3)."""
import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from affiliates.models import Product
from creators.models import RuleArticle, Violation
from creators.services import violation_confirm
from creators.services.credit import violation_record
from showcase.models import ShowcaseItem, VideoProduct
from showcase.services.video_cart import video_product_add
from showcase.services.window import showcase_item_add
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import VideoFactory
from tests.showcase.helpers import creator_with_rights

pytestmark = pytest.mark.django_db


def test_a_product_removal_penalty_takes_the_product_off_showcase_and_carts(django_capture_on_commit_callbacks):
    creator = creator_with_rights()
    named, kept = ProductFactory(), ProductFactory()
    video = VideoFactory(owner=creator)
    for product in (named, kept):
        showcase_item_add(owner=creator, product_id=product.pk)
        video_product_add(owner=creator, video_id=video.pk, product_id=product.pk)
    rule = RuleArticle.objects.create(title="商品质量要求", category="products", body="商品须合格。")
    violation = violation_record(violation=Violation(
        creator=creator, rule=rule, severity="ordinary", right_kind="showcase", summary="售卖不合格商品",
        occurred_on=timezone.localdate(), related_type=ContentType.objects.get_for_model(Product),
        related_id=named.pk), actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = violation_confirm(violation_id=violation.pk, actor=None)
    assert confirmed.penalty == "remove_product"
    assert list(ShowcaseItem.objects.filter(showcase__owner=creator).values_list("product_id", flat=True)) == [kept.pk]
    assert list(VideoProduct.objects.filter(video=video).values_list("product_id", flat=True)) == [kept.pk]
