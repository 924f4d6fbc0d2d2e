"""挂车视频须为原创 and the video cart's full state: a reposted video takes neither cart products nor
seeding tags (400 naming the field, no control shown); at 7/7 "加购物车" is disabled with the reason."""
import pytest
from django.urls import reverse

from core.errors import InvalidInput
from showcase import services
from showcase.models import VideoProduct
from tests.factories.creators import VideoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def repost(creator):
    return VideoFactory(owner=creator, title="转发的好物视频", is_original=False)


@pytest.mark.parametrize("kind", ["cart", "seeding"])
def test_a_reposted_video_takes_no_cart_product_or_seeding_tag(creator, repost, products, kind):
    with pytest.raises(InvalidInput) as refused:
        services.video_product_add(owner=creator, video_id=repost.pk, product_id=products[0].pk, kind=kind)
    assert refused.value.field == "video"
    assert not VideoProduct.objects.filter(video=repost).exists()


def test_the_api_refuses_a_cart_on_a_repost_with_400_naming_the_field(api_client, creator, repost, products):
    api_client.force_authenticate(creator)
    answer = api_client.post(f"/api/v1/me/videos/{repost.pk}/products", {"product_id": products[0].pk,
                                                                        "kind": "cart"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == "video"
    assert not VideoProduct.objects.filter(video=repost).exists()


def test_a_reposted_video_shows_why_and_no_add_controls(creator_client, repost):
    html = creator_client.get(reverse("showcase:video_cart", args=[repost.pk])).content.decode()
    assert 'id="video-not-original"' in html
    assert "挂车视频须为原创" in html
    assert 'name="kind" value="cart"' not in html and 'id="add-paste"' not in html


def test_my_videos_list_offers_add_products_only_on_original_videos(creator_client, creator, video, repost):
    html = creator_client.get(reverse("creators:videos")).content.decode()
    assert reverse("showcase:video_cart", args=[video.pk]) in html
    assert reverse("showcase:video_cart", args=[repost.pk]) not in html


def test_add_to_cart_is_disabled_with_the_reason_when_the_video_cart_is_full(creator_client, creator, video,
                                                                            products, settings):
    for product in products[:settings.VIDEO_CART_MAX_PRODUCTS]:
        services.video_product_add(owner=creator, video_id=video.pk, product_id=product.pk)
    html = creator_client.get(reverse("showcase:video_cart", args=[video.pk])).content.decode()
    assert 'id="cart-full-note"' in html and "7/7" in html
    cart_buttons = [chunk for chunk in html.split("<button")[1:] if 'value="cart"' in chunk.split(">")[0]]
    assert cart_buttons and all("disabled" in chunk.split(">")[0] for chunk in cart_buttons)
    seeding_buttons = [chunk for chunk in html.split("<button")[1:] if 'value="seeding"' in chunk.split(">")[0]]
    assert seeding_buttons and not any("disabled" in chunk.split(">")[0] for chunk in seeding_buttons)


def test_add_to_cart_is_enabled_below_the_limit(creator_client, video):
    html = creator_client.get(reverse("showcase:video_cart", args=[video.pk])).content.decode()
    cart_buttons = [chunk for chunk in html.split("<button")[1:] if 'value="cart"' in chunk.split(">")[0]]
    assert cart_buttons and not any("disabled" in chunk.split(">")[0] for chunk in cart_buttons)
    assert 'id="cart-full-note"' not in html
