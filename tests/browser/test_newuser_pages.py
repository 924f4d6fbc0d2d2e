"""In a real browser: the E后台 on a desktop has its side menu without the phone's tab bar; our 404 page."""
import pytest
from django.db import connections

from tests.factories.creators import PASSWORD
from tests.showcase.stats.helpers import creator_with_rights

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pages(transactional_db, live_server, request):
    connections.close_all()
    yield request.getfixturevalue("page_factory")
    connections.close_all()


def _login(page, url, user, next_path):
    page.goto(f"{url}/login/?next={next_path}")
    page.fill("#id_username", user.handle)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}{next_path}")


def test_the_back_office_on_a_desktop_shows_its_side_menu_not_the_phone_tab_bar(pages, live_server):
    creator = creator_with_rights(handle="desk_creator", nickname="桌面达人")
    desktop = pages(desktop=True)
    _login(desktop, live_server.url, creator, "/e/")
    assert desktop.locator(".eb-nav").is_visible()
    assert not desktop.locator(".bottom-nav").is_visible()

    phone = pages()
    _login(phone, live_server.url, creator, "/e/")
    assert phone.locator(".bottom-nav").is_visible()


@pytest.mark.parametrize("lang,words", [("zh-hans", "页面不存在"), ("en", "This page does not exist")])
def test_a_missing_product_shows_our_404_page_with_a_way_home(pages, live_server, lang, words):
    page = pages(lang=lang)
    response = page.goto(f"{live_server.url}/products/999999/")
    assert response.status == 404
    assert words in page.locator("#error-404").inner_text()
    page.click("#error-home")
    page.wait_for_url(f"{live_server.url}/")
