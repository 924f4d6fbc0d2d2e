"""佣金收入 as the creator sees it: totals from the ledger, lines with order, product, source,
channel, rate, commission, fee, net, status and dates; filters; CSV; the daily chart; the API."""
import csv
import io

import pytest
from django.utils import translation

from tests.showcase.helpers import login

from .helpers import complete, creator, line_of, refund, sale, settle_due

pytestmark = pytest.mark.django_db
URL = "/commissions/income/"


@pytest.fixture
def income(django_capture_on_commit_callbacks):
    me = creator()
    with django_capture_on_commit_callbacks(execute=True):
        settled = sale(me, price_fen=10_000, rate_bp=2000)
        estimated = sale(me, price_fen=5_000, rate_bp=1000)
    complete(settled, django_capture_on_commit_callbacks)
    line = line_of(settled)
    type(line).objects.filter(pk=line.pk).update(settle_after=line.settle_after.replace(year=2000))
    settle_due()
    refund(estimated, django_capture_on_commit_callbacks, amount="10")
    return me, settled, estimated


def test_the_page_shows_available_estimated_and_settled_net_after_the_fee(client, income):
    me, settled, estimated = income
    with translation.override("zh-hans"):
        body = login(client, me).get(URL).content.decode()
    assert 'id="income-available">¥18.00<' in body  # 2000 commission − 10% fee
    assert "¥3.60" in body  # 500 × 4000/5000 = 400 commission, 360 net after a ¥10 refund
    assert 'id="taobao-note"' in body  # Taobao income is not here, and the page says so
    assert f'data-line="native:{settled.pk}" data-status="settled"' in body


def test_lines_filter_by_status_and_a_bad_status_names_the_field(client, income):
    me, settled, estimated = income
    login(client, me)
    body = client.get(URL, {"status": "estimated"}).content.decode()
    assert estimated.number in body and settled.number not in body
    response = client.get("/api/v1/commissions/lines/", {"status": "paid"})
    assert response.status_code == 400 and response.json()["error"]["field"] == "status"


def test_the_api_gives_the_summary_and_the_lines_with_every_column(client, income):
    me, settled, estimated = income
    login(client, me)
    summary = client.get("/api/v1/commissions/summary/").json()
    assert (summary["available_fen"], summary["estimated_fen"], summary["settled_fen"], summary["debt_fen"]) == (
        1800, 360, 1800, 0)
    lines = client.get("/api/v1/commissions/lines/", {"source": "alliance"}).json()
    assert lines["count"] == 2
    row = next(r for r in lines["results"] if r["order"] == settled.number)
    assert (row["commission_fen"], row["fee_fen"], row["net_fen"], row["status"], row["channel"]) == (
        2000, 200, 1800, "settled", "showcase")


def test_csv_export_has_one_row_per_line_in_yuan(client, income):
    me, settled, estimated = income
    login(client, me)
    with translation.override("en"):
        response = client.get("/commissions/income/lines.csv", HTTP_ACCEPT_LANGUAGE="en")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3 and rows[0][0] == "Order"
    assert any(r[0] == settled.number and r[9] == "18.00" for r in rows[1:])
    api = client.get("/api/v1/commissions/lines/", {"format": "csv"})
    assert api.status_code == 200 and api["Content-Type"].startswith("text/csv")


def test_the_chart_has_a_bar_per_day_with_the_days_net(client, income):
    me, *_ = income
    body = login(client, me).get(URL).content.decode()
    assert body.count('class="income-chart__bar"') == 30
    assert 'data-net="2160"' in body  # today: 1800 settled + 360 estimated


def test_someone_elses_lines_never_show(client, income):
    other = creator()
    login(client, other)
    assert client.get("/api/v1/commissions/lines/").json()["count"] == 0
    assert client.get("/api/v1/commissions/summary/").json()["available_fen"] == 0


@pytest.mark.parametrize("lang, words", [
    ("zh-hans", ["可提现", "预估（待结算）", "已结算", "提现中", "已提现", "佣金明细", "技术服务费", "淘宝联盟"]),
    ("en", ["Available to withdraw", "Estimated (not settled)", "Settled", "Withdrawing", "Withdrawn",
            "Commission lines", "technical service fee", "Taobao Union"]),
])
def test_the_page_reads_right_in_both_languages(client, income, lang, words):
    me, *_ = income
    login(client, me)
    client.cookies["django_language"] = lang
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    missing = [w for w in words if w not in body]
    assert not missing


def test_income_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get("/api/v1/commissions/summary/").status_code in (401, 403)


@pytest.mark.parametrize("param, value", [("page", "0"), ("page", "x"), ("page_size", "201"), ("page_size", "-1")])
def test_a_page_or_page_size_out_of_range_is_refused_naming_it(client, param, value):
    from tests.showcase.helpers import creator_with_rights

    login(client, creator_with_rights())
    response = client.get("/api/v1/commissions/lines/", {param: value})
    assert response.status_code == 400 and response.json()["error"]["field"] == param
