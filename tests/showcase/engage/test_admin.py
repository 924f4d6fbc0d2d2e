"""Operators see comments and private messages in admin; comments change only through
actions that call the services (with a history row), messages are read-only."""
import pytest
from django.urls import reverse

from showcase.engage import services
from showcase.engage.models import Comment, CommentModeration
from tests.factories.creators import UserFactory

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client):
    operator = UserFactory(handle="operator", is_staff=True, is_superuser=True)
    login(client, operator)
    client.operator = operator
    return client


def test_comment_admin_lists_filters_and_hides_through_the_service(operator_client, video, shopper):
    spam = services.comment_post(video_id=video.pk, author=shopper, body="加微信领优惠券")
    url = reverse("admin:engage_comment_changelist")
    assert "加微信领优惠券" in operator_client.get(url, {"q": "微信"}).content.decode()
    assert operator_client.get(url, {"mentions_product__exact": "1"}).status_code == 200
    response = operator_client.post(url, {"action": "hide", "_selected_action": [spam.pk]})
    assert response.status_code == 302
    spam.refresh_from_db()
    assert spam.status == Comment.Status.HIDDEN and spam.moderated_by == operator_client.operator
    assert CommentModeration.objects.get(comment=spam).action == "hide"
    assert operator_client.get(reverse("admin:engage_comment_change", args=[spam.pk])).status_code == 200


def test_private_messages_are_read_only_in_admin(operator_client, shopper, creator):
    message = services.private_message_send(sender=shopper, recipient=creator, body="你好")
    assert operator_client.get(reverse("admin:engage_privatemessage_changelist")).status_code == 200
    assert operator_client.get(reverse("admin:engage_conversation_change",
                                       args=[message.conversation_id])).status_code == 200
    assert operator_client.get(reverse("admin:engage_privatemessage_add")).status_code == 403
