"""The quality gate (the guide's 批注): Taobao shop DSR above the industry, level above one
diamond, banned categories by rule name; the equivalent for JD."""
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from affiliates.gate import (
    GateRules,
    Threshold,
    failure_messages,
    gate_evaluate,
    gate_rules_load,
    refusal_message,
)
from affiliates.models import Product
from affiliates.services import product_gate_recheck, product_upsert_many
from affiliates.sources.base import ShopInfo
from tests.factories.affiliates import BannedCategoryFactory, GateThresholdFactory, good_shop, product_info

TAOBAO_RULES = GateRules(thresholds={"taobao": Threshold(credit_level_above=6, dsr_above_average=True)})


def taobao(**shop) -> dict:
    s = good_shop(**shop)
    return {"source": "taobao", "category": "女装", "category_id": "16", "shop_credit_level": s.credit_level,
            "shop_dsr_description": s.dsr_description, "shop_dsr_service": s.dsr_service,
            "shop_dsr_logistics": s.dsr_logistics, "industry_dsr_description": s.industry_description,
            "industry_dsr_service": s.industry_service, "industry_dsr_logistics": s.industry_logistics,
            "shop_grade_description": "", "shop_grade_service": "", "shop_grade_logistics": "",
            "shop_score": None}


def messages(failures) -> list[str]:
    with translation.override("zh-hans"):
        return failure_messages(failures)


def test_shop_with_every_score_above_average_and_two_diamonds_passes():
    assert gate_evaluate(taobao(), TAOBAO_RULES) == (True, [])


@pytest.mark.parametrize("metric", ["description", "service", "logistics"])
def test_each_score_below_the_average_is_refused_on_its_own(metric):
    passed, failures = gate_evaluate(taobao(**{f"dsr_{metric}": 462}), TAOBAO_RULES)
    assert not passed
    assert [(f["code"], f["metric"]) for f in failures] == [("dsr_not_above_average", metric)]


@pytest.mark.parametrize("metric", ["description", "service", "logistics"])
def test_a_score_equal_to_the_average_is_not_above_it(metric):
    passed, failures = gate_evaluate(taobao(**{f"dsr_{metric}": 470}), TAOBAO_RULES)
    assert not passed and failures[0]["metric"] == metric


@pytest.mark.parametrize("metric", ["description", "service", "logistics"])
def test_one_hundredth_above_the_average_passes(metric):
    assert gate_evaluate(taobao(**{f"dsr_{metric}": 471}), TAOBAO_RULES)[0]


def test_refusal_names_the_failing_score_and_the_gap():
    _, failures = gate_evaluate(taobao(dsr_logistics=462), TAOBAO_RULES)
    assert messages(failures) == ["物流 4.62 低于行业平均 4.70（差 0.08）"]


def test_refusal_for_an_equal_score_says_it_must_be_above():
    _, failures = gate_evaluate(taobao(dsr_service=470), TAOBAO_RULES)
    assert messages(failures) == ["服务 4.70 等于行业平均 4.70，须高于行业平均"]


def test_refusal_lists_every_failing_rule():
    _, failures = gate_evaluate(taobao(dsr_description=468, dsr_logistics=455, credit_level=3), TAOBAO_RULES)
    with translation.override("zh-hans"):
        text = refusal_message(failures)
    assert "描述 4.68 低于行业平均 4.70（差 0.02）" in text
    assert "物流 4.55 低于行业平均 4.70（差 0.15）" in text
    assert "店铺等级 3" in text


def test_level_six_one_diamond_is_refused_and_seven_accepted():
    passed6, failures6 = gate_evaluate(taobao(credit_level=6), TAOBAO_RULES)
    assert not passed6
    assert messages(failures6) == ["店铺等级 6（1钻）须高于 6 级（1钻）"]
    assert gate_evaluate(taobao(credit_level=7), TAOBAO_RULES)[0]


def test_missing_shop_scores_are_refused_not_waved_through():
    product = taobao()
    product["shop_dsr_service"] = None
    product["shop_credit_level"] = None
    passed, failures = gate_evaluate(product, TAOBAO_RULES)
    assert not passed
    assert {f["code"] for f in failures} == {"dsr_unknown", "level_unknown"}


@given(scores=st.tuples(*[st.integers(400, 500)] * 3), averages=st.tuples(*[st.integers(400, 500)] * 3),
       level=st.integers(1, 20))
def test_passes_exactly_when_every_score_is_above_average_and_level_above_six(scores, averages, level):
    product = taobao(credit_level=level, dsr_description=scores[0], dsr_service=scores[1], dsr_logistics=scores[2],
                     industry_description=averages[0], industry_service=averages[1],
                     industry_logistics=averages[2])
    expected = level > 6 and all(s > a for s, a in zip(scores, averages, strict=True))
    assert gate_evaluate(product, TAOBAO_RULES)[0] is expected


@pytest.mark.django_db
def test_banned_category_is_refused_with_the_rule_name():
    BannedCategoryFactory(source="taobao", category_name="成人用品", rule_name="成人用品禁入")
    passed, failures = gate_evaluate({**taobao(), "category": "成人用品"}, gate_rules_load())
    assert not passed
    assert messages(failures) == ["类目“成人用品”不允许推广（规则：成人用品禁入）"]


@pytest.mark.django_db
def test_banned_category_matches_any_level_of_a_category_path_and_by_id():
    BannedCategoryFactory(source="taobao", category_name="彩票", rule_name="彩票禁售")
    BannedCategoryFactory(source="taobao", category_name="", category_id="50008090", rule_name="烟草禁售")
    rules = gate_rules_load()
    assert not gate_evaluate({**taobao(), "category": "生活服务/彩票"}, rules)[0]
    assert not gate_evaluate({**taobao(), "category": "其他", "category_id": "50008090"}, rules)[0]
    assert gate_evaluate({**taobao(), "category": "彩票收纳盒"}, rules)[0]


@pytest.mark.django_db
def test_banned_rule_of_one_source_does_not_touch_another_nor_an_inactive_rule():
    BannedCategoryFactory(source="jd", category_name="女装", rule_name="京东女装")
    BannedCategoryFactory(source="taobao", category_name="女装", rule_name="已停用", active=False)
    assert gate_evaluate(taobao(), gate_rules_load())[0]


# --- JD ------------------------------------------------------------------------------------------
def jd(**shop) -> dict:
    values = {"source": "jd", "category": "手机", "category_id": "9987", "shop_credit_level": None,
              "shop_dsr_description": 960, "shop_dsr_service": 950, "shop_dsr_logistics": 970,
              "industry_dsr_description": None, "industry_dsr_service": None, "industry_dsr_logistics": None,
              "shop_grade_description": "high", "shop_grade_service": "high", "shop_grade_logistics": "high",
              "shop_score": 480}
    values.update(shop)
    return values


@pytest.mark.django_db
def test_jd_shop_ranking_high_on_every_score_with_a_good_shop_score_passes():
    assert gate_evaluate(jd(), gate_rules_load()) == (True, [])


@pytest.mark.django_db
def test_jd_score_ranking_low_against_its_peers_is_refused_with_its_name():
    passed, failures = gate_evaluate(jd(shop_grade_logistics="low"), gate_rules_load())
    assert not passed
    assert messages(failures) == ["物流 9.70 与同行相比为“低”，须为“中”或“高”"]


@pytest.mark.django_db
def test_jd_score_on_par_with_peers_passes_by_default_and_not_when_admin_requires_high():
    assert gate_evaluate(jd(shop_grade_service="medium"), gate_rules_load())[0]
    GateThresholdFactory(source="jd", credit_level_above=None, dsr_min_rank="high", shop_score_above=400)
    passed, failures = gate_evaluate(jd(shop_grade_service="medium"), gate_rules_load())
    assert not passed and messages(failures) == ["服务 9.50 与同行相比为“中”，须为“高”"]


@pytest.mark.django_db
def test_jd_shop_score_at_or_below_four_is_refused():
    rules = gate_rules_load()
    passed, failures = gate_evaluate(jd(shop_score=400), rules)
    assert not passed and messages(failures) == ["店铺评分 4.00 须高于 4.00"]
    assert gate_evaluate(jd(shop_score=401), rules)[0]


@pytest.mark.django_db
def test_admin_threshold_row_overrides_the_settings_default():
    GateThresholdFactory(source="taobao", credit_level_above=10)
    passed, failures = gate_evaluate(taobao(credit_level=8), gate_rules_load())
    assert not passed and failures[0]["above"] == 10


@pytest.mark.django_db
def test_inactive_threshold_row_turns_the_shop_rules_off_for_that_source():
    GateThresholdFactory(source="taobao", active=False)
    assert gate_evaluate(taobao(credit_level=1, dsr_logistics=300), gate_rules_load())[0]


@pytest.mark.django_db
def test_sources_without_shop_rules_pass_on_scores_they_do_not_have():
    product = {**taobao(), "source": "kaola", "shop_credit_level": None, "shop_dsr_service": None}
    assert gate_evaluate(product, gate_rules_load())[0]


@pytest.mark.django_db
def test_gate_result_is_stored_on_the_product():
    info = product_info(shop=ShopInfo(shop_id="x", name="差评小店", credit_level=4, dsr_description=480,
                                      dsr_service=480, dsr_logistics=460, industry_description=470,
                                      industry_service=470, industry_logistics=470))
    product_upsert_many(infos=[info])
    p = Product.objects.get(external_id=info.external_id)
    assert not p.gate_passed
    assert {f["code"] for f in p.gate_failures} == {"level_too_low", "dsr_not_above_average"}


@pytest.mark.django_db
def test_recheck_applies_new_rules_to_stored_products_and_then_writes_nothing():
    infos = [product_info(category="医疗器械"), product_info(category="女装")]
    product_upsert_many(infos=infos)
    BannedCategoryFactory(source="taobao", category_name="医疗器械", rule_name="医疗器械禁入")
    assert product_gate_recheck(source="taobao") == 2  # both rechecked against the new fingerprint
    assert list(Product.objects.filter(gate_passed=False).values_list("category", flat=True)) == ["医疗器械"]
    assert product_gate_recheck(source="taobao") == 0
    assert product_upsert_many(infos=infos).unchanged == 2
