"""Our catalogs win over third-party ones: a word of ours reads as we translated it in zh-hans."""
from pathlib import Path

import polib
import pytest
from django.utils import translation

from tests.factories.creators import UserFactory, verify_real_name

ROOT = Path(__file__).resolve().parents[2]


def _zh(client):
    client.cookies["django_language"] = "zh-hans"
    return client


def _our_translations() -> dict:
    found: dict = {}
    for po in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"):
        if ".venv" in po.parts:
            continue
        for entry in polib.pofile(str(po)):
            if entry.translated() and not entry.obsolete and not entry.msgid_plural:
                found.setdefault((entry.msgctxt, entry.msgid), set()).add(entry.msgstr)
    return found


def test_no_third_party_catalog_overrides_a_word_we_translated():
    lost = []
    with translation.override("zh-hans"):
        for (context, msgid), ours in _our_translations().items():
            got = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            if got not in ours:
                lost.append(f"{msgid!r}: ours {sorted(ours)}, shown {got!r}")
    assert not lost, "\n".join(lost)


@pytest.mark.django_db
def test_the_real_name_page_says_name_not_task_name(client):
    user = UserFactory()
    verify_real_name(user)
    _zh(client).force_login(user)
    html = client.get("/me/real-name/").content.decode()
    assert "姓名" in html
    assert "任务名" not in html


@pytest.mark.django_db
def test_admin_calls_orders_orders_not_sort_order(client):
    from orders.models import Order, Payment

    with translation.override("zh-hans"):
        assert str(Order._meta.verbose_name) == "订单"
        assert str(Payment._meta.get_field("order").verbose_name) == "订单"
    admin = UserFactory(is_staff=True, is_superuser=True)
    _zh(client).force_login(admin)
    html = client.get("/admin/orders/payment/").content.decode()
    assert "排序" not in html
    assert "订单" in client.get("/admin/orders/order/").content.decode()


def test_sort_order_fields_still_read_as_sort_order():
    from creators.models import RuleArticle

    orderings = [f for f in RuleArticle._meta.fields if f.name == "order"]
    with translation.override("zh-hans"):
        assert [str(f.verbose_name) for f in orderings] == ["排序"]
