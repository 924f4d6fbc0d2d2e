"""The ways a shopper meets a product; every view, click and sale records one."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SHOWCASE = "showcase", _("Showcase")
    VIDEO = "video", _("Video")
    LIVE = "live", _("Live")
    SEARCH = "search", _("Search")
    COMMENT = "comment", _("Comment entry")
