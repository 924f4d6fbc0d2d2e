"""Video cart (视频购物车, at most VIDEO_CART_MAX_PRODUCTS) and seeding tags (种草) on a creator's
own video, from any source; the 8th product is refused with a message naming the limit."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from affiliates.sources.base import Source
from core.errors import Conflict, Forbidden, NotFound
from creators.services import cart_right_suspend
from showcase import selectors, services
from showcase.models import VideoProduct
from tests.affiliates.fakes import FakeClient, use_clients
from tests.factories.affiliates import ProductFactory, product_info
from tests.factories.creators import VideoFactory

pytestmark = pytest.mark.django_db


def test_up_to_seven_cart_products_the_eighth_is_refused_naming_the_limit(creator, video, settings):
    assert settings.VIDEO_CART_MAX_PRODUCTS == 7
    products = ProductFactory.create_batch(8)
    for p in products[:7]:
        services.video_product_add(owner=creator, video_id=video.pk, product_id=p.pk)
    with pytest.raises(Conflict) as exc:
        services.video_product_add(owner=creator, video_id=video.pk, product_id=products[7].pk)
    assert exc.value.code == "limit_reached" and "7" in str(exc.value.message)
    assert VideoProduct.objects.filter(video=video, kind="cart").count() == 7


def test_the_limit_is_a_setting(creator, video, settings):
    settings.VIDEO_CART_MAX_PRODUCTS = 2
    products = ProductFactory.create_batch(3)
    services.video_product_add(owner=creator, video_id=video.pk, product_id=products[0].pk)
    services.video_product_add(owner=creator, video_id=video.pk, product_id=products[1].pk)
    with pytest.raises(Conflict):
        services.video_product_add(owner=creator, video_id=video.pk, product_id=products[2].pk)


def test_seeding_tags_are_kept_apart_from_the_cart(creator, video):
    cart, seed = ProductFactory.create_batch(2)
    services.video_product_add(owner=creator, video_id=video.pk, product_id=cart.pk)
    services.video_product_add(owner=creator, video_id=video.pk, product_id=seed.pk, kind="seeding")
    assert selectors.video_cart_products(video_ids=[video.pk]) == {video.pk: [cart]}
    assert selectors.video_seeding_tags(video_ids=[video.pk]) == {video.pk: [seed]}


def test_a_product_is_on_a_video_once_as_cart_or_seeding(creator, video):
    p = ProductFactory()
    services.video_product_add(owner=creator, video_id=video.pk, product_id=p.pk)
    with pytest.raises(Conflict):
        services.video_product_add(owner=creator, video_id=video.pk, product_id=p.pk)
    with pytest.raises(Conflict) as exc:
        services.video_product_add(owner=creator, video_id=video.pk, product_id=p.pk, kind="seeding")
    assert exc.value.code == "duplicate"


def test_products_come_from_the_pool_the_showcase_or_a_paste(creator, video, monkeypatch):
    pool, showcase_product = ProductFactory.create_batch(2)
    item = services.showcase_item_add(owner=creator, product_id=showcase_product.pk)
    info = product_info(external_id="640000000077", title="天猫 保温杯")
    use_clients(monkeypatch, FakeClient(Source.TAOBAO, infos={"640000000077": info}))
    services.video_product_add(owner=creator, video_id=video.pk, product_id=pool.pk)
    services.video_product_add(owner=creator, video_id=video.pk, item_id=item.pk)
    services.video_product_add(owner=creator, video_id=video.pk, text="https://fake.example/item/640000000077",
                               kind="seeding")
    titles = [p.title for p in selectors.video_cart_products(video_ids=[video.pk])[video.pk]]
    assert titles == [pool.title, showcase_product.title]
    assert [p.title for p in selectors.video_seeding_tags(video_ids=[video.pk])[video.pk]] == ["天猫 保温杯"]


def test_selectors_answer_for_many_videos_in_one_query(creator, django_assert_num_queries):
    videos = VideoFactory.create_batch(3, owner=creator)
    for v in videos:
        for p in ProductFactory.create_batch(2):
            services.video_product_add(owner=creator, video_id=v.pk, product_id=p.pk)
    with django_assert_num_queries(1):
        found = selectors.video_cart_products(video_ids=[v.pk for v in videos] + [999999])
    assert [len(found[v.pk]) for v in videos] == [2, 2, 2] and found[999999] == []


def test_another_creators_video_is_not_found(creator, other_creator):
    theirs = VideoFactory(owner=other_creator)
    with pytest.raises(NotFound):
        services.video_product_add(owner=creator, video_id=theirs.pk, product_id=ProductFactory().pk)


def test_a_suspended_video_right_refuses_with_the_reason(creator, video):
    cart_right_suspend(user=creator, kind="video", until=timezone.now() + timedelta(days=7), reason="搬运视频")
    with pytest.raises(Forbidden) as exc:
        services.video_product_add(owner=creator, video_id=video.pk, product_id=ProductFactory().pk)
    assert "搬运视频" in str(exc.value.message)


def test_remove_and_reorder(creator, video):
    a, b, c = ProductFactory.create_batch(3)
    for p in (a, b, c):
        services.video_product_add(owner=creator, video_id=video.pk, product_id=p.pk)
    services.video_products_reorder(owner=creator, video_id=video.pk, kind="cart", product_ids=[c.pk, a.pk, b.pk])
    assert selectors.video_cart_products(video_ids=[video.pk])[video.pk] == [c, a, b]
    services.video_product_move(owner=creator, video_id=video.pk, product_id=b.pk, direction="up")
    assert selectors.video_cart_products(video_ids=[video.pk])[video.pk] == [c, b, a]
    services.video_product_remove(owner=creator, video_id=video.pk, product_id=c.pk)
    assert selectors.video_cart_products(video_ids=[video.pk])[video.pk] == [b, a]


# --- pages and API -------------------------------------------------------------------------------
def test_the_editor_page_offers_showcase_pool_and_paste(creator_client, creator, video):
    item = services.showcase_item_add(owner=creator, product_id=ProductFactory(title="纯棉短袖T恤").pk)
    html = creator_client.get(reverse("showcase:video_cart", args=[video.pk]) + "?q=短袖").content.decode()
    assert f'data-item-id="{item.pk}"' in html  # from the showcase
    assert 'id="add-search"' in html and 'data-product-id="' in html  # from the pool search
    assert 'id="add-paste"' in html


def test_the_eighth_product_is_refused_on_the_page_with_the_limit(creator_client, creator, video):
    products = ProductFactory.create_batch(8)
    url = reverse("showcase:video_product_add", args=[video.pk])
    for p in products:
        response = creator_client.post(url, {"product_id": p.pk, "kind": "cart"}, follow=True)
    html = response.content.decode()
    assert "7" in html and "flash__item--error" in html
    assert VideoProduct.objects.filter(video=video).count() == 7


def test_another_creators_video_editor_is_404(creator_client, other_creator):
    theirs = VideoFactory(owner=other_creator)
    assert creator_client.get(reverse("showcase:video_cart", args=[theirs.pk])).status_code == 404
    assert creator_client.post(reverse("showcase:video_product_add", args=[theirs.pk]),
                               {"product_id": ProductFactory().pk}).status_code == 404


def test_api_adds_lists_and_removes(creator_api, video):
    products = ProductFactory.create_batch(8)
    url = reverse("showcase_api:my-video-products", args=[video.pk])
    for p in products[:7]:
        assert creator_api.post(url, {"product_id": p.pk}, format="json").status_code == 201
    refused = creator_api.post(url, {"product_id": products[7].pk}, format="json")
    assert refused.status_code == 409 and "7" in refused.json()["error"]["message"]
    seeding = creator_api.post(url, {"product_id": products[7].pk, "kind": "seeding"}, format="json")
    assert seeding.status_code == 201 and seeding.json()["kind"] == "seeding"
    assert len(creator_api.get(url).json()) == 8
    gone = creator_api.delete(reverse("showcase_api:my-video-product", args=[video.pk, products[0].pk]))
    assert gone.status_code == 204


def test_api_bad_kind_names_the_field(creator_api, video):
    response = creator_api.post(reverse("showcase_api:my-video-products", args=[video.pk]),
                                {"product_id": ProductFactory().pk, "kind": "banner"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == "kind"


def test_api_another_creators_video_is_404(creator_api, other_creator):
    theirs = VideoFactory(owner=other_creator)
    url = reverse("showcase_api:my-video-products", args=[theirs.pk])
    assert creator_api.get(url).status_code == 404
    assert creator_api.post(url, {"product_id": ProductFactory().pk}, format="json").status_code == 404


def test_video_list_links_to_the_editor_and_publishing_leads_there(creator_client, creator, video):
    from tests.factories.creators import cover_upload

    html = creator_client.get(reverse("creators:videos")).content.decode()
    assert reverse("showcase:video_cart", args=[video.pk]) in html
    response = creator_client.post(reverse("creators:video_new"), {
        "title": "新视频", "cover": cover_upload(), "is_public": "on", "is_original": "on"})
    newest = creator.videos.order_by("-pk").first()
    assert response.status_code == 302 and response.url == reverse("showcase:video_cart", args=[newest.pk])
