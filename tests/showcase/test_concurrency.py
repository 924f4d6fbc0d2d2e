"""The limits and the one-explaining rule hold under concurrent requests (real PostgreSQL,
real threads, each with its own connection)."""
import threading

import pytest
from django.db import connection, connections

from core.errors import DomainError
from showcase import services
from showcase.models import LiveProduct, ShowcaseItem, VideoProduct
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import VideoFactory

from .helpers import cover, creator_with_rights

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")


def run_concurrently(calls):
    """Start every call at the same moment in its own thread; returns (successes, refusals)."""
    barrier = threading.Barrier(len(calls))
    ok, refused, crashed = [], [], []

    def worker(call):
        try:
            barrier.wait()
            ok.append(call())
        except DomainError as exc:
            refused.append(exc)
        except Exception as exc:  # a 500 in production: the test must see it
            crashed.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not crashed, crashed
    return ok, refused


def test_many_concurrent_adds_leave_exactly_seven_products_on_a_video(settings):
    creator = creator_with_rights()
    video = VideoFactory(owner=creator)
    products = ProductFactory.create_batch(16)
    ok, refused = run_concurrently([
        (lambda p=p: services.video_product_add(owner=creator, video_id=video.pk, product_id=p.pk)) for p in products
    ])
    assert VideoProduct.objects.filter(video=video, kind="cart").count() == settings.VIDEO_CART_MAX_PRODUCTS == 7
    assert len(ok) == 7 and len(refused) == 9
    assert all(e.code == "limit_reached" and "7" in str(e.message) for e in refused)


def test_concurrent_adds_of_the_same_product_to_a_video_store_it_once():
    creator = creator_with_rights()
    video = VideoFactory(owner=creator)
    product = ProductFactory()
    ok, refused = run_concurrently([
        (lambda: services.video_product_add(owner=creator, video_id=video.pk, product_id=product.pk))
        for _ in range(8)])
    assert len(ok) == 1 and VideoProduct.objects.filter(video=video).count() == 1
    assert all(e.code == "duplicate" for e in refused)


def test_the_showcase_size_limit_holds_under_concurrent_adds(settings):
    settings.SHOWCASE_MAX_PRODUCTS = 5
    creator = creator_with_rights()
    products = ProductFactory.create_batch(12)
    ok, refused = run_concurrently([
        (lambda p=p: services.showcase_item_add(owner=creator, product_id=p.pk)) for p in products])
    assert ShowcaseItem.objects.filter(showcase__owner=creator).count() == 5 == len(ok)
    positions = list(ShowcaseItem.objects.filter(showcase__owner=creator).values_list("position", flat=True))
    assert sorted(positions) == list(range(5))  # no two items share a place


def test_concurrent_explaining_switches_leave_exactly_one_explaining_product():
    creator = creator_with_rights()
    products = ProductFactory.create_batch(10)
    for p in products:
        services.showcase_item_add(owner=creator, product_id=p.pk)
    session = services.live_session_start(host=creator, title="并发讲解", cover=cover(),
                                          product_ids=[p.pk for p in products])
    ok, refused = run_concurrently([
        (lambda p=p: services.live_explaining_set(host=creator, session_id=session.pk, product_id=p.pk))
        for p in products for _ in range(2)])
    explaining = list(LiveProduct.objects.filter(session=session, explaining=True).values_list("product_id", flat=True))
    assert len(explaining) == 1 and explaining[0] in {p.pk for p in products}
    assert not refused and len(ok) == 20


def test_a_product_removed_from_the_showcase_while_added_to_the_live_never_stays_in_the_live():
    creator = creator_with_rights()
    keep, racing = ProductFactory.create_batch(2)
    items = {p.pk: services.showcase_item_add(owner=creator, product_id=p.pk) for p in (keep, racing)}
    for _round in range(5):
        session = services.live_session_start(host=creator, title="并发移除", cover=cover(), product_ids=[keep.pk])
        ok, refused = run_concurrently([
            lambda s=session: services.live_product_add(host=creator, session_id=s.pk, product_id=racing.pk),
            lambda i=items[racing.pk]: services.showcase_item_remove(owner=creator, item_id=i.pk),
        ])
        in_live = LiveProduct.objects.filter(session=session, product=racing).exists()
        in_showcase = ShowcaseItem.objects.filter(showcase__owner=creator, product=racing).exists()
        assert not in_showcase and not in_live  # 商品来源于橱窗: never a live product outside the showcase
        assert all(e.code == "not_in_showcase" for e in refused)
        services.live_session_end(host=creator, session_id=session.pk)
        items[racing.pk] = services.showcase_item_add(owner=creator, product_id=racing.pk)


def test_concurrent_go_live_requests_start_one_session():
    creator = creator_with_rights()
    ok, refused = run_concurrently([
        (lambda n=n: services.live_session_start(host=creator, title=f"开播{n}", cover=cover())) for n in range(6)])
    assert len(ok) == 1 and len(refused) == 5
    assert all(e.code == "already_live" for e in refused)
