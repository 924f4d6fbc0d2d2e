"""Live sessions and the live cart: one live at a time, products only from the showcase (商品来源于
橱窗) in order with a limit, exactly one "now explaining" (正在讲解) product."""
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from creators.services import cart_right_revoke
from showcase import selectors, services
from showcase.models import LiveProduct, LiveSession
from tests.factories.affiliates import ProductFactory

from .helpers import cover

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(creator):
    """A creator whose showcase holds five products."""
    products = ProductFactory.create_batch(5)
    for p in products:
        services.showcase_item_add(owner=creator, product_id=p.pk)
    return products


@pytest.fixture
def session(creator, stocked):
    return services.live_session_start(host=creator, title="秋冬穿搭专场", cover=cover(),
                                       product_ids=[p.pk for p in stocked[:3]])


def explaining(session):
    return list(LiveProduct.objects.filter(session=session, explaining=True).values_list("product_id", flat=True))


def test_going_live_with_products_picked_from_the_showcase_in_order(creator, stocked, session):
    assert session.status == "live" and session.cover.name
    assert [lp.product_id for lp in selectors.live_products(session.pk)] == [p.pk for p in stocked[:3]]


def test_one_live_session_at_a_time(creator, session):
    with pytest.raises(Conflict) as exc:
        services.live_session_start(host=creator, title="第二场", cover=cover())
    assert exc.value.code == "already_live" and "秋冬穿搭专场" in str(exc.value.message)
    services.live_session_end(host=creator, session_id=session.pk)
    assert services.live_session_start(host=creator, title="第二场", cover=cover()).is_live


def test_the_database_refuses_a_second_live_session(creator, session):
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveSession.objects.create(host=creator, title="绕过服务", cover="covers/x.jpg")


def test_title_and_cover_are_validated(creator):
    with pytest.raises(InvalidInput) as exc:
        services.live_session_start(host=creator, title=" ", cover=cover())
    assert exc.value.field == "title"
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(InvalidInput) as exc:
        services.live_session_start(host=creator, title="直播", cover=SimpleUploadedFile("x.jpg", b"not an image"))
    assert exc.value.field == "cover"
    assert not LiveSession.objects.exists()


def test_a_product_not_in_the_showcase_is_refused(creator, session):
    outside = ProductFactory()
    with pytest.raises(InvalidInput) as exc:
        services.live_product_add(host=creator, session_id=session.pk, product_id=outside.pk)
    assert exc.value.code == "not_in_showcase" and "橱窗" in str(exc.value.message)


def test_starting_with_a_product_outside_the_showcase_starts_nothing(creator, stocked):
    with pytest.raises(InvalidInput):
        services.live_session_start(host=creator, title="直播", cover=cover(),
                                    product_ids=[stocked[0].pk, ProductFactory().pk])
    assert not LiveSession.objects.exists()


def test_the_live_cart_limit_is_a_setting(creator, stocked, session, settings):
    settings.LIVE_CART_MAX_PRODUCTS = 4
    services.live_product_add(host=creator, session_id=session.pk, product_id=stocked[3].pk)
    with pytest.raises(Conflict) as exc:
        services.live_product_add(host=creator, session_id=session.pk, product_id=stocked[4].pk)
    assert exc.value.code == "limit_reached" and "4" in str(exc.value.message)


def test_a_product_is_in_the_live_cart_once(creator, stocked, session):
    with pytest.raises(Conflict):
        services.live_product_add(host=creator, session_id=session.pk, product_id=stocked[0].pk)


def test_setting_a_new_explaining_product_clears_the_old_one(creator, stocked, session):
    services.live_explaining_set(host=creator, session_id=session.pk, product_id=stocked[0].pk)
    assert explaining(session) == [stocked[0].pk]
    services.live_explaining_set(host=creator, session_id=session.pk, product_id=stocked[2].pk)
    assert explaining(session) == [stocked[2].pk]
    services.live_explaining_clear(host=creator, session_id=session.pk)
    assert explaining(session) == []


def test_a_second_explaining_product_is_refused_by_the_database(creator, stocked, session):
    services.live_explaining_set(host=creator, session_id=session.pk, product_id=stocked[0].pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveProduct.objects.filter(session=session, product=stocked[1]).update(explaining=True)
    assert explaining(session) == [stocked[0].pk]


def test_explaining_a_product_outside_the_live_cart_is_refused(creator, stocked, session):
    with pytest.raises(NotFound) as exc:
        services.live_explaining_set(host=creator, session_id=session.pk, product_id=stocked[4].pk)
    assert exc.value.field == "product_id"


def test_removing_a_product_from_the_showcase_takes_it_out_of_the_live(creator, stocked, session):
    item = creator.showcase.items.get(product=stocked[0])
    services.live_explaining_set(host=creator, session_id=session.pk, product_id=stocked[0].pk)
    services.showcase_item_remove(owner=creator, item_id=item.pk)
    assert stocked[0].pk not in [lp.product_id for lp in selectors.live_products(session.pk)]
    assert explaining(session) == []


def test_ending_stops_explaining_and_freezes_the_cart(creator, stocked, session):
    services.live_explaining_set(host=creator, session_id=session.pk, product_id=stocked[0].pk)
    ended = services.live_session_end(host=creator, session_id=session.pk)
    assert ended.status == "ended" and ended.ended_at and explaining(session) == []
    with pytest.raises(Conflict) as exc:
        services.live_product_add(host=creator, session_id=session.pk, product_id=stocked[4].pk)
    assert exc.value.code == "ended"


def test_another_creators_session_is_not_found(other_creator, session, stocked):
    for call in (lambda: services.live_product_add(host=other_creator, session_id=session.pk, product_id=stocked[4].pk),
                 lambda: services.live_explaining_set(host=other_creator, session_id=session.pk,
                                                      product_id=stocked[0].pk),
                 lambda: services.live_session_end(host=other_creator, session_id=session.pk)):
        with pytest.raises(NotFound):
            call()


def test_a_revoked_live_right_cannot_go_live_and_says_why(creator):
    cart_right_revoke(user=creator, kind="live", reason="直播违规")
    with pytest.raises(Forbidden) as exc:
        services.live_session_start(host=creator, title="直播", cover=cover())
    assert "直播违规" in str(exc.value.message)


def test_reorder_and_move(creator, stocked, session):
    a, b, c = stocked[:3]
    services.live_products_reorder(host=creator, session_id=session.pk, product_ids=[c.pk, a.pk, b.pk])
    assert [lp.product_id for lp in selectors.live_products(session.pk)] == [c.pk, a.pk, b.pk]
    services.live_product_move(host=creator, session_id=session.pk, product_id=b.pk, direction="up")
    assert [lp.product_id for lp in selectors.live_products(session.pk)] == [c.pk, b.pk, a.pk]


# --- pages and API ----------------------------------------------------------------------------------
def test_start_page_starts_with_picked_products_and_console_switches_explaining(creator_client, creator, stocked):
    response = creator_client.post(reverse("showcase:live"), {
        "title": "上新直播", "cover": cover(), "product_ids": [stocked[1].pk, stocked[0].pk]})
    session = LiveSession.objects.get(host=creator)
    assert response.status_code == 302 and response.url == reverse("showcase:live_console", args=[session.pk])
    creator_client.post(reverse("showcase:live_explain", args=[session.pk, stocked[1].pk]))
    creator_client.post(reverse("showcase:live_explain", args=[session.pk, stocked[0].pk]))
    assert explaining(session) == [stocked[0].pk]
    html = creator_client.get(reverse("showcase:live_console", args=[session.pk])).content.decode()
    assert "is-explaining" in html


def test_start_page_shows_the_cover_error_next_to_the_field(creator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = creator_client.post(reverse("showcase:live"), {
        "title": "上新直播", "cover": SimpleUploadedFile("a.gif", b"GIF89a....", content_type="image/gif")})
    assert response.status_code == 400 and "field--error" in response.content.decode()


def test_another_creators_console_is_404(client, other_creator, session):
    from .helpers import login

    login(client, other_creator)
    assert client.get(reverse("showcase:live_console", args=[session.pk])).status_code == 404
    assert client.post(reverse("showcase:live_end", args=[session.pk])).status_code == 404
    session.refresh_from_db()
    assert session.is_live


def test_api_start_add_explain_end(creator_api, creator, stocked):
    response = creator_api.post(reverse("showcase_api:my-live-sessions"),
                                {"title": "API 直播", "cover": cover(), "product_ids": [stocked[0].pk]},
                                format="multipart")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    added = creator_api.post(reverse("showcase_api:my-live-products", args=[pk]), {"product_id": stocked[1].pk},
                             format="json")
    assert added.status_code == 201
    outside = creator_api.post(reverse("showcase_api:my-live-products", args=[pk]),
                               {"product_id": ProductFactory().pk}, format="json")
    assert outside.status_code == 400 and outside.json()["error"]["code"] == "not_in_showcase"
    url = reverse("showcase_api:my-live-explaining", args=[pk])
    assert creator_api.put(url, {"product_id": stocked[0].pk}, format="json").json()["explaining"] is True
    assert creator_api.put(url, {"product_id": stocked[1].pk}, format="json").status_code == 200
    detail = creator_api.get(reverse("showcase_api:my-live-session", args=[pk])).json()
    assert [p["explaining"] for p in detail["products"]] == [False, True]
    assert creator_api.post(reverse("showcase_api:my-live-end", args=[pk])).json()["status"] == "ended"


def test_api_second_live_is_409(creator_api, session):
    response = creator_api.post(reverse("showcase_api:my-live-sessions"), {"title": "又一场", "cover": cover()},
                                format="multipart")
    assert response.status_code == 409 and response.json()["error"]["code"] == "already_live"


def test_api_other_creators_live_is_404(api_client, other_creator, session, stocked):
    api_client.force_authenticate(other_creator)
    url = reverse("showcase_api:my-live-explaining", args=[session.pk])
    assert api_client.put(url, {"product_id": stocked[0].pk}, format="json").status_code == 404
    assert api_client.get(reverse("showcase_api:my-live-session", args=[session.pk])).status_code == 404


def test_public_live_api_shows_the_cart_without_commission(api_client, creator, stocked, session):
    services.live_explaining_set(host=creator, session_id=session.pk, product_id=stocked[1].pk)
    body = api_client.get(reverse("showcase_api:live", args=[session.pk])).json()
    assert body["explaining"] == stocked[1].pk and len(body["products"]) == 3
    assert "commission" not in str(body) and "ch=live" in body["products"][0]["url"]


def test_live_sessions_of_inactive_accounts_are_hidden(api_client, creator, session):
    creator.is_active = False
    creator.save(update_fields=["is_active"])
    assert api_client.get(reverse("showcase_api:live", args=[session.pk])).status_code == 404


def test_suspension_in_the_past_no_longer_blocks(creator, stocked):
    from creators.models import CartRight

    CartRight.objects.filter(user=creator, kind="live").update(
        status="suspended", suspended_until=timezone.now() - timedelta(minutes=1), reason="过期")
    assert services.live_session_start(host=creator, title="恢复直播", cover=cover()).is_live
