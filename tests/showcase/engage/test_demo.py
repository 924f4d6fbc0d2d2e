"""The demo renders its own short clips with the bundled ffmpeg and attaches them once."""
import io
from pathlib import Path

import pytest
from django.conf import settings

from core.media import probe_video
from creators.demo import CREATORS
from showcase.engage import demo
from tests.factories.creators import UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def test_demo_videos_get_real_clips_once():
    spec = CREATORS[0]
    owner = UserFactory(handle=spec["handle"])
    videos = VideoFactory.create_batch(2, owner=owner)
    uploaded = VideoFactory(owner=owner, video_file="videos/own.mp4")
    demo.seed(io.StringIO())
    clip = Path(settings.MEDIA_ROOT) / "demo" / "clips" / f"{spec['handle']}.mp4"
    rendered_at = clip.stat().st_mtime_ns
    for video in videos:
        video.refresh_from_db()
        info = probe_video(video.video_file.path)
        assert info.video_codec == "h264" and 3000 <= info.duration_ms <= 6100
        assert (info.width, info.height) == demo.CLIP_SIZE
    assert videos[0].video_file.name != videos[1].video_file.name  # deleting one never breaks another
    names = {v.pk: v.video_file.name for v in videos}
    demo.seed(io.StringIO())
    for video in videos:
        video.refresh_from_db()
        assert video.video_file.name == names[video.pk]
    assert clip.stat().st_mtime_ns == rendered_at
    uploaded.refresh_from_db()
    assert uploaded.video_file.name == "videos/own.mp4"
