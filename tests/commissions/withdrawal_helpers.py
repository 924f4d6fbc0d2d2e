"""Building blocks of the withdrawal tests: a verified creator (or shop) with settled money, a
bound payout account, finance and reviewer staff, and the sandbox payout gateway's results reaching
our notify endpoint in-process."""
from __future__ import annotations

import uuid
from contextlib import contextmanager

from django.contrib.auth.models import Group
from django.urls import reverse

from commissions.ledger import account_get, ledger_post, platform_account
from commissions.models import AccountKind, OwnerKind, TransactionKind
from commissions.payouts import services
from commissions.payouts.gateway import get_payout_gateway, sign
from commissions.payouts.owners import Owner
from creators.realname import hash_name
from tests.affiliates.sandbox_transport import TESTSERVER, DjangoTestAdapter
from tests.factories.creators import PASSWORD, UserFactory, verify_real_name
from tests.showcase.helpers import creator_with_rights

REAL_NAME = "张小七"
ACCOUNT_NO = "6222020200001234"
FAILING_ACCOUNT_NO = "6222020200010000"  # the sandbox fails accounts ending in 0000
NOTIFY = reverse("payouts:notify", args=["sandbox"])


def verified(user, name: str = REAL_NAME):
    """``user`` has verified ``name`` as their real name (实名认证)."""
    from creators.models import RealNameVerification

    verification = RealNameVerification.objects.filter(user=user).first() or verify_real_name(user)
    verification.name_hash = hash_name(name)
    verification.save(update_fields=["name_hash"])
    return user


def fund(owner: Owner, fen: int) -> None:
    """Settled money in the owner's available balance (a balanced posting, as settlement makes)."""
    ledger_post(key=f"test-fund:{uuid.uuid4().hex}", kind=TransactionKind.SETTLEMENT, legs=[
        (platform_account(AccountKind.GATEWAY_CLEARING), -fen),
        (account_get(owner.kind, owner.id, AccountKind.AVAILABLE), fen)])


def creator_owner(*, available_fen: int = 0, account_no: str | None = ACCOUNT_NO) -> Owner:
    """A creator with product sharing rights and a verified real name, ``available_fen`` settled and
    (unless ``account_no`` is None) a bound payout account."""
    owner = Owner.creator(verified(creator_with_rights()))
    if available_fen:
        fund(owner, available_fen)
    if account_no:
        services.payout_account_bind(owner=owner, holder_name=REAL_NAME, bank_name="招商银行", account_no=account_no)
    return owner


def shop_owner(shop, *, available_fen: int = 0, account_no: str | None = ACCOUNT_NO) -> Owner:
    verified(shop.owner)
    owner = Owner.of_shop(shop)
    if available_fen:
        fund(owner, available_fen)
    if account_no:
        services.payout_account_bind(owner=owner, holder_name=REAL_NAME, bank_name="工商银行", account_no=account_no)
    return owner


def request(owner: Owner, fen: int, key: str = ""):
    withdrawal, _created = services.withdrawal_request(owner=owner, amount_fen=fen, idempotency_key=key,
                                                       actor=owner.user)
    return withdrawal


def staff_in(client, group_name: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    assert client.login(handle=user.handle, password=PASSWORD)
    return user


def result_params(withdrawal, *, paid: bool = True, amount_fen: int | None = None, secret: str | None = None,
                  notify_id: str = "n1") -> dict:
    """A result as the sandbox payout gateway signs it (``secret`` to forge one)."""
    gateway = get_payout_gateway("sandbox")
    params = {"notify_id": notify_id, "out_payout_no": withdrawal.number,
              "payout_no": withdrawal.gateway_payout_no or gateway.payout_no(withdrawal.number),
              "amount_fen": str(withdrawal.amount_fen if amount_fen is None else amount_fen),
              "status": "SUCCESS" if paid else "FAILED", "reason": "" if paid else "ACCOUNT_FROZEN"}
    params["sign"] = sign(params, secret or gateway.secret)
    return params


@contextmanager
def payout_transport():
    """The sandbox payout gateway's result POSTs reach our notify view in-process (use it in a
    module's fixture: ``with payout_transport() as adapter: yield adapter``)."""
    from commissions.payouts import tasks

    adapter = DjangoTestAdapter()
    tasks.get_session().mount(f"{TESTSERVER}/", adapter)
    try:
        yield adapter
    finally:
        tasks.get_session().adapters.pop(f"{TESTSERVER}/", None)


__all__ = ["ACCOUNT_NO", "FAILING_ACCOUNT_NO", "NOTIFY", "OwnerKind", "REAL_NAME", "creator_owner", "fund",
           "payout_transport", "request", "result_params", "shop_owner", "staff_in", "verified"]
