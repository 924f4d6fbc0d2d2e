"""Search matches words, not characters (issue 10, item 13): every word of a query must be a word
of what it finds, words the dictionary lacks (穿搭, 百搭) count as whole words, and a search with
no real match says so — on the page in both languages, and as an empty list in the API."""
import pytest
from django.urls import reverse

from affiliates.search import query_tokens
from showcase import selectors
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory, VideoFactory

pytestmark = pytest.mark.django_db


def titles(rows):
    return sorted(getattr(r, "title", None) or r.nickname for r in rows)


@pytest.fixture
def shelf():
    """What the outside tester searched in: nappies and shoes sold as 百搭, outfit videos, and
    videos whose titles hold a 不."""
    owner = UserFactory(nickname="琳琳穿搭")
    UserFactory(nickname="百搭小铺")
    return {
        "nappy": ProductFactory(title="好奇百搭婴儿纸尿裤官方正品买一送一", category="纸尿裤"),
        "shoe": ProductFactory(title="李宁百搭轻便徒步鞋组合装", category="运动鞋"),
        "outfit": ProductFactory(title="小个子显高穿搭公式连衣裙", category="连衣裙"),
        "videos": [VideoFactory(owner=owner, title=t) for t in
                   ("面试穿搭", "显瘦颜色搭配", "毛衣不起球", "宫保鸡丁不糊锅的秘诀", "一周通勤不重样")],
    }


def test_a_query_word_never_matches_through_one_of_its_characters(shelf):
    # 穿搭 shares 搭 with 百搭 and 搭配: neither is the word 穿搭.
    assert titles(selectors.search_products(q="穿搭")) == ["小个子显高穿搭公式连衣裙"]
    assert titles(selectors.search_videos(q="穿搭")) == ["面试穿搭"]
    assert titles(selectors.search_creators(q="穿搭")) == ["琳琳穿搭"]


def test_a_query_with_no_real_match_finds_nothing(shelf, api_client):
    # 不 is in three video titles; 存在, 东西 and xyz are in none.
    q = "不存在的东西xyz"
    assert list(selectors.search_products(q=q)) == []
    assert selectors.search_videos(q=q) == []
    assert selectors.search_creators(q=q) == []
    body = api_client.get("/api/v1/products/", {"q": q}).json()
    assert body["count"] == 0 and body["results"] == []


def test_words_the_dictionary_lacks_are_found_as_whole_words(shelf):
    assert query_tokens("穿搭") == ["穿搭"]
    assert titles(selectors.search_products(q="百搭")) == ["好奇百搭婴儿纸尿裤官方正品买一送一", "李宁百搭轻便徒步鞋组合装"]
    assert titles(selectors.search_products(q="显高穿搭")) == ["小个子显高穿搭公式连衣裙"]
    # the same characters in another order are not the word
    assert list(selectors.search_products(q="搭穿")) == []
    assert titles(selectors.search_creators(q="百搭")) == ["百搭小铺"]


def test_every_word_of_the_query_must_match(shelf):
    assert titles(selectors.search_products(q="百搭 纸尿裤")) == ["好奇百搭婴儿纸尿裤官方正品买一送一"]
    assert titles(selectors.search_videos(q="毛衣 不")) == ["毛衣不起球"]
    assert selectors.search_videos(q="毛衣 锅") == []


def test_the_search_page_says_when_nothing_matches_in_chinese(client, shelf):
    html = client.get(reverse("showcase:search"), {"q": "不存在的东西xyz"}).content.decode()
    assert 'id="search-none"' in html and "没有找到与“不存在的东西xyz”相关的结果" in html
    assert "毛衣不起球" not in html and "宫保鸡丁" not in html


def test_the_search_page_says_when_nothing_matches_in_english(client, shelf):
    html = client.get(reverse("showcase:search"), {"q": "穿搭xyz"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No match for “穿搭xyz”" in html
    html = client.get(reverse("showcase:search"), {"q": "穿搭xyz", "tab": "products"},
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No products have every word of “穿搭xyz”" in html


def test_a_search_that_matches_shows_results_and_no_empty_message(client, shelf):
    html = client.get(reverse("showcase:search"), {"q": "穿搭"}).content.decode()
    assert 'id="search-none"' not in html
    assert "面试穿搭" in html and "小个子显高穿搭公式连衣裙" in html and "纸尿裤" not in html
