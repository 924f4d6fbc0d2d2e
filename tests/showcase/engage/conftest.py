"""Creators with rights, shoppers, videos that play (a real clip rendered once per run by
the bundled ffmpeg) and products on them, for the feed, comment and message tests."""
from __future__ import annotations

import functools
import io
import tempfile
from pathlib import Path

import factory
import pytest
from django.db import transaction

from core.media import render_clip
from creators.services.rights import cart_rights_grant
from showcase.models import VideoProduct
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import PASSWORD, UserFactory, VideoFactory


@functools.cache
def clip_bytes(seconds: float = 1.5, size: tuple[int, int] = (96, 160)) -> bytes:
    """A real H.264 mp4 (rendered once per test run)."""
    with tempfile.TemporaryDirectory() as folder:
        return render_clip(Path(folder) / "clip.mp4", seconds=seconds, size=size, fps=12, audio=False).read_bytes()


class PlayableVideoFactory(VideoFactory):
    """A public video with a real clip attached: it shows in the feed."""

    video_file = factory.django.FileField(from_func=lambda: io.BytesIO(clip_bytes()), filename="clip.mp4")


def creator_with_rights(**kwargs):
    user = UserFactory(**kwargs)
    with transaction.atomic():  # granting locks the rights rows
        cart_rights_grant(user=user, application=None, actor=None)
    return user


def login(client, user):
    assert client.login(handle=user.handle, password=PASSWORD)
    return client


def tag(video, products, kind=VideoProduct.Kind.CART):
    for position, product in enumerate(products):
        VideoProduct.objects.create(video=video, product=product, kind=kind, position=position)


@pytest.fixture
def creator(db):
    return creator_with_rights(handle="linlin", nickname="琳琳穿搭")


@pytest.fixture
def other_creator(db):
    return creator_with_rights(handle="guoge", nickname="果哥家乡好物")


@pytest.fixture
def shopper(db):
    return UserFactory(handle="shopper", nickname="小雨")


@pytest.fixture
def video(creator):
    return PlayableVideoFactory(owner=creator, title="小个子显高穿搭公式")


@pytest.fixture
def tee(db):
    return ProductFactory(title="夏季新款纯棉短袖T恤", price_fen=5900)


@pytest.fixture
def cup(db):
    return ProductFactory(title="不锈钢保温杯大容量", price_fen=8800)


@pytest.fixture
def shopper_client(client, shopper):
    return login(client, shopper)


@pytest.fixture
def creator_client(client, creator):
    return login(client, creator)


@pytest.fixture
def shopper_api(api_client, shopper):
    api_client.force_authenticate(shopper)
    return api_client


@pytest.fixture
def creator_api(api_client, creator):
    api_client.force_authenticate(creator)
    return api_client
