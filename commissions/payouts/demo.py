"""Demo data of withdrawals: the commissions demo creator binds a payout account in their verified
real name, withdraws part of the settled income — approved and paid through the sandbox payout
gateway's signed result — and asks for a second withdrawal that waits for Finance in admin.

The gateway's result is applied here as the notify endpoint would (no server runs during
``seed_demo``), like the orders demo applies the payment gateway's notify. Idempotent: nothing is
added once the creator has a withdrawal."""
from __future__ import annotations

from django.conf import settings

from commissions.ledger import creator_balances
from commissions.models import CommissionLine
from core.money import fen_to_yuan

from . import services
from .gateway import get_payout_gateway
from .models import Withdrawal
from .owners import Owner


def _creator_and_name():
    from creators.demo import CREATORS

    names = {spec["handle"]: spec["real_name"][0] for spec in CREATORS if spec["real_name"]}
    line = (CommissionLine.objects.filter(creator__handle__in=list(names)).select_related("creator")
            .order_by("creator__handle").first())
    return (line.creator, names[line.creator.handle]) if line else (None, "")


def seed(out) -> None:
    creator, name = _creator_and_name()
    if creator is None:
        out.write("Withdrawals: no demo creator with commission, nothing added.")
        return
    owner = Owner.creator(creator)
    if Withdrawal.objects.filter(owner_kind=owner.kind, owner_id=owner.id).exists():
        out.write(f"Withdrawals: @{creator.handle} has withdrawals, nothing added.")
        return
    available = creator_balances(creator.pk).withdrawable_fen
    if available < 2 * settings.WITHDRAWAL_MIN_FEN:
        out.write(f"Withdrawals: @{creator.handle} has too little available (¥{fen_to_yuan(available)}).")
        return
    services.payout_account_bind(owner=owner, holder_name=name, bank_name="招商银行",
                                 account_no="6225880137651234", actor=creator)
    paid, _ = services.withdrawal_request(owner=owner, amount_fen=available // 2, actor=creator,
                                          idempotency_key="demo-1")
    services.withdrawal_approve(withdrawal_id=paid.pk, actor=None)
    # What the approval's task and the sandbox's notify do after commit, done now.
    paid = services.withdrawal_payout_submit(withdrawal_id=paid.pk, notify_url="")
    gateway = get_payout_gateway(paid.gateway)
    request = gateway.request_params(number=paid.number, amount_fen=paid.amount_fen,
                                     holder_name=paid.account.holder_name, account_no=paid.account.account_no,
                                     notify_url="")
    services.payout_result_handle(gateway_name=gateway.name, params=gateway.result_params(request))
    waiting, _ = services.withdrawal_request(owner=owner, amount_fen=(available - paid.amount_fen) // 2,
                                             actor=creator, idempotency_key="demo-2")
    balances = creator_balances(creator.pk)
    out.write(f"Withdrawals: @{creator.handle} withdrew ¥{fen_to_yuan(balances.paid_out_fen)} (paid) and asked for "
              f"¥{fen_to_yuan(waiting.amount_fen)} (under review in admin, group Finance); "
              f"¥{fen_to_yuan(balances.withdrawable_fen)} still available. See /commissions/withdrawals/.")
