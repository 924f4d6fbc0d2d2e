"""Dates a person reads are Shanghai dates: at 00:30 in Shanghai (16:30 UTC the day before) order,
trade and refund numbers carry the new day and a message sent then sits under the new day."""
import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories.creators import UserFactory
from tests.orders.helpers import place, shop_product, shopper

UTC = datetime.UTC
SHANGHAI_0030 = datetime.datetime(2026, 12, 1, 16, 30, tzinfo=UTC)  # 2026-12-02 00:30 in Shanghai


@pytest.fixture
def clock(monkeypatch):
    moment = {"now": SHANGHAI_0030}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    return moment


def test_the_site_reads_in_shanghai_time_and_stores_utc():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


@pytest.mark.django_db
def test_order_and_trade_numbers_carry_the_shanghai_date_after_midnight(clock):
    from orders import services
    from orders.services.refunds import _new_number as refund_number

    product, (sku,) = shop_product()
    order = place(shopper(), product, sku)
    payment = services.payment_start(order=order)
    assert order.number.startswith("261202")
    assert payment.number.startswith("P261202003000")
    assert refund_number().startswith("R261202")


@pytest.mark.django_db
def test_a_message_after_shanghai_midnight_sits_under_the_new_day(client, clock):
    from showcase.engage.models import PrivateMessage
    from showcase.engage.services.messages import private_message_send

    me, friend = UserFactory(), UserFactory()
    clock["now"] = SHANGHAI_0030 - datetime.timedelta(minutes=40)  # 23:50 on 12-01 in Shanghai
    private_message_send(sender=me, recipient=friend, body="晚安")
    clock["now"] = SHANGHAI_0030
    private_message_send(sender=friend, recipient=me, body="零点半了")
    PrivateMessage.objects.filter(body="晚安").update(created_at=SHANGHAI_0030 - datetime.timedelta(minutes=40))
    PrivateMessage.objects.filter(body="零点半了").update(created_at=SHANGHAI_0030)

    client.force_login(me)
    html = client.get(f"/messages/@{friend.handle}/").content.decode()
    assert html.index("2026-12-01") < html.index("晚安") < html.index("2026-12-02") < html.index("零点半了")
    assert "00:30" in html and "23:50" in html


@pytest.mark.django_db
def test_the_api_gives_times_with_the_shanghai_offset(api_client, clock):
    from showcase.engage.services.messages import private_message_send

    me, friend = UserFactory(), UserFactory()
    private_message_send(sender=friend, recipient=me, body="你好")
    api_client.force_authenticate(me)
    body = api_client.get("/api/v1/messages/conversations").content.decode()
    assert "2026-12-02T00:30:00+08:00" in body
