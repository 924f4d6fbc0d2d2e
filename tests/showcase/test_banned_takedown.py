"""A banned-category rule an operator enforces takes the product off every creator's showcase,
video carts and live carts; the preview lists those placements first (issue 11 point 8)."""
import pytest

from affiliates.models import BannedCategory, Product
from affiliates.services import product_upsert_many
from affiliates.services.banned import banned_rule_enforce, banned_rule_impact
from showcase.models import ShowcaseItem, VideoProduct
from showcase.services.window import showcase_item_add
from tests.factories.affiliates import BannedCategoryFactory, product_info

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecig_and_shirt(db):
    BannedCategory.objects.all().delete()  # the test's own rule alone (not migration 0007's platform bans)
    product_upsert_many(infos=[product_info(title="一次性电子烟", category="电子烟/烟具", category_path="电子烟/电子烟／烟具"),
                               product_info(title="纯棉短袖T恤", category="女装", category_path="服饰/女装")])
    return list(Product.objects.order_by("pk"))


def test_enforced_ban_takes_the_product_off_showcases_and_video_carts_of_every_creator(
        creator, other_creator, video, ecig_and_shirt, django_capture_on_commit_callbacks):
    ecig, shirt = ecig_and_shirt
    for owner in (creator, other_creator):
        for product in (ecig, shirt):
            showcase_item_add(owner=owner, product_id=product.pk)
    VideoProduct.objects.create(video=video, product=ecig, kind=VideoProduct.Kind.CART)
    rule = BannedCategoryFactory(source=ecig.source, category_name="电子烟", rule_name="电子烟禁售")

    preview = banned_rule_impact(rule=rule)
    assert {(p.creator_id, p.where) for p in preview} == {
        (creator.pk, "showcase"), (creator.pk, "video"), (other_creator.pk, "showcase")}
    assert {p.product_id for p in preview} == {ecig.pk}

    with django_capture_on_commit_callbacks(execute=True):
        banned_rule_enforce(rule=rule)
    assert set(ShowcaseItem.objects.values_list("product_id", flat=True)) == {shirt.pk}
    assert not VideoProduct.objects.filter(product=ecig).exists()
