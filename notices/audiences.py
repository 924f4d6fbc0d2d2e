"""Who hears about a new academy course. notices knows no creators or rights, so a higher
app registers, in its ``AppConfig.ready``::

    register_course_audience(provider)

where ``provider()`` returns a queryset of users (creators with product sharing rights,
followers of the commerce assistant, ...). The audience is the union of all providers.
"""
from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Q

_course_audiences: list[Callable] = []


def register_course_audience(provider: Callable) -> None:
    if provider not in _course_audiences:
        _course_audiences.append(provider)


def course_audience():
    """Active users that some provider names, each once."""
    User = get_user_model()
    if not _course_audiences:
        return User.objects.none()
    named = Q()
    for provider in _course_audiences:
        named |= Q(pk__in=provider().values("pk"))
    return User.objects.filter(named, is_active=True)


# Announcements for the holders of one right: notices does not know rights, so a higher app
# registers ``provider(user) -> set of right kinds the user may use`` in its AppConfig.ready.
_rights_providers: list[Callable] = []


def register_rights_provider(provider: Callable) -> None:
    if provider not in _rights_providers:
        _rights_providers.append(provider)


def rights_held(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    held: set[str] = set()
    for provider in _rights_providers:
        held |= set(provider(user))
    return held
