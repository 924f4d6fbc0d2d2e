"""Follows. The fans and following counts move with the Follow rows, in the same
transaction, by F() updates in primary-key order, so concurrent follows neither lose an
update, nor deadlock, nor double-count."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, InvalidInput

from ..models import Follow, User


def _bump_counts(*, follower_id: int, followee_id: int, delta: int) -> None:
    updates = {
        followee_id: {"fans_count": F("fans_count") + delta},
        follower_id: {"following_count": F("following_count") + delta},
    }
    for pk in sorted(updates):  # pk order: two users following each other cannot deadlock
        User.objects.filter(pk=pk).update(**updates[pk])


@transaction.atomic
def follow_create(*, follower: User, followee: User) -> Follow:
    if follower.pk == followee.pk:
        raise InvalidInput(_("You cannot follow yourself."), field="followee", code="self_follow")
    try:
        with transaction.atomic():
            follow = Follow.objects.create(follower=follower, followee=followee)
    except IntegrityError:
        raise Conflict(_("You already follow this account."), field="followee", code="already_following")
    _bump_counts(follower_id=follower.pk, followee_id=followee.pk, delta=1)
    return follow


@transaction.atomic
def follow_delete(*, follower: User, followee: User) -> bool:
    """Unfollow; returns False (and changes nothing) when there was no follow."""
    deleted, _counts = Follow.objects.filter(follower=follower, followee=followee).delete()
    if not deleted:
        return False
    _bump_counts(follower_id=follower.pk, followee_id=followee.pk, delta=-1)
    return True


def follow_counts_recompute(*, user_ids=None) -> int:
    """Set fans/following counts from the Follow rows (after bulk loads or as a repair)."""
    fans = Follow.objects.filter(followee=OuterRef("pk")).order_by().values("followee").annotate(n=Count("pk")).values("n")
    following = (Follow.objects.filter(follower=OuterRef("pk")).order_by().values("follower")
                 .annotate(n=Count("pk")).values("n"))
    qs = User.objects.all() if user_ids is None else User.objects.filter(pk__in=user_ids)
    return qs.update(fans_count=Coalesce(Subquery(fans), Value(0)),
                     following_count=Coalesce(Subquery(following), Value(0)))
