"""Commission lines and the money of native orders, moved by the events of the rooms below.

Native orders (精选联盟 and 小店, paid here) arrive as outbox events of ``orders`` (see
``orders/events.py``); outside orders (JD, Kaola, Vipshop, Suning) as order reports of the sync
room (``order_reports_stored``). Taobao sales never make a line: Taobao Union pays its creators
itself (the guide), the stats room keeps their figures.

Every change posts one ledger transaction keyed by the event, so a replay posts nothing:

- sale paid:       gateway −T, shop pending +(T − C), creator pending +net, fee revenue +fee
- refund R:        gateway +R, shop −(R − ΔC), creator −Δnet, fee revenue −Δfee (creator's
                   pending before settlement; available after it: a clawback, which may leave
                   the available balance negative — a debt the next settlements pay off)
- order completed: shop pending → shop available (the order's proceeds)
- settlement:      creator pending → available, for every line whose holding period is over
- outside report:  source clearing −ΔC, fee revenue +Δfee, creator pending/available +Δnet
"""
from __future__ import annotations

import datetime
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from affiliates.models import Product
from affiliates.sync.models import OrderReport, OrderReportStatus
from core.insert import insert_row
from core.money import apply_rate, div_round_half_up
from core.outbox import outbox_emit
from core.prepared import Prepared

from .ledger import PLATFORM_OWNER_ID, accounts_get, creator_account, ledger_post, platform_account, shop_account
from .models import (
    AccountKind,
    CommissionLine,
    FeeRate,
    LedgerAccount,
    LedgerTransaction,
    LineStatus,
    OwnerKind,
    ProceedsStatus,
    ShopProceeds,
    TransactionKind,
)

NATIVE_SOURCES = ("alliance", "shop")
# Outside sources whose commission the platform collects and pays (Taobao Union pays its own).
OUTSIDE_SOURCES = ("jd", "kaola", "vip", "suning")
COMMISSION_SETTLED = "commission.settled"
COMMISSION_CHANGED = "commission.changed"


def _announce(line: CommissionLine, *, key: str, commission_delta: int, net_delta: int) -> None:
    """Tell the rooms that show commission (the dashboard, the leaderboard) how a line moved:
    they read commission from the lines through this event, never compute it themselves."""
    if not commission_delta and not net_delta:
        return
    outbox_emit(topic=COMMISSION_CHANGED, key=f"{COMMISSION_CHANGED}:{key}", payload={
        "line_id": line.pk, "order_ref": line.order_ref, "source": line.source, "creator_id": line.creator_id,
        "channel": line.channel, "product_id": line.product_id, "paid_at": line.paid_at.isoformat(),
        "commission_delta_fen": commission_delta, "net_delta_fen": net_delta, "status": line.status,
    })


def fee_rate_at(source: str, at: datetime.datetime) -> int:
    """The technical service fee rate (bp) in force for ``source`` at ``at``."""
    rate = (FeeRate.objects.filter(source=source, effective_from__lte=at)
            .order_by("-effective_from", "-id").values_list("rate_bp", flat=True).first())
    return settings.ALLIANCE_TECH_FEE_BP if rate is None else rate


def split(commission_fen: int, fee_bp: int) -> tuple[int, int]:
    """(fee, net) of a commission: the one rounding rule of core.money, fee + net == commission."""
    fee = apply_rate(commission_fen, fee_bp)
    return fee, commission_fen - fee


def pro_rata(original_fen: int, remaining_fen: int, paid_fen: int) -> int:
    """The part of ``original_fen`` that ``remaining_fen`` of ``paid_fen`` still earns."""
    if paid_fen <= 0 or remaining_fen <= 0:
        return 0
    return div_round_half_up(original_fen * min(remaining_fen, paid_fen), paid_fen)


def _at(text: str | None) -> datetime.datetime:
    return (parse_datetime(text) if text else None) or timezone.now()


# ---------------------------------------------------------------- native orders


# Every paid order asks first whether its proceeds were written (prepared: compiled once per connection).
_PROCEEDS_OF_ORDER = Prepared(lambda order_id: ShopProceeds.objects.filter(order_id=order_id).order_by("pk")[:1],
                              int)


def native_order_paid(*, payload: dict) -> ShopProceeds:
    """The order is paid: its proceeds, and a line when a creator other than the shop's owner
    brought the sale at a commission rate above zero."""
    p = payload
    order_id, total = int(p["order_id"]), int(p["total_fen"])
    paid_at = _at(p.get("paid_at"))
    # No savepoint of its own: the receiver's delivery already runs in one, and a failure here
    # fails it whole.
    with transaction.atomic(savepoint=False):
        existing = _PROCEEDS_OF_ORDER.first(order_id)
        if existing is not None:
            return existing
        creator_id, rate = p.get("creator_id"), int(p.get("commission_rate_bp") or 0)
        line = None
        commission = fee = net = 0
        if creator_id and rate > 0 and creator_id != p.get("shop_owner_id"):
            commission = apply_rate(total, rate)
            fee_bp = fee_rate_at(p["source"], paid_at)
            fee, net = split(commission, fee_bp)
            title = Product.objects.filter(pk=p["product_id"]).values_list("title", flat=True).first() or ""
            line = CommissionLine(
                source=p["source"], order_ref=f"native:{order_id}", order_number=p["number"], creator_id=creator_id,
                shop_id=p["shop_id"], product_id=p["product_id"], title=title[:255], channel=p.get("channel") or "",
                click_id=p.get("click_id") or "", quantity=p["quantity"], paid_fen=total, rate_bp=rate,
                original_commission_fen=commission, commission_fen=commission, fee_bp=fee_bp, fee_fen=fee,
                net_fen=net, paid_at=paid_at,
            )
            insert_row(line)
        proceeds = ShopProceeds(
            order_id=order_id, order_number=p["number"], shop_id=p["shop_id"], line=line, paid_fen=total,
            commission_fen=commission, proceeds_fen=total - commission, paid_at=paid_at,
        )
        insert_row(proceeds)
        specs = [(OwnerKind.PLATFORM, PLATFORM_OWNER_ID, AccountKind.GATEWAY_CLEARING),
                 (OwnerKind.SHOP, p["shop_id"], AccountKind.PENDING)]
        amounts = [-total, total - commission]
        if line is not None:
            specs += [(OwnerKind.CREATOR, creator_id, AccountKind.PENDING),
                      (OwnerKind.PLATFORM, PLATFORM_OWNER_ID, AccountKind.FEE_REVENUE)]
            amounts += [net, fee]
        legs = list(zip(accounts_get(*specs), amounts, strict=True))
        ledger_post(key=f"sale:native:{order_id}", kind=TransactionKind.SALE, legs=legs, line=line, at=paid_at,
                    memo=p["number"])
        if line is not None:
            _announce(line, key=f"sale:native:{order_id}", commission_delta=commission, net_delta=net)
    return proceeds


class NotYetKnown(RuntimeError):
    """An event arrived before the one it follows; the outbox hands it over again later."""


def native_refund_succeeded(*, payload: dict) -> None:
    """Money went back to the shopper: the line shrinks pro rata (or is clawed back once settled),
    the shop gives back what it kept of it."""
    p = payload
    order_id, amount = int(p["order_id"]), int(p["amount_fen"])
    key = f"refund:native:{p['refund_id']}"
    with transaction.atomic():
        proceeds = ShopProceeds.objects.select_for_update().filter(order_id=order_id).first()
        if proceeds is None:
            raise NotYetKnown(f"refund {p['refund_number']} of order {p['number']} before its payment")
        if LedgerTransaction.objects.filter(key=key).exists():
            return
        refunded = min(proceeds.paid_fen, proceeds.refunded_fen + amount)
        at = _at(p.get("succeeded_at"))
        legs = [(platform_account(AccountKind.GATEWAY_CLEARING), amount)]
        commission_delta = 0
        kind = TransactionKind.REFUND
        line = (CommissionLine.objects.select_for_update().get(pk=proceeds.line_id)
                if proceeds.line_id else None)
        if line is not None:
            commission = pro_rata(line.original_commission_fen, line.paid_fen - refunded, line.paid_fen)
            fee, net = split(commission, line.fee_bp)
            commission_delta = line.commission_fen - commission
            fee_delta, net_delta = line.fee_fen - fee, line.net_fen - net
            settled = line.status in (LineStatus.SETTLED, LineStatus.CLAWED_BACK)
            creator_kind = AccountKind.AVAILABLE if settled else AccountKind.PENDING
            legs += [(creator_account(line.creator_id, creator_kind), -net_delta),
                     (platform_account(AccountKind.FEE_REVENUE), -fee_delta)]
            line.refunded_fen, line.commission_fen, line.fee_fen, line.net_fen = refunded, commission, fee, net
            fields = ["refunded_fen", "commission_fen", "fee_fen", "net_fen", "updated_at"]
            if settled and net_delta:
                kind = TransactionKind.CLAWBACK
                line.status, line.clawed_back_fen = LineStatus.CLAWED_BACK, line.clawed_back_fen + net_delta
                fields += ["status", "clawed_back_fen"]
            elif not settled and commission == 0:
                line.status, line.cancelled_at = LineStatus.CANCELLED, at
                fields += ["status", "cancelled_at"]
            line.save(update_fields=fields)
            _announce(line, key=key, commission_delta=-commission_delta, net_delta=-net_delta)
        shop_kind = AccountKind.AVAILABLE if proceeds.status == ProceedsStatus.AVAILABLE else AccountKind.PENDING
        legs.append((shop_account(proceeds.shop_id, shop_kind), -(amount - commission_delta)))
        proceeds.refunded_fen = refunded
        proceeds.commission_fen -= commission_delta
        proceeds.proceeds_fen = proceeds.paid_fen - refunded - proceeds.commission_fen
        proceeds.save(update_fields=["refunded_fen", "commission_fen", "proceeds_fen"])
        ledger_post(key=key, kind=kind, legs=legs, line=line, at=at, memo=f"{p['number']} {p['refund_number']}")


def native_order_completed(*, payload: dict) -> None:
    """The order is done: the shop's proceeds become available, the line's holding period starts."""
    p = payload
    order_id = int(p["order_id"])
    at = _at(p.get("completed_at"))
    with transaction.atomic():
        proceeds = ShopProceeds.objects.select_for_update().filter(order_id=order_id).first()
        if proceeds is None:
            raise NotYetKnown(f"order {p['number']} completed before its payment was seen")
        if proceeds.status == ProceedsStatus.AVAILABLE:
            return
        ledger_post(key=f"proceeds:native:{order_id}", kind=TransactionKind.PROCEEDS_RELEASE, at=at,
                    memo=p["number"], legs=[(shop_account(proceeds.shop_id, AccountKind.PENDING), -proceeds.proceeds_fen),
                                            (shop_account(proceeds.shop_id, AccountKind.AVAILABLE), proceeds.proceeds_fen)])
        proceeds.status, proceeds.available_at = ProceedsStatus.AVAILABLE, at
        proceeds.save(update_fields=["status", "available_at"])
        if proceeds.line_id:
            CommissionLine.objects.filter(pk=proceeds.line_id, completed_at__isnull=True).update(
                completed_at=at, settle_after=at + timedelta(days=settings.COMMISSION_HOLDING_DAYS),
                updated_at=timezone.now())


# ---------------------------------------------------------------- settlement (set-based)

_T_LINE = CommissionLine._meta.db_table
_T_ENTRY = "commissions_ledgerentry"
_T_ACCOUNT = LedgerAccount._meta.db_table


def settle_due(*, now: datetime.datetime | None = None, batch: int = 20_000) -> int:
    """Settle every estimated native line whose holding period is over: one ledger transaction
    per batch moves each creator's net from pending to available (a negative available balance —
    a debt — is paid off by it first). Statements, not a query per line. Returns lines settled."""
    now = now or timezone.now()
    # Lines whose net is zero (a commission of a fen or two, all fee) settle without money moving.
    settled = CommissionLine.objects.filter(status=LineStatus.ESTIMATED, settle_after__lte=now, net_fen=0).update(
        status=LineStatus.SETTLED, settled_at=now, settled_net_fen=0, updated_at=now)
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # one settlement run at a time
                    cursor.execute("SELECT pg_advisory_xact_lock(hashtext('commissions.settle_due'))")
            txn = LedgerTransaction.objects.create(key=f"settlement:{now:%Y%m%d}:{uuid.uuid4().hex[:16]}",
                                                   kind=TransactionKind.SETTLEMENT, created_at=now,
                                                   memo=f"settlement {now:%Y-%m-%d %H:%M}")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {_T_LINE} SET status = %s, settled_at = %s, settled_net_fen = net_fen, "
                    f"settlement_id = %s, updated_at = %s WHERE id IN (SELECT id FROM {_T_LINE} "
                    f"WHERE status = %s AND settle_after <= %s AND net_fen <> 0 ORDER BY id LIMIT %s)",
                    [LineStatus.SETTLED, now, txn.pk, now, LineStatus.ESTIMATED, now, batch])
                count = cursor.rowcount
                if not count:
                    transaction.set_rollback(True)
                    break
                cursor.execute(f"SELECT DISTINCT creator_id FROM {_T_LINE} WHERE settlement_id = %s", [txn.pk])
                creator_ids = [row[0] for row in cursor.fetchall()]
                # Both accounts of every creator in the batch exist before the entries refer to them.
                LedgerAccount.objects.bulk_create(
                    [LedgerAccount(owner_kind=OwnerKind.CREATOR, owner_id=cid, kind=kind)
                     for cid in creator_ids for kind in (AccountKind.PENDING, AccountKind.AVAILABLE)],
                    ignore_conflicts=True, batch_size=2000)
                cursor.execute(
                    f"INSERT INTO {_T_ENTRY} (transaction_id, account_id, amount_fen, line_id, created_at) "
                    f"SELECT %s, a.id, CASE WHEN a.kind = %s THEN -l.net_fen ELSE l.net_fen END, l.id, %s "
                    f"FROM {_T_LINE} l JOIN {_T_ACCOUNT} a ON a.owner_kind = %s AND a.owner_id = l.creator_id "
                    f"AND a.kind IN (%s, %s) WHERE l.settlement_id = %s",
                    [txn.pk, AccountKind.PENDING, now, OwnerKind.CREATOR, AccountKind.PENDING,
                     AccountKind.AVAILABLE, txn.pk])
                cursor.execute(
                    f"UPDATE {_T_ACCOUNT} SET balance_fen = {_T_ACCOUNT}.balance_fen + s.total, updated_at = %s "
                    f"FROM (SELECT account_id, SUM(amount_fen) AS total FROM {_T_ENTRY} WHERE transaction_id = %s "
                    f"GROUP BY account_id) AS s WHERE {_T_ACCOUNT}.id = s.account_id",
                    [now, txn.pk])
                cursor.execute(
                    f"SELECT creator_id, COUNT(*), SUM(net_fen) FROM {_T_LINE} WHERE settlement_id = %s "
                    f"GROUP BY creator_id", [txn.pk])
                per_creator = cursor.fetchall()
            # One event per batch (set-based): each creator's lines and net in it.
            outbox_emit(topic=COMMISSION_SETTLED, key=f"{COMMISSION_SETTLED}:{txn.key}", payload={
                "transaction": txn.key, "settled_at": now.isoformat(), "lines": count,
                "creators": [{"creator_id": cid, "lines": n, "net_fen": int(net or 0)} for cid, n, net in per_creator],
            })
            settled += count
        if count < batch:
            break
    return settled


# ---------------------------------------------------------------- outside orders (order reports)


def _report_commission(report: OrderReport) -> int:
    if report.status == OrderReportStatus.SETTLED:
        return report.settled_commission_fen
    if report.status in (OrderReportStatus.PAID, OrderReportStatus.CONFIRMED):
        return report.estimated_commission_fen
    return 0


def _report_creator(report: OrderReport):
    from orders.selectors import click_for_attribution  # the attribution rule lives in orders

    product = Product.objects.filter(source=report.source, external_id=report.product_external_id).first()
    if product is None or not report.click_id:
        return None, None
    click = click_for_attribution(product_id=product.pk, at=report.ordered_at, click_id=report.click_id)
    if click is None or not click.creator_id:
        return product, None
    return product, click


def external_report_apply(*, report: OrderReport) -> CommissionLine | None:
    """Make the line of one outside order follow its latest report (idempotent by its content)."""
    if report.source not in OUTSIDE_SOURCES:
        return None
    ref = f"{report.source}:{report.order_id}/{report.line_id}"
    with transaction.atomic():
        line = CommissionLine.objects.select_for_update().filter(order_ref=ref).first()
        if line is not None and line.report_version == report.content_hash:
            return line
        target = _report_commission(report)
        if line is None:
            if report.status in (OrderReportStatus.UNPAID, OrderReportStatus.INVALID):
                return None
            product, click = _report_creator(report)
            if click is None:
                return None
            paid_at = report.paid_at or report.ordered_at
            line = CommissionLine.objects.create(
                source=report.source, order_ref=ref, order_number=report.order_id, creator_id=click.creator_id,
                product=product, title=(report.title or product.title)[:255], channel=click.channel,
                click_id=click.pk, quantity=report.quantity, paid_fen=report.paid_amount_fen,
                rate_bp=report.commission_rate_bp, original_commission_fen=report.estimated_commission_fen,
                commission_fen=0, fee_bp=fee_rate_at(report.source, paid_at), fee_fen=0, net_fen=0, paid_at=paid_at,
            )
        fee, net = split(target, line.fee_bp)
        d_commission, d_fee = target - line.commission_fen, fee - line.fee_fen
        was_settled = line.status in (LineStatus.SETTLED, LineStatus.CLAWED_BACK)
        at = report.source_updated_at or timezone.now()
        legs = [(platform_account(AccountKind.SOURCE_CLEARING), -d_commission),
                (platform_account(AccountKind.FEE_REVENUE), d_fee)]
        kind = TransactionKind.REPORT
        fields = ["commission_fen", "fee_fen", "net_fen", "paid_fen", "quantity", "report_version", "updated_at"]
        if was_settled:
            legs.append((creator_account(line.creator_id, AccountKind.AVAILABLE), net - line.net_fen))
            if net < line.net_fen:
                kind = TransactionKind.CLAWBACK
                line.status, line.clawed_back_fen = LineStatus.CLAWED_BACK, line.clawed_back_fen + line.net_fen - net
                fields += ["status", "clawed_back_fen"]
        elif report.status == OrderReportStatus.SETTLED:
            legs += [(creator_account(line.creator_id, AccountKind.PENDING), -line.net_fen),
                     (creator_account(line.creator_id, AccountKind.AVAILABLE), net)]
            # The sources give no settlement date of its own: the report changed to settled then.
            line.status, line.settled_at, line.settled_net_fen = LineStatus.SETTLED, at, net
            line.completed_at = line.completed_at or report.finished_at or at
            fields += ["status", "settled_at", "settled_net_fen", "completed_at"]
        else:
            legs.append((creator_account(line.creator_id, AccountKind.PENDING), net - line.net_fen))
            if report.status == OrderReportStatus.INVALID:
                line.status, line.cancelled_at = LineStatus.CANCELLED, at
                fields += ["status", "cancelled_at"]
            elif line.status == LineStatus.CANCELLED and target:
                line.status, line.cancelled_at = LineStatus.ESTIMATED, None
                fields += ["status", "cancelled_at"]
        report_key, d_net = f"report:{line.pk}:{report.content_hash}", net - line.net_fen
        line.commission_fen, line.fee_fen, line.net_fen = target, fee, net
        line.paid_fen, line.quantity, line.report_version = report.paid_amount_fen, report.quantity, report.content_hash
        line.save(update_fields=fields)
        _announce(line, key=report_key, commission_delta=d_commission, net_delta=d_net)
        ledger_post(key=report_key, kind=kind, legs=legs, line=line, at=at,
                    memo=f"{report.get_source_display()} {report.order_id}")
    return line


def external_reports_apply(*, report_ids: list[int]) -> int:
    changed = 0
    for report in OrderReport.objects.filter(pk__in=report_ids, source__in=OUTSIDE_SOURCES).order_by("pk"):
        if external_report_apply(report=report) is not None:
            changed += 1
    return changed
