"""Our own 404 and 500 pages, in both languages, in the site's look with a way home; Redoc offline."""
import pytest
from django.test import Client

from tests.assets import foreign_asset_urls


def _get(client, url, lang):
    client.cookies["django_language"] = lang
    return client.get(url, HTTP_ACCEPT_LANGUAGE=lang)


@pytest.mark.django_db
@pytest.mark.parametrize("lang,words", [("zh-hans", "页面不存在"), ("en", "This page does not exist")])
def test_a_missing_product_shows_our_404_page_in_the_visitors_language(client, lang, words):
    page = _get(client, "/products/999999/", lang)
    html = page.content.decode()
    assert page.status_code == 404
    assert words in html
    assert 'id="error-home"' in html and 'href="/"' in html
    assert 'class="topbar"' in html  # the site's own layout


@pytest.mark.django_db
def test_an_unknown_address_shows_our_404_page(client):
    page = _get(client, "/no-such-page/at-all/", "zh-hans")
    assert page.status_code == 404 and "页面不存在" in page.content.decode()


@pytest.mark.django_db
def test_with_debug_a_missing_product_still_shows_our_404_page(client, settings):
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "core.error_pages.DebugNotFoundMiddleware"]
    page = _get(client, "/products/999999/", "en")
    html = page.content.decode()
    assert page.status_code == 404
    assert "This page does not exist" in html
    assert "technical_404" not in html and "Django tried these URL patterns" not in html


def test_the_dev_settings_show_our_404_page_under_debug():
    from douyin_cart.settings import dev

    assert dev.DEBUG is True
    assert "core.error_pages.DebugNotFoundMiddleware" in dev.MIDDLEWARE


@pytest.mark.django_db
@pytest.mark.parametrize("lang,words", [("zh-hans", "服务器出错了"), ("en", "The server hit an error")])
def test_a_server_error_shows_our_500_page_in_the_visitors_language(settings, lang, words):
    settings.ROOT_URLCONF = "tests.core.newuser_urls"
    client = Client(raise_request_exception=False)
    page = _get(client, "/newuser-boom/", lang)
    html = page.content.decode()
    assert page.status_code == 500
    assert words in html
    assert 'id="error-home"' in html and 'class="topbar"' in html


def test_the_500_page_falls_back_to_plain_html_when_the_layout_cannot_render(rf, monkeypatch):
    from core import error_pages

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(error_pages.loader, "render_to_string", broken)
    page = error_pages.server_error(rf.get("/"))
    assert page.status_code == 500
    assert "返回首页" in page.content.decode()


@pytest.mark.django_db
def test_redoc_is_served_without_anything_from_the_internet(client):
    page = client.get("/api/redoc/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "redoc" in html.lower()
    assert foreign_asset_urls(html) == []
    # Redoc's bundle asks cdn.redoc.ly for its logo: the page's policy refuses it before any request.
    assert "img-src 'self' data:;" in html and "default-src 'self'" in html
