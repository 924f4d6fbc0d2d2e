"""Factories and helpers for the creators app: users, videos, fans, valid ID numbers."""
from __future__ import annotations

import functools
import io
import tempfile
from datetime import date
from pathlib import Path

import factory
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core.media import render_clip
from creators.models import Follow, RealNameVerification, User, Video
from creators.realname import check_code, hash_id_number, mask_id_number
from creators.services import follow_counts_recompute

PASSWORD = "s3cret-Pass-9"


def image_bytes(fmt: str = "JPEG", size=(60, 80), color=(240, 90, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def cover_upload(name: str = "cover.jpg", fmt: str = "JPEG", **kwargs) -> SimpleUploadedFile:
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}.get(fmt, "")
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=content_type)


@functools.cache
def _real_clip(seconds: float) -> bytes:
    """A real H.264 mp4 rendered once per run by the bundled ffmpeg (uploads are probed by it)."""
    with tempfile.TemporaryDirectory() as folder:
        return render_clip(Path(folder) / "clip.mp4", seconds=seconds, size=(64, 112), fps=10, audio=False).read_bytes()


def mp4_upload(name: str = "clip.mp4", size: int = 64, seconds: float = 1.5) -> SimpleUploadedFile:
    """A real, playable clip (``size`` is kept for callers; the clip is what it is)."""
    return SimpleUploadedFile(name, _real_clip(seconds), content_type="video/mp4")


def resident_id(birth: date, *, region: str = "110105", sequence: int = 123) -> str:
    """A valid 18-character resident ID number (GB 11643-1999) for ``birth``."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_code(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    handle = factory.Sequence(lambda n: f"user_{n:05d}")
    nickname = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class VideoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Video

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"作品 {n}")
    cover = factory.django.ImageField(width=30, height=40, format="JPEG")
    is_public = True
    is_original = True


def add_fans(user: User, count: int) -> None:
    """``count`` real Follow rows for ``user`` (bulk), with the counts recomputed from them."""
    start = User.objects.count()
    fans = User.objects.bulk_create(
        [User(handle=f"fan_{user.pk}_{start + i}", nickname=f"粉丝{i}", password="!") for i in range(count)]
    )
    Follow.objects.bulk_create([Follow(follower=f, followee=user) for f in fans])
    follow_counts_recompute(user_ids=[user.pk])
    user.refresh_from_db()


def verify_real_name(user: User, *, birth: date = date(1990, 1, 1), sequence: int | None = None) -> RealNameVerification:
    number = resident_id(birth, sequence=sequence if sequence is not None else user.pk % 1000)
    return RealNameVerification.objects.create(
        user=user, name_masked="张*三", id_number_hash=hash_id_number(number), id_number_masked=mask_id_number(number),
        verifier="local", verified_at=timezone.now(),
    )


def bind_phone(user: User, phone: str | None = None) -> User:
    user.phone = phone or f"139{user.pk:08d}"
    user.phone_bound_at = timezone.now()
    user.save(update_fields=["phone", "phone_bound_at"])
    return user


def make_eligible(user: User, *, fans: int | None = None, videos: int | None = None) -> User:
    """Fans, public original videos, phone and real name at the configured thresholds."""
    add_fans(user, settings.ELIGIBILITY_MIN_FANS if fans is None else fans)
    VideoFactory.create_batch(settings.ELIGIBILITY_MIN_PUBLIC_ORIGINAL_VIDEOS if videos is None else videos, owner=user)
    bind_phone(user)
    verify_real_name(user)
    user.refresh_from_db()
    return user
