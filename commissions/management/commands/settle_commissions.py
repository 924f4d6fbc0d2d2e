from django.core.management.base import BaseCommand

from commissions.services import settle_due


class Command(BaseCommand):
    help = "Settle every commission line whose holding period is over (the hourly task does the same)."

    def handle(self, *args, **options):
        self.stdout.write(f"{settle_due()} commission lines settled")
