from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """Impressions and clicks recorded cheaply, aggregated per day, channel and product
    into the data dashboard (数据看板) and the leaderboard (达人榜)."""

    name = "showcase.stats"
    label = "stats"
    verbose_name = _("Data dashboard and leaderboard")

    def ready(self):
        from . import receivers  # noqa: F401  (outbox receivers: order.paid, order.refund_succeeded)
