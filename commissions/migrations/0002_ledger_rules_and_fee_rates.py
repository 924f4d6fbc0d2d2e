"""The ledger's rules in the database (PostgreSQL), and the default technical service fees.

- Entries and transactions are never updated or deleted: a trigger refuses it.
- A transaction balances: a statement that adds entries is refused when any transaction it
  touched no longer sums to zero, and a deferred constraint trigger checks every new
  transaction again at commit (an entry added later in the same database transaction
  cannot leave it unbalanced).

SQLite keeps the same rules in ``commissions.ledger`` (the service refuses before it writes).
"""
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION commissions_ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are never changed or deleted (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER commissions_ledgerentry_append_only BEFORE UPDATE OR DELETE ON commissions_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION commissions_ledger_refuse_change();
CREATE TRIGGER commissions_ledgertransaction_append_only BEFORE UPDATE OR DELETE ON commissions_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION commissions_ledger_refuse_change();

CREATE OR REPLACE FUNCTION commissions_ledger_statement_balanced() RETURNS trigger AS $$
DECLARE bad record;
BEGIN
    SELECT e.transaction_id, SUM(e.amount_fen) AS total INTO bad
      FROM commissions_ledgerentry e
     WHERE e.transaction_id IN (SELECT DISTINCT transaction_id FROM new_entries)
     GROUP BY e.transaction_id HAVING SUM(e.amount_fen) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (sums to % fen)', bad.transaction_id, bad.total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER commissions_ledgerentry_balanced AFTER INSERT ON commissions_ledgerentry
    REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT
    EXECUTE FUNCTION commissions_ledger_statement_balanced();

CREATE OR REPLACE FUNCTION commissions_ledger_transaction_balanced() RETURNS trigger AS $$
DECLARE total bigint;
BEGIN
    SELECT COALESCE(SUM(amount_fen), 0) INTO total FROM commissions_ledgerentry WHERE transaction_id = NEW.id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % (%) does not balance at commit (sums to % fen)', NEW.id, NEW.key, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER commissions_ledgertransaction_balanced AFTER INSERT ON commissions_ledgertransaction
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION commissions_ledger_transaction_balanced();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS commissions_ledgertransaction_balanced ON commissions_ledgertransaction;
DROP TRIGGER IF EXISTS commissions_ledgerentry_balanced ON commissions_ledgerentry;
DROP TRIGGER IF EXISTS commissions_ledgertransaction_append_only ON commissions_ledgertransaction;
DROP TRIGGER IF EXISTS commissions_ledgerentry_append_only ON commissions_ledgerentry;
DROP FUNCTION IF EXISTS commissions_ledger_transaction_balanced();
DROP FUNCTION IF EXISTS commissions_ledger_statement_balanced();
DROP FUNCTION IF EXISTS commissions_ledger_refuse_change();
"""

# The guide: the platform takes a technical service fee out of the commission of every source
# whose commission it pays (10% for the alliance, tax withheld for the creator included).
DEFAULT_FEES = {"alliance": 1000, "shop": 1000, "jd": 1000, "kaola": 1000, "vip": 1000, "suning": 1000}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no parameters: % is literal
            cursor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKWARD)


def seed_fees(apps, schema_editor):
    import datetime

    FeeRate = apps.get_model("commissions", "FeeRate")
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    for source, bp in DEFAULT_FEES.items():
        if not FeeRate.objects.filter(source=source).exists():
            FeeRate.objects.create(source=source, rate_bp=bp, effective_from=start, note="default (the guide: 10%)")


class Migration(migrations.Migration):
    dependencies = [("commissions", "0001_initial")]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RunPython(seed_fees, migrations.RunPython.noop),
    ]
