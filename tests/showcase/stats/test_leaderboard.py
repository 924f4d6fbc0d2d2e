"""The leaderboard (达人榜): creators ranked by paid GMV and by units sold for the day,
week and month, materialised by a periodic task, each row linking to a showcase."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from showcase.stats.models import LeaderboardEntry
from showcase.stats.services import leaderboard_refresh, period_start, sale_refund
from tests.factories.creators import UserFactory

from .helpers import sale

pytestmark = pytest.mark.django_db
URL = "/stats/leaderboard/"


def _ranking(period="day", metric="gmv"):
    return [e.creator.handle for e in LeaderboardEntry.objects.filter(period=period, metric=metric).order_by("rank")]


def test_creators_rank_by_paid_gmv_and_by_units_differently():
    big_ticket, volume = UserFactory(handle="big_ticket"), UserFactory(handle="volume")
    sale(big_ticket, gmv_fen=100000, commission_fen=1000, quantity=1)
    sale(volume, gmv_fen=30000, commission_fen=1000, quantity=30)
    leaderboard_refresh()
    assert _ranking(metric="gmv") == ["big_ticket", "volume"]
    assert _ranking(metric="sales") == ["volume", "big_ticket"]


def test_periods_count_today_this_week_and_this_month():
    wednesday = datetime.date(2026, 11, 25)

    def at(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(20, 30)))

    for handle, day, gmv in [("today", wednesday, 100), ("monday", datetime.date(2026, 11, 23), 200),
                             ("early_month", datetime.date(2026, 11, 2), 300),
                             ("last_month", datetime.date(2026, 10, 31), 400)]:
        sale(UserFactory(handle=handle), gmv_fen=gmv, commission_fen=0, paid_at=at(day))
    leaderboard_refresh(today=wednesday)
    assert _ranking("day") == ["today"]
    assert _ranking("week") == ["monday", "today"]
    assert _ranking("month") == ["early_month", "monday", "today"]


def test_a_sale_from_last_month_is_on_no_board():
    creator = UserFactory()
    sale(creator, gmv_fen=1000, commission_fen=0, days_ago=40)
    leaderboard_refresh()
    assert not LeaderboardEntry.objects.exists()


def test_refunded_orders_leave_the_ranking():
    honest, refunded = UserFactory(handle="honest"), UserFactory(handle="refunded")
    sale(honest, gmv_fen=1000, commission_fen=0)
    record = sale(refunded, gmv_fen=90000, commission_fen=0)
    sale_refund(order_ref=record.order_ref)
    leaderboard_refresh()
    assert _ranking() == ["honest"]


def test_a_refresh_replaces_the_previous_ranking():
    a, b = UserFactory(handle="a_creator"), UserFactory(handle="b_creator")
    sale(a, gmv_fen=2000, commission_fen=0)
    sale(b, gmv_fen=1000, commission_fen=0)
    leaderboard_refresh()
    sale(b, gmv_fen=5000, commission_fen=0)
    leaderboard_refresh()
    assert _ranking() == ["b_creator", "a_creator"]
    assert LeaderboardEntry.objects.filter(period="day", metric="gmv").count() == 2


def test_the_page_lists_the_ranking_and_links_each_creator_to_their_showcase(client):
    creator = UserFactory(handle="linlin_test", nickname="琳琳")
    sale(creator, gmv_fen=12345, commission_fen=0, quantity=3)
    leaderboard_refresh()
    response = client.get(URL, {"period": "week", "by": "sales"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/@linlin_test/showcase/"' in body
    assert "琳琳" in body and "123.45" in body


def test_the_page_is_public_and_its_url_names_are_stable(client):
    assert reverse("stats:leaderboard") == URL
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("params,field", [({"period": "year"}, "period"), ({"by": "fans"}, "by")])
def test_unknown_tabs_are_a_400_naming_the_field(client, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert f'data-error-field="{field}"' in response.content.decode()


def test_the_api_gives_the_ranking_with_showcase_links(api_client):
    creator = UserFactory(handle="guoge_test")
    sale(creator, gmv_fen=8800, commission_fen=0, quantity=2)
    leaderboard_refresh()
    data = api_client.get("/api/v1/stats/leaderboard", {"period": "month", "by": "gmv"}).json()
    assert data["results"] == [{"rank": 1, "handle": "guoge_test", "nickname": creator.nickname, "gmv_fen": 8800,
                                "units": 2, "orders": 1, "showcase_url": "/@guoge_test/showcase/"}]
    assert api_client.get("/api/v1/stats/leaderboard", {"period": "x"}).json()["error"]["field"] == "period"


def test_the_schedule_runs_the_flush_every_minute_and_the_leaderboard_refresh():
    from showcase.stats.schedules import SCHEDULE
    from showcase.stats.tasks import leaderboard_refresh_task, stats_flush_task

    tasks = {spec["task"]: spec["every"] for spec in SCHEDULE.values()}
    assert tasks[stats_flush_task.name] == 60
    assert leaderboard_refresh_task.name in tasks


def test_tasks_call_the_services():
    from showcase.stats.services import event_record
    from showcase.stats.tasks import leaderboard_refresh_task, stats_flush_task

    creator = UserFactory()
    event_record(kind="view", channel="video", creator_id=creator.pk)
    assert stats_flush_task.delay().get()["events"] == 1
    sale(creator, gmv_fen=100, commission_fen=0, days_ago=0)
    assert leaderboard_refresh_task.delay().get() == 6  # 3 periods × 2 metrics × 1 creator


def test_period_start_of_each_tab():
    wednesday = datetime.date(2026, 11, 25)
    assert period_start("day", wednesday) == wednesday
    assert period_start("week", wednesday) == datetime.date(2026, 11, 23)
    assert period_start("month", wednesday) == datetime.date(2026, 11, 1)
