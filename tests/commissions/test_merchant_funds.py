"""Merchant funds (小店账款) in the shop back office: sales, refunds, commission to creators (the
platform's fee is taken from it), proceeds pending until the order completes, then available and
withdrawable as a creator's commission is — to the shop owner's verified real name."""
import re

import pytest
from django.urls import reverse

from commissions.ledger import ledger_check, shop_balances
from commissions.payouts.models import Withdrawal, WithdrawalStatus
from commissions.payouts.owners import Owner
from tests.factories.affiliates import ShopFactory

from .helpers import complete, creator, refund, sale
from .withdrawal_helpers import REAL_NAME, payout_transport, request, shop_owner, verified

pytestmark = pytest.mark.django_db
PAGE = "/merchant/funds/"


@pytest.fixture
def gateway_transport():
    with payout_transport() as adapter:
        yield adapter


def _figures(html: str) -> dict[str, str]:
    """Each figure of the page (``data-figure``) as shown: the first ¥ amount after it."""
    return {name: amount for name, amount in re.findall(r'data-figure="(\w+)".*?¥([\d.]+)', html, re.S)}


@pytest.fixture
def shop():
    shop = ShopFactory()
    verified(shop.owner)
    return shop


def test_the_funds_page_follows_a_sale_a_refund_and_completion(client, shop, django_capture_on_commit_callbacks):
    me = creator()
    with django_capture_on_commit_callbacks(execute=True):
        order = sale(me, price_fen=10_000, rate_bp=2000, shop=shop)  # commission 20.00, fee 2.00
    client.force_login(shop.owner)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert _figures(page.content.decode()) == {
        "available": "0.00", "pending": "80.00", "held": "0.00", "paid_out": "0.00",
        "sales": "100.00", "refunds": "0.00", "commission": "20.00", "proceeds": "80.00"}
    assert "¥2.00" in page.content.decode()  # the fee inside the creators' commission

    refund(order, django_capture_on_commit_callbacks, amount="30")  # commission shrinks to 14.00
    after_refund = _figures(client.get(PAGE).content.decode())
    assert (after_refund["refunds"], after_refund["commission"], after_refund["proceeds"],
            after_refund["pending"], after_refund["available"]) == ("30.00", "14.00", "56.00", "56.00", "0.00")

    complete(order, django_capture_on_commit_callbacks)
    completed = _figures(client.get(PAGE).content.decode())
    assert (completed["pending"], completed["available"], completed["proceeds"]) == ("0.00", "56.00", "56.00")
    assert client.get("/api/v1/merchant/funds/").json()["available_fen"] == 5600
    assert ledger_check(record=False).ok


def test_a_shop_withdraws_its_available_proceeds_and_is_paid_out(client, shop, gateway_transport,
                                                                 django_capture_on_commit_callbacks):
    from .withdrawal_helpers import staff_in

    shop_owner(shop, available_fen=56_00)
    client.force_login(shop.owner)
    refused = client.post(PAGE, {"action": "withdraw", "amount": "56.01", "idempotency_key": "a"})
    assert refused.status_code == 400 and "¥56.00" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(PAGE, {"action": "withdraw", "amount": "50", "idempotency_key": "b"}).status_code == 302
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.owner_kind, withdrawal.owner_id) == ("shop", shop.pk)
    assert _figures(client.get(PAGE).content.decode())["held"] == "50.00"
    client.logout()
    staff_in(client, "Finance")
    assert shop.name in client.get("/admin/payouts/withdrawal/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/payouts/withdrawal/", {"action": "approve_selected", "_selected_action": [withdrawal.pk]})
    assert Withdrawal.objects.get().status == WithdrawalStatus.PAID
    b = shop_balances(shop.pk)
    assert (b.available_fen, b.held_fen, b.paid_out_fen) == (600, 0, 5000)
    assert shop.owner.inbox_messages.filter(kind="withdrawal.paid").exists()
    client.logout()
    client.force_login(shop.owner)
    assert _figures(client.get(PAGE).content.decode())["paid_out"] == "50.00"
    assert ledger_check(record=False).ok


def test_the_shops_account_holder_is_the_owners_verified_real_name_not_the_contact(api_client, shop):
    api_client.force_authenticate(shop.owner)
    contact = api_client.post("/api/v1/merchant/payout-account/", {
        "holder_name": shop.contact_name, "bank_name": "工商银行", "account_no": "6222020200001234"}, format="json")
    assert contact.status_code == 400 and contact.json()["error"]["field"] == "holder_name"
    owner = api_client.post("/api/v1/merchant/payout-account/", {
        "holder_name": REAL_NAME, "bank_name": "工商银行", "account_no": "6222020200001234"}, format="json")
    assert owner.status_code == 201
    empty = api_client.post("/api/v1/merchant/withdrawals/", {"amount": "10"}, format="json")
    assert (empty.status_code, empty.json()["error"]["field"]) == (400, "amount")


def test_shop_and_creator_money_of_one_person_stay_apart(shop):
    """A creator who also owns a shop: the shop's proceeds are not the creator's commission."""
    from commissions.payouts import services
    from core.errors import InvalidInput

    request(shop_owner(shop, available_fen=10_000), 5_000)
    creator_side = Owner.creator(shop.owner)
    services.payout_account_bind(owner=creator_side, holder_name=REAL_NAME, bank_name="工商银行",
                                 account_no="6222020200001234")
    with pytest.raises(InvalidInput) as refused:
        request(creator_side, 100)
    assert (refused.value.field, refused.value.code) == ("amount", "above_available")
    assert shop_balances(shop.pk).withdrawable_fen == 5_000


def test_only_the_shops_owner_sees_its_funds(client, shop):
    client.force_login(creator())
    assert client.get(PAGE).status_code == 404
    assert client.get("/api/v1/merchant/funds/").status_code == 404


def test_the_back_office_links_the_funds_page(client, shop):
    client.force_login(shop.owner)
    assert reverse("payouts:merchant_funds") in client.get(reverse("affiliates:merchant_home")).content.decode()
