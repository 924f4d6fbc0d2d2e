"""Videos: cover images validated by Pillow, own videos only, public original ones counted."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import InvalidInput
from creators.models import Video
from creators.services import video_create
from tests.factories.creators import UserFactory, VideoFactory, cover_upload, image_bytes, mp4_upload

pytestmark = pytest.mark.django_db


def test_upload_through_the_page(logged_in, user):
    response = logged_in.post(reverse("creators:video_new"), {
        "title": "第一条作品", "cover": cover_upload(), "video_file": mp4_upload(), "is_public": "on", "is_original": "on"})
    assert response.status_code == 302
    video = Video.objects.get(owner=user)
    assert video.is_public and video.is_original and video.cover.name.startswith("covers/")
    assert video.video_file.name.endswith(".mp4")
    assert "第一条作品" in logged_in.get(reverse("creators:videos")).content.decode()


def test_unchecked_boxes_make_a_private_repost(logged_in, user):
    logged_in.post(reverse("creators:video_new"), {"title": "转发", "cover": cover_upload()})
    video = Video.objects.get(owner=user)
    assert not video.is_public and not video.is_original


def test_oversized_cover_is_refused_naming_cover(user, settings):
    settings.COVER_MAX_BYTES = 1000
    big = SimpleUploadedFile("big.png", image_bytes("PNG", size=(400, 400)) + b"\0" * 2000, content_type="image/png")
    with pytest.raises(InvalidInput) as err:
        video_create(owner=user, title="t", cover=big)
    assert err.value.field == "cover" and err.value.code == "too_large"
    assert not Video.objects.exists()


def test_non_image_cover_is_refused_naming_cover(user):
    fake = SimpleUploadedFile("cover.jpg", b"this is not an image at all", content_type="image/jpeg")
    with pytest.raises(InvalidInput) as err:
        video_create(owner=user, title="t", cover=fake)
    assert err.value.field == "cover" and err.value.code == "not_image"


def test_image_of_a_format_not_allowed_is_refused(user):
    with pytest.raises(InvalidInput) as err:
        video_create(owner=user, title="t", cover=cover_upload("c.gif", "GIF"))
    assert err.value.code == "image_format" and "GIF" in err.value.message


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_allowed_cover_formats(user, fmt):
    assert video_create(owner=user, title="t", cover=cover_upload(f"c.{fmt.lower()}", fmt)).pk


def test_video_file_type_and_size_are_checked(user, settings):
    with pytest.raises(InvalidInput) as err:
        video_create(owner=user, title="t", cover=cover_upload(), video_file=SimpleUploadedFile("v.avi", b"RIFF...."))
    assert err.value.field == "video_file"
    with pytest.raises(InvalidInput) as err:
        video_create(owner=user, title="t", cover=cover_upload(), video_file=SimpleUploadedFile("v.mp4", b"nonsense!!!!"))
    assert err.value.field == "video_file"
    settings.VIDEO_MAX_BYTES = 10
    with pytest.raises(InvalidInput) as err:
        video_create(owner=user, title="t", cover=cover_upload(), video_file=mp4_upload(size=100))
    assert err.value.code == "too_large"


def test_page_shows_cover_error_next_to_the_field(logged_in):
    response = logged_in.post(reverse("creators:video_new"), {"title": "t", "cover": SimpleUploadedFile("x.jpg", b"nope")})
    assert response.status_code == 200
    assert response.context["form"].errors["cover"]


def test_api_upload_list_and_errors(api, user):
    response = api.post("/api/v1/creators/me/videos", {"title": "接口作品", "cover": cover_upload(), "is_public": "true",
                                                        "is_original": "true"}, format="multipart")
    assert response.status_code == 201 and response.json()["counts_toward_eligibility"] is True
    bad = api.post("/api/v1/creators/me/videos", {"title": "x", "cover": SimpleUploadedFile("x.png", b"zz")},
                   format="multipart")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "cover"
    assert [v["title"] for v in api.get("/api/v1/creators/me/videos").json()["results"]] == ["接口作品"]


def test_api_edit_makes_a_video_private(api, user):
    video = VideoFactory(owner=user)
    response = api.patch(f"/api/v1/creators/me/videos/{video.pk}", {"is_public": False}, format="json")
    assert response.status_code == 200 and response.json()["counts_toward_eligibility"] is False


def test_other_users_videos_are_404_not_403(api, logged_in, user):
    other = VideoFactory(owner=UserFactory())
    assert api.get(f"/api/v1/creators/me/videos/{other.pk}").status_code == 404
    assert api.patch(f"/api/v1/creators/me/videos/{other.pk}", {"title": "x"}, format="json").status_code == 404
    assert api.delete(f"/api/v1/creators/me/videos/{other.pk}").status_code == 404
    assert logged_in.get(reverse("creators:video_edit", args=[other.pk])).status_code == 404
    assert logged_in.post(reverse("creators:video_delete", args=[other.pk])).status_code == 404
    assert Video.objects.filter(pk=other.pk).exists()


def test_owner_deletes_a_video_and_its_files(logged_in, user, django_capture_on_commit_callbacks):
    video = VideoFactory(owner=user)
    storage, name = video.cover.storage, video.cover.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(reverse("creators:video_delete", args=[video.pk]))
    assert not Video.objects.filter(pk=video.pk).exists() and not storage.exists(name)


def test_profile_grid_shows_only_public_videos(client):
    owner = UserFactory()
    VideoFactory(owner=owner, title="公开的")
    VideoFactory(owner=owner, title="私密的", is_public=False)
    html = client.get(reverse("creators:profile", args=[owner.handle])).content.decode()
    assert "公开的" in html and "私密的" not in html
