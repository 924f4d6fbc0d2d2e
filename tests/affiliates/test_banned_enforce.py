"""An operator previews which placements a banned-category rule removes, enforces it, and each
creator hears from 电商小助手 (issue 11 point 8)."""
import pytest
from django.contrib.admin.sites import site
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from affiliates.models import BannedCategory, Product
from affiliates.services import product_upsert_many
from affiliates.services.banned import Placement, banned_rule_enforce, banned_rule_impact, banned_rule_products
from affiliates.signals import banned_rule_enforced, banned_rule_placements
from notices.models import InboxMessage
from tests.factories.affiliates import BannedCategoryFactory, product_info
from tests.factories.creators import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold(django_capture_on_commit_callbacks):
    """An e-cigarette and a T-shirt in the pool; a creator sells both (as the showcase room answers)."""
    product_upsert_many(infos=[product_info(title="一次性电子烟", category="电子烟/烟具",
                                            category_path="电子烟/电子烟／烟具"),
                               product_info(title="纯棉短袖T恤", category="女装", category_path="服饰/女装")])
    creator = UserFactory()
    products = list(Product.objects.order_by("pk"))

    def placements(sender, product_ids, **kwargs):
        return [Placement(creator.pk, p.pk, "showcase", creator.handle) for p in products if p.pk in product_ids]

    banned_rule_placements.connect(placements, dispatch_uid="test.placements")
    yield creator, products
    banned_rule_placements.disconnect(dispatch_uid="test.placements")


def test_a_rule_on_a_top_category_previews_only_the_products_of_its_subtree(sold):
    creator, (ecig, shirt) = sold
    rule = BannedCategoryFactory(source="taobao", category_name="电子烟", rule_name="电子烟禁售")
    assert list(banned_rule_products(rule=rule)) == [ecig]
    assert banned_rule_impact(rule=rule) == [Placement(creator.pk, ecig.pk, "showcase", creator.handle)]


def test_enforcing_refuses_the_product_takes_placements_down_and_messages_the_creator_once(
        sold, django_capture_on_commit_callbacks):
    creator, (ecig, shirt) = sold
    rule = BannedCategoryFactory(source="taobao", category_name="电子烟", rule_name="电子烟禁售")
    enforced = []
    banned_rule_enforced.connect(lambda sender, rule, placements, **kw: enforced.append(placements),
                                 dispatch_uid="test.enforced", weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            banned_rule_enforce(rule=rule)
        with django_capture_on_commit_callbacks(execute=True):
            banned_rule_enforce(rule=rule)  # twice: still one message
    finally:
        banned_rule_enforced.disconnect(dispatch_uid="test.enforced")
    ecig.refresh_from_db()
    assert not ecig.gate_passed and ecig.gate_failures[-1]["rule"] == "电子烟禁售"
    assert enforced[0] == [Placement(creator.pk, ecig.pk, "showcase", creator.handle)]
    message = InboxMessage.objects.get(recipient=creator)
    assert message.kind == "banned_category.removed" and message.params["rule"] == "电子烟禁售"
    assert message.sender.handle and message.params["title"] == "一次性电子烟"


def test_admin_preview_action_names_the_rule_and_the_placements(sold, admin_user):
    creator, (ecig, _shirt) = sold
    rule = BannedCategoryFactory(source="taobao", category_name="电子烟", rule_name="电子烟禁售")
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    request.session = {}
    request._messages = FallbackStorage(request)
    site._registry[BannedCategory].preview_removals(request, BannedCategory.objects.filter(pk=rule.pk))
    text = " ".join(str(m) for m in request._messages)
    assert "电子烟禁售" in text and f"@{creator.handle}" in text and f"#{ecig.pk}" in text
