"""The paste box's rules: detection, refusals naming the supported sources, typed source errors
mapped to clear statuses, the quality gate, and Douyin's own shop/alliance links."""
import logging

import pytest
from django.urls import reverse

from affiliates.models import Product
from affiliates.resolver import GateRefused, SourceBusy, SourceFailed, SourceUnavailable, product_resolve
from affiliates.services import SkuData, shop_product_alliance_list, shop_product_create, shop_product_publish
from affiliates.sources.base import BadSignature, NotPromotable, RateLimited, Source, Transient
from core.errors import InvalidInput, NotFound
from tests.affiliates.fakes import FakeClient, use_clients
from tests.factories.affiliates import ShopFactory, UserFactory, good_shop, product_info

pytestmark = pytest.mark.django_db
SUPPORTED = "淘宝天猫、精选联盟、小店、京东、考拉、唯品会、苏宁"


@pytest.fixture
def jd(monkeypatch):
    info = product_info(source="jd", external_id="100012043978", title="京东自营 小米手机",
                        shop=good_shop(credit_level=None, dsr_description=960, dsr_service=955, dsr_logistics=970,
                                       industry_description=None, industry_service=None, industry_logistics=None,
                                       description_grade="high", service_grade="high", logistics_grade="high",
                                       shop_score=480))
    client = FakeClient(Source.JD, infos={"100012043978": info}, errors={
        "busy": RateLimited("jd", "too many calls", code="429"),
        "down": Transient("jd", "503", code="503"),
        "badsig": BadSignature("jd", "sign check failed", code="25"),
    })
    use_clients(monkeypatch, client)
    return client


def test_a_recognised_link_becomes_a_stored_product_ready_to_add(jd):
    product = product_resolve(text="好物推荐 https://fake.example/item/100012043978 快来买")
    assert (product.source, product.external_id, product.title) == ("jd", "100012043978", "京东自营 小米手机")
    assert product.gate_passed
    assert Product.objects.filter(source="jd", external_id="100012043978").count() == 1


@pytest.mark.parametrize("text", ["", "   ", "随便一段文字没有链接", "https://www.example.com/item?id=123456789",
                                  "￥abc￥", "12345678901234567890", "<script>alert(1)</script>"])
def test_unsupported_or_empty_input_names_the_field_and_the_supported_sources(jd, text):
    with pytest.raises(InvalidInput) as exc:
        product_resolve(text=text)
    assert exc.value.field == "text"
    if text.strip():
        assert SUPPORTED in str(exc.value.message)


def test_very_long_paste_is_refused_not_scanned(jd, settings):
    with pytest.raises(InvalidInput) as exc:
        product_resolve(text="x" * (settings.RESOLVER_MAX_PASTE_CHARS + 1))
    assert exc.value.field == "text" and exc.value.code == "max_length"


def test_a_link_to_nothing_is_no_such_product(jd):
    with pytest.raises(NotFound) as exc:
        product_resolve(text="https://fake.example/item/999")
    assert exc.value.status_code == 404 and "京东" in str(exc.value.message)


def test_rate_limited_source_answers_429_try_again(jd):
    with pytest.raises(SourceBusy) as exc:
        product_resolve(text="https://fake.example/item/busy")
    assert exc.value.status_code == 429


def test_unreachable_source_answers_503_try_again(jd):
    with pytest.raises(SourceUnavailable) as exc:
        product_resolve(text="https://fake.example/item/down")
    assert exc.value.status_code == 503


def test_bad_signature_is_logged_and_answered_502_without_secrets(jd, caplog, settings):
    with caplog.at_level(logging.ERROR, logger="affiliates.resolver"), pytest.raises(SourceFailed) as exc:
        product_resolve(text="https://fake.example/item/badsig")
    assert exc.value.status_code == 502
    assert "signature" in caplog.text
    secrets = [c["app_secret"] for c in settings.SANDBOX_CREDENTIALS.values()]
    assert not any(s in str(exc.value.message) or s in caplog.text for s in secrets)


def test_taobao_item_outside_taobao_union_is_refused_with_the_union_instruction(monkeypatch):
    client = FakeClient(Source.TAOBAO, errors={"mine": NotPromotable("taobao", "not in union", code="not_in_union")})
    use_clients(monkeypatch, client)
    with pytest.raises(InvalidInput) as exc:
        product_resolve(text="https://fake.example/item/mine")
    assert exc.value.code == "not_promotable"
    assert "淘宝客联盟" in str(exc.value.message) and "先" in str(exc.value.message)


def test_product_failing_the_gate_is_refused_with_the_reason_and_stored(monkeypatch):
    bad = product_info(external_id="42", shop=good_shop(dsr_logistics=462))
    use_clients(monkeypatch, FakeClient(Source.TAOBAO, infos={"42": bad}))
    with pytest.raises(GateRefused) as exc:
        product_resolve(text="https://fake.example/item/42")
    assert "物流 4.62 低于行业平均 4.70（差 0.08）" in str(exc.value.message)
    assert exc.value.product.gate_passed is False
    assert Product.objects.get(external_id="42").gate_failures[0]["metric"] == "logistics"


def test_sold_out_product_is_refused(monkeypatch):
    use_clients(monkeypatch, FakeClient(Source.TAOBAO, infos={"7": product_info(external_id="7", available=False)}))
    with pytest.raises(InvalidInput) as exc:
        product_resolve(text="https://fake.example/item/7")
    assert exc.value.code == "unavailable"


def test_a_link_wins_over_a_token_shaped_code_another_source_recognises(monkeypatch):
    taobao = FakeClient(Source.TAOBAO, infos={"tok123": product_info(external_id="tok123")}, link_re=None)
    jd = FakeClient(Source.JD, infos={"55": product_info(source="jd", external_id="55",
                                                         shop=good_shop(industry_description=None))},
                    token_re=None)
    use_clients(monkeypatch, taobao, jd)
    with pytest.raises(GateRefused):  # JD was asked (and its gate ran), not Taobao
        product_resolve(text="【tok123】 https://fake.example/item/55")
    assert jd.resolved and not taobao.resolved


# --- Douyin's own products: shop (小店) and alliance (精选联盟) ----------------------------------------
def _shop_product(owner=None, *, listed=False, publish=True):
    shop = ShopFactory(owner=owner) if owner else ShopFactory()
    sp = shop_product_create(shop=shop, title="手工红糖姜茶", category="food",
                             skus=[SkuData(name="一盒", price_fen=3990, stock=20)])
    if publish:
        sp.images.create(image="shop_products/x.png")
        shop_product_publish(product=sp)
    if listed:
        shop_product_alliance_list(product=sp, rate_bp=2500)
    return sp


@pytest.mark.parametrize("path", ["views/product/detail?id={id}", "views/product/item2?id={id}",
                                  "views/product/item2?origin_type=604&id={id}&share=1"])
def test_douyin_link_of_an_alliance_product_resolves_to_the_alliance_row(monkeypatch, path):
    use_clients(monkeypatch)
    sp = _shop_product(listed=True)
    text = f"【抖音商城】https://haohuo.jinritemai.com/{path.format(id=sp.public_id)} 长按复制此条消息"
    product = product_resolve(text=text, user=UserFactory())
    assert (product.source, product.external_id, product.commission_rate_bp) == ("alliance", sp.public_id, 2500)


def test_douyin_shop_product_not_in_the_alliance_is_refused_for_other_creators(monkeypatch):
    use_clients(monkeypatch)
    sp = _shop_product()
    with pytest.raises(InvalidInput) as exc:
        product_resolve(text=f"https://haohuo.jinritemai.com/views/product/detail?id={sp.public_id}",
                        user=UserFactory())
    assert exc.value.code == "not_in_alliance" and "精选联盟" in str(exc.value.message)


def test_douyin_shop_product_resolves_for_its_own_shop_as_a_shop_product(monkeypatch):
    use_clients(monkeypatch)
    owner = UserFactory()
    sp = _shop_product(owner)
    product = product_resolve(text=f"https://haohuo.jinritemai.com/views/product/detail?id={sp.public_id}",
                              user=owner)
    assert (product.source, product.price_fen) == ("shop", 3990)


@pytest.mark.parametrize("text", ["https://haohuo.jinritemai.com/views/product/detail?id=1234567890123456789",
                                  "https://haohuo.jinritemai.com/views/product/detail?id=12345",
                                  "https://haohuo.jinritemai.com/views/product/detail"])
def test_douyin_link_to_no_product_is_refused(monkeypatch, text):
    use_clients(monkeypatch)
    with pytest.raises((NotFound, InvalidInput)) as exc:
        product_resolve(text=text)
    assert exc.value.field == "text"


def test_draft_shop_product_is_not_found_by_its_link(monkeypatch):
    use_clients(monkeypatch)
    owner = UserFactory()
    sp = _shop_product(owner, publish=False)
    with pytest.raises(NotFound):
        product_resolve(text=f"https://haohuo.jinritemai.com/views/product/detail?id={sp.public_id}", user=owner)


# --- the API ----------------------------------------------------------------------------------------------
def test_resolve_api_answers_the_product_card(api_client, jd):
    api_client.force_authenticate(UserFactory())
    response = api_client.post(reverse("affiliates_api:product_resolve"),
                               {"text": "https://fake.example/item/100012043978"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["source"] == "jd" and body["price_fen"] == 5900 and body["commission_rate_bp"] == 2000
    assert body["estimated_commission_fen"] == 1180 and body["source_label"] == "京东"


def test_resolve_api_refusal_names_the_text_field(api_client, jd):
    api_client.force_authenticate(UserFactory())
    response = api_client.post(reverse("affiliates_api:product_resolve"), {"text": "你好"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "text" and SUPPORTED in error["message"]


def test_resolve_api_maps_a_busy_source_to_429(api_client, jd):
    api_client.force_authenticate(UserFactory())
    response = api_client.post(reverse("affiliates_api:product_resolve"),
                               {"text": "https://fake.example/item/busy"}, format="json")
    assert response.status_code == 429 and response.json()["error"]["code"] == "source_rate_limited"


def test_resolve_api_needs_a_signed_in_creator(api_client, jd):
    response = api_client.post(reverse("affiliates_api:product_resolve"), {"text": "x"}, format="json")
    assert response.status_code in (401, 403)
