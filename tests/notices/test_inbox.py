"""Inbox messages from official accounts: sending, conversations, unread counts, read marks."""
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from core.errors import InvalidInput
from notices.models import InboxMessage
from notices.services import message_send, message_send_on_commit, official_account
from tests.factories.creators import UserFactory

pytestmark = pytest.mark.django_db


def send(user, sender="commerce_assistant", **kwargs):
    fields = {"kind": "test", "title": "标题", "body": "正文"} | kwargs
    return message_send(recipient=user, sender_handle_or_user=sender, **fields)


def test_official_accounts_are_created_once():
    first = official_account("commerce_assistant")
    assert official_account("commerce_assistant").pk == first.pk
    shopping = official_account("shopping_assistant")
    assert shopping.is_official and shopping.handle == "gouwuzhushou" and not shopping.has_usable_password()
    with pytest.raises(InvalidInput):
        official_account("nobody")


def test_sender_may_be_a_kind_a_handle_or_a_user(user):
    assistant = official_account("commerce_assistant")
    assert send(user).sender == assistant
    assert send(user, sender="dianshangxiaozhushou").sender == assistant
    assert send(user, sender=assistant).sender == assistant


def test_only_official_accounts_send(user):
    with pytest.raises(InvalidInput):
        send(user, sender=UserFactory())


def test_dedupe_key_makes_sending_idempotent(user):
    a = send(user, dedupe_key="order:1:paid")
    b = send(user, dedupe_key="order:1:paid")
    assert a.pk == b.pk and InboxMessage.objects.count() == 1


def test_the_shopping_assistants_first_message_creates_its_account_and_a_repeat_is_the_same_message(user):
    """The worker's messages name the official account by kind and read it in the insert; the
    first ever message still creates the account, a repeated dedupe key still returns the first
    message, and a look-alike user who is not official never sends. (Mutation tried: reading the
    sender by its handle alone lets the look-alike send, and this test fails.)"""
    from creators.models import User

    assert not User.objects.filter(handle="gouwuzhushou").exists()
    kwargs = dict(recipient=user, sender_handle_or_user="shopping_assistant", kind="order.paid",
                  title="t", dedupe_key="order-change-1")
    first = message_send(**kwargs)
    assistant = User.objects.get(handle="gouwuzhushou")
    assert assistant.is_official and first.sender_id == assistant.pk
    second = message_send(**{**kwargs, "dedupe_key": "order-change-2"})
    assert second.sender_id == assistant.pk and second.pk != first.pk
    again = message_send(**kwargs)
    assert again.pk == first.pk and InboxMessage.objects.filter(recipient=user).count() == 2
    User.objects.filter(pk=assistant.pk).update(is_official=False)
    with pytest.raises(InvalidInput):
        message_send(**{**kwargs, "dedupe_key": "order-change-3"})
    assert InboxMessage.objects.filter(recipient=user).count() == 2


def test_on_commit_sending_waits_for_the_transaction(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message_send_on_commit(recipient=user, sender_handle_or_user="commerce_assistant", kind="k", title="t")
    assert not InboxMessage.objects.exists() and len(callbacks) == 1
    callbacks[0]()
    assert InboxMessage.objects.count() == 1


def test_messages_are_shown_in_the_readers_language(user):
    message = send(user, title=gettext_noop("Product sharing is open"))
    with translation.override("zh-hans"):
        assert message.display_title == "商品分享功能已开通"
    with translation.override("en"):
        assert message.display_title == "Product sharing is open"


def test_inbox_lists_conversations_with_unread_counts(logged_in, user):
    send(user)
    send(user)
    send(user, sender="shopping_assistant")
    html = logged_in.get(reverse("notices:inbox")).content.decode()
    assert 'data-unread="2"' in html and 'data-unread="1"' in html
    assert "电商小助手" in html and "购物助手" in html


def test_bottom_nav_badge_counts_unread_and_opening_a_conversation_reads_it(logged_in, user):
    send(user)
    send(user)
    assert logged_in.get(reverse("creators:me")).context["inbox_unread"] == 2
    logged_in.get(reverse("notices:conversation", args=["dianshangxiaozhushou"]))
    assert logged_in.get(reverse("creators:me")).context["inbox_unread"] == 0
    assert not InboxMessage.objects.filter(read_at__isnull=True).exists()


def test_conversation_with_a_non_official_account_is_404(logged_in):
    assert logged_in.get(reverse("notices:conversation", args=[UserFactory().handle])).status_code == 404


def test_api_lists_only_your_messages_and_marks_read(api, user):
    mine = send(user)
    theirs = send(UserFactory())
    listed = api.get("/api/v1/inbox/messages").json()["results"]
    assert [m["id"] for m in listed] == [mine.pk]
    assert listed[0]["sender"]["handle"] == "dianshangxiaozhushou" and listed[0]["is_read"] is False
    assert api.post(f"/api/v1/inbox/messages/{theirs.pk}/read").status_code == 404
    assert api.post(f"/api/v1/inbox/messages/{mine.pk}/read").json()["is_read"] is True
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_conversations_and_read_all(api, user):
    send(user)
    send(user, sender="shopping_assistant")
    conversations = api.get("/api/v1/inbox/conversations").json()
    assert {c["sender"]["handle"]: c["unread"] for c in conversations} == {
        "dianshangxiaozhushou": 1, "gouwuzhushou": 1}
    assert api.post("/api/v1/inbox/conversations/gouwuzhushou/read").json() == {"marked": 1}
    assert api.get("/api/v1/inbox/messages?unread=1").json()["count"] == 1


def test_admin_lists_messages(staff_client, user):
    send(user, title="审核结果")
    html = staff_client.get(reverse("admin:notices_inboxmessage_changelist")).content.decode()
    assert "审核结果" in html
