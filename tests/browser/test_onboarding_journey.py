"""The whole creator journey in a real browser: sign up, bind a phone, verify a real name,
see the checklist, apply, get approved, and find the three rights in the creator center.

Mutation tried once: ``_approve`` in ``creators/services/applications.py`` not calling
``cart_rights_grant``: the application reads approved but the creator center shows no right tile
(``assert 0 == 3`` on ``#creator-center .right-tile``)."""
import re
from datetime import date

import pytest
from django.db import connections

from creators import sms
from creators.models import CartApplication, User
from tests.factories.creators import PASSWORD, UserFactory, VideoFactory, add_fans, resident_id

from .shots import shoot

pytestmark = [pytest.mark.browser]


@pytest.fixture
def pages(transactional_db, live_server, request):
    """``page_factory`` whose database connections do not outlive the test database.

    Playwright's sync API gives the test its own context, where Django opens a second
    connection; the first is closed before the browser starts, the second before it stops.
    """
    connections.close_all()
    page_factory = request.getfixturevalue("page_factory")
    yield page_factory
    connections.close_all()


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_BACKEND = "creators.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def test_a_newcomer_becomes_a_creator_with_three_rights(pages, live_server, sms_outbox):
    page = pages(lang="zh-hans")
    url = live_server.url

    # Sign up
    page.goto(f"{url}/signup/")
    shoot(page, "creator", "signup")
    page.fill("#id_handle", "xiaoyu_2025")
    page.fill("#id_nickname", "小雨的日常")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/me/")
    assert page.locator(".profile-head__name").inner_text() == "小雨的日常"
    user = User.objects.get(handle="xiaoyu_2025")

    # Bind a phone: the code comes from the SMS backend
    page.click("a[href='/me/phone/']")
    page.fill("#id_phone", "139 1234 5678")
    page.click("#send-code")
    page.wait_for_selector(".flash__item")
    assert "139****5678" in page.locator(".flash").inner_text()
    page.fill("#id_code", sms_outbox[-1].code)
    page.click("#bind-phone")
    page.wait_for_url(f"{url}/me/")
    assert "已绑定" in page.locator("a[href='/me/phone/']").inner_text()

    # Verify a real name (a wrong check digit first: the message is shown next to the field)
    number = resident_id(date(1995, 8, 20))
    page.click("a[href='/me/real-name/']")
    page.fill("#id_name", "陈小雨")
    page.fill("#id_id_number", number[:17] + ("1" if number[17] != "1" else "2"))
    page.click("#verify-realname")
    assert "校验码" in page.locator(".errorlist").inner_text()
    page.fill("#id_id_number", number)
    page.click("#verify-realname")
    page.wait_for_selector("#realname-done")
    assert "陈*雨" in page.content() and number not in page.content()

    # The checklist shows what is still missing
    page.goto(f"{url}/me/")
    page.click("a[href='/me/eligibility/']")
    assert page.locator(".checklist").get_attribute("data-eligible") == "no"
    assert page.locator("[data-criterion=phone].pass").count() == 1
    assert page.locator("[data-criterion=real_name].pass").count() == 1
    assert re.search(r"\b0 / 1,?000\b", page.locator("[data-criterion=fans]").inner_text())

    # Fans and videos come with time; here they come from the database
    add_fans(user, 1000)
    VideoFactory.create_batch(10, owner=user)
    page.reload()
    assert page.locator(".checklist").get_attribute("data-eligible") == "yes"
    shoot(page, "creator", "eligibility")

    # Apply from the creator center entry
    page.goto(f"{url}/me/")
    page.click("[data-entry=creator_center]")
    page.click("#submit-application")
    page.wait_for_selector("#application-status")
    assert "审核中" in page.locator("#application-status").inner_text()
    application = CartApplication.objects.get(applicant=user)
    assert application.entry_point == "creator_center" and application.status == "pending"

    page.reload()
    shoot(page, "creator", "application-pending")

    # An operator approves it in admin; the commerce assistant tells the creator
    operator = UserFactory(handle="reviewer", is_staff=True, is_superuser=True)
    admin = pages(desktop=True)
    admin.goto(f"{url}/admin/login/?next=/admin/creators/cartapplication/")
    admin.fill("#id_username", operator.handle)
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.wait_for_url(re.compile(r"/admin/creators/cartapplication/$"))
    shoot(admin, "operator", "applications")
    admin.check(f'input[name="_selected_action"][value="{application.pk}"]')
    admin.select_option('select[name="action"]', "approve_selected")
    admin.click('button[name="index"]')
    admin.locator(".messagelist .success").wait_for()
    application.refresh_from_db()
    assert application.status == "approved" and application.reviewed_by_id == operator.pk
    page.goto(f"{url}/me/")
    rights = page.locator("#creator-center .right-tile")
    assert rights.count() == 3
    text = page.locator("#creator-center").inner_text()
    for label in ("商品橱窗", "视频购物车", "直播购物车"):
        assert label in text
    shoot(page, "creator", "creator-center")
    assert page.locator("#creator-center .pill--ok").count() >= 3
    assert re.search(r"\d", page.locator(".bottom-nav .badge").inner_text())
    page.click(".bottom-nav a[href='/inbox/']")
    page.click("[data-conversation=dianshangxiaozhushou]")
    assert "商品分享功能已开通" in page.locator(".chat").inner_text()
    shoot(page, "creator", "commerce-assistant")


def test_the_checklist_page_reads_in_english(pages, live_server):
    user = UserFactory(handle="english_reader")
    page = pages(lang="en")
    page.goto(f"{live_server.url}/login/?next=/me/eligibility/")
    page.fill("#id_username", user.handle)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/me/eligibility/")
    text = page.locator("main").inner_text()
    for phrase in ("Requirements checklist", "Fans", "Public original videos", "Phone number bound",
                   "Real name verified", "Bind phone", "Verify real name"):
        assert phrase in page.content() or phrase in text
    assert "粉丝" not in text
