"""Creators with the three rights, shoppers and pool products for the showcase tests."""
import pytest

from showcase.stats.buffer import get_buffer, reset_buffer
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import VideoFactory

from .helpers import creator_with_rights, login


@pytest.fixture(autouse=True)
def _empty_stats_buffer():
    reset_buffer()
    get_buffer().clear()
    yield
    get_buffer().clear()
    reset_buffer()


@pytest.fixture
def creator(db):
    return creator_with_rights(nickname="琳琳穿搭")


@pytest.fixture
def other_creator(db):
    return creator_with_rights(nickname="果哥家乡好物")


@pytest.fixture
def products(db):
    return ProductFactory.create_batch(10)


@pytest.fixture
def video(creator):
    return VideoFactory(owner=creator, title="小个子显高穿搭公式")


@pytest.fixture
def creator_client(client, creator):
    return login(client, creator)


@pytest.fixture
def creator_api(api_client, creator):
    api_client.force_authenticate(creator)
    return api_client
