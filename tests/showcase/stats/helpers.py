"""Creators with rights, recorded events and sales for the stats tests."""
import datetime

from django.db import transaction
from django.utils import timezone

from creators.services.rights import cart_rights_grant
from showcase.stats.services import event_record, sale_record, stats_flush
from tests.factories.creators import PASSWORD, UserFactory

_refs = iter(range(1, 10**9))


def creator_with_rights(**kwargs):
    user = UserFactory(**kwargs)
    with transaction.atomic():  # the grant locks rows (callers hold a transaction)
        cart_rights_grant(user=user, application=None, actor=None)
    return user


def login(client, user):
    assert client.login(handle=user.handle, password=PASSWORD)
    return client


def events(creator, *, kind="view", channel="showcase", n=1, product=None):
    for _ in range(n):
        event_record(kind=kind, channel=channel, creator_id=creator.pk, product_id=product.pk if product else None)


def sale(creator, *, channel="video", product=None, gmv_fen=10000, commission_fen=2000, quantity=1,
         days_ago=0, ref=None, paid_at=None):
    paid_at = paid_at or timezone.now() - datetime.timedelta(days=days_ago)
    return sale_record(creator_id=creator.pk, channel=channel, product_id=product.pk if product else None,
                       order_ref=ref or f"T{next(_refs)}", quantity=quantity, gmv_fen=gmv_fen,
                       commission_fen=commission_fen, paid_at=paid_at)


def events_on(creator, day: datetime.date, **kwargs):
    """Events recorded on an earlier day (the buffer keys by the day of recording)."""
    from unittest import mock

    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        events(creator, **kwargs)


def flush():
    return stats_flush()
