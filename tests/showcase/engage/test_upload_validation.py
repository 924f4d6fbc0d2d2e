"""Video uploads are judged by what ffmpeg reads from the file (container, streams,
duration), not by the name: real clips pass, anything else is refused naming video_file."""
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from django.utils import translation

from core.errors import InvalidInput
from core.media import ffmpeg_exe, probe_video, validate_video_upload
from creators.models import Video
from creators.services import video_create
from tests.factories.creators import cover_upload

from .conftest import clip_bytes, login

pytestmark = pytest.mark.django_db


def upload(data: bytes, name="clip.mp4", content_type="video/mp4"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def encode(tmp_path, name, *args) -> bytes:
    out = tmp_path / name
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args, str(out)], check=True)
    return out.read_bytes()


def test_a_real_clip_is_read_for_container_codec_and_duration():
    info = validate_video_upload(upload(clip_bytes()))
    assert (info.container, info.video_codec, info.width, info.height) == ("mp4", "h264", 96, 160)
    assert 1400 <= info.duration_ms <= 1600


def test_a_creator_uploads_a_real_clip_through_the_page(client, shopper):
    login(client, shopper)
    response = client.post(reverse("creators:video_new"), {
        "title": "第一条作品", "cover": cover_upload(), "video_file": upload(clip_bytes()), "is_public": "on",
        "is_original": "on"})
    assert response.status_code == 302
    video = Video.objects.get(owner=shopper)
    assert probe_video(video.video_file.path).video_codec == "h264"


def test_a_non_video_renamed_mp4_is_refused_naming_video_file(shopper):
    # An ISO-box header is not enough: ffmpeg cannot read a video out of it.
    fake = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2000
    with pytest.raises(InvalidInput) as err:
        video_create(owner=shopper, title="t", cover=cover_upload(), video_file=upload(fake))
    assert err.value.field == "video_file" and err.value.code == "video_type"
    assert not Video.objects.exists()


def test_an_image_renamed_mp4_is_refused():
    with pytest.raises(InvalidInput) as err:
        validate_video_upload(upload(cover_upload().read(), name="photo.mp4"))
    assert err.value.field == "video_file" and err.value.code == "video_type"


def test_a_too_long_video_is_refused_with_its_length_and_the_limit(settings, shopper):
    settings.VIDEO_MAX_SECONDS = 1
    with translation.override("en"), pytest.raises(InvalidInput) as err:
        video_create(owner=shopper, title="t", cover=cover_upload(), video_file=upload(clip_bytes()))
    assert err.value.field == "video_file" and err.value.code == "too_long"
    assert "1.5" in err.value.message and "1 s" in err.value.message
    assert not Video.objects.exists()


def test_a_too_short_video_is_refused(settings):
    settings.VIDEO_MIN_SECONDS = 2
    with pytest.raises(InvalidInput) as err:
        validate_video_upload(upload(clip_bytes()))
    assert err.value.code == "too_short"


def test_sound_without_picture_is_refused(tmp_path):
    data = encode(tmp_path, "sound.mp4", "-f", "lavfi", "-i", "sine=d=2")
    with pytest.raises(InvalidInput) as err:
        validate_video_upload(upload(data))
    assert err.value.code == "no_video_stream"


def test_webm_and_mov_are_read_for_what_they_are(tmp_path):
    webm = encode(tmp_path, "c.webm", "-f", "lavfi", "-i", "testsrc2=s=64x96:d=1.2:r=10", "-c:v", "libvpx")
    mov = encode(tmp_path, "c.mov", "-f", "lavfi", "-i", "testsrc2=s=64x96:d=1.2:r=10", "-c:v", "libx264",
                 "-pix_fmt", "yuv420p")
    assert validate_video_upload(upload(webm, "c.webm", "video/webm")).container == "webm"
    assert validate_video_upload(upload(mov, "c.mov", "video/quicktime")).container == "mov"


def test_a_codec_browsers_cannot_play_is_refused(tmp_path):
    data = encode(tmp_path, "old.mov", "-f", "lavfi", "-i", "testsrc2=s=64x96:d=1.2:r=10", "-c:v", "mjpeg")
    with pytest.raises(InvalidInput) as err:
        validate_video_upload(upload(data, "old.mov"))
    assert err.value.code == "video_codec" and "mjpeg" in err.value.message


def test_size_is_checked_before_the_file_is_read(settings):
    settings.VIDEO_MAX_BYTES = 100
    with pytest.raises(InvalidInput) as err:
        validate_video_upload(upload(clip_bytes()))
    assert err.value.code == "too_large"


def test_an_upload_spooled_to_disk_is_read_in_place():
    data = clip_bytes()
    spooled = TemporaryUploadedFile("big.mp4", "video/mp4", len(data), None)
    spooled.write(data)
    spooled.seek(0)
    assert validate_video_upload(spooled).video_codec == "h264"


def test_the_upload_page_shows_the_refusal_next_to_the_field(client, shopper, settings):
    settings.VIDEO_MAX_SECONDS = 1
    login(client, shopper)
    response = client.post(reverse("creators:video_new"), {
        "title": "太长了", "cover": cover_upload(), "video_file": upload(clip_bytes())})
    assert response.status_code == 200
    assert response.context["form"].errors["video_file"]
    assert not Video.objects.exists()


def test_the_api_refuses_a_fake_video_with_a_400_naming_video_file(api_client, shopper):
    api_client.force_authenticate(shopper)
    response = api_client.post("/api/v1/creators/me/videos", {
        "title": "x", "cover": cover_upload(), "video_file": upload(b"\x00\x00\x00\x18ftypisom" + b"\x01" * 500)},
        format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "video_file"
