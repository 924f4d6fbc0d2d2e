"""External orders through the real path: a purchase at the (sandbox) source → the order-report
pull → ``order_reports_stored`` → ``ExternalOrder`` with the click's creator, channel and shopper.
JD/Kaola/Vipshop/Suning orders show in 我的-订单 only after the shopper's authorisation; Taobao
orders never do."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from affiliates.sandbox.services import sandbox_order_finish, sandbox_order_settle
from affiliates.sync.selectors import sync_sources
from notices.models import InboxMessage
from orders import services
from orders.models import Click, ExternalOrder, OrderStatus
from showcase import services as showcase_services
from showcase.tracking import Via
from tests.affiliates.sync.helpers import hot_ids, run_job
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory
from tests.showcase.helpers import creator_with_rights

from .helpers import login

pytestmark = pytest.mark.django_db


def backdate(click, minutes_ago: int) -> None:
    Click.objects.filter(pk=click.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))


def bought(source: str, shopper, creator=None, minutes_ago: int = 30):
    """The shopper pressed the buy button (from the creator's showcase) and bought at the source."""
    from affiliates.sandbox.services import sandbox_order_create

    if source not in sync_sources():
        pytest.skip(f"no {source} client yet")
    product = ProductFactory(source=source, external_id=hot_ids(source, 1)[0])
    via = Via(channel="search")
    if creator is not None:
        showcase_services.showcase_item_add(owner=creator, product_id=product.pk)
        via = Via(channel="showcase", creator_id=creator.pk)
    click = services.click_create(product_id=product.pk, via=via, shopper=shopper)
    backdate(click, minutes_ago)
    order = sandbox_order_create(source=source, external_id=product.external_id, click_id=click.id,
                                 at=timezone.now() - timedelta(minutes=minutes_ago - 1))
    return product, click, order


def pull(capture, source: str):
    run_job(capture, "orders", source, since=timezone.now() - timedelta(hours=2))


def test_a_jd_purchase_comes_back_with_the_clicks_creator_channel_and_shopper(
        sandbox, django_capture_on_commit_callbacks):
    shopper, creator = UserFactory(), creator_with_rights()
    product, click, sb = bought("jd", shopper, creator)
    pull(django_capture_on_commit_callbacks, "jd")
    ext = ExternalOrder.objects.get()
    assert (ext.source, ext.order_id, ext.line_id) == ("jd", sb.order_id, sb.line_id)
    assert (ext.shopper_id, ext.creator_id, ext.channel, ext.click_id) == (shopper.pk, creator.pk, "showcase", click.id)
    assert ext.status == OrderStatus.PAID and ext.paid_amount_fen == sb.paid_amount_fen and ext.product == product


def test_pulling_again_changes_nothing_and_a_later_status_is_mapped_once(sandbox, django_capture_on_commit_callbacks):
    shopper = UserFactory()
    _p, _c, sb = bought("jd", shopper)
    pull(django_capture_on_commit_callbacks, "jd")
    pull(django_capture_on_commit_callbacks, "jd")
    assert ExternalOrder.objects.count() == 1 and ExternalOrder.objects.get().history.count() == 1
    sandbox_order_finish(order=sb, at=timezone.now() - timedelta(minutes=5))
    pull(django_capture_on_commit_callbacks, "jd")
    ext = ExternalOrder.objects.get()
    assert ext.status == OrderStatus.RECEIVED
    assert [h.to_status for h in ext.history.all()] == ["paid", "received"]


def test_jd_orders_show_only_after_the_shopper_authorises_and_not_after_revoking(
        client, sandbox, django_capture_on_commit_callbacks):
    shopper = UserFactory()
    _p, _c, sb = bought("jd", shopper)
    pull(django_capture_on_commit_callbacks, "jd")
    login(client, shopper)
    assert sb.order_id not in client.get(reverse("orders:list")).content.decode()
    client.post(reverse("orders:authorisation"), {"grant": "1"})
    html = client.get(reverse("orders:list")).content.decode()
    assert sb.order_id in html and 'data-external="jd"' in html
    client.post(reverse("orders:authorisation"), {"revoke": "1"})
    assert sb.order_id not in client.get(reverse("orders:list")).content.decode()


def test_a_taobao_order_is_stored_but_never_shown_and_the_list_says_check_taobao(
        client, sandbox, django_capture_on_commit_callbacks):
    shopper = UserFactory()
    _p, _c, sb = bought("taobao", shopper)
    pull(django_capture_on_commit_callbacks, "taobao")
    assert ExternalOrder.objects.get().source == "taobao"
    login(client, shopper)
    client.post(reverse("orders:authorisation"), {"grant": "1"})
    html = client.get(reverse("orders:list")).content.decode()
    assert sb.order_id not in html and 'id="taobao-note"' in html and "请到淘宝查看" in html
    ext = ExternalOrder.objects.get()
    assert client.get(reverse("orders:external_detail", args=[ext.pk])).status_code == 404


def test_authorised_external_status_changes_message_the_shopper_once(sandbox, django_capture_on_commit_callbacks):
    shopper = UserFactory()
    services.order_display_consent_grant(user=shopper)
    _p, _c, sb = bought("jd", shopper)
    pull(django_capture_on_commit_callbacks, "jd")
    sandbox_order_finish(order=sb, at=timezone.now() - timedelta(minutes=5))
    pull(django_capture_on_commit_callbacks, "jd")
    pull(django_capture_on_commit_callbacks, "jd")
    kinds = list(InboxMessage.objects.filter(recipient=shopper).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["external_order.paid", "external_order.received"]


def test_without_authorisation_no_external_message_is_sent(sandbox, django_capture_on_commit_callbacks):
    shopper = UserFactory()
    bought("jd", shopper)
    pull(django_capture_on_commit_callbacks, "jd")
    assert not InboxMessage.objects.filter(recipient=shopper, kind__startswith="external_order").exists()


def test_an_anonymous_click_attributes_the_creator_but_no_shopper(sandbox, django_capture_on_commit_callbacks):
    creator = creator_with_rights()
    product = ProductFactory(source="jd", external_id=hot_ids("jd", 1)[0])
    showcase_services.showcase_item_add(owner=creator, product_id=product.pk)
    click = services.click_create(product_id=product.pk, via=Via(channel="showcase", creator_id=creator.pk),
                                  visitor_key="anon1")
    backdate(click, 30)
    from affiliates.sandbox.services import sandbox_order_create

    sandbox_order_create(source="jd", external_id=product.external_id, click_id=click.id,
                         at=timezone.now() - timedelta(minutes=20))
    pull(django_capture_on_commit_callbacks, "jd")
    ext = ExternalOrder.objects.get()
    assert ext.creator_id == creator.pk and ext.shopper_id is None


def test_a_settled_order_maps_to_completed(sandbox, django_capture_on_commit_callbacks):
    _p, _c, sb = bought("jd", UserFactory())
    sandbox_order_finish(order=sb, at=timezone.now() - timedelta(minutes=10))
    sandbox_order_settle(order=sb, at=timezone.now() - timedelta(minutes=5))
    pull(django_capture_on_commit_callbacks, "jd")
    assert ExternalOrder.objects.get().status == OrderStatus.COMPLETED
