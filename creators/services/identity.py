"""Real-name verification (实名认证). The ID number is checked, hashed and masked here and
never stored, logged or returned in clear."""
from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, InvalidInput

from ..models import RealNameVerification, User
from ..realname import get_verifier, hash_id_number, hash_name, mask_id_number, mask_name, validate_name

logger = logging.getLogger(__name__)


def _id_taken() -> Conflict:
    return Conflict(_("This ID number has already verified another account."), field="id_number", code="id_taken")


def real_name_verify(*, user: User, name: str, id_number: str) -> RealNameVerification:
    if RealNameVerification.objects.filter(user=user).exists():
        raise Conflict(_("Your real name is already verified."), field="id_number", code="already_verified")
    name = validate_name(name)
    verifier = get_verifier()
    resident = verifier.verify(name=name, id_number=id_number)
    if resident.age_on(timezone.localdate()) < settings.MIN_SELLER_AGE:
        raise InvalidInput(
            _("Minors may not sell: you must be at least %(age)s years old.") % {"age": settings.MIN_SELLER_AGE},
            field="id_number", code="minor",
        )
    id_hash = hash_id_number(resident.number)
    if RealNameVerification.objects.filter(id_number_hash=id_hash).exists():
        raise _id_taken()
    try:
        with transaction.atomic():
            record = RealNameVerification.objects.create(
                user=user, name_masked=mask_name(name), name_hash=hash_name(name), id_number_hash=id_hash,
                id_number_masked=mask_id_number(resident.number), verifier=verifier.name,
                verified_at=timezone.now(),
            )
    except IntegrityError:  # the same ID (or user) verified concurrently
        if RealNameVerification.objects.filter(user=user).exists():
            raise Conflict(_("Your real name is already verified."), field="id_number", code="already_verified")
        raise _id_taken()
    logger.info("real name verified user=%s id=%s verifier=%s", user.pk, record.id_number_masked, verifier.name)
    return record
