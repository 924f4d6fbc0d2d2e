"""Reads of the engage app: the feed, a video's comment area, the creator's comment desk
and private conversations. Each page costs a fixed number of queries, however many rows."""
from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from creators.models import Follow, User, Video
from showcase import selectors as showcase_selectors

from .models import Comment, Conversation, PrivateMessage

FEED_PAGE_SIZE = 5
COMMENTS_PAGE_SIZE = 20
BACKOFFICE_PAGE_SIZE = 20
THREAD_MAX_MESSAGES = 200
Visible = Comment.Status.VISIBLE


# --- the feed ----------------------------------------------------------------------------------

@dataclass
class FeedSlide:
    video: Video
    cart_products: list = field(default_factory=list)
    seeding_products: list = field(default_factory=list)
    comment_count: int = 0
    following: bool = False

    @property
    def creator(self) -> User:
        return self.video.owner


@dataclass
class FeedPage:
    slides: list[FeedSlide]
    next_cursor: str  # "" at the end


def _encode_cursor(video: Video) -> str:
    raw = f"{video.created_at.isoformat()}|{video.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime.datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.rsplit("|", 1)
        moment = parse_datetime(stamp)
        return (moment, int(pk)) if moment is not None and timezone.is_aware(moment) else None
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return None


def visible_comments_count_q(prefix: str = "comments__") -> Q:
    """Visible comments whose thread is visible too (a reply under a hidden comment is not)."""
    return Q(**{f"{prefix}status": Visible}) & (
        Q(**{f"{prefix}parent__isnull": True}) | Q(**{f"{prefix}parent__status": Visible}))


def feed_videos() -> QuerySet[Video]:
    """Public videos that have a video file, newest first, with their creator."""
    return (Video.objects.filter(is_public=True, owner__is_active=True).exclude(video_file="")
            .select_related("owner").order_by("-created_at", "-pk"))


def feed_page(*, viewer, cursor: str = "", size: int = FEED_PAGE_SIZE, first_video_id: int | None = None) -> FeedPage:
    """One page of the feed after ``cursor`` (an opaque string from the previous page).

    ``first_video_id`` puts that public video first (a shared link or a profile tile), the
    rest of the feed following it.
    """
    qs = feed_videos()
    videos: list[Video] = []
    if first_video_id and not cursor:
        first = qs.filter(pk=first_video_id).first()
        if first is not None:
            videos.append(first)
            qs = qs.exclude(pk=first.pk)
    position = _decode_cursor(cursor) if cursor else None
    if position is not None:
        moment, pk = position
        qs = qs.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
    elif cursor:
        return FeedPage([], "")
    rows = list(qs[: size + 1 - len(videos)])
    more = len(rows) > size - len(videos)
    videos += rows[: size - len(videos)]
    return FeedPage(slides_for(videos, viewer=viewer), _encode_cursor(videos[-1]) if more and videos else "")


def slides_for(videos: list[Video], *, viewer) -> list[FeedSlide]:
    """Feed slides for ``videos`` with their products, comment counts and follow state."""
    if not videos:
        return []
    ids = [v.pk for v in videos]
    cart = showcase_selectors.video_cart_products(video_ids=ids)
    seeding = showcase_selectors.video_seeding_tags(video_ids=ids)
    counts = dict(Video.objects.filter(pk__in=ids).annotate(n=Count("comments", filter=visible_comments_count_q()))
                  .values_list("pk", "n"))
    following = set()
    if getattr(viewer, "is_authenticated", False):
        following = set(Follow.objects.filter(follower_id=viewer.pk, followee_id__in={v.owner_id for v in videos})
                        .values_list("followee_id", flat=True))
    return [FeedSlide(video=v, cart_products=cart.get(v.pk, []), seeding_products=seeding.get(v.pk, []),
                      comment_count=counts.get(v.pk, 0), following=v.owner_id in following) for v in videos]


def video_for_viewer(*, video_id: int, viewer) -> Video | None:
    """A public video, or the viewer's own private one."""
    video = Video.objects.select_related("owner").filter(pk=video_id, owner__is_active=True).first()
    if video is None or not (video.is_public or getattr(viewer, "pk", None) == video.owner_id):
        return None
    return video


# --- the comment area -----------------------------------------------------------------------

def comment_threads(*, video: Video) -> QuerySet[Comment]:
    """Visible top-level comments, the pinned one first, then newest, each with its visible
    replies (oldest first, as a conversation reads)."""
    replies = (Comment.objects.filter(status=Visible).select_related("author", "reply_to")
               .order_by("created_at", "pk"))
    return (Comment.objects.filter(video=video, parent__isnull=True, status=Visible)
            .select_related("author").prefetch_related(Prefetch("replies", queryset=replies, to_attr="visible_replies"))
            .order_by("-is_pinned", "-created_at", "-pk"))


def comment_page(*, video: Video, page: int | str = 1):
    return Paginator(comment_threads(video=video), COMMENTS_PAGE_SIZE).get_page(page)


def visible_comment_count(*, video: Video) -> int:
    return Comment.objects.filter(Q(video=video) & visible_comments_count_q("")).count()


# --- the creator's comment desk (E后台) -----------------------------------------------------

def owner_comments(*, owner: User, video_id: int | None = None, mentions_product: bool | None = None,
                   status: str = "") -> QuerySet[Comment]:
    """Comments on ``owner``'s videos (visible and hidden; deleted ones are gone), newest first."""
    qs = (Comment.objects.filter(video__owner_id=owner.pk).exclude(status=Comment.Status.DELETED)
          .select_related("video", "author", "parent", "parent__author", "reply_to")
          .order_by("-created_at", "-pk"))
    if video_id:
        qs = qs.filter(video_id=video_id)
    if mentions_product is not None:
        qs = qs.filter(mentions_product=mentions_product)
    if status:
        qs = qs.filter(status=status)
    return qs


def owner_comment_page(*, owner: User, page: int | str = 1, **filters):
    return Paginator(owner_comments(owner=owner, **filters), BACKOFFICE_PAGE_SIZE).get_page(page)


def owner_videos_for_filter(owner: User) -> list[Video]:
    """The creator's videos with how many live comments each has, for the filter menu."""
    return list(Video.objects.filter(owner_id=owner.pk)
                .annotate(n=Count("comments", filter=~Q(comments__status=Comment.Status.DELETED)))
                .order_by("-created_at", "-pk").only("pk", "title", "created_at"))


# --- private messages ----------------------------------------------------------------------

@dataclass
class ConversationRow:
    conversation: Conversation
    other: User
    last_body: str
    last_sender_id: int | None
    unread: int

    @property
    def last_at(self):
        return self.conversation.last_message_at


def conversations_for(user: User, *, limit: int | None = None) -> list[ConversationRow]:
    """``user``'s private conversations, latest first, with the other person, the last
    message and how many are unread."""
    last = PrivateMessage.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-pk")
    qs = (Conversation.objects.filter(Q(user_low_id=user.pk) | Q(user_high_id=user.pk), last_message_at__isnull=False)
          .select_related("user_low", "user_high")
          .annotate(unread=Count("messages", filter=Q(messages__recipient_id=user.pk, messages__read_at__isnull=True)),
                    last_body=Subquery(last.values("body")[:1]), last_sender=Subquery(last.values("sender_id")[:1]))
          .order_by("-last_message_at", "-pk"))
    if limit:
        qs = qs[:limit]
    return [ConversationRow(c, c.user_high if c.user_low_id == user.pk else c.user_low, c.last_body or "",
                            c.last_sender, c.unread) for c in qs]


def private_unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return PrivateMessage.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def conversation_between(*, user: User, other: User) -> Conversation | None:
    low, high = sorted((user.pk, other.pk))
    return Conversation.objects.filter(user_low_id=low, user_high_id=high).first()


def conversation_of(*, user: User, conversation_id: int) -> Conversation | None:
    """One of ``user``'s conversations; anyone else's is None (a 404 to the caller)."""
    return (Conversation.objects.filter(Q(user_low_id=user.pk) | Q(user_high_id=user.pk), pk=conversation_id)
            .select_related("user_low", "user_high").first())


def thread_messages(conversation: Conversation | None) -> list[PrivateMessage]:
    """The latest messages of a conversation, oldest first as a chat reads."""
    if conversation is None:
        return []
    rows = list(PrivateMessage.objects.filter(conversation=conversation).order_by("-created_at", "-pk")
                [:THREAD_MAX_MESSAGES])
    rows.reverse()
    return rows


def messages_left_before_reply(*, sender: User, recipient: User, conversation: Conversation | None) -> int | None:
    """How many more messages ``sender`` may send before ``recipient`` replies or follows
    back; None when no limit applies (they replied or follow the sender)."""
    if conversation is not None and PrivateMessage.objects.filter(conversation=conversation,
                                                                  sender_id=recipient.pk).exists():
        return None
    if Follow.objects.filter(follower_id=recipient.pk, followee_id=sender.pk).exists():
        return None
    sent = PrivateMessage.objects.filter(conversation=conversation, sender_id=sender.pk).count() if conversation else 0
    return max(settings.PRIVATE_MESSAGES_BEFORE_REPLY - sent, 0)
