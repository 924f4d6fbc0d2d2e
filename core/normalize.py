"""One place that turns what a person typed into the one form that is compared, hashed or made unique.

Every value goes through Unicode NFKC first (full-width ``７`` becomes ``7``, ``ｘ`` becomes ``x``), then
keeps only the ASCII characters its rule allows; anything else is refused with :class:`InvalidInput`
naming the field, so two spellings of one identity can never be stored apart.
Forms, serializers and services all call these functions.
"""
from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from .errors import InvalidInput

_SPACES = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")
_ID_CHARS = re.compile(r"^[0-9X]*$")
_PHONE = re.compile(r"^[0-9]{11}$")


def nfkc(raw: str | None) -> str:
    return unicodedata.normalize("NFKC", raw or "")


def id_number_normalize(raw: str | None, *, field: str = "id_number") -> str:
    """NFKC, spaces dropped, ``x`` → ``X``; only ASCII digits and ``X`` may remain."""
    number = _SPACES.sub("", nfkc(raw)).upper()
    if not _ID_CHARS.match(number):
        raise InvalidInput(_("The resident ID number may contain only the digits 0–9 and a last X."),
                           field=field, code="id_format")
    return number


def phone_normalize(raw: str | None, *, field: str = "phone") -> str:
    """NFKC, spaces and hyphens dropped, a leading +86 / 0086 removed; exactly 11 ASCII digits."""
    phone = re.sub(r"[-()]", "", _SPACES.sub("", nfkc(raw)))
    for prefix in ("+86", "0086"):
        if phone.startswith(prefix) and len(phone) == 11 + len(prefix):
            phone = phone[len(prefix):]
    if not _PHONE.match(phone):
        raise InvalidInput(_("Enter a mainland China mobile number: 11 digits starting with 13 to 19."),
                           field=field, code="phone_format")
    return phone


def handle_normalize(raw: str | None) -> str:
    """NFKC and surrounding spaces removed; letter case is kept (uniqueness is case-insensitive)."""
    return nfkc(raw).strip()


def code_normalize(raw: str | None, *, length: int = 6, field: str = "code") -> str:
    """A numeric verification code: NFKC, spaces dropped, exactly ``length`` ASCII digits."""
    code = _SPACES.sub("", nfkc(raw))
    if not (len(code) == length and code.isascii() and code.isdigit()):
        raise InvalidInput(_("The verification code is %(length)s digits.") % {"length": length},
                           field=field, code="code_format")
    return code


def name_normalize(raw: str | None) -> str:
    """A person's name as compared and hashed: NFKC, inner whitespace collapsed, stripped."""
    return _SPACES.sub(" ", nfkc(raw)).strip()


def form_clean(form, field: str, normalizer) -> str:
    """For a Django form's ``clean_<field>``: run ``normalizer`` and show its refusal next to the field."""
    from django.core.exceptions import ValidationError

    try:
        return normalizer(form.cleaned_data.get(field))
    except InvalidInput as e:
        raise ValidationError(e.message, code=e.code)


def serializer_clean(value, normalizer):
    """For a DRF serializer's ``validate_<field>``: the same refusal as a field error."""
    from rest_framework import serializers

    try:
        return normalizer(value)
    except InvalidInput as e:
        raise serializers.ValidationError(e.message, code=e.code)
