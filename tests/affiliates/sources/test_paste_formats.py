"""Every paste format of SOURCES.md ("What users paste") is recognised; junk is not."""
import pytest

from affiliates.sources import get_client, recognise

RECOGNISED = [
    # 淘口令 in share text, between each kind of delimiter
    ("【淘宝】https://m.tb.cn/h.gJkq9Xz?tk=AbCd1234567 ￥AbCd1234567￥ 「南极人四件套」", "taobao", "token", "AbCd1234567"),
    ("复制这段描述¥AbCd1234567¥后到淘宝", "taobao", "token", "AbCd1234567"),
    ("(AbCd1234567) 打开手淘", "taobao", "token", "AbCd1234567"),
    ("€AbCd1234567€", "taobao", "token", "AbCd1234567"),
    ("#AbCd123456789#", "taobao", "token", "AbCd123456789"),
    ("$Ab1234567890$ 淘宝", "taobao", "token", "Ab1234567890"),
    ("！AbCd1234567！", "taobao", "token", "AbCd1234567"),
    # Taobao / Tmall URLs
    ("https://item.taobao.com/item.htm?spm=a230r.1.14.1&id=600000123456&ns=1", "taobao", "id", "600000123456"),
    ("https://detail.tmall.com/item.htm?id=600000123456&skuId=1", "taobao", "id", "600000123456"),
    ("https://h5.m.taobao.com/awp/core/detail.htm?itemId=600000123456", "taobao", "id", "600000123456"),
    ("detail.m.tmall.com/item.htm?itemId=600000123456", "taobao", "id", "600000123456"),
    ("看看 https://m.tb.cn/h.UmQzXyZ 好物", "taobao", "short_link", "h.UmQzXyZ"),
    # JD
    ("https://item.jd.com/100012043978.html", "jd", "id", "100012043978"),
    ("京东 https://item.m.jd.com/product/100012043978.html?utm=x", "jd", "id", "100012043978"),
    ("item.jd.com/100012043978.html", "jd", "id", "100012043978"),
    ("https://u.jd.com/AbC1dEf", "jd", "short_link", "AbC1dEf"),
    # Kaola
    ("https://goods.kaola.com/product/5000017.html", "kaola", "id", "5000017"),
    ("https://m-goods.kaola.com/product/5000017.html?ri=1", "kaola", "id", "5000017"),
    # Vipshop
    ("https://detail.vip.com/detail-1710613-6919000010007.html", "vip", "id", "6919000010007"),
    ("https://m.vip.com/product-1710613-6919000010007.html", "vip", "id", "6919000010007"),
    # Suning (shop first in the URL; external id is commodity-supplier)
    ("https://product.suning.com/0071258669/12081096229.html", "suning", "id", "12081096229-0071258669"),
    ("https://m.suning.com/product/0071258669/12081096229.html", "suning", "id", "12081096229-0071258669"),
]

JUNK = [
    "", "hello world", "你好，这是一段普通的文字", "https://www.baidu.com/s?wd=123&id=600000123456",
    "￥abc￥", "(short)", "(AbCd-1234567)", "https://item.jd.com/abc.html", "https://item.jd.com/12.html",
    "https://detail.vip.com/detail-6919000010007.html", "https://product.suning.com/123/456.html",
    "https://goods.kaola.com/item/5000017.html", "http://example.com/product/1.html",
    "https://www.taobao.com/", "https://u.jd.com/", "https://haohuo.jinritemai.com/views/product/detail?id=1",
]


@pytest.mark.parametrize("text, source, kind, value", RECOGNISED)
def test_each_paste_format_is_recognised_by_its_source(text, source, kind, value):
    client, match = recognise(text)
    assert (client.source.value, match.source, match.kind, match.value) == (source, source, kind, value)


@pytest.mark.parametrize("text", JUNK)
def test_junk_is_recognised_by_no_source(text):
    assert recognise(text) is None


@pytest.mark.parametrize("source", ["jd", "kaola", "vip", "suning"])
def test_other_sources_do_not_claim_a_taobao_token(source):
    assert get_client(source).match_paste("￥AbCd1234567￥") is None


def test_a_link_wins_over_a_token_like_fragment_for_jd():
    client, match = recognise("(AbCd1234567) https://item.jd.com/100012043978.html")
    assert (client.source.value, match.value) == ("jd", "100012043978")
