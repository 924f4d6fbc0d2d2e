"""Public pages of a creator: the profile (/@handle/), follow and unfollow. The showcase tab
(/@handle/showcase/) is served by the showcase app with this header."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError

from .. import selectors, services


def _creator(handle):
    user = selectors.profile_for(handle)
    if user is None:
        raise Http404
    return user


def _header_context(request, creator) -> dict:
    rights = {r.kind: r for r in selectors.cart_rights_for(creator)}
    return {
        "creator": creator,
        "is_self": request.user.is_authenticated and request.user.pk == creator.pk,
        "following": selectors.is_following(follower=request.user, followee=creator),
        "has_showcase": rights["showcase"].usable,
    }


def profile(request, handle):
    creator = _creator(handle)
    return render(request, "creators/profile.html", {
        **_header_context(request, creator),
        "videos": selectors.public_videos(creator)[:60],
        "tab": "videos",
    })


@login_required
@require_POST
def follow(request, handle):
    creator = _creator(handle)
    try:
        services.follow_create(follower=request.user, followee=creator)
    except DomainError as e:
        if e.code != "already_following":
            messages.error(request, str(e.message))
    return redirect("creators:profile", handle=creator.handle)


@login_required
@require_POST
def unfollow(request, handle):
    creator = _creator(handle)
    services.follow_delete(follower=request.user, followee=creator)
    return redirect("creators:profile", handle=creator.handle)
