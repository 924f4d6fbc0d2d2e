"""A creator's own videos: upload, edit, delete."""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import InvalidInput, NotFound

from ..models import User, Video
from ..uploads import validate_image, validate_video_file


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("Give the video a title."), field="title", code="required")
    if len(title) > 100:
        raise InvalidInput(_("The title can be at most 100 characters."), field="title", code="too_long")
    return title


def video_create(
    *, owner: User, title: str, cover, video_file=None, is_public: bool = True, is_original: bool = True,
) -> Video:
    title = _clean_title(title)
    validate_image(cover, field="cover")
    if video_file:
        validate_video_file(video_file, field="video_file")
    video = Video(owner=owner, title=title, is_public=is_public, is_original=is_original)
    video.cover.save(cover.name, cover, save=False)
    if video_file:
        video.video_file.save(video_file.name, video_file, save=False)
    try:
        with transaction.atomic():
            video.save()
    except Exception:
        _delete_files(video)
        raise
    return video


def _get_own(*, owner: User, video_id: int) -> Video:
    video = Video.objects.filter(pk=video_id, owner=owner).first()
    if video is None:  # someone else's video is as unknown as a missing one
        raise NotFound(_("No such video."), field="video")
    return video


def video_update(
    *, owner: User, video_id: int, title: str | None = None, cover=None,
    is_public: bool | None = None, is_original: bool | None = None,
) -> Video:
    video = _get_own(owner=owner, video_id=video_id)
    fields = []
    if title is not None:
        video.title = _clean_title(title)
        fields.append("title")
    if cover is not None:
        validate_image(cover, field="cover")
        old = video.cover.name
        video.cover.save(cover.name, cover, save=False)
        fields.append("cover")
        transaction.on_commit(lambda: video.cover.storage.delete(old))
    if is_public is not None:
        video.is_public = is_public
        fields.append("is_public")
    if is_original is not None:
        video.is_original = is_original
        fields.append("is_original")
    if fields:
        video.save(update_fields=fields)
    return video


def _delete_files(video: Video) -> None:
    for f in (video.cover, video.video_file):
        if f and f.name:
            f.storage.delete(f.name)


def video_delete(*, owner: User, video_id: int) -> None:
    video = _get_own(owner=owner, video_id=video_id)
    with transaction.atomic():
        video.delete()
        transaction.on_commit(lambda: _delete_files(video))
