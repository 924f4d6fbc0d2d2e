"""Money in admin reads in yuan, not fen (issue 10 item 10): list columns, read-only fields
and inlines, with the field's label minus its "(fen)" unit; prices and stock stay read-only."""
import pytest
from django.urls import reverse
from django.utils import timezone

from showcase.stats.models import DailyStat
from tests.factories.affiliates import ProductFactory, ShopProductFactory, SkuFactory
from tests.factories.creators import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    staff = UserFactory(handle="operator", is_staff=True, is_superuser=True)
    client.login(handle=staff.handle, password=PASSWORD)
    return staff


def test_list_columns_and_view_only_pages_show_yuan(client, operator):
    stat = DailyStat.objects.create(day=timezone.localdate(), creator=UserFactory(), channel="video",
                                    product=ProductFactory(), gmv_fen=33600, commission_fen=1205)
    body = client.get(reverse("admin:stats_dailystat_changelist")).content.decode()
    assert "¥336.00" in body and "¥12.05" in body and ">33600<" not in body
    detail = client.get(reverse("admin:stats_dailystat_change", args=[stat.pk])).content.decode()
    assert "¥336.00" in detail and "33600" not in detail


def test_the_shop_product_admin_edits_no_status_price_or_stock(client, operator):
    product = ShopProductFactory()
    SkuFactory(product=product, price_fen=9900, stock=5)
    page = client.get(f"/admin/affiliates/shopproduct/{product.pk}/change/").content.decode()
    assert "¥99.00" in page
    assert 'name="status"' not in page and 'name="alliance_rate_bp"' not in page
    assert 'name="skus-0-price_fen"' not in page and 'name="skus-0-stock"' not in page


def test_shop_products_change_status_through_actions_that_log(client, operator):
    from django.contrib.admin.models import LogEntry

    product = ShopProductFactory(status="on_sale")
    SkuFactory(product=product, price_fen=9900, stock=5)
    response = client.post("/admin/affiliates/shopproduct/", {"action": "unpublish_selected",
                                                               "_selected_action": [product.pk]})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == "off_sale"
    assert LogEntry.objects.filter(object_id=str(product.pk), user=operator).exists()
