from django.core.management.base import BaseCommand

from commissions.checks import ledger_check_and_alert


class Command(BaseCommand):
    help = ("Check the ledger: every transaction sums to zero and every cached balance equals its entries. "
            "Exits 1 naming what is wrong.")

    def handle(self, *args, **options):
        result = ledger_check_and_alert()
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise SystemExit(1)
        self.stdout.write(f"ledger OK: {result.transactions} transactions, {result.accounts} accounts")
