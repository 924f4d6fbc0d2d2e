"""The three carts of a creator: the showcase (商品橱窗), the video cart with seeding tags, and
live sessions with their live cart.

* ``Showcase`` is one row per creator: the lock that serialises edits of that creator's window
  (size limit, positions) and the place its settings would grow.
* ``ShowcaseItem`` is a product in a window, with its creator-defined ``ShowcaseCategory``,
  the recommended (推荐) and new (上新) flags and a position (lower first).
* ``VideoProduct`` is a product on a video: a cart product (at most VIDEO_CART_MAX_PRODUCTS,
  shown with the cart tag) or a seeding tag (种草, a product page link without the cart tag).
  A product is on a video once, as one kind or the other.
* ``LiveSession`` is one broadcast (at most one live at a time per creator) and ``LiveProduct``
  its cart, picked only from the host's showcase, at most one of them "now explaining" (正在讲解).

Limits are settings; every write goes through ``showcase.services``.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from creators.models import cover_upload_to


class Showcase(models.Model):
    owner = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="showcase",
                                 verbose_name=_("creator"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("showcase")
        verbose_name_plural = _("showcases")

    def __str__(self) -> str:
        return f"@{self.owner.handle}"


class ShowcaseCategory(models.Model):
    """A creator-defined tab of the showcase, in the creator's order."""

    showcase = models.ForeignKey(Showcase, models.CASCADE, related_name="categories", verbose_name=_("showcase"))
    name = models.CharField(_("name"), max_length=20)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("showcase category")
        verbose_name_plural = _("showcase categories")
        ordering = ["showcase_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["showcase", "name"], name="showcase_category_name_uniq"),
        ]

    def __str__(self) -> str:
        return self.name


class ShowcaseItem(models.Model):
    showcase = models.ForeignKey(Showcase, models.CASCADE, related_name="items", verbose_name=_("showcase"))
    product = models.ForeignKey("affiliates.Product", models.CASCADE, related_name="showcase_items",
                                verbose_name=_("product"))
    category = models.ForeignKey(ShowcaseCategory, models.SET_NULL, null=True, blank=True, related_name="items",
                                 verbose_name=_("category"))
    position = models.PositiveIntegerField(_("position"), default=0)
    is_recommended = models.BooleanField(_("recommended"), default=False)
    is_new = models.BooleanField(_("new arrival"), default=False)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("showcase product")
        verbose_name_plural = _("showcase products")
        ordering = ["showcase_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["showcase", "product"], name="showcase_item_product_uniq"),
        ]
        indexes = [models.Index(fields=["showcase", "position"], name="showcase_item_order")]

    def __str__(self) -> str:
        return f"{self.showcase} · {self.product_id}"


class VideoProduct(models.Model):
    class Kind(models.TextChoices):
        CART = "cart", _("Cart product")
        SEEDING = "seeding", _("Seeding tag")

    video = models.ForeignKey("creators.Video", models.CASCADE, related_name="products", verbose_name=_("video"))
    product = models.ForeignKey("affiliates.Product", models.CASCADE, related_name="video_links",
                                verbose_name=_("product"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("video product")
        verbose_name_plural = _("video products")
        ordering = ["video_id", "kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["video", "product"], name="video_product_once_per_video"),
        ]
        indexes = [models.Index(fields=["video", "kind", "position"], name="video_product_order")]

    def __str__(self) -> str:
        return f"{self.video_id} · {self.get_kind_display()} · {self.product_id}"


class LiveSession(models.Model):
    class Status(models.TextChoices):
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")

    TRANSITIONS = {Status.LIVE: {Status.ENDED}, Status.ENDED: set()}

    host = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="live_sessions",
                             verbose_name=_("host"))
    title = models.CharField(_("title"), max_length=40)
    cover = models.ImageField(_("cover"), upload_to=cover_upload_to)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.LIVE)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["host"], condition=Q(status="live"), name="live_session_one_live_per_host"),
            models.CheckConstraint(condition=Q(status="live") | Q(ended_at__isnull=False),
                                   name="live_session_ended_has_time"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE


class LiveProduct(models.Model):
    session = models.ForeignKey(LiveSession, models.CASCADE, related_name="products", verbose_name=_("live session"))
    product = models.ForeignKey("affiliates.Product", models.CASCADE, related_name="live_links",
                                verbose_name=_("product"))
    position = models.PositiveIntegerField(_("position"), default=0)
    explaining = models.BooleanField(_("now explaining"), default=False)
    explaining_since = models.DateTimeField(_("explaining since"), null=True, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("live product")
        verbose_name_plural = _("live products")
        ordering = ["session_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "product"], name="live_product_once_per_session"),
            # 正在讲解: at most one product of a session at a time, whatever writes the row.
            models.UniqueConstraint(fields=["session"], condition=Q(explaining=True),
                                    name="live_product_one_explaining"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.product_id}"
