"""The category tree of each source (issue 11 point 8): pulled through our clients from the
sources' category APIs (the sandbox twins answer them with a three-level tree), stored with
every node's ancestors, products linked to their leaf at upsert; a banned-category rule on a
node covers its whole subtree, is named when a paste is refused, and its preview and
enforcement touch exactly the showcase items under that subtree."""
from dataclasses import replace

import pytest
from django.core.management import call_command

from affiliates.gate import gate_rules_load
from affiliates.models import BannedCategory, Category, Product
from affiliates.resolver import GateRefused, product_resolve
from affiliates.sandbox import catalog
from affiliates.services import product_upsert_many
from affiliates.services.banned import banned_rule_enforce, banned_rule_impact, banned_rule_products
from affiliates.services.categories import category_tree_sync
from affiliates.sources import get_client
from affiliates.sources.base import SourceError
from notices.models import InboxMessage
from showcase.models import ShowcaseItem
from showcase.services.window import showcase_item_add
from tests.factories.affiliates import product_info
from tests.showcase.helpers import creator_with_rights

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_rules(db):
    """Start without the platform's bans (migration 0007), so each test's own rule is the only one."""
    BannedCategory.objects.all().delete()


def _first(source: str, leaf: str, word: str) -> catalog.Item:
    for index in range(catalog.size()):
        item = catalog.item(source, index)
        if item.category.leaf == leaf and word in item.title and item.in_union:
            return item
    pytest.skip(f"no {word} in the sandbox catalog of {source}")


def _node(source: str, name: str) -> Category:
    return Category.objects.get(source=source, name=name)


def test_taobao_client_reads_itemcats_get_level_by_level(sandbox):
    client = get_client("taobao")
    tops = client.categories()
    assert {"医药保健", "烟草", "服饰鞋包"} <= {c.name for c in tops}
    assert all(c.level == 1 and not c.is_leaf and c.parent_id == "" for c in tops)
    health = next(c for c in tops if c.name == "医药保健")
    (devices,) = client.categories(health.category_id)
    assert (devices.name, devices.level, devices.parent_id, devices.is_leaf) == ("医疗器械", 2, health.category_id, False)
    (leaf,) = client.categories(devices.category_id)
    assert (leaf.name, leaf.category_id, leaf.level, leaf.is_leaf) == ("家用医疗器械", "2813", 3, True)


def test_jd_client_reads_the_union_category_api_by_grade(sandbox):
    client = get_client("jd")
    tops = client.categories()
    tobacco = next(c for c in tops if c.name == "烟草")
    (ecig,) = client.categories(tobacco.category_id)
    (leaf,) = client.categories(ecig.category_id)
    assert (ecig.name, ecig.level) == ("电子烟", 2)
    assert (leaf.name, leaf.level, leaf.is_leaf, leaf.parent_id) == ("电子烟/烟具", 3, True, ecig.category_id)


@pytest.mark.parametrize("source", ["taobao", "jd", "kaola", "vip", "suning"])
def test_every_client_walks_the_three_levels_of_its_sources_tree(sandbox, source):
    client = get_client(source)
    tops = client.categories()
    assert len(tops) == 10 and all(c.level == 1 and not c.is_leaf for c in tops)
    tobacco = next(c for c in tops if c.name == "烟草")
    (ecig,) = client.categories(tobacco.category_id)
    (leaf,) = client.categories(ecig.category_id)
    assert (ecig.name, ecig.level, ecig.parent_id, ecig.is_leaf) == ("电子烟", 2, tobacco.category_id, False)
    assert (leaf.name, leaf.category_id, leaf.level, leaf.is_leaf) == ("电子烟/烟具", "50024999", 3, True)


@pytest.mark.parametrize("source", ["taobao", "jd", "kaola", "vip", "suning"])
def test_sync_stores_every_node_with_its_ancestors(sandbox, source):
    counts = category_tree_sync(source=source)
    assert counts.nodes == Category.objects.filter(source=source).count() > 30
    leaf = Category.objects.get(source=source, source_category_id="2813")
    assert leaf.path_names == "医药保健/医疗器械/家用医疗器械" and leaf.level == 3 and leaf.is_leaf
    top = _node(source, "医药保健")
    assert leaf.parent.parent == top and leaf.path_ids.startswith(top.path_ids)
    # "is X under Y" is one prefix lookup on the stored ancestors
    under = Category.objects.filter(source=source, path_ids__startswith=_node(source, "烟草").path_ids)
    assert sorted(under.values_list("name", flat=True)) == ["烟草", "电子烟", "电子烟／烟具"]
    assert category_tree_sync(source=source).created == 0  # a second pull changes nothing


def test_sync_command_pulls_the_trees_and_links_stored_products(sandbox, no_rules):
    product_upsert_many(infos=[product_info(source="jd", external_id="100001", category="家用医疗器械",
                                            category_id="2813", category_path="医疗器械/家用医疗器械")])
    call_command("sync_categories", "jd", "shop")
    product = Product.objects.get(source="jd", external_id="100001")
    assert product.category_node == Category.objects.get(source="jd", source_category_id="2813")
    assert product.category_path == "医药保健/医疗器械/家用医疗器械"
    assert Category.objects.filter(source="shop", source_category_id="food", level=1).exists()


def test_rule_on_a_top_node_refuses_a_pasted_leaf_product_naming_the_rule(sandbox, no_rules):
    category_tree_sync(source="jd")
    BannedCategory.objects.create(source="jd", node=_node("jd", "医药保健"), rule_name="医疗器械禁入")
    meter = _first("jd", "家用医疗器械", "血糖仪")
    with pytest.raises(GateRefused) as refused:
        product_resolve(text=f"https://item.jd.com/{meter.external_id}.html")
    assert "医疗器械禁入" in str(refused.value.message)
    stored = Product.objects.get(source="jd", external_id=meter.external_id)
    assert stored.category_node.source_category_id == "2813"
    assert stored.category_path == "医药保健/医疗器械/家用医疗器械"
    assert stored.gate_failures[-1] == {"code": "banned_category", "rule": "医疗器械禁入", "category": "家用医疗器械"}


def test_node_rule_matches_by_ancestor_ids_not_by_a_lookalike_name(sandbox, no_rules):
    category_tree_sync(source="taobao")
    BannedCategory.objects.create(source="taobao", node=_node("taobao", "烟草"), rule_name="烟草制品禁售")
    product_upsert_many(infos=[
        product_info(external_id="7001", title="一次性电子烟", category="电子烟/烟具", category_id="50024999"),
        product_info(external_id="7002", title="烟草色围巾", category="围巾", category_id="1",
                     category_path="服饰/烟草色围巾"),
    ])
    ecig, scarf = Product.objects.get(external_id="7001"), Product.objects.get(external_id="7002")
    assert not ecig.gate_passed and ecig.gate_failures[-1]["rule"] == "烟草制品禁售"
    assert scarf.gate_passed


def test_rule_for_every_source_on_a_node_covers_each_sources_subtree(sandbox, no_rules):
    for source in ("jd", "taobao"):
        category_tree_sync(source=source)
    BannedCategory.objects.create(source="", node=_node("jd", "电子烟"), rule_name="电子烟禁售")
    rules = gate_rules_load()
    assert rules.banned_for("taobao") and rules.banned_for("jd")
    product_upsert_many(infos=[product_info(source=s, external_id=f"8{n}", category="电子烟/烟具",
                                            category_id="50024999") for n, s in enumerate(("taobao", "jd"))])
    assert not Product.objects.filter(external_id__in=["80", "81"], gate_passed=True).exists()


def test_preview_lists_exactly_the_showcase_items_under_the_subtree_and_applying_messages_each_creator(
        sandbox, no_rules, django_capture_on_commit_callbacks):
    category_tree_sync(source="taobao")
    product_upsert_many(infos=[
        product_info(external_id="9001", title="家用血糖仪", category="家用医疗器械", category_id="2813"),
        product_info(external_id="9002", title="一次性电子烟", category="电子烟/烟具", category_id="50024999"),
        product_info(external_id="9003", title="纯棉短袖T恤", category="T恤", category_id="50000436"),
    ])
    meter, ecig, shirt = (Product.objects.get(external_id=i) for i in ("9001", "9002", "9003"))
    alice, bob = creator_with_rights(nickname="琳琳"), creator_with_rights(nickname="果哥")
    for owner in (alice, bob):
        for product in (meter, ecig, shirt):
            showcase_item_add(owner=owner, product_id=product.pk)
    rule = BannedCategory.objects.create(source="taobao", node=_node("taobao", "医药保健"), rule_name="医疗器械禁入")

    assert list(banned_rule_products(rule=rule)) == [meter]
    assert {(p.creator_id, p.product_id, p.where) for p in banned_rule_impact(rule=rule)} == {
        (alice.pk, meter.pk, "showcase"), (bob.pk, meter.pk, "showcase")}

    with django_capture_on_commit_callbacks(execute=True):
        banned_rule_enforce(rule=rule)
    assert not ShowcaseItem.objects.filter(product=meter).exists()
    assert ShowcaseItem.objects.filter(product__in=[ecig, shirt]).count() == 4
    for owner in (alice, bob):
        (message,) = InboxMessage.objects.filter(recipient=owner)
        text = f"{message.title} {message.body} {message.params}"
        assert "家用血糖仪" in text and "医疗器械禁入" in text
    shirt.refresh_from_db()
    ecig.refresh_from_db()
    assert shirt.gate_passed and ecig.gate_passed


@pytest.mark.parametrize("source", ["taobao", "jd", "kaola", "vip", "suning"])
def test_the_twins_check_the_signature_of_category_calls_too(sandbox, source):
    client = get_client(source)
    forged = type(client)(replace(client.config, app_secret="not-the-secret"))
    with pytest.raises(SourceError):
        forged.categories()


def test_the_daily_task_pulls_every_tree_and_setup_schedules_installs_it(sandbox):
    from io import StringIO

    from django_celery_beat.models import PeriodicTask

    from affiliates.tasks import categories_sync

    pulled = categories_sync("all")
    assert set(pulled) == {"taobao", "jd", "kaola", "vip", "suning", "alliance", "shop"}
    assert pulled["jd"] == Category.objects.filter(source="jd").count() > 30
    call_command("setup_schedules", stdout=StringIO())
    assert PeriodicTask.objects.filter(task="affiliates.categories_sync").count() == 1


def test_admin_saving_a_node_rule_previews_the_showcase_items_it_would_remove(sandbox, no_rules, client):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from tests.factories.affiliates import UserFactory

    category_tree_sync(source="taobao")
    product_upsert_many(infos=[product_info(external_id="9101", title="家用血糖仪", category="家用医疗器械",
                                            category_id="2813")])
    meter = Product.objects.get(external_id="9101")
    seller = creator_with_rights(nickname="琳琳")
    showcase_item_add(owner=seller, product_id=meter.pk)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "医药保健/医疗器械" in client.get(reverse("admin:affiliates_category_changelist")).content.decode()
    assert client.get(reverse("admin:affiliates_bannedcategory_add")).status_code == 200
    response = client.post(reverse("admin:affiliates_bannedcategory_add"), {
        "rule_name": "医疗器械禁入", "source": "", "node": _node("taobao", "医药保健").pk, "category_name": "",
        "category_id": "", "active": "on"})
    assert response.status_code == 302
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "家用血糖仪" in shown and "医疗器械禁入" in shown and f"@{seller.handle}" in shown
    assert ShowcaseItem.objects.filter(product=meter).exists()  # only previewed: nothing taken down yet
    meter.refresh_from_db()
    assert not meter.gate_passed


def test_a_rule_needs_a_node_a_name_or_an_id(no_rules):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        BannedCategory.objects.create(source="", rule_name="空规则")


def test_admin_refuses_a_node_of_another_source_and_an_empty_rule(sandbox, no_rules, client):
    from django.urls import reverse

    from tests.factories.affiliates import UserFactory

    category_tree_sync(source="jd")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:affiliates_bannedcategory_add")
    base = {"rule_name": "电子烟禁售", "category_name": "", "category_id": "", "active": "on"}
    other = client.post(url, {**base, "source": "taobao", "node": _node("jd", "电子烟").pk})
    empty = client.post(url, {**base, "source": "", "node": ""})
    assert other.status_code == empty.status_code == 200  # the form again, with the error
    assert "node" in other.context["adminform"].form.errors and "node" in empty.context["adminform"].form.errors
    assert not BannedCategory.objects.exists()


def test_the_paste_api_refuses_an_e_cigarette_under_tobacco_with_a_4xx_naming_the_rule(sandbox, no_rules, api_client):
    from django.urls import reverse

    from tests.factories.affiliates import UserFactory

    category_tree_sync(source="taobao")
    BannedCategory.objects.create(source="", node=_node("taobao", "烟草"), rule_name="电子烟禁售")
    ecig = _first("taobao", "电子烟/烟具", "电子烟")
    api_client.force_authenticate(UserFactory())
    response = api_client.post(reverse("affiliates_api:product_resolve"),
                               {"text": f"https://item.taobao.com/item.htm?id={ecig.external_id}"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "quality_gate" and error["field"] == "text" and "电子烟禁售" in error["message"]
