"""The two JSON reads every viewer repeats: a video's products and the live "now explaining" poll.
Cached under versioned keys (an edit shows at once), with ETag and 304."""
import pytest
from django.urls import reverse

from showcase import services
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import VideoFactory

from .helpers import cover

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(creator):
    products = ProductFactory.create_batch(3)
    for p in products:
        services.showcase_item_add(owner=creator, product_id=p.pk)
    session = services.live_session_start(host=creator, title="直播", cover=cover(),
                                          product_ids=[p.pk for p in products])
    return session, products


def test_video_products_json_lists_cart_and_seeding_with_tracked_links(client, creator, video):
    cart, seed = ProductFactory(commission_rate_bp=2500), ProductFactory()
    services.video_product_add(owner=creator, video_id=video.pk, product_id=cart.pk)
    services.video_product_add(owner=creator, video_id=video.pk, product_id=seed.pk, kind="seeding")
    body = client.get(reverse("showcase_api:video_products", args=[video.pk])).json()
    assert body["cart_tag"] is True and [p["id"] for p in body["products"]] == [cart.pk]
    assert [p["id"] for p in body["seeding_tags"]] == [seed.pk]
    assert body["products"][0]["url"] == f"/products/{cart.pk}/?ch=video&c={creator.pk}&v={video.pk}"
    assert "commission" not in str(body)


def test_a_video_without_products_has_no_cart_tag(client, video):
    body = client.get(reverse("showcase_api:video_products", args=[video.pk])).json()
    assert body == {"video": video.pk, "creator": video.owner_id, "cart_tag": False, "products": [],
                    "seeding_tags": []}


def test_private_or_unknown_videos_are_404_with_the_error_shape(client, creator):
    private = VideoFactory(owner=creator, is_public=False)
    for pk in (private.pk, 999999):
        response = client.get(reverse("showcase_api:video_products", args=[pk]))
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_video_json_changes_at_once_after_an_edit(client, creator, video, django_capture_on_commit_callbacks):
    url = reverse("showcase_api:video_products", args=[video.pk])
    first = client.get(url)
    p = ProductFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.video_product_add(owner=creator, video_id=video.pk, product_id=p.pk)
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second.json()["products"][0]["id"] == p.pk
    assert client.get(url, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304


def test_making_a_video_private_hides_its_products_at_once(client, creator, video, django_capture_on_commit_callbacks):
    url = reverse("showcase_api:video_products", args=[video.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        video.is_public = False
        video.save()
    assert client.get(url).status_code == 404


def test_live_poll_says_what_is_explaining_and_switches_at_once(client, creator, live,
                                                                django_capture_on_commit_callbacks):
    session, products = live
    url = reverse("showcase_api:live_explaining", args=[session.pk])
    first = client.get(url)
    assert first.json() == {"live": session.pk, "status": "live", "explaining": None,
                            "products": [p.pk for p in products], "version": first.json()["version"]}
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        services.live_explaining_set(host=creator, session_id=session.pk, product_id=products[2].pk)
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second.json()["explaining"] == products[2].pk
    with django_capture_on_commit_callbacks(execute=True):
        services.live_explaining_set(host=creator, session_id=session.pk, product_id=products[0].pk)
        services.live_session_end(host=creator, session_id=session.pk)
    third = client.get(url).json()
    assert third["status"] == "ended" and third["explaining"] is None


def test_live_poll_of_an_unknown_session_is_404(client):
    response = client.get(reverse("showcase_api:live_explaining", args=[31337]))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_hot_reads_need_no_session_and_no_query_when_cached(client, creator, live, django_assert_num_queries):
    session, _ = live
    url = reverse("showcase_api:live_explaining", args=[session.pk])
    client.get(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200 and "Set-Cookie" not in response


def test_each_worker_keeps_an_answer_for_half_a_second_at_most(client, creator, live, settings, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    from showcase import cache as vcache

    settings.SHOWCASE_HOT_LOCAL_SECONDS = 0.5
    clock = [1000.0]
    monkeypatch.setattr(vcache.time, "monotonic", lambda: clock[0])
    session, products = live
    url = reverse("showcase_api:live_explaining", args=[session.pk])
    assert client.get(url).json()["explaining"] is None
    with django_capture_on_commit_callbacks(execute=True):
        services.live_explaining_set(host=creator, session_id=session.pk, product_id=products[0].pk)
    clock[0] += 0.4
    assert client.get(url).json()["explaining"] is None  # this worker's copy, 0.4 s old
    clock[0] += 0.2
    assert client.get(url).json()["explaining"] == products[0].pk  # within the second
