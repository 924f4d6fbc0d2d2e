"""Writes of the notices app: official accounts and inbox messages."""
from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import InvalidInput, NotFound
from core.insert import insert_once, insert_rows

from .models import InboxMessage, OfficialKind

logger = logging.getLogger(__name__)

# Douyin number and profile of each official account. Nicknames are Chinese product names.
OFFICIAL_ACCOUNTS = {
    OfficialKind.COMMERCE_ASSISTANT: {
        "handle": "dianshangxiaozhushou",
        "nickname": "电商小助手",
        "bio": "抖音购物车唯一官方教学账号：官方规则、公告发布、课程上新、活动通知第一时间在这里发布。私信我，底部可申请商品分享功能。",
        "intro": _("The official teaching account of Douyin Cart: rules, announcements, new courses and activities."),
    },
    OfficialKind.SHOPPING_ASSISTANT: {
        "handle": "gouwuzhushou",
        "nickname": "购物助手",
        "bio": "小店和精选联盟订单的状态通知都会由我发给你。",
        "intro": _("Status updates of your orders from Douyin shops and the alliance."),
    },
}


def official_account(kind: str):
    """The user behind an official account, created on first use."""
    if kind not in OFFICIAL_ACCOUNTS:
        raise InvalidInput(f"Unknown official account kind: {kind}", field="kind")
    spec = OFFICIAL_ACCOUNTS[kind]
    User = get_user_model()
    user = User.objects.filter(handle=spec["handle"]).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                handle=spec["handle"], nickname=spec["nickname"], bio=spec["bio"], is_official=True,
            )
    except IntegrityError:  # created by a concurrent first use
        user = User.objects.get(handle=spec["handle"])
    return user


def official_display_name(user) -> str:
    """The official accounts' names in the reader's language; anyone else's nickname."""
    kind = official_kind_of(user)
    return str(OfficialKind(kind).label) if kind else user.display_name


def official_intro(user) -> str:
    """What an official account is for, in the reader's language (its bio otherwise)."""
    kind = official_kind_of(user)
    return str(OFFICIAL_ACCOUNTS[kind]["intro"]) if kind else user.bio


def official_kind_of(user) -> str | None:
    for kind, spec in OFFICIAL_ACCOUNTS.items():
        if user.handle == spec["handle"]:
            return kind
    return None


def _resolve_sender(sender_handle_or_user):
    if hasattr(sender_handle_or_user, "pk"):
        sender = sender_handle_or_user
    elif sender_handle_or_user in OFFICIAL_ACCOUNTS:
        sender = official_account(sender_handle_or_user)
    else:
        sender = get_user_model().objects.filter(handle=sender_handle_or_user).first()
        if sender is None:
            raise NotFound(f"No official account @{sender_handle_or_user}", field="sender")
    if not sender.is_official:
        raise InvalidInput("Only official accounts send inbox messages.", field="sender")
    return sender


def message_send(
    *, recipient, sender_handle_or_user, kind: str, title: str, body: str = "", link: str = "",
    params: dict | None = None, dedupe_key: str | None = None,
) -> InboxMessage:
    """Put a message from an official account into ``recipient``'s inbox.

    ``sender_handle_or_user`` is an official user, an ``OfficialKind`` value or a handle.
    With ``dedupe_key`` the call is idempotent per recipient (an order status change
    delivered twice still makes one message). Call it after commit
    (:func:`message_send_on_commit`) from inside a transaction that may roll back.
    """
    fields = {"kind": kind, "title": str(title), "body": str(body), "link": link, "params": params or {}}
    if dedupe_key and not hasattr(sender_handle_or_user, "pk") and sender_handle_or_user in OFFICIAL_ACCOUNTS:
        # The worker's every order status change: the official account is read in the insert
        # itself. Nothing inserted (the message exists, or the account is yet to be created):
        # the general way below tells which.
        message = InboxMessage(recipient=recipient, dedupe_key=dedupe_key, **fields)
        handle = OFFICIAL_ACCOUNTS[sender_handle_or_user]["handle"]
        if _insert_once(message, sender={"handle": handle, "is_official": True}):
            return message
    sender = _resolve_sender(sender_handle_or_user)
    fields["sender"] = sender
    if dedupe_key:
        message = InboxMessage(recipient=recipient, dedupe_key=dedupe_key, **fields)
        if _insert_once(message):
            return message
        return InboxMessage.objects.get(recipient=recipient, dedupe_key=dedupe_key)
    return InboxMessage.objects.create(recipient=recipient, **fields)


def messages_send_many(*, sender_handle_or_user, messages: list[dict]) -> int:
    """Several messages from one official account, each with a ``dedupe_key``, in one statement:
    what ``message_send`` does for each (a key the recipient has already: nothing), for the
    worker's batches of order status changes. ``messages``: dicts of ``recipient_id``, ``kind``,
    ``title``, ``body``, ``link``, ``params`` and ``dedupe_key``. Returns how many went in."""
    sender = _resolve_sender(sender_handle_or_user)
    now = timezone.now()
    rows = [InboxMessage(recipient_id=m["recipient_id"], sender=sender, kind=m["kind"], title=str(m["title"]),
                         body=str(m.get("body", "")), link=m.get("link", ""), params=m.get("params") or {},
                         dedupe_key=m["dedupe_key"], created_at=now) for m in messages]
    if any(not row.dedupe_key for row in rows):
        raise ValueError("every message sent in bulk needs a dedupe_key")
    return insert_rows(rows, _INSERTED, conflict=("recipient", "dedupe_key"), where='"dedupe_key" IS NOT NULL')


_INSERTED = ("recipient", "sender", "kind", "title", "body", "params", "link", "dedupe_key", "read_at",
             "created_at")


def _insert_once(message: InboxMessage, sender: dict | None = None) -> bool:
    """Insert ``message`` unless its recipient has one with its dedupe key (the partial unique
    index): one statement, because every order status change sends one from the worker.
    ``sender``: the filters of the sending user, read in the same statement (nothing is inserted
    when no user matches them)."""
    message.created_at = timezone.now()
    return insert_once(message, _INSERTED, conflict=("recipient", "dedupe_key"), where='"dedupe_key" IS NOT NULL',
                       lookup=("sender", get_user_model(), sender) if sender else None)


def message_send_on_commit(**kwargs) -> None:
    """:func:`message_send` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: message_send(**kwargs))


def messages_mark_read(*, recipient, sender=None, message_ids=None) -> int:
    """Mark ``recipient``'s unread messages read (of one sender, or the given ids)."""
    qs = InboxMessage.objects.filter(recipient=recipient, read_at__isnull=True)
    if sender is not None:
        qs = qs.filter(sender=sender)
    if message_ids is not None:
        qs = qs.filter(pk__in=message_ids)
    return qs.update(read_at=timezone.now())


# --- Academy (小店学院) and announcements (消息公告) -------------------------------------------

NOTIFY_CHUNK = 1000


def course_publish(*, course) -> None:
    """Publish a course (now, unless a time is set) and have the commerce assistant announce
    it to creators once the change is committed."""
    from .models import Course

    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        locked.is_published = True
        locked.published_at = locked.published_at or timezone.now()
        locked.save(update_fields=["is_published", "published_at", "updated_at"])
        course.is_published, course.published_at = locked.is_published, locked.published_at
        if locked.notified_at is None:
            transaction.on_commit(lambda: _course_notify_later(locked.pk))


def _course_notify_later(course_id: int) -> None:
    from .tasks import course_notify_task

    course_notify_task.delay(course_id)


def course_notify(*, course_id: int) -> int:
    """Send "new course" from the commerce assistant to every creator the audience hooks
    name, once per course (``notified_at``) and once per recipient (dedupe key)."""
    from django.urls import reverse
    from django.utils.translation import gettext_noop

    from .audiences import course_audience
    from .models import Course

    with transaction.atomic():
        course = Course.objects.select_for_update().filter(pk=course_id).first()
        if course is None or not course.is_published or course.notified_at is not None:
            return 0
        if course.published_at and course.published_at > timezone.now():
            return 0  # scheduled: the publish time has not come
        course.notified_at = timezone.now()
        course.save(update_fields=["notified_at"])
        sender = official_account(OfficialKind.COMMERCE_ASSISTANT)
        key = f"academy.course.{course.pk}"
        fields = {
            "sender": sender, "kind": "academy.course", "link": reverse("notices:course", args=[course.pk]),
            "title": gettext_noop("New in the academy: %(course)s"),
            "body": gettext_noop("A new course is online in the academy: %(course)s. %(summary)s"),
            "params": {"course": course.title, "summary": course.summary},
        }
        sent = 0
        user_ids = list(course_audience().exclude(pk=sender.pk).values_list("pk", flat=True))
        for start in range(0, len(user_ids), NOTIFY_CHUNK):
            batch = [InboxMessage(recipient_id=uid, dedupe_key=key, **fields)
                     for uid in user_ids[start:start + NOTIFY_CHUNK]]
            sent += len(InboxMessage.objects.bulk_create(batch, ignore_conflicts=True))
    return sent


def announcement_mark_read(*, user, announcement) -> None:
    """Remember that ``user`` opened ``announcement``; opening it again changes nothing."""
    from .models import AnnouncementRead

    AnnouncementRead.objects.bulk_create([AnnouncementRead(user=user, announcement=announcement)],
                                         ignore_conflicts=True)


def announcements_mark_all_read(*, user) -> int:
    from .models import AnnouncementRead
    from .selectors import announcements_unread

    unread = list(announcements_unread(user).values_list("pk", flat=True))
    AnnouncementRead.objects.bulk_create([AnnouncementRead(user=user, announcement_id=pk) for pk in unread],
                                         ignore_conflicts=True)
    return len(unread)
