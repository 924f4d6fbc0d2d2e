"""Accounts: sign-up, API tokens and profile edits."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from rest_framework.authtoken.models import Token

from core.errors import Conflict, InvalidInput, Unauthenticated
from core.normalize import handle_normalize
from notices.models import OfficialKind
from notices.services import message_send

from ..models import handle_validator
from ..security import LoginLocked
from ..uploads import validate_image

User = get_user_model()
# Path words that a Douyin number may not take (/api/v1/creators/me is the caller's own profile).
RESERVED_HANDLES = {"me", "admin", "api", "static", "media"}


def _handle_taken() -> Conflict:
    return Conflict(_("This Douyin number is already taken."), field="handle", code="handle_taken")


def user_signup(*, handle: str, nickname: str, password: str, bio: str = "") -> User:
    handle = handle_normalize(handle)
    nickname = (nickname or "").strip()
    try:
        handle_validator(handle)
    except ValidationError as e:
        raise InvalidInput(e.messages[0], field="handle", code="invalid_handle")
    if not nickname or len(nickname) > 40:
        raise InvalidInput(_("Enter a nickname of 1–40 characters."), field="nickname", code="invalid_nickname")
    if handle.lower() in RESERVED_HANDLES or User.objects.filter(handle__iexact=handle).exists():
        raise _handle_taken()
    candidate = User(handle=handle, nickname=nickname)
    try:
        password_validation.validate_password(password or "", user=candidate)
    except ValidationError as e:
        raise InvalidInput(" ".join(e.messages), field="password", code="weak_password")
    try:
        with transaction.atomic():
            user = User.objects.create_user(handle=handle, nickname=nickname, password=password, bio=bio)
            transaction.on_commit(lambda: welcome_message_send(user=user))
    except IntegrityError:
        raise _handle_taken()
    return user


def welcome_message_send(*, user: User) -> None:
    """The commerce assistant greets every new account and says how to open product sharing."""
    message_send(
        recipient=user, sender_handle_or_user=OfficialKind.COMMERCE_ASSISTANT, kind="welcome", dedupe_key="welcome",
        title=gettext_noop("Welcome! I am the commerce assistant"),
        body=gettext_noop("Official rules, announcements, new courses and activities are posted here first. Once you "
                          "have %(fans)s fans and %(videos)s public original videos, a bound phone and a verified real "
                          "name, apply for product sharing at the bottom of this conversation."),
        params={"fans": settings.ELIGIBILITY_MIN_FANS, "videos": settings.ELIGIBILITY_MIN_PUBLIC_ORIGINAL_VIDEOS},
    )


def auth_token_issue(*, user: User) -> Token:
    token, _created = Token.objects.get_or_create(user=user)
    return token


def auth_token_obtain(*, request, handle: str, password: str) -> Token:
    """Throttled by django-axes per account and per address (see creators.security): 401 for wrong
    credentials, 429 with Retry-After once locked, the same whether or not the handle exists."""
    user = authenticate(request, handle=handle_normalize(handle), password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise LoginLocked()
        raise Unauthenticated(_("Wrong Douyin number or password."), field="password", code="invalid_credentials")
    return auth_token_issue(user=user)


def profile_update(*, user: User, nickname: str | None = None, bio: str | None = None, avatar=None) -> User:
    fields = []
    if nickname is not None:
        nickname = nickname.strip()
        if not nickname or len(nickname) > 40:
            raise InvalidInput(_("Enter a nickname of 1–40 characters."), field="nickname", code="invalid_nickname")
        user.nickname = nickname
        fields.append("nickname")
    if bio is not None:
        if len(bio) > 200:
            raise InvalidInput(_("The bio can be at most 200 characters."), field="bio", code="too_long")
        user.bio = bio.strip()
        fields.append("bio")
    if avatar is not None:
        validate_image(avatar, field="avatar")
        user.avatar = avatar
        fields.append("avatar")
    if fields:
        user.save(update_fields=fields)
    return user
