"""Checks on uploaded files: covers and avatars are opened with Pillow, videos by header."""
from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from core.errors import InvalidInput
from core.media import validate_video_upload

# The first bytes of the accepted containers: ISO base media (mp4, mov) and Matroska/WebM.
_ISO_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip")
_WEBM_MAGIC = b"\x1a\x45\xdf\xa3"


def validate_image(file, *, field: str = "cover") -> str:
    """Accept an image of an allowed format within the size limit; return its format."""
    if not file:
        raise InvalidInput(_("Choose an image file."), field=field, code="required")
    allowed = ", ".join(settings.COVER_ALLOWED_FORMATS)
    if file.size > settings.COVER_MAX_BYTES:
        raise InvalidInput(
            _("The image is too large (%(size)s): at most %(max)s.")
            % {"size": filesizeformat(file.size), "max": filesizeformat(settings.COVER_MAX_BYTES)},
            field=field, code="too_large",
        )
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(_("The file is not an image: upload a %(formats)s image.") % {"formats": allowed},
                           field=field, code="not_image")
    finally:
        file.seek(0)
    if image_format not in settings.COVER_ALLOWED_FORMATS:
        raise InvalidInput(
            _("%(format)s images are not accepted: upload a %(formats)s image.")
            % {"format": image_format, "formats": allowed},
            field=field, code="image_format",
        )
    return image_format


def validate_video_file(file, *, field: str = "video_file") -> None:
    allowed = settings.VIDEO_ALLOWED_EXTENSIONS
    ext = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if ext not in allowed:
        raise InvalidInput(_("Upload a video file of type %(types)s.") % {"types": ", ".join(allowed)},
                           field=field, code="video_type")
    if file.size > settings.VIDEO_MAX_BYTES:
        raise InvalidInput(
            _("The video is too large (%(size)s): at most %(max)s.")
            % {"size": filesizeformat(file.size), "max": filesizeformat(settings.VIDEO_MAX_BYTES)},
            field=field, code="too_large",
        )
    file.seek(0)
    head = file.read(12)
    file.seek(0)
    if not (head[4:8] in _ISO_BOXES or head[:4] == _WEBM_MAGIC):
        raise InvalidInput(_("The file is not a readable video: upload a %(types)s video.") % {"types": ", ".join(allowed)},
                           field=field, code="video_type")
    # Container, streams and duration as ffmpeg reads them (core/media.py).
    validate_video_upload(file, field=field)
