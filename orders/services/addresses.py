"""A shopper's saved delivery addresses."""
from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import InvalidInput

from ..models import Address

PHONE = re.compile(r"^1\d{10}$")
MAX_ADDRESSES = 20


def _text(value: str, *, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("Enter the %(label)s.") % {"label": label}, field=field)
    if len(value) > max_length:
        raise InvalidInput(_("The %(label)s is at most %(max)s characters.") % {"label": label, "max": max_length},
                           field=field)
    return value


@transaction.atomic
def address_create(*, user, recipient: str, phone: str, region: str, detail: str, is_default: bool = False) -> Address:
    """Save an address; the first one (or one marked default) becomes the default."""
    recipient = _text(recipient, field="recipient", label=_("recipient"), max_length=30)
    phone = (phone or "").strip()
    if not PHONE.match(phone):
        raise InvalidInput(_("Enter an 11-digit mobile number starting with 1."), field="phone")
    region = _text(region, field="region", label=_("region"), max_length=60)
    detail = _text(detail, field="detail", label=_("street address"), max_length=120)
    mine = Address.objects.select_for_update().filter(user=user)
    count = len(list(mine))
    if count >= MAX_ADDRESSES:
        raise InvalidInput(_("You can save at most %(max)s addresses.") % {"max": MAX_ADDRESSES}, field="detail")
    is_default = is_default or count == 0
    if is_default:
        mine.update(is_default=False)
    return Address.objects.create(user=user, recipient=recipient, phone=phone, region=region, detail=detail,
                                  is_default=is_default)
