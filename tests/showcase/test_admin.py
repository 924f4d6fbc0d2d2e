"""Operators see showcases, video products, live sessions and clicks in admin, and act through the
services."""
import pytest
from django.urls import reverse

from orders.models import Click
from orders.services import click_create
from showcase import services
from showcase.models import LiveSession, ShowcaseItem
from showcase.tracking import Via
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory

from .helpers import cover, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    return login(client, user)


def test_admin_lists_open_for_every_model(staff, creator, video):
    p = ProductFactory()
    services.showcase_item_add(owner=creator, product_id=p.pk)
    services.video_product_add(owner=creator, video_id=video.pk, product_id=p.pk)
    session = services.live_session_start(host=creator, title="直播", cover=cover(), product_ids=[p.pk])
    click_create(product_id=p.pk, via=Via("showcase", creator.pk))
    for name in ("showcase_showcase", "showcase_showcaseitem", "showcase_videoproduct", "showcase_livesession",
                 "orders_click"):
        assert staff.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert staff.get(reverse("admin:showcase_livesession_change", args=[session.pk])).status_code == 200
    click = Click.objects.get()
    assert staff.get(reverse("admin:orders_click_change", args=[click.pk])).status_code == 200


def test_admin_actions_go_through_the_services(staff, creator):
    p = ProductFactory()
    item = services.showcase_item_add(owner=creator, product_id=p.pk)
    session = services.live_session_start(host=creator, title="直播", cover=cover(), product_ids=[p.pk])
    staff.post(reverse("admin:showcase_livesession_changelist"),
               {"action": "end_sessions", "_selected_action": [session.pk]})
    assert LiveSession.objects.get(pk=session.pk).status == "ended"
    staff.post(reverse("admin:showcase_showcaseitem_changelist"),
               {"action": "remove_items", "_selected_action": [item.pk]})
    assert not ShowcaseItem.objects.exists()


def test_clicks_cannot_be_edited_in_admin(staff):
    click = click_create(product_id=ProductFactory().pk, via=Via("search"))
    staff.post(reverse("admin:orders_click_change", args=[click.pk]), {"channel": "video"})
    click.refresh_from_db()
    assert click.channel == "search"
