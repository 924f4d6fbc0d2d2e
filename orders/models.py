"""Orders: the tracked click every buy button goes through (attribution starts here)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from showcase.channels import Channel


class Click(models.Model):
    """One press of a buy button: who made the sale possible (creator, channel, content), for whom
    (shopper or anonymous visitor) and when. ``id`` is short and random: it rides in the source's
    sub-id field (Taobao ``external_id``, JD ``subUnionId``, ...) and comes back with the order report.

    ``channel`` is empty for a product page reached directly (a shared link); ``creator`` is empty
    when no creator brought the shopper (search) or the link named a product the creator no longer
    carries.
    """

    id = models.CharField(_("click id"), max_length=16, primary_key=True, editable=False)
    product = models.ForeignKey("affiliates.Product", models.CASCADE, related_name="clicks", verbose_name=_("product"))
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="buy_clicks", verbose_name=_("creator"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    video = models.ForeignKey("creators.Video", models.SET_NULL, null=True, blank=True, related_name="clicks",
                              verbose_name=_("video"))
    live = models.ForeignKey("showcase.LiveSession", models.SET_NULL, null=True, blank=True, related_name="clicks",
                             verbose_name=_("live session"))
    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="shopping_clicks", verbose_name=_("shopper"))
    visitor_key = models.CharField(_("visitor key"), max_length=32, blank=True, db_index=True,
                                   help_text=_("An anonymous visitor's key, kept in their session."))
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    target_url = models.URLField(_("sent to"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("clicked at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("click")
        verbose_name_plural = _("clicks")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["shopper", "product", "-created_at"], name="click_shopper_product"),
            models.Index(fields=["visitor_key", "product", "-created_at"], name="click_visitor_product"),
            models.Index(fields=["creator", "-created_at"], name="click_creator_recent"),
        ]

    def __str__(self) -> str:
        return self.id
