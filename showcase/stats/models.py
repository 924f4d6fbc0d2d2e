"""Per-day counters behind the data dashboard (数据看板) and the leaderboard (达人榜).

Views, impressions and clicks are buffered in the cache (see ``buffer.py``) and flushed
here by a periodic task; paid and refunded orders land here through ``sale_record`` /
``sale_refund``, each order exactly once thanks to ``SaleRecord.order_ref``.
"""
from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from showcase.channels import Channel


class DailyStat(models.Model):
    """One row per (day, creator, channel, product). ``product`` empty = events on the
    channel's page itself (a showcase or live room opened), not on one product."""

    day = models.DateField(_("day"))
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True,
        related_name="daily_stats", verbose_name=_("creator"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    product = models.ForeignKey(
        "affiliates.Product", models.CASCADE, null=True, blank=True,
        related_name="daily_stats", verbose_name=_("product"),
    )
    impressions = models.BigIntegerField(pgettext_lazy("metric", "impressions"), default=0)
    views = models.BigIntegerField(pgettext_lazy("metric", "views"), default=0)
    clicks = models.BigIntegerField(pgettext_lazy("metric", "clicks"), default=0)
    orders = models.BigIntegerField(pgettext_lazy("metric", "orders"), default=0)
    units = models.BigIntegerField(pgettext_lazy("metric", "units sold"), default=0)
    gmv_fen = models.BigIntegerField(_("GMV (fen)"), default=0)
    commission_fen = models.BigIntegerField(_("estimated commission (fen)"), default=0)

    class Meta:
        verbose_name = _("daily statistic")
        verbose_name_plural = _("daily statistics")
        constraints = [
            # Expressions so that "no creator"/"no product" rows are unique too (NULLs are
            # distinct in a plain unique index); the flush's ON CONFLICT names the same target.
            models.UniqueConstraint(
                "day", Coalesce("creator", 0), "channel", Coalesce("product", 0),
                name="stats_dailystat_unique_key",
            ),
        ]
        indexes = [
            models.Index(fields=["creator", "day"], name="stats_daily_creator_day"),
            models.Index(fields=["day"], name="stats_daily_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.creator_id} {self.channel} {self.product_id}"


class FlushBatch(models.Model):
    """A buffer batch already added to DailyStat: a second flush of the same batch (a retry
    after a crash, or two workers racing) finds its id here and adds nothing."""

    batch_id = models.CharField(max_length=64, unique=True)
    rows = models.PositiveIntegerField(default=0)
    events = models.BigIntegerField(default=0)
    flushed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("flushed batch")
        verbose_name_plural = _("flushed batches")

    def __str__(self) -> str:
        return self.batch_id


class SaleRecord(models.Model):
    """A paid order attributed to a creator and a channel; one per order reference."""

    order_ref = models.CharField(_("order reference"), max_length=64, unique=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="sale_records", verbose_name=_("creator"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    product = models.ForeignKey(
        "affiliates.Product", models.SET_NULL, null=True, blank=True,
        related_name="sale_records", verbose_name=_("product"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    gmv_fen = models.BigIntegerField(_("GMV (fen)"))
    commission_fen = models.BigIntegerField(_("estimated commission (fen)"))
    paid_at = models.DateTimeField(_("paid at"), db_index=True)
    day = models.DateField(_("day"), db_index=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attributed sale")
        verbose_name_plural = _("attributed sales")
        indexes = [models.Index(fields=["creator", "day"], name="stats_sale_creator_day")]

    def __str__(self) -> str:
        return self.order_ref


class LeaderboardEntry(models.Model):
    """The materialised ranking (达人榜), rebuilt by a periodic task."""

    class Period(models.TextChoices):
        DAY = "day", pgettext_lazy("leaderboard", "Today")
        WEEK = "week", pgettext_lazy("leaderboard", "This week")
        MONTH = "month", pgettext_lazy("leaderboard", "This month")

    class Metric(models.TextChoices):
        GMV = "gmv", _("GMV")
        SALES = "sales", _("Sales")

    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    metric = models.CharField(_("ranked by"), max_length=8, choices=Metric.choices)
    rank = models.PositiveIntegerField(_("rank"))
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="leaderboard_entries", verbose_name=_("creator"),
    )
    gmv_fen = models.BigIntegerField(_("GMV (fen)"))
    units = models.BigIntegerField(pgettext_lazy("metric", "units sold"))
    orders = models.BigIntegerField(pgettext_lazy("metric", "orders"))
    period_start = models.DateField(_("period start"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("leaderboard entry")
        verbose_name_plural = _("leaderboard entries")
        ordering = ["period", "metric", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["period", "metric", "rank"], name="stats_leaderboard_unique_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.period}/{self.metric} #{self.rank}"

    @property
    def showcase_url(self) -> str:
        from .links import showcase_url

        return showcase_url(self.creator.handle)
