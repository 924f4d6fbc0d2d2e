"""橱窗管理: adding from the pool, a search or a paste; no duplicates; the size limit; categories,
recommended and new flags; reordering by buttons and by drag (API); removal; rights."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from affiliates.sources.base import Source
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from creators.services import cart_right_revoke, cart_right_suspend
from showcase import services
from showcase.models import ShowcaseCategory, ShowcaseItem
from tests.affiliates.fakes import FakeClient, use_clients
from tests.factories.affiliates import ProductFactory, product_info

from .helpers import creator_with_rights, login

pytestmark = pytest.mark.django_db


def order(creator):
    return list(ShowcaseItem.objects.filter(showcase__owner=creator).order_by("position", "id")
                .values_list("product_id", flat=True))


def test_products_from_the_pool_are_added_in_order(creator, products):
    for p in products[:3]:
        services.showcase_item_add(owner=creator, product_id=p.pk)
    assert order(creator) == [p.pk for p in products[:3]]


def test_a_product_is_in_a_showcase_only_once(creator, products):
    services.showcase_item_add(owner=creator, product_id=products[0].pk)
    with pytest.raises(Conflict) as exc:
        services.showcase_item_add(owner=creator, product_id=products[0].pk)
    assert exc.value.code == "duplicate" and products[0].title in str(exc.value.message)
    assert ShowcaseItem.objects.count() == 1


def test_the_size_limit_is_a_setting_and_the_refusal_names_it(creator, products, settings):
    settings.SHOWCASE_MAX_PRODUCTS = 3
    for p in products[:3]:
        services.showcase_item_add(owner=creator, product_id=p.pk)
    with pytest.raises(Conflict) as exc:
        services.showcase_item_add(owner=creator, product_id=products[3].pk)
    assert exc.value.code == "limit_reached" and "3" in str(exc.value.message)
    assert ShowcaseItem.objects.count() == 3


def test_products_that_failed_the_gate_or_are_sold_out_are_refused(creator):
    failed = ProductFactory(gate_passed=False, gate_failures=[])
    sold_out = ProductFactory(available=False)
    with pytest.raises(InvalidInput) as exc:
        services.showcase_item_add(owner=creator, product_id=failed.pk)
    assert exc.value.code == "quality_gate"
    with pytest.raises(InvalidInput) as exc:
        services.showcase_item_add(owner=creator, product_id=sold_out.pk)
    assert exc.value.code == "unavailable" and exc.value.field == "product_id"


def test_another_shops_own_products_cannot_be_added(creator):
    shop_only = ProductFactory(source="shop", shop_external_id="999999")
    with pytest.raises(NotFound):
        services.showcase_item_add(owner=creator, product_id=shop_only.pk)


def test_a_pasted_link_is_resolved_and_added(creator, monkeypatch):
    info = product_info(external_id="640012043978", title="天猫 纯棉短袖T恤")
    use_clients(monkeypatch, FakeClient(Source.TAOBAO, infos={"640012043978": info}))
    item = services.showcase_item_add(owner=creator, text="好物 https://fake.example/item/640012043978")
    assert item.product.title == "天猫 纯棉短袖T恤" and item.product.source == "taobao"


def test_an_unsupported_paste_names_the_field(creator, monkeypatch):
    use_clients(monkeypatch, FakeClient(Source.JD))
    with pytest.raises(InvalidInput) as exc:
        services.showcase_item_add(owner=creator, text="随便一段文字")
    assert exc.value.field == "text"


def test_categories_are_ordered_unique_and_limited(creator, settings):
    a = services.showcase_category_create(owner=creator, name="上衣")
    b = services.showcase_category_create(owner=creator, name="裤子")
    with pytest.raises(Conflict):
        services.showcase_category_create(owner=creator, name="上衣")
    with pytest.raises(InvalidInput) as exc:
        services.showcase_category_create(owner=creator, name="  ")
    assert exc.value.field == "name"
    services.showcase_category_move(owner=creator, category_id=b.pk, direction="up")
    assert list(ShowcaseCategory.objects.order_by("position").values_list("name", flat=True)) == ["裤子", "上衣"]
    services.showcase_categories_reorder(owner=creator, category_ids=[a.pk, b.pk])
    assert list(ShowcaseCategory.objects.order_by("position").values_list("name", flat=True)) == ["上衣", "裤子"]
    settings.SHOWCASE_MAX_CATEGORIES = 2
    with pytest.raises(Conflict) as exc:
        services.showcase_category_create(owner=creator, name="鞋子")
    assert "2" in str(exc.value.message)


def test_deleting_a_category_keeps_its_products(creator, products):
    category = services.showcase_category_create(owner=creator, name="上衣")
    item = services.showcase_item_add(owner=creator, product_id=products[0].pk, category_id=category.pk)
    services.showcase_category_delete(owner=creator, category_id=category.pk)
    item.refresh_from_db()
    assert item.category is None


def test_flags_and_category_are_set_per_item(creator, products):
    category = services.showcase_category_create(owner=creator, name="上衣")
    item = services.showcase_item_add(owner=creator, product_id=products[0].pk)
    services.showcase_item_update(owner=creator, item_id=item.pk, category_id=category.pk, is_recommended=True,
                                  is_new=True)
    item.refresh_from_db()
    assert (item.category_id, item.is_recommended, item.is_new) == (category.pk, True, True)
    services.showcase_item_update(owner=creator, item_id=item.pk, category_id=None)
    item.refresh_from_db()
    assert item.category_id is None and item.is_recommended


def test_another_creators_category_cannot_be_used(creator, other_creator, products):
    theirs = services.showcase_category_create(owner=other_creator, name="上衣")
    with pytest.raises(NotFound):
        services.showcase_item_add(owner=creator, product_id=products[0].pk, category_id=theirs.pk)


def test_move_buttons_and_drag_order(creator, products):
    items = [services.showcase_item_add(owner=creator, product_id=p.pk) for p in products[:4]]
    services.showcase_item_move(owner=creator, item_id=items[2].pk, direction="up")
    assert order(creator) == [products[i].pk for i in (0, 2, 1, 3)]
    assert services.showcase_item_move(owner=creator, item_id=items[0].pk, direction="up") is False
    services.showcase_items_reorder(owner=creator, item_ids=[items[3].pk, items[1].pk, items[0].pk, items[2].pk])
    assert order(creator) == [products[i].pk for i in (3, 1, 0, 2)]


def test_drag_order_of_a_subset_keeps_the_others_in_place(creator, products):
    items = [services.showcase_item_add(owner=creator, product_id=p.pk) for p in products[:4]]
    services.showcase_items_reorder(owner=creator, item_ids=[items[3].pk, items[1].pk])
    assert order(creator) == [products[i].pk for i in (0, 3, 2, 1)]


def test_reorder_refuses_unknown_or_repeated_ids(creator, other_creator, products):
    mine = services.showcase_item_add(owner=creator, product_id=products[0].pk)
    theirs = services.showcase_item_add(owner=other_creator, product_id=products[1].pk)
    with pytest.raises(NotFound):
        services.showcase_items_reorder(owner=creator, item_ids=[mine.pk, theirs.pk])
    with pytest.raises(InvalidInput):
        services.showcase_items_reorder(owner=creator, item_ids=[mine.pk, mine.pk])


def test_removing_an_item(creator, products):
    item = services.showcase_item_add(owner=creator, product_id=products[0].pk)
    services.showcase_item_remove(owner=creator, item_id=item.pk)
    assert not ShowcaseItem.objects.exists()


def test_another_creators_item_is_not_found(creator, other_creator, products):
    theirs = services.showcase_item_add(owner=other_creator, product_id=products[0].pk)
    for call in (lambda: services.showcase_item_remove(owner=creator, item_id=theirs.pk),
                 lambda: services.showcase_item_update(owner=creator, item_id=theirs.pk, is_new=True),
                 lambda: services.showcase_item_move(owner=creator, item_id=theirs.pk, direction="up")):
        with pytest.raises(NotFound):
            call()
    assert ShowcaseItem.objects.filter(pk=theirs.pk, is_new=False).exists()


def test_a_suspended_right_refuses_adding_and_says_until_when_and_why(creator, products):
    cart_right_suspend(user=creator, kind="showcase", until=timezone.now() + timedelta(days=3), reason="虚假宣传")
    with pytest.raises(Forbidden) as exc:
        services.showcase_item_add(owner=creator, product_id=products[0].pk)
    assert "虚假宣传" in str(exc.value.message) and exc.value.code == "right_suspended"


def test_a_revoked_right_refuses_adding_and_says_why(creator, products):
    cart_right_revoke(user=creator, kind="showcase", reason="售卖假货")
    with pytest.raises(Forbidden) as exc:
        services.showcase_item_add(owner=creator, product_id=products[0].pk)
    assert "售卖假货" in str(exc.value.message) and exc.value.code == "right_revoked"


def test_a_user_without_rights_cannot_add(products):
    from tests.factories.creators import UserFactory

    with pytest.raises(Forbidden) as exc:
        services.showcase_item_add(owner=UserFactory(), product_id=products[0].pk)
    assert exc.value.code == "no_right"


# --- the management page ----------------------------------------------------------------------------
def test_manage_page_lists_items_with_commission_and_the_count(creator_client, creator, products, settings):
    services.showcase_item_add(owner=creator, product_id=products[0].pk)
    html = creator_client.get(reverse("showcase:manage")).content.decode()
    assert products[0].title in html and f"1 / {settings.SHOWCASE_MAX_PRODUCTS}" in html
    assert "15%" in html  # the creator sees the commission rate
    assert reverse("affiliates:pool") in html


def test_manage_page_shows_why_a_suspended_creator_cannot_add(creator_client, creator):
    cart_right_suspend(user=creator, kind="showcase", until=timezone.now() + timedelta(days=3), reason="虚假宣传")
    html = creator_client.get(reverse("showcase:manage")).content.decode()
    assert 'id="right-error"' in html and "虚假宣传" in html


def test_manage_page_needs_login(client):
    response = client.get(reverse("showcase:manage"))
    assert response.status_code == 302 and reverse("creators:login") in response.url


def test_pool_card_add_button_returns_to_the_pool(creator_client, creator, products):
    pool = reverse("affiliates:pool")
    response = creator_client.post(reverse("showcase:item_add"), {"product_id": products[0].pk, "next": pool})
    assert response.status_code == 302 and response.url == pool
    assert order(creator) == [products[0].pk]
    response = creator_client.post(reverse("showcase:item_add"), {"product_id": products[0].pk, "next": pool},
                                   follow=True)
    assert "已经在你的橱窗里" in response.content.decode()


def test_the_pool_page_offers_add_to_showcase(creator_client, products):
    html = creator_client.get(reverse("affiliates:pool") + "?sort=sales").content.decode()
    assert reverse("showcase:item_add") in html and 'name="product_id"' in html


def test_a_refused_paste_is_shown_next_to_the_box(creator_client, monkeypatch):
    use_clients(monkeypatch, FakeClient(Source.JD))
    response = creator_client.post(reverse("showcase:item_add"), {"text": "随便一段文字"})
    assert response.status_code == 400
    assert 'id="paste-errors"' in response.content.decode()


def test_move_buttons_work_without_javascript(creator_client, creator, products):
    items = [services.showcase_item_add(owner=creator, product_id=p.pk) for p in products[:2]]
    creator_client.post(reverse("showcase:item_move", args=[items[1].pk]), {"direction": "up"})
    assert order(creator) == [products[1].pk, products[0].pk]


def test_flags_form(creator_client, creator, products):
    category = services.showcase_category_create(owner=creator, name="上衣")
    item = services.showcase_item_add(owner=creator, product_id=products[0].pk)
    creator_client.post(reverse("showcase:item_update", args=[item.pk]),
                        {"category": category.pk, "is_recommended": "on"})
    item.refresh_from_db()
    assert item.category_id == category.pk and item.is_recommended and not item.is_new


def test_category_name_error_is_shown_next_to_the_field(creator_client):
    response = creator_client.post(reverse("showcase:category_create"), {"name": ""})
    assert response.status_code == 400 and "errorlist" in response.content.decode()


def test_another_creators_item_posts_are_refused_without_change(creator_client, other_creator, products):
    theirs = services.showcase_item_add(owner=other_creator, product_id=products[0].pk)
    creator_client.post(reverse("showcase:item_remove", args=[theirs.pk]))
    assert ShowcaseItem.objects.filter(pk=theirs.pk).exists()


# --- the API ------------------------------------------------------------------------------------------
def test_api_add_list_update_reorder_remove(creator_api, products):
    url = reverse("showcase_api:items")
    a = creator_api.post(url, {"product_id": products[0].pk, "is_new": True}, format="json")
    b = creator_api.post(url, {"product_id": products[1].pk}, format="json")
    assert a.status_code == b.status_code == 201 and a.json()["is_new"] is True
    assert "commission_rate_bp" in a.json()["product"]
    again = creator_api.post(url, {"product_id": products[0].pk}, format="json")
    assert again.status_code == 409 and again.json()["error"]["field"] == "product_id"
    ids = [a.json()["id"], b.json()["id"]]
    assert creator_api.put(reverse("showcase_api:items-order"), {"item_ids": ids[::-1]}, format="json").status_code == 204
    assert [i["id"] for i in creator_api.get(url).json()] == ids[::-1]
    patched = creator_api.patch(reverse("showcase_api:item", args=[ids[0]]), {"is_recommended": True}, format="json")
    assert patched.json()["is_recommended"] is True
    assert creator_api.delete(reverse("showcase_api:item", args=[ids[0]])).status_code == 204
    assert len(creator_api.get(url).json()) == 1


def test_api_other_creators_items_are_404(creator_api, other_creator, products):
    theirs = services.showcase_item_add(owner=other_creator, product_id=products[0].pk)
    assert creator_api.delete(reverse("showcase_api:item", args=[theirs.pk])).status_code == 404
    assert creator_api.patch(reverse("showcase_api:item", args=[theirs.pk]), {"is_new": True},
                             format="json").status_code == 404


def test_api_categories(creator_api):
    url = reverse("showcase_api:categories")
    created = creator_api.post(url, {"name": "上衣"}, format="json")
    assert created.status_code == 201
    bad = creator_api.post(url, {"name": ""}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "name"
    pk = created.json()["id"]
    assert creator_api.patch(reverse("showcase_api:category", args=[pk]), {"name": "外套"},
                             format="json").json()["name"] == "外套"
    assert creator_api.delete(reverse("showcase_api:category", args=[pk])).status_code == 204


def test_api_suspended_right_is_403_with_the_reason(creator_api, creator, products):
    cart_right_suspend(user=creator, kind="showcase", until=timezone.now() + timedelta(days=1), reason="虚假宣传")
    response = creator_api.post(reverse("showcase_api:items"), {"product_id": products[0].pk}, format="json")
    assert response.status_code == 403 and "虚假宣传" in response.json()["error"]["message"]


def test_api_needs_login(api_client):
    assert api_client.get(reverse("showcase_api:items")).status_code in (401, 403)


def test_public_showcase_api_shows_no_commission(api_client, creator, products):
    services.showcase_item_add(owner=creator, product_id=products[0].pk, is_recommended=True)
    body = api_client.get(reverse("showcase_api:showcase", args=[creator.handle])).json()
    assert body["open"] and body["products"][0]["id"] == products[0].pk and body["products"][0]["recommended"]
    assert "commission" not in str(body)


def test_limit_holds_for_creators_separately(settings, products):
    settings.SHOWCASE_MAX_PRODUCTS = 1
    a, b = creator_with_rights(), creator_with_rights()
    services.showcase_item_add(owner=a, product_id=products[0].pk)
    services.showcase_item_add(owner=b, product_id=products[0].pk)
    assert ShowcaseItem.objects.count() == 2


def test_login_helper_is_used(client, creator):
    assert login(client, creator).get(reverse("showcase:center")).status_code == 200
