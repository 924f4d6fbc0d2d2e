"""A creator's own videos: list, upload, edit, delete. Someone else's video is 404."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotFound

from .. import selectors, services
from ..forms import VideoForm, add_domain_error
from ..models import Video


def _video_right_usable(user) -> bool:
    return any(r.kind == "video" and r.usable for r in selectors.cart_rights_for(user))


@login_required
def video_list(request):
    videos = Video.objects.filter(owner=request.user)
    counted = sum(1 for v in videos if v.is_public and v.is_original)
    return render(request, "creators/videos.html", {"videos": videos, "counted": counted,
                                                    "can_tag_products": _video_right_usable(request.user)})


@login_required
def video_new(request):
    form = VideoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            video = services.video_create(owner=request.user, title=data["title"], cover=data["cover"],
                                          video_file=data["video_file"] or None, is_public=data["is_public"],
                                          is_original=data["is_original"])
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("Video published."))
            if _video_right_usable(request.user):  # guide: 在视频发布页点击添加标签-商品
                return redirect("showcase:video_cart", pk=video.pk)
            return redirect("creators:videos")
    return render(request, "creators/video_form.html", {"form": form, "video": None, "COVER_MAX": settings.COVER_MAX_BYTES})


def _own_video(request, pk) -> Video:
    video = Video.objects.filter(pk=pk, owner=request.user).first()
    if video is None:
        raise Http404
    return video


@login_required
def video_edit(request, pk):
    video = _own_video(request, pk)
    form = VideoForm(request.POST or None, request.FILES or None, initial={
        "title": video.title, "is_public": video.is_public, "is_original": video.is_original})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.video_update(owner=request.user, video_id=video.pk, title=data["title"],
                                  cover=data["cover"] or None, is_public=data["is_public"],
                                  is_original=data["is_original"])
        except DomainError as e:
            add_domain_error(form, e)
        else:
            messages.success(request, _("Video saved."))
            return redirect("creators:videos")
    return render(request, "creators/video_form.html", {"form": form, "video": video, "COVER_MAX": settings.COVER_MAX_BYTES})


@login_required
@require_POST
def video_delete(request, pk):
    try:
        services.video_delete(owner=request.user, video_id=pk)
    except NotFound:
        raise Http404
    messages.success(request, _("Video deleted."))
    return redirect("creators:videos")
