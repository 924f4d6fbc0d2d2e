"""The double-entry ledger: post balanced transactions once, read balances, check everything.

- ``ledger_post(key=..., kind=..., legs=[(account, amount_fen), ...])`` posts one transaction
  whose legs sum to zero, or nothing when ``key`` was posted before (a replay). Entries are
  inserted in one statement; cached balances move in the same database transaction.
- On PostgreSQL triggers refuse UPDATE/DELETE of entries and transactions and an unbalanced
  transaction (migration 0002); this module refuses the same before it writes, so SQLite keeps
  the rules too.
- ``ledger_check()`` recomputes every transaction's sum and every account's balance from entries.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from core import pgprepared
from core.insert import insert_once, insert_rows
from core.prepared import Prepared

from .models import (
    OWNER_ACCOUNT_KINDS,
    AccountKind,
    LedgerAccount,
    LedgerCheckRun,
    LedgerEntry,
    LedgerTransaction,
    OwnerKind,
)

PLATFORM_OWNER_ID = 0


class UnbalancedTransaction(ValueError):
    """The legs of a transaction do not sum to zero."""


def account_get(owner_kind: str, owner_id: int, kind: str) -> LedgerAccount:
    """The account, created on first use."""
    account = LedgerAccount.objects.filter(owner_kind=owner_kind, owner_id=owner_id, kind=kind).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(owner_kind=owner_kind, owner_id=owner_id, kind=kind)
    except IntegrityError:
        return LedgerAccount.objects.get(owner_kind=owner_kind, owner_id=owner_id, kind=kind)


def accounts_get(*specs: tuple[str, int, str]) -> list[LedgerAccount]:
    """Several accounts, each ``(owner_kind, owner_id, kind)``, in one query (a sale's legs name
    two to four); one missing is created on first use as ``account_get`` does."""
    read = _ACCOUNTS.get(len(specs))
    if read is None:
        read = _ACCOUNTS.setdefault(len(specs), Prepared(_accounts_matching, *(str, int, str) * len(specs)))
    found = {(a.owner_kind, a.owner_id, a.kind): a for a in read.list(*(x for spec in specs for x in spec))}
    return [found.get(spec) or account_get(*spec) for spec in specs]


def _accounts_matching(*flat):
    wanted = Q()
    for i in range(0, len(flat), 3):
        wanted |= Q(owner_kind=flat[i], owner_id=flat[i + 1], kind=flat[i + 2])
    return LedgerAccount.objects.filter(wanted)


_ACCOUNTS: dict[int, Prepared] = {}  # by how many accounts are asked for (a sale: two or four)


def creator_account(creator_id: int, kind: str) -> LedgerAccount:
    return account_get(OwnerKind.CREATOR, creator_id, kind)


def shop_account(shop_id: int, kind: str) -> LedgerAccount:
    return account_get(OwnerKind.SHOP, shop_id, kind)


def platform_account(kind: str) -> LedgerAccount:
    return account_get(OwnerKind.PLATFORM, PLATFORM_OWNER_ID, kind)


Leg = tuple[LedgerAccount, int]


def ledger_post(*, key: str, kind: str, legs: Iterable[Leg], memo: str = "", line=None,
                at=None) -> LedgerTransaction | None:
    """Post one transaction; returns it, or ``None`` when ``key`` was posted before.

    Legs of zero are dropped; legs on the same account are merged. Raises
    ``UnbalancedTransaction`` when the amounts do not sum to zero."""
    merged: dict[int, int] = defaultdict(int)
    accounts: dict[int, LedgerAccount] = {}
    for account, amount in legs:
        merged[account.pk] += int(amount)
        accounts[account.pk] = account
    merged = {pk: amount for pk, amount in merged.items() if amount}
    if sum(merged.values()) != 0:
        raise UnbalancedTransaction(f"{key}: legs sum to {sum(merged.values())} fen, not 0")
    at = at or timezone.now()
    # No savepoint of its own: it is all or nothing with the caller's transaction (a failure here
    # fails the caller's block), or its own transaction when called outside one.
    with transaction.atomic(savepoint=False):
        txn = LedgerTransaction(key=key, kind=kind, memo=memo[:200], created_at=at)
        if not insert_once(txn, ("key", "kind", "memo", "created_at"), conflict=("key",)):
            return None  # posted before (or a concurrent post of the same event won)
        insert_rows([LedgerEntry(transaction=txn, account_id=pk, amount_fen=amount, line=line, created_at=at)
                     for pk, amount in merged.items()])
        sql, stamp = _balance_add_sql(), LedgerAccount._meta.get_field("updated_at").get_db_prep_save(at, connection)
        with connection.cursor() as cursor:
            for pk, amount in sorted(merged.items()):  # one order of row locks: no deadlocks
                pgprepared.execute(cursor, sql, [amount, stamp, pk])
    return txn


@functools.cache
def _balance_add_sql() -> str:
    """``UPDATE account SET balance = balance + %s, updated_at = %s WHERE id = %s`` (text built
    once: every sale moves two to four balances, one statement each, in the lock order)."""
    quote, meta = connection.ops.quote_name, LedgerAccount._meta
    balance, updated = (quote(meta.get_field(name).column) for name in ("balance_fen", "updated_at"))
    return (f"UPDATE {quote(meta.db_table)} SET {balance} = {balance} + %s, {updated} = %s "
            f"WHERE {quote(meta.pk.column)} = %s")


def balance_of(account: LedgerAccount) -> int:
    """The balance derived from entries (the truth the cached balance must equal)."""
    return int(LedgerEntry.objects.filter(account=account).aggregate(s=Sum("amount_fen"))["s"] or 0)


@dataclass(frozen=True)
class Balances:
    pending_fen: int = 0
    available_fen: int = 0  # may be negative: a debt taken from the next settlements
    held_fen: int = 0
    paid_out_fen: int = 0

    @property
    def withdrawable_fen(self) -> int:
        return max(self.available_fen, 0)

    @property
    def debt_fen(self) -> int:
        return max(-self.available_fen, 0)


def _owner_balances(owner_kind: str, owner_id: int) -> Balances:
    rows = dict(LedgerAccount.objects.filter(owner_kind=owner_kind, owner_id=owner_id,
                                             kind__in=OWNER_ACCOUNT_KINDS).values_list("kind", "balance_fen"))
    return Balances(pending_fen=rows.get(AccountKind.PENDING, 0), available_fen=rows.get(AccountKind.AVAILABLE, 0),
                    held_fen=rows.get(AccountKind.HELD, 0), paid_out_fen=rows.get(AccountKind.PAID_OUT, 0))


def creator_balances(creator_id: int) -> Balances:
    return _owner_balances(OwnerKind.CREATOR, creator_id)


def shop_balances(shop_id: int) -> Balances:
    return _owner_balances(OwnerKind.SHOP, shop_id)


@dataclass
class CheckResult:
    transactions: int = 0
    accounts: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def ledger_check(*, record: bool = True) -> CheckResult:
    """Every transaction balances and has entries; every cached balance equals its entries."""
    result = CheckResult()
    result.transactions = LedgerTransaction.objects.count()
    unbalanced = (LedgerEntry.objects.values("transaction_id", "transaction__key")
                  .annotate(total=Sum("amount_fen")).exclude(total=0).order_by("transaction_id"))
    for row in unbalanced[:100]:
        result.problems.append(f"transaction {row['transaction__key']} sums to {row['total']} fen, not 0")
    empty = LedgerTransaction.objects.annotate(n=Count("entries")).filter(n=0).values_list("key", flat=True)
    for key in empty[:100]:
        result.problems.append(f"transaction {key} has no entries")
    sums = dict(LedgerEntry.objects.values("account_id").annotate(total=Sum("amount_fen"))
                .values_list("account_id", "total"))
    for account in LedgerAccount.objects.all().iterator():
        result.accounts += 1
        derived = int(sums.get(account.pk) or 0)
        if account.balance_fen != derived:
            result.problems.append(f"account {account} caches {account.balance_fen} fen, its entries sum to {derived}")
    if record:
        LedgerCheckRun.objects.create(ok=result.ok, transactions=result.transactions, accounts=result.accounts,
                                      problems="\n".join(result.problems))
    return result
