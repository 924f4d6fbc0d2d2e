"""Resident ID numbers (GB 11643-1999) and the pluggable real-name verifier.

The ID number itself never leaves this module's callers unmasked: it is stored only as a
keyed HMAC-SHA256 (``settings.ID_HASH_KEY``) and a masked form such as ``110***********1234``.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from core.errors import InvalidInput
from core.normalize import id_number_normalize, name_normalize

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CODES = "10X98765432"
ID_FORMAT = re.compile(r"^[0-9]{17}[0-9X]$")
NAME_FORMAT = re.compile(r"^[\u3400-\u9fffA-Za-z][\u3400-\u9fffA-Za-z·.\- ]{0,28}[\u3400-\u9fffA-Za-z]$")


def check_code(first17: str) -> str:
    """The 18th character for the first 17 digits: sum(digit × weight) mod 11 mapped by "10X98765432"."""
    return CHECK_CODES[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalize_id_number(raw: str) -> str:
    """NFKC, ASCII digits and X only (see core.normalize); refuses any other character naming ``id_number``."""
    return id_number_normalize(raw)


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: datetime.date

    def age_on(self, day: datetime.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def parse_id_number(raw: str, *, today: datetime.date | None = None) -> ResidentId:
    """Check format, check digit and birth date; raise :class:`InvalidInput` naming ``id_number``."""
    number = normalize_id_number(raw)
    if not ID_FORMAT.match(number):
        raise InvalidInput(_("The resident ID number must be 18 characters: 17 digits and a last digit or X."),
                           field="id_number", code="id_format")
    if check_code(number[:17]) != number[17]:
        raise InvalidInput(_("The resident ID number is invalid: its check digit does not match (GB 11643)."),
                           field="id_number", code="id_checksum")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidInput(_("The birth date in the resident ID number is not a real date."),
                           field="id_number", code="id_birth_date")
    today = today or timezone.localdate()
    if birth > today or birth.year < 1900:
        raise InvalidInput(_("The birth date in the resident ID number is not possible."),
                           field="id_number", code="id_birth_date")
    return ResidentId(number=number, birth_date=birth)


def validate_name(raw: str) -> str:
    name = name_normalize(raw)
    if not NAME_FORMAT.match(name):
        raise InvalidInput(_("Enter your legal name as on your ID card (2–30 characters, no digits)."),
                           field="name", code="name_format")
    return name


def mask_id_number(number: str) -> str:
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


def mask_name(name: str) -> str:
    """张三 → *三, 张小三 → 张*三: never the whole name."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return "*" + name[-1]
    return name[0] + "*" * (len(name) - 2) + name[-1]


def hash_id_number(number: str) -> str:
    key = settings.ID_HASH_KEY.encode()
    return hmac.new(key, normalize_id_number(number).encode(), hashlib.sha256).hexdigest()


def hash_name(name: str) -> str:
    """Keyed hash (the ID hash's key) of a legal name as compared: NFKC, whitespace collapsed, stripped."""
    key = settings.ID_HASH_KEY.encode()
    return hmac.new(key, b"name:" + name_normalize(name).encode(), hashlib.sha256).hexdigest()


class RealNameVerifier:
    """Confirms that a name belongs to an ID number. Subclass for a real provider.

    :meth:`verify` first runs the local checks (format, check digit, birth date) so a
    provider is never asked about a number that cannot exist, then :meth:`confirm`.
    """

    name = "base"

    def verify(self, *, name: str, id_number: str) -> ResidentId:
        resident = parse_id_number(id_number)
        self.confirm(name=name, resident=resident)
        return resident

    def confirm(self, *, name: str, resident: ResidentId) -> None:
        """Raise :class:`InvalidInput` when the provider says the name and number do not match."""
        raise NotImplementedError


class LocalIdVerifier(RealNameVerifier):
    """Checks the GB 11643 check digit and birth date locally; has no registry to match names against."""

    name = "local"

    def confirm(self, *, name: str, resident: ResidentId) -> None:
        return None


def get_verifier() -> RealNameVerifier:
    return import_string(settings.REAL_NAME_VERIFIER)()
