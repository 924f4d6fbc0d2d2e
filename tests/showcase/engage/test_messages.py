"""Private messages (私信): one conversation per pair, unread counts in the inbox and E后台,
reading marks read, nobody reads other people's conversations (404), and the limit on
messages before the other side replies or follows back."""
import re

import pytest
from django.urls import reverse

from core.errors import Forbidden, InvalidInput
from creators.models import Follow
from notices.services import official_account
from showcase.engage import selectors, services
from showcase.engage.models import Conversation, PrivateMessage
from tests.factories.creators import UserFactory

from .conftest import creator_with_rights, login

pytestmark = pytest.mark.django_db


def send(sender, recipient, body="你好"):
    return services.private_message_send(sender=sender, recipient=recipient, body=body)


def test_messages_in_both_directions_share_one_conversation(shopper, creator):
    first = send(shopper, creator, "请问有货吗")
    answer = send(creator, shopper, "有的")
    assert first.conversation_id == answer.conversation_id
    assert Conversation.objects.count() == 1
    assert (first.recipient, answer.recipient) == (creator, shopper)


def test_unread_counts_per_conversation_and_in_total(shopper, creator):
    other = UserFactory()
    send(shopper, creator, "一")
    send(shopper, creator, "二")
    send(other, creator, "三")
    rows = {r.other.pk: r.unread for r in selectors.conversations_for(creator)}
    assert rows == {shopper.pk: 2, other.pk: 1}
    assert selectors.private_unread_count(creator) == 3
    assert selectors.private_unread_count(shopper) == 0


def test_opening_the_thread_marks_it_read(client, shopper, creator):
    send(shopper, creator, "在吗")
    login(client, creator)
    html = client.get(reverse("engage_thread", args=[shopper.handle])).content.decode()
    assert "在吗" in html and "is-new" in html
    assert selectors.private_unread_count(creator) == 0
    assert "is-new" not in client.get(reverse("engage_thread", args=[shopper.handle])).content.decode()


def test_sending_from_the_thread_page(client, shopper, creator):
    login(client, shopper)
    response = client.post(reverse("engage_thread", args=[creator.handle]), {"body": "想问下尺码"})
    assert response.status_code == 302
    message = PrivateMessage.objects.get()
    assert (message.sender, message.recipient, message.body) == (shopper, creator, "想问下尺码")


def test_an_empty_message_is_refused_next_to_the_field(client, shopper, creator):
    login(client, shopper)
    response = client.post(reverse("engage_thread", args=[creator.handle]), {"body": "  "})
    assert response.status_code == 400 and response.context["form"].errors["body"]
    assert not PrivateMessage.objects.exists()


def test_until_a_reply_or_a_follow_only_a_few_messages_go_out(shopper, creator, settings):
    settings.PRIVATE_MESSAGES_BEFORE_REPLY = 2
    send(shopper, creator, "1")
    send(shopper, creator, "2")
    with pytest.raises(Forbidden) as err:
        send(shopper, creator, "3")
    assert err.value.code == "awaiting_reply" and err.value.field == "body"
    send(creator, shopper, "你好")
    send(shopper, creator, "3")
    stranger = UserFactory()
    send(stranger, creator, "1")
    send(stranger, creator, "2")
    Follow.objects.create(follower=creator, followee=stranger)
    send(stranger, creator, "3")
    assert PrivateMessage.objects.filter(sender=stranger).count() == 3


def test_no_messages_to_yourself_or_to_official_accounts(shopper):
    with pytest.raises(InvalidInput) as err:
        send(shopper, shopper)
    assert err.value.field == "recipient"
    with pytest.raises(InvalidInput):
        send(shopper, official_account("commerce_assistant"))


def test_nobody_reads_other_peoples_conversations(client, api_client, shopper, creator):
    message = send(shopper, creator, "私密内容")
    outsider = UserFactory()
    api_client.force_authenticate(outsider)
    url = f"/api/v1/messages/conversations/{message.conversation_id}"
    assert api_client.get(url).status_code == 404
    assert api_client.post(url, {"body": "插话"}, format="json").status_code == 404
    assert api_client.post(f"{url}/read").status_code == 404
    assert api_client.get("/api/v1/messages/conversations").json()["results"] == []
    outsider_creator = creator_with_rights(handle="outsider")
    login(client, outsider_creator)
    assert client.get(reverse("engage_backoffice_thread", args=[message.conversation_id])).status_code == 404
    assert client.post(reverse("engage_backoffice_thread", args=[message.conversation_id]),
                       {"body": "插话"}).status_code == 404
    assert PrivateMessage.objects.count() == 1
    message.refresh_from_db()
    assert message.read_at is None


def test_messages_api_for_participants(api_client, shopper, creator):
    api_client.force_authenticate(shopper)
    created = api_client.post("/api/v1/messages/conversations", {"to": creator.handle, "body": "你好呀",
                                                                  "read_at": "2020-01-01T00:00:00Z"}, format="json")
    assert created.status_code == 201 and created.json()["read_at"] is None and created.json()["mine"] is True
    conversation_id = created.json()["conversation"]
    api_client.force_authenticate(creator)
    listing = api_client.get("/api/v1/messages/conversations").json()
    assert listing["unread"] == 1 and listing["results"][0]["other"]["handle"] == shopper.handle
    thread = api_client.get(f"/api/v1/messages/conversations/{conversation_id}").json()
    assert [m["body"] for m in thread] == ["你好呀"] and thread[0]["mine"] is False
    assert api_client.post(f"/api/v1/messages/conversations/{conversation_id}/read").json()["marked_read"] == 1
    reply = api_client.post(f"/api/v1/messages/conversations/{conversation_id}", {"body": "收到"}, format="json")
    assert reply.status_code == 201
    unknown = api_client.post("/api/v1/messages/conversations", {"to": "nobody_here", "body": "x"}, format="json")
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "to"


def test_the_inbox_lists_private_conversations_and_counts_them_in_the_badge(client, shopper, creator):
    send(shopper, creator, "橱窗里的外套还有吗")
    login(client, creator)
    response = client.get(reverse("notices:inbox"))
    html = response.content.decode()
    section = html[html.index('data-inbox-section="private"'):]
    assert "橱窗里的外套还有吗" in section and f'href="/messages/@{shopper.handle}/"' in section
    assert 'data-unread="1"' in section
    assert response.context["inbox_unread"] >= 1
    before = response.context["inbox_unread"]
    client.get(reverse("engage_thread", args=[shopper.handle]))
    assert client.get(reverse("notices:inbox")).context["inbox_unread"] == before - 1


def test_the_profile_has_a_message_button(client, shopper, creator):
    login(client, shopper)
    html = client.get(f"/@{creator.handle}/").content.decode()
    assert re.search(rf'id="private-message" href="/messages/@{creator.handle}/"', html)
    own = client.get(f"/@{shopper.handle}/").content.decode()
    assert 'id="private-message"' not in own


def test_the_back_office_lists_conversations_with_unread_counts_and_replies(client, shopper, creator):
    send(shopper, creator, "一")
    send(shopper, creator, "二")
    login(client, creator)
    html = client.get(reverse("engage_backoffice_messages")).content.decode()
    assert 'data-unread="2"' in html and 'data-unread-total="2"' in html
    conversation = Conversation.objects.get()
    response = client.post(reverse("engage_backoffice_thread", args=[conversation.pk]), {"body": "在的"})
    assert response.status_code == 302
    assert PrivateMessage.objects.filter(sender=creator, recipient=shopper, body="在的").exists()
    assert selectors.private_unread_count(creator) == 0


def test_the_thread_says_how_many_messages_are_left_until_a_reply(client, shopper, creator, settings):
    settings.PRIVATE_MESSAGES_BEFORE_REPLY = 3
    login(client, shopper)
    url = reverse("engage_thread", args=[creator.handle])
    assert 'data-messages-left="3"' in client.get(url).content.decode()
    send(shopper, creator, "在吗")
    assert 'data-messages-left="2"' in client.get(url).content.decode()
    send(creator, shopper, "在的")
    assert "data-messages-left" not in client.get(url).content.decode()
