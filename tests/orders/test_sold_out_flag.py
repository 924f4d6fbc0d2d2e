"""Sold out is answered without the database: the commit that takes a SKU's last unit flags it in
the cache, and late buyers get 409 ``out_of_stock`` from the flag alone; anything that puts stock
back (an unpaid order closing, a cancellation, a merchant's restock, an admin edit) clears it at
once; a lost flag only sends buyers down the database path, which still refuses and flags again."""
from datetime import timedelta

import pytest
from django.utils import timezone

from affiliates.models import Sku
from affiliates.services.shops import SkuData, shop_product_update
from affiliates.stock_flags import sku_is_sold_out, sku_sold_out_mark
from core.errors import Conflict
from orders import services
from orders.models import Order, OrderStatus

from .helpers import address_of, login, place, shop_product, shopper

pytestmark = pytest.mark.django_db
API = "/api/v1/orders/"


def _sell_out(django_capture_on_commit_callbacks, stock=1):
    product, (sku,) = shop_product(stock=stock)
    with django_capture_on_commit_callbacks(execute=True):
        order = place(shopper(), product, sku, quantity=stock)
    return product, sku, order


def test_the_commit_that_takes_the_last_unit_flags_the_sku_sold_out(django_capture_on_commit_callbacks):
    product, sku, _order = _sell_out(django_capture_on_commit_callbacks, stock=2)
    assert sku_is_sold_out(sku.pk)


def test_a_late_buyer_is_refused_409_out_of_stock_without_a_single_query(
        client, django_capture_on_commit_callbacks, django_assert_num_queries):
    product, sku, _order = _sell_out(django_capture_on_commit_callbacks)
    late = shopper()
    body = {"product": product.pk, "sku": sku.pk, "quantity": 1, "address": address_of(late).pk}
    login(client, late)
    client.get(API)  # (the schema check of the tests builds the API schema once, on a first call)
    with django_assert_num_queries(0):
        response = client.post(API, body, content_type="application/json")
    assert response.status_code == 409
    assert (response.json()["error"]["code"], response.json()["error"]["field"]) == ("out_of_stock", "quantity")
    assert Order.objects.count() == 1


def test_a_late_buyer_is_answered_at_the_door_before_any_session_user_or_view(
        client, django_capture_on_commit_callbacks, monkeypatch):
    """The refusal comes from ``orders.middleware.SoldOutAtTheDoorMiddleware``: the view, the
    session and the user are never touched, and the message is in the buyer's language.
    (Mutation tried: the middleware taken out of ``MIDDLEWARE`` — the view runs and this fails.)"""
    from django.contrib.sessions.backends.base import SessionBase

    from orders.api import OrderListApi

    product, sku, _order = _sell_out(django_capture_on_commit_callbacks)
    late = shopper()
    login(client, late)
    body = {"product": product.pk, "sku": sku.pk, "quantity": 1, "address": address_of(late).pk}

    def touched(*args, **kwargs):
        raise AssertionError("reached past the door")

    monkeypatch.setattr(OrderListApi, "dispatch", touched)
    monkeypatch.setattr(SessionBase, "_get_session", touched)
    response = client.post(API, body, content_type="application/json", headers={"Accept-Language": "en"})
    assert response.status_code == 409
    assert response.json() == {"error": {"code": "out_of_stock", "message": "This spec is sold out.",
                                         "field": "quantity"}}
    zh = client.post(API, body, content_type="application/json", headers={"Accept-Language": "zh-hans"})
    assert zh.json()["error"]["message"] == "该规格已售罄。"


def test_only_a_well_formed_placement_of_a_flagged_sku_is_answered_at_the_door(
        client, django_capture_on_commit_callbacks):
    """Everything else goes on to the view and gets its usual answer: a signed-out caller 401 for a
    SKU with stock (409 for the sold-out one: signing in would not help), a malformed body 400
    naming the field, a SKU with stock a placed order."""
    product, sku, _order = _sell_out(django_capture_on_commit_callbacks)
    other, (in_stock,) = shop_product(stock=3)
    body = {"product": product.pk, "sku": sku.pk, "quantity": 1}
    assert client.post(API, body, content_type="application/json").status_code == 409
    anonymous = client.post(API, {**body, "product": other.pk, "sku": in_stock.pk}, content_type="application/json")
    assert anonymous.status_code == 401
    late = shopper()
    login(client, late)
    body["address"] = address_of(late).pk
    bad = client.post(API, {**body, "sku": "not-a-number"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "sku"
    assert client.post(API, "{not json", content_type="application/json").status_code == 400
    placed = client.post(API, {**body, "product": other.pk, "sku": in_stock.pk}, content_type="application/json")
    assert placed.status_code == 201


def test_a_closed_unpaid_order_clears_the_flag_and_the_next_buyer_gets_the_unit(
        django_capture_on_commit_callbacks):
    product, sku, order = _sell_out(django_capture_on_commit_callbacks)
    Order.objects.filter(pk=order.pk).update(pay_deadline=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.orders_close_unpaid() == 1
    assert not sku_is_sold_out(sku.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    assert place(shopper(), product, sku).status == OrderStatus.PENDING_PAYMENT


def test_a_cancelled_order_clears_the_flag(django_capture_on_commit_callbacks):
    _product, sku, order = _sell_out(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, actor=order.shopper)
    assert not sku_is_sold_out(sku.pk)


def test_a_merchant_restock_clears_the_flag_and_setting_stock_to_zero_sets_it(django_capture_on_commit_callbacks):
    _product, sku, _order = _sell_out(django_capture_on_commit_callbacks)
    shop_product = sku.product
    with django_capture_on_commit_callbacks(execute=True):
        shop_product_update(product=shop_product, title=shop_product.title, category=shop_product.category,
                            skus=[SkuData(name=sku.name, price_fen=sku.price_fen, stock=5, id=sku.pk)])
    assert not sku_is_sold_out(sku.pk)
    with django_capture_on_commit_callbacks(execute=True):
        shop_product_update(product=shop_product, title=shop_product.title, category=shop_product.category,
                            skus=[SkuData(name=sku.name, price_fen=sku.price_fen, stock=0, id=sku.pk)])
    assert sku_is_sold_out(sku.pk)


def test_an_admin_edit_of_the_stock_clears_the_flag(django_capture_on_commit_callbacks):
    _product, sku, _order = _sell_out(django_capture_on_commit_callbacks)
    sku = Sku.objects.get(pk=sku.pk)
    sku.stock = 3
    with django_capture_on_commit_callbacks(execute=True):
        sku.save()
    assert not sku_is_sold_out(sku.pk)


def test_a_lost_flag_falls_back_to_the_database_which_refuses_and_flags_again(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    product, sku, _order = _sell_out(django_capture_on_commit_callbacks)
    cache.clear()  # Redis restarted: every flag gone
    assert not sku_is_sold_out(sku.pk)
    with pytest.raises(Conflict) as refused:
        place(shopper(), product, sku)
    assert refused.value.code == "out_of_stock" and sku_is_sold_out(sku.pk)


def test_a_flag_is_never_left_on_a_sku_that_has_stock():
    _product, (sku,) = shop_product(stock=4)
    sku_sold_out_mark([sku.pk])  # e.g. a mark that raced a restock which had already committed
    assert not sku_is_sold_out(sku.pk)


def test_placing_queues_the_close_for_the_payment_deadline_itself(monkeypatch, settings,
                                                                   django_capture_on_commit_callbacks):
    """The placement's outbox event, worked off by the worker, queues the close for the deadline.
    (Mutation tried: the receiver not scheduling it leaves ``queued`` empty.)"""
    import core.outbox
    from core.outbox import outbox_dispatch
    from orders import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False  # with a real broker (eager Celery leaves it to the sweep)
    queued, handed = [], []
    monkeypatch.setattr(tasks.close_if_due_task, "apply_async", lambda args, eta: queued.append((args, eta)))
    monkeypatch.setattr(core.outbox, "_hand_over_later", handed.extend)  # the events, for the worker
    product, (sku,) = shop_product(stock=1)
    with django_capture_on_commit_callbacks(execute=True):
        order = place(shopper(), product, sku)
    assert queued == [] and handed  # nothing published by the buyer's request but the hand-over
    for event_id in handed:
        with django_capture_on_commit_callbacks(execute=True):
            outbox_dispatch(event_id=event_id)
    assert queued == [([order.pk], order.pay_deadline)]
    assert services.order_close_if_due(order_id=order.pk) is False  # not due yet: nothing moves
    with django_capture_on_commit_callbacks(execute=True):
        assert services.order_close_if_due(order_id=order.pk, now=order.pay_deadline) is True
    order.refresh_from_db()
    sku.refresh_from_db()
    assert order.status == OrderStatus.CLOSED and sku.stock == 1 and not sku_is_sold_out(sku.pk)


def test_the_live_room_says_sold_out_the_moment_the_last_unit_goes_and_buy_when_it_comes_back(
        client, django_capture_on_commit_callbacks):
    from showcase import services as showcase
    from tests.showcase.helpers import cover, creator_with_rights

    product, (sku,) = shop_product(stock=1, alliance_rate_bp=1000)  # 精选联盟: creators can sell it
    host = creator_with_rights()
    showcase.showcase_item_add(owner=host, product_id=product.pk)
    session = showcase.live_session_start(host=host, title="上链接", cover=cover(), product_ids=[product.pk])
    page = f"/live/{session.pk}/"
    assert "live-item__soldout" not in client.get(page).content.decode()  # (and now cached)
    with django_capture_on_commit_callbacks(execute=True):
        order = place(shopper(), product, sku)
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "live-item__soldout" in html and "已抢光" in html
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, actor=order.shopper)
    assert "live-item__soldout" not in client.get(page).content.decode()
