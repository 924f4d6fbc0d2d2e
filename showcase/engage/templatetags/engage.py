"""Template helpers of the feed, the comment area and the messages pages."""
from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from showcase.channels import Channel

from ..links import seeding_url

register = template.Library()


@register.simple_tag
def seeding_link(product, video, channel: str = "video") -> str:
    """``{% seeding_link product video "comment" %}``: the product's seeding page, attributed."""
    return seeding_url(product.pk, video, Channel(channel))


@register.filter
def short_count(n) -> str:
    """1234 → 1234, 12345 → 1.2w (万), as Douyin writes counts."""
    try:
        n = int(n)
    except (TypeError, ValueError):
        return ""
    if n < 10000:
        return str(n)
    return _("%(n)sw") % {"n": f"{n / 10000:.1f}".rstrip("0").rstrip(".")}


@register.filter
def ago(moment) -> str:
    """Just now / 5 min ago / 3 h ago / 2 days ago / the date."""
    if not moment:
        return ""
    seconds = (timezone.now() - moment).total_seconds()
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        return _("%(n)d min ago") % {"n": seconds // 60}
    if seconds < 86400:
        return _("%(n)d h ago") % {"n": seconds // 3600}
    if seconds < 7 * 86400:
        return _("%(n)d days ago") % {"n": seconds // 86400}
    local = timezone.localtime(moment)
    return local.strftime("%m-%d") if local.year == timezone.localtime().year else local.strftime("%Y-%m-%d")
