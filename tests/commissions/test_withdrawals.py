"""Withdrawals (提现): a payout account held in the verified real name; requests within the available
balance, the minimum and the daily limit, held at once, idempotent by key and never overdrawn under
concurrency; finance approves (paid through the signed sandbox payout gateway) or rejects in admin;
a rejected or failed payout gives the money back; a frozen creator is refused; the ledger balances
after every scenario."""
import threading

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection, connections
from django.urls import reverse

from commissions.ledger import creator_balances, ledger_check
from commissions.models import LedgerTransaction
from commissions.payouts import services
from commissions.payouts.models import PayoutAccount, PayoutResult, ResultOutcome, Withdrawal, WithdrawalStatus
from commissions.payouts.owners import Owner
from core.errors import Conflict, InvalidInput
from notices.models import InboxMessage
from notices.services import official_account
from tests.showcase.helpers import creator_with_rights, login

from .withdrawal_helpers import (
    FAILING_ACCOUNT_NO,
    NOTIFY,
    REAL_NAME,
    creator_owner,
    payout_transport,
    request,
    result_params,
    staff_in,
    verified,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/commissions/withdrawals/"
ACCOUNT_API = "/api/v1/commissions/payout-account/"
ADMIN = "/admin/payouts/withdrawal/"


@pytest.fixture
def gateway_transport():
    with payout_transport() as adapter:
        yield adapter


def _error(response):
    body = response.json()["error"]
    return response.status_code, body["field"], body["code"]


def _assistant_messages(user):
    return list(InboxMessage.objects.filter(recipient=user, sender=official_account("commerce_assistant"))
                .order_by("pk").values_list("kind", flat=True))


def _balances(owner):
    b = creator_balances(owner.id)
    return b.available_fen, b.held_fen, b.paid_out_fen


# --- payout accounts ---------------------------------------------------------------------------------

def test_the_account_holder_must_be_the_verified_real_name(api_client):
    owner = Owner.creator(verified(creator_with_rights()))
    api_client.force_authenticate(owner.user)
    refused = api_client.post(ACCOUNT_API, {"holder_name": "李四", "bank_name": "招商银行",
                                            "account_no": "6222020200001234"}, format="json")
    assert _error(refused) == (400, "holder_name", "not_real_name")
    assert not PayoutAccount.objects.exists()
    bound = api_client.post(ACCOUNT_API, {"holder_name": f" {REAL_NAME} ", "bank_name": "招商银行",
                                          "account_no": "6222 0202 0000 1234"}, format="json")
    assert bound.status_code == 201 and bound.json()["account_no"] == "**** 1234"
    assert api_client.get(ACCOUNT_API).json()["holder_name"] == REAL_NAME


def test_an_unverified_creator_cannot_bind_any_name():
    owner = Owner.creator(creator_with_rights())
    with pytest.raises(InvalidInput) as refused:
        services.payout_account_bind(owner=owner, holder_name=REAL_NAME, bank_name="招商银行",
                                     account_no="6222020200001234")
    assert refused.value.field == "holder_name"


@pytest.mark.parametrize("bank, number, field", [("", "6222020200001234", "bank_name"),
                                                 ("招商银行", "6222-abc", "account_no"),
                                                 ("招商银行", "12345", "account_no")])
def test_a_missing_bank_or_a_bad_account_number_is_refused_naming_the_field(api_client, bank, number, field):
    owner = Owner.creator(verified(creator_with_rights()))
    api_client.force_authenticate(owner.user)
    response = api_client.post(ACCOUNT_API, {"holder_name": REAL_NAME, "bank_name": bank, "account_no": number},
                               format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == field


def test_a_new_account_replaces_the_one_in_use_and_the_old_one_stays_in_history():
    owner = creator_owner()
    services.payout_account_bind(owner=owner, holder_name=REAL_NAME, bank_name="建设银行",
                                 account_no="6217000000005678")
    assert list(PayoutAccount.objects.filter(owner_id=owner.id).values_list("bank_name", "active")
                .order_by("pk")) == [("招商银行", False), ("建设银行", True)]
    assert PayoutAccount.history.filter(bank_name="招商银行", active=False).exists()


# --- requests ------------------------------------------------------------------------------------------

def test_a_withdrawal_holds_the_amount_at_once_and_the_creator_hears_of_it(api_client,
                                                                           django_capture_on_commit_callbacks):
    owner = creator_owner(available_fen=50_000)
    api_client.force_authenticate(owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(API, {"amount": "123.45"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount_fen"], body["status"]) == (12_345, "requested")
    assert _balances(owner) == (50_000 - 12_345, 12_345, 0)
    assert LedgerTransaction.objects.filter(key=f"withdrawal:{body['number']}:hold").exists()
    assert _assistant_messages(owner.user) == ["withdrawal.requested"]
    assert [w["number"] for w in api_client.get(API).json()["results"]] == [body["number"]]
    assert ledger_check(record=False).ok


@pytest.mark.parametrize("amount, code", [("0.99", "below_minimum"), ("500.01", "above_available"),
                                          ("abc", "invalid"), ("", "required"), ("1.234", "invalid")])
def test_an_amount_below_the_minimum_above_the_available_balance_or_malformed_is_refused_naming_amount(
        api_client, amount, code):
    owner = creator_owner(available_fen=50_000)
    api_client.force_authenticate(owner.user)
    response = api_client.post(API, {"amount": amount}, format="json")
    assert _error(response)[1:] == ("amount", code) and response.status_code == 400
    assert not Withdrawal.objects.exists() and _balances(owner) == (50_000, 0, 0)


def test_todays_total_above_the_daily_limit_is_refused_naming_amount_and_a_rejected_one_frees_its_share(
        api_client, settings):
    settings.WITHDRAWAL_DAILY_LIMIT_FEN = 100_000
    owner = creator_owner(available_fen=300_000)
    first = request(owner, 60_000)
    api_client.force_authenticate(owner.user)
    refused = api_client.post(API, {"amount": "400.01"}, format="json")
    assert _error(refused) == (400, "amount", "above_daily_limit")
    assert "400.00" in refused.json()["error"]["message"]  # what is left today
    services.withdrawal_reject(withdrawal_id=first.pk, actor=None, reason="核对中")
    assert api_client.post(API, {"amount": "1000"}, format="json").status_code == 201
    assert ledger_check(record=False).ok


def test_without_a_payout_account_the_request_is_refused_naming_the_account(api_client):
    owner = creator_owner(available_fen=50_000, account_no=None)
    api_client.force_authenticate(owner.user)
    assert _error(api_client.post(API, {"amount": "10"}, format="json")) == (400, "account", "no_payout_account")


def test_the_same_idempotency_key_and_amount_give_the_same_withdrawal_another_amount_409(api_client):
    owner = creator_owner(available_fen=50_000)
    api_client.force_authenticate(owner.user)
    first = api_client.post(API, {"amount": "100"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api_client.post(API, {"amount": "100.00"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    other = api_client.post(API, {"amount": "200"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert _error(other) == (409, "Idempotency-Key", "idempotency_key_reused")
    assert Withdrawal.objects.count() == 1 and _balances(owner) == (40_000, 10_000, 0)


def test_a_creator_with_withdrawals_frozen_is_refused_403_naming_the_penalty(api_client):
    from django.utils import timezone

    from creators.models import RuleArticle, Violation
    from creators.services import violation_confirm
    from creators.services.credit import violation_record

    owner = creator_owner(available_fen=50_000)
    rule = RuleArticle.objects.create(code="CONTENT-09", title="虚假宣传处罚规则", category="content", body="-")
    violation = violation_record(violation=Violation(
        creator=owner.user, rule=rule, severity="serious", right_kind="video", summary="夸大功效",
        occurred_on=timezone.localdate()), actor=None)
    assert violation_confirm(violation_id=violation.pk, actor=None).penalty == "freeze"
    api_client.force_authenticate(owner.user)
    response = api_client.post(API, {"amount": "10"}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "withdrawals_frozen"
    assert "虚假宣传处罚规则" in response.json()["error"]["message"]
    assert not Withdrawal.objects.exists() and _balances(owner) == (50_000, 0, 0)


def test_someone_elses_withdrawal_is_404_and_a_user_without_cart_rights_gets_403(api_client):
    mine = request(creator_owner(available_fen=10_000), 1000)
    other = creator_owner(available_fen=10_000)
    api_client.force_authenticate(other.user)
    assert api_client.get(f"{API}{mine.number}/").status_code == 404
    assert api_client.get(API).json()["results"] == []
    from tests.factories.creators import UserFactory

    api_client.force_authenticate(UserFactory())
    assert api_client.post(API, {"amount": "10"}, format="json").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_requests_never_overdraw():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    owner = creator_owner(available_fen=10_000)
    available_before = creator_balances(owner.id).available_fen
    start = threading.Barrier(50)
    outcomes = []

    def withdraw(i):
        try:
            start.wait()
            request(owner, 300, key=f"k-{i}")
            outcomes.append("ok")
        except InvalidInput as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=withdraw, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    held = sum(Withdrawal.objects.filter(owner_id=owner.id).values_list("amount_fen", flat=True))
    assert held <= available_before
    assert outcomes.count("ok") == 33 and outcomes.count("above_available") == 17  # 33 × 300 ≤ 10 000
    assert _balances(owner) == (100, 9_900, 0)
    assert ledger_check(record=False).ok


# --- finance: approve (the signed payout gateway) and reject ---------------------------------------------

def _approve_in_admin(client, withdrawal, capture):
    with capture(execute=True):
        response = client.post(ADMIN, {"action": "approve_selected", "_selected_action": [withdrawal.pk]},
                               follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert len(said) == 1 and "1" in said[0], said  # approved one, skipped none
    withdrawal.refresh_from_db()
    return withdrawal


def test_approval_pays_out_through_the_signed_gateway_result(client, gateway_transport,
                                                             django_capture_on_commit_callbacks):
    owner = creator_owner(available_fen=50_000)
    withdrawal = request(owner, 20_000)
    finance = staff_in(client, "Finance")
    withdrawal = _approve_in_admin(client, withdrawal, django_capture_on_commit_callbacks)
    assert withdrawal.status == WithdrawalStatus.PAID and withdrawal.decided_by == finance
    assert withdrawal.gateway_payout_no.startswith("SBXP")
    assert gateway_transport.calls == [("POST", NOTIFY)]  # the result came back asynchronously, signed
    assert _balances(owner) == (30_000, 0, 20_000)
    assert list(withdrawal.history.order_by("history_id").values_list("status", flat=True)) == [
        "requested", "approved", "approved", "paid"]  # requested, approved, payout sent, paid
    assert LogEntry.objects.filter(object_id=str(withdrawal.pk), user=finance).exists()
    assert PayoutResult.objects.get().outcome == ResultOutcome.APPLIED
    assert _assistant_messages(owner.user)[-2:] == ["withdrawal.approved", "withdrawal.paid"]
    assert ledger_check(record=False).ok


def test_a_forged_result_is_refused_400_and_changes_nothing(client, gateway_transport,
                                                            django_capture_on_commit_callbacks):
    owner = creator_owner(available_fen=50_000)
    withdrawal = request(owner, 20_000)
    services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=None)  # the payout is sent after commit: not yet
    withdrawal.refresh_from_db()
    forged = client.post(NOTIFY, result_params(withdrawal, secret="guessed"))
    assert forged.status_code == 400 and forged.content == b"fail"
    altered = result_params(withdrawal)
    altered["amount_fen"] = "1"
    assert client.post(NOTIFY, altered).status_code == 400
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.APPROVED and _balances(owner) == (30_000, 20_000, 0)
    assert set(PayoutResult.objects.values_list("outcome", flat=True)) == {ResultOutcome.FORGED}
    assert client.post(NOTIFY, result_params(withdrawal)).content == b"success"
    assert client.post(NOTIFY, result_params(withdrawal, notify_id="n2")).content == b"success"  # a replay
    assert client.post(NOTIFY, result_params(withdrawal, paid=False, notify_id="n3")).status_code == 400
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.PAID and _balances(owner) == (30_000, 0, 20_000)
    assert LedgerTransaction.objects.filter(key__startswith=f"withdrawal:{withdrawal.number}").count() == 2
    assert ledger_check(record=False).ok


def test_the_gateway_pays_one_withdrawal_number_once():
    from commissions.payouts.gateway import get_payout_gateway

    gateway = get_payout_gateway("sandbox")
    params = gateway.request_params(number="W1", amount_fen=100, holder_name=REAL_NAME, account_no="6222020200001234",
                                    notify_url="")
    assert gateway.submit(params) == gateway.submit(dict(params))
    params["amount_fen"] = "100000"  # altered after signing
    with pytest.raises(services.PayoutRefused):
        gateway.submit(params)


def test_a_failed_payout_releases_the_hold(client, gateway_transport, django_capture_on_commit_callbacks):
    owner = creator_owner(available_fen=50_000, account_no=FAILING_ACCOUNT_NO)
    withdrawal = request(owner, 20_000)
    staff_in(client, "Finance")
    withdrawal = _approve_in_admin(client, withdrawal, django_capture_on_commit_callbacks)
    assert (withdrawal.status, withdrawal.reason) == (WithdrawalStatus.FAILED, "ACCOUNT_FROZEN")
    assert _balances(owner) == (50_000, 0, 0)
    assert _assistant_messages(owner.user)[-1] == "withdrawal.failed"
    message = InboxMessage.objects.filter(recipient=owner.user, kind="withdrawal.failed").get()
    assert "冻结" in message.display_body  # the gateway's code, said in the reader's words
    assert ledger_check(record=False).ok


def test_rejecting_needs_a_reason_and_releases_the_hold(client, django_capture_on_commit_callbacks):
    owner = creator_owner(available_fen=50_000)
    withdrawal = request(owner, 20_000)
    finance = staff_in(client, "Finance")
    form = client.post(ADMIN, {"action": "reject_selected", "_selected_action": [withdrawal.pk]})
    assert form.status_code == 200 and "reason" in form.content.decode()
    client.post(ADMIN, {"action": "reject_selected", "_selected_action": [withdrawal.pk], "apply": "1",
                        "reason": ""})
    assert Withdrawal.objects.get(pk=withdrawal.pk).status == WithdrawalStatus.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADMIN, {"action": "reject_selected", "_selected_action": [withdrawal.pk], "apply": "1",
                            "reason": "银行卡信息有误"})
    withdrawal.refresh_from_db()
    assert (withdrawal.status, withdrawal.reason, withdrawal.decided_by) == (WithdrawalStatus.REJECTED,
                                                                             "银行卡信息有误", finance)
    assert _balances(owner) == (50_000, 0, 0)
    assert "银行卡信息有误" in LogEntry.objects.get(object_id=str(withdrawal.pk)).change_message
    message = InboxMessage.objects.get(recipient=owner.user, kind="withdrawal.rejected")
    assert "银行卡信息有误" in message.display_body
    with pytest.raises(Conflict):  # decided once
        services.withdrawal_approve(withdrawal_id=withdrawal.pk, actor=finance)
    assert ledger_check(record=False).ok


def test_a_reviewer_cannot_reach_withdrawals_in_admin_but_finance_can(client):
    withdrawal = request(creator_owner(available_fen=10_000), 1000)
    staff_in(client, "Reviewers")
    assert client.get(ADMIN).status_code == 403
    assert client.get(f"{ADMIN}{withdrawal.pk}/change/").status_code == 403
    client.logout()
    staff_in(client, "Finance")
    listing = client.get(ADMIN)
    assert listing.status_code == 200 and "¥10.00" in listing.content.decode()
    assert client.get(f"{ADMIN}{withdrawal.pk}/change/").status_code == 200
    assert client.get(f"{ADMIN}{withdrawal.pk}/history/").status_code == 200


def test_no_admin_form_edits_a_withdrawals_status_or_amount(client):
    withdrawal = request(creator_owner(available_fen=10_000), 1000)
    staff_in(client, "Finance")
    client.post(f"{ADMIN}{withdrawal.pk}/change/", {"status": "paid", "amount_fen": "1", "reason": "x"})
    withdrawal.refresh_from_db()
    assert (withdrawal.status, withdrawal.amount_fen) == (WithdrawalStatus.REQUESTED, 1000)
    assert client.get(f"{ADMIN}add/").status_code == 403


# --- the page under 佣金收入 -----------------------------------------------------------------------------

def test_the_withdrawal_page_binds_an_account_withdraws_and_shows_refusals_next_to_the_field(
        client, django_capture_on_commit_callbacks):
    owner = Owner.creator(verified(creator_with_rights()))
    from .withdrawal_helpers import fund

    fund(owner, 50_000)
    login(client, owner.user)
    income = client.get(reverse("commissions:income")).content.decode()
    assert reverse("payouts:withdrawals") in income  # linked from 佣金收入
    page = reverse("payouts:withdrawals")
    wrong = client.post(page, {"action": "bind", "holder_name": "王五", "bank_name": "招商银行",
                               "account_no": "6222020200001234"})
    assert wrong.status_code == 400 and "开户名必须是你实名认证的姓名" in wrong.content.decode()
    client.post(page, {"action": "bind", "holder_name": REAL_NAME, "bank_name": "招商银行",
                       "account_no": "6222020200001234"})
    too_much = client.post(page, {"action": "withdraw", "amount": "600", "idempotency_key": "a"})
    assert too_much.status_code == 400 and "¥500.00" in too_much.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(page, {"action": "withdraw", "amount": "120", "idempotency_key": "b"})
        client.post(page, {"action": "withdraw", "amount": "120", "idempotency_key": "b"})  # a double click
    assert done.status_code == 302
    shown = client.get(page).content.decode()
    assert Withdrawal.objects.count() == 1 and "¥120.00" in shown and "**** 1234" in shown
    assert _balances(owner) == (38_000, 12_000, 0)


def test_the_page_reads_in_english(client):
    from django.utils import translation

    owner = creator_owner(available_fen=10_000)
    request(owner, 1000)
    login(client, owner.user)
    try:
        body = client.get(reverse("payouts:withdrawals"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    finally:
        translation.activate("zh-hans")  # the request left English active in this thread
    assert "Payout account" in body and "Under review" in body
