"""A creator without the right sees why and how to apply instead of the add-product form."""
import pytest
from django.urls import reverse

from tests.factories.creators import UserFactory, VideoFactory
from tests.showcase.helpers import login

pytestmark = pytest.mark.django_db


def _zh(client, user):
    client.cookies["django_language"] = "zh-hans"
    return login(client, user)


def test_a_creator_without_the_showcase_right_gets_how_to_apply_not_the_add_form(client):
    html = _zh(client, UserFactory()).get(reverse("showcase:manage")).content.decode()
    assert 'id="right-error"' in html
    assert f'href="{reverse("creators:apply")}"' in html and "申请开通商品分享功能" in html
    assert 'id="paste-add"' not in html and 'id="add-from-pool"' not in html


def test_a_creator_without_the_video_cart_right_gets_no_add_controls(client):
    user = UserFactory()
    video = VideoFactory(owner=user)
    html = _zh(client, user).get(reverse("showcase:video_cart", args=[video.pk])).content.decode()
    assert 'id="right-apply"' in html
    assert 'id="add-paste"' not in html and 'value="cart"' not in html


def test_a_creator_with_the_right_gets_the_add_form(client, creator):
    html = _zh(client, creator).get(reverse("showcase:manage")).content.decode()
    assert 'id="paste-add"' in html and 'id="right-error"' not in html
