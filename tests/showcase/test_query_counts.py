"""Query counts per shopper page do not grow with the number of products: pinned at 1, 20 and 200
products, on a cold cache (the queries that build the page) and a warm one (what most shoppers cost)."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from showcase.models import LiveProduct, LiveSession, Showcase, ShowcaseCategory, ShowcaseItem, VideoProduct
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import VideoFactory

from .helpers import creator_with_rights

pytestmark = pytest.mark.django_db
SIZES = (1, 20, 200)


def queries(client, url, **headers) -> tuple[int, int]:
    """(cold, warm): queries of a request on an empty cache, then of the same request again."""
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url, **headers).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url, **headers).status_code in (200, 304)
    return len(cold), len(warm)


def stocked_creator(n: int):
    creator = creator_with_rights()
    showcase = Showcase.objects.create(owner=creator)
    categories = ShowcaseCategory.objects.bulk_create(
        [ShowcaseCategory(showcase=showcase, name=f"分类{i}", position=i) for i in range(3)])
    products = ProductFactory.create_batch(n)
    ShowcaseItem.objects.bulk_create([
        ShowcaseItem(showcase=showcase, product=p, position=i, category=categories[i % 3],
                     is_recommended=i % 5 == 0, is_new=i % 7 == 0) for i, p in enumerate(products)])
    return creator, products


def test_showcase_page(client, settings):
    settings.SHOWCASE_PAGE_SIZE = 200
    counts = []
    for n in SIZES:
        creator, _ = stocked_creator(n)
        LiveSession.objects.create(host=creator, title="直播", cover="covers/x.jpg")
        counts.append(queries(client, reverse("showcase:showcase", args=[creator.handle])))
    # cold: the creator with their right, the tabs, the products, the live session; warm: none
    assert counts == [(4, 0)] * 3


def test_seeding_page(client):
    counts = []
    for n in SIZES:
        creator, products = stocked_creator(n)
        product = products[-1]
        product.image_urls = [f"https://img.example/{i}.jpg" for i in range(min(n, 20))]
        product.save()
        counts.append(queries(client, reverse("showcase:product", args=[product.pk]) + f"?ch=showcase&c={creator.pk}"))
    assert counts == [(1, 0)] * 3


def test_showcase_page_for_a_signed_in_shopper(client, settings):
    from tests.factories.creators import UserFactory

    from .helpers import login

    settings.SHOWCASE_PAGE_SIZE = 200
    login(client, UserFactory())
    counts = []
    for n in SIZES:
        creator, _ = stocked_creator(n)
        counts.append(queries(client, reverse("showcase:showcase", args=[creator.handle])))
    # + the session and the user, following?, the viewer's own showcase right; the window stays cached
    cold, warm = counts[0]
    assert counts == [(cold, warm)] * 3 and warm == cold - 3


def test_video_products_json(client, settings):
    settings.VIDEO_CART_MAX_PRODUCTS = 200
    counts = []
    for n in SIZES:
        creator = creator_with_rights()
        video = VideoFactory(owner=creator)
        VideoProduct.objects.bulk_create([
            VideoProduct(video=video, product=p, kind="cart" if i % 2 else "seeding", position=i)
            for i, p in enumerate(ProductFactory.create_batch(n))])
        counts.append(queries(client, reverse("showcase_api:video_products", args=[video.pk])))
    assert counts == [(2, 0)] * 3


def test_live_room_and_poll(client):
    rooms, polls = [], []
    for n in SIZES:
        creator, products = stocked_creator(n)
        session = LiveSession.objects.create(host=creator, title="直播", cover="covers/x.jpg")
        LiveProduct.objects.bulk_create([LiveProduct(session=session, product=p, position=i, explaining=i == 0)
                                         for i, p in enumerate(products)])
        rooms.append(queries(client, reverse("showcase:live_room", args=[session.pk])))
        polls.append(queries(client, reverse("showcase_api:live_explaining", args=[session.pk])))
    assert rooms == [(2, 1)] * 3
    assert polls == [(2, 0)] * 3
