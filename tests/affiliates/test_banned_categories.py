"""Banned categories fire on the leaves products carry: a rule on a top category (医疗器械,
电子烟) covers its subtree through the category path the source reports, and the paste is
refused naming the rule (issue 11 point 8)."""
import pytest

from affiliates.demo import BANNED
from affiliates.gate import PLATFORM_BANS, GateRules, gate_evaluate, gate_rules_load
from affiliates.models import BannedCategory, Product
from affiliates.resolver import GateRefused, product_resolve
from affiliates.sandbox import catalog
from affiliates.services import product_upsert_many
from tests.factories.affiliates import BannedCategoryFactory, product_info


def _first(source: str, leaf: str, word: str) -> catalog.Item:
    for index in range(catalog.size()):
        item = catalog.item(source, index)
        if item.category.leaf == leaf and word in item.title and item.in_union:
            return item
    pytest.skip(f"no {word} in the sandbox catalog of {source}")


def test_jd_blood_glucose_meter_paste_is_refused_by_the_medical_devices_rule(sandbox):
    BannedCategoryFactory(source="jd", category_name="医疗器械", rule_name="医疗器械禁入")
    meter = _first("jd", "家用医疗器械", "血糖仪")
    with pytest.raises(GateRefused) as refused:
        product_resolve(text=f"https://item.jd.com/{meter.external_id}.html")
    assert "医疗器械禁入" in str(refused.value.message)
    stored = Product.objects.get(source="jd", external_id=meter.external_id)
    assert stored.category == "家用医疗器械" and stored.category_path == "医疗器械/家用医疗器械"


@pytest.mark.parametrize("source", ["taobao", "kaola", "vip", "suning"])
def test_every_source_reports_the_ancestors_of_the_leaf(sandbox, source):
    BannedCategoryFactory(source=source, category_name="电子烟", rule_name="电子烟禁售")
    item = _first(source, "电子烟/烟具", "电子烟")
    from affiliates.sources import get_client
    info = get_client(source).product_detail(item.external_id)
    assert info.category_path.split("/")[0] == "电子烟"
    product_upsert_many(infos=[info])
    failures = Product.objects.get(source=source, external_id=item.external_id).gate_failures
    assert {"code": "banned_category", "rule": "电子烟禁售"}.items() <= failures[-1].items()


@pytest.mark.django_db
def test_rule_on_a_node_covers_its_subtree_but_not_a_sibling_or_a_lookalike():
    BannedCategoryFactory(source="taobao", category_name="医疗器械", rule_name="医疗器械禁入")
    rules = GateRules(banned=gate_rules_load().banned)  # the category rule alone
    base = {"source": "taobao", "category_id": "1"}
    assert not gate_evaluate({**base, "category": "家用医疗器械", "category_path": "医疗器械/家用医疗器械"}, rules)[0]
    assert not gate_evaluate({**base, "category": "血糖仪", "category_path": "医疗器械/家用医疗器械/血糖仪"}, rules)[0]
    assert gate_evaluate({**base, "category": "保健食品", "category_path": "营养保健/保健食品"}, rules)[0]
    assert gate_evaluate({**base, "category": "医疗器械收纳盒", "category_path": "家居/医疗器械收纳盒"}, rules)[0]


@pytest.mark.django_db
def test_stored_product_of_a_leaf_is_refused_once_its_top_is_banned():
    product_upsert_many(infos=[product_info(category="电子烟/烟具", category_path="电子烟/电子烟／烟具")])
    BannedCategoryFactory(source="taobao", category_name="电子烟", rule_name="电子烟禁售")
    from affiliates.services import product_gate_recheck
    product_gate_recheck(source="taobao")
    assert Product.objects.get().gate_failures[-1]["rule"] == "电子烟禁售"


@pytest.mark.django_db
def test_platform_bans_include_e_cigarettes_and_apply_to_every_source():
    names = {name for name, _rule in PLATFORM_BANS}
    assert {"电子烟", "烟草", "医疗器械", "药品", "处方药", "成人用品", "情趣用品", "彩票", "虚拟货币", "管制刀具"} <= names
    assert set(BANNED) == {""}  # "" = every source
    stored = set(BannedCategory.objects.filter(source="", active=True).values_list("category_name", "rule_name"))
    assert set(PLATFORM_BANS) <= stored  # migration 0007 added them
    rules = gate_rules_load()
    for source in ("taobao", "jd", "kaola", "vip", "suning"):
        passed, failures = gate_evaluate({"source": source, "category": "一次性电子烟", "category_id": "9",
                                          "category_path": "电子烟/一次性电子烟"}, GateRules(banned=rules.banned))
        assert not passed and failures[-1]["rule"] == "电子烟禁售"
