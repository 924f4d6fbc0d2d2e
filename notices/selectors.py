"""Reads of the notices app: conversations and unread counts."""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q

from .models import InboxMessage
from .services import OFFICIAL_ACCOUNTS, official_account, official_display_name, official_intro


@dataclass
class Conversation:
    sender: object
    last_message: InboxMessage | None
    unread: int
    total: int

    @property
    def name(self) -> str:
        return official_display_name(self.sender)

    @property
    def intro(self) -> str:
        return official_intro(self.sender)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return InboxMessage.objects.filter(recipient=user, read_at__isnull=True).count()


def conversations_for(user) -> list[Conversation]:
    """One row per official account: the standing assistants first, then any other sender."""
    stats = {
        row["sender"]: row
        for row in InboxMessage.objects.filter(recipient=user).values("sender").annotate(
            total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True)), last=Max("created_at"),
        )
    }
    senders = [official_account(kind) for kind in OFFICIAL_ACCOUNTS]
    known = {s.pk for s in senders}
    others = get_user_model().objects.filter(pk__in=[pk for pk in stats if pk not in known])
    senders.extend(others)
    last_by_sender = {}
    for pk in stats:
        last_by_sender[pk] = InboxMessage.objects.filter(recipient=user, sender_id=pk).order_by("-created_at", "-pk").first()
    result = [
        Conversation(sender=s, last_message=last_by_sender.get(s.pk),
                     unread=stats.get(s.pk, {}).get("unread", 0), total=stats.get(s.pk, {}).get("total", 0))
        for s in senders
    ]
    result.sort(key=lambda c: (c.last_message is None, -(c.last_message.created_at.timestamp() if c.last_message else 0)))
    return result


def conversation_messages(*, user, sender):
    """Messages from ``sender`` to ``user``, oldest first as a chat reads."""
    return InboxMessage.objects.filter(recipient=user, sender=sender).order_by("created_at", "pk")


# --- Academy and announcements --------------------------------------------------------------


def courses_published(*, category: str | None = None):
    """Published courses whose time has come, with the number of their published lessons."""
    from django.utils import timezone

    from .models import Course

    qs = Course.objects.filter(is_published=True, published_at__lte=timezone.now()).annotate(
        lesson_count=Count("lessons", filter=Q(lessons__is_published=True)),
    ).order_by("order", "-published_at", "-pk")  # explicit: Meta.ordering is dropped with GROUP BY
    return qs.filter(category=category) if category else qs


def course_published(pk: int):
    return courses_published().filter(pk=pk).first()


def course_lessons(course):
    return course.lessons.filter(is_published=True)


def announcements_published():
    from django.utils import timezone

    from .models import Announcement

    now = timezone.now()
    return Announcement.objects.filter(published_at__isnull=False, published_at__lte=now).exclude(
        unpublish_at__isnull=False, unpublish_at__lte=now)


def _for_audience(qs, user):
    """Announcements for everyone, plus those for a right ``user`` holds."""
    from .audiences import rights_held

    return qs.filter(audience_right__in=["", *sorted(rights_held(user))])


def announcements_for(user, *, kind: str | None = None):
    """Published announcements, pinned first then newest, each with ``is_read`` for ``user``."""
    from django.db.models import Exists, OuterRef, Value

    from .models import AnnouncementRead

    qs = _for_audience(announcements_published(), user)
    if kind:
        qs = qs.filter(kind=kind)
    if getattr(user, "is_authenticated", False):
        qs = qs.annotate(is_read=Exists(AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user)))
    else:
        qs = qs.annotate(is_read=Value(False))
    return qs.order_by("-pinned", "-published_at", "-pk")


def announcements_unread(user):
    qs = _for_audience(announcements_published(), user)
    return qs.exclude(reads__user=user) if user.is_authenticated else qs


def announcement_unread_count(user) -> int:
    """Announcements ``user`` has not opened yet (0 for visitors: they have no read state)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return announcements_unread(user).count()


def pinned_announcements_for(user, *, limit: int = 3) -> list:
    """The pinned announcements for the top of the creator center, newest first."""
    return list(announcements_for(user).filter(pinned=True)[:limit])
