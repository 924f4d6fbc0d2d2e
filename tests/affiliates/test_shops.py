"""Shops (小店): opening one per account, products with SKUs, price and stock in the back office,
images, sale status, and listing in the alliance (精选联盟) so every creator can add them."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from affiliates.models import Product, Shop, ShopProduct, ShopProductStatus, Sku
from affiliates.selectors import PoolFilters, pool_products
from affiliates.services import (
    SkuData,
    shop_open,
    shop_product_alliance_list,
    shop_product_alliance_unlist,
    shop_product_create,
    shop_product_image_add,
    shop_product_publish,
    shop_product_unpublish,
    shop_product_update,
)
from core.errors import Conflict, InvalidInput
from tests.factories.affiliates import ShopFactory, SkuFactory, UserFactory

pytestmark = pytest.mark.django_db


def png(size=(60, 60), fmt="PNG", name="a.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (240, 80, 90)).save(buf, fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")


def on_sale(shop, *, title="手工红糖姜茶", skus=None, rate_bp=None):
    product = shop_product_create(shop=shop, title=title, category="food",
                                  skus=skus or [SkuData(name="一盒", price_fen=3990, stock=20)])
    shop_product_image_add(product=product, image=png())
    shop_product_publish(product=product)
    if rate_bp:
        shop_product_alliance_list(product=product, rate_bp=rate_bp)
    return product


# --- opening a shop ----------------------------------------------------------------------------------------
def test_a_user_opens_one_shop():
    user = UserFactory()
    shop = shop_open(owner=user, name="阿婆手作", category="food", contact_name="李阿婆", contact_phone="13912345678")
    assert shop.owner == user
    with pytest.raises(Conflict):
        shop_open(owner=user, name="第二家店", category="food", contact_name="李阿婆", contact_phone="13912345678")
    assert Shop.objects.filter(owner=user).count() == 1


@pytest.mark.parametrize(("field", "values"), [
    ("name", {"name": "阿"}), ("contact_phone", {"contact_phone": "12345"}), ("category", {"category": "guns"}),
    ("contact_name", {"contact_name": "  "})])
def test_bad_shop_details_name_the_field(field, values):
    data = {"name": "阿婆手作", "category": "food", "contact_name": "李阿婆", "contact_phone": "13912345678", **values}
    with pytest.raises(InvalidInput) as exc:
        shop_open(owner=UserFactory(), **data)
    assert exc.value.field == field
    assert not Shop.objects.exists()


def test_shop_names_are_unique_ignoring_case():
    ShopFactory(name="Tea House")
    with pytest.raises(InvalidInput) as exc:
        shop_open(owner=UserFactory(), name="tea house", category="food", contact_name="a", contact_phone="13912345678")
    assert exc.value.field == "name"


def test_shop_open_page_opens_the_shop_and_leads_to_the_back_office(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("affiliates:shop_open")).status_code == 200
    response = client.post(reverse("affiliates:shop_open"), {
        "name": "阿婆手作", "category": "food", "contact_name": "李阿婆", "contact_phone": "13912345678"})
    assert response.status_code == 302 and response["Location"] == reverse("affiliates:merchant_home")
    assert user.shop.name == "阿婆手作"
    # A second visit goes straight to the back office.
    assert client.get(reverse("affiliates:shop_open"))["Location"] == reverse("affiliates:merchant_home")


def test_shop_open_page_shows_the_error_next_to_the_phone_field(client):
    client.force_login(UserFactory())
    response = client.post(reverse("affiliates:shop_open"), {
        "name": "阿婆手作", "category": "food", "contact_name": "李阿婆", "contact_phone": "110"})
    assert response.status_code == 400
    assert response.context["form"].errors["contact_phone"]
    assert not Shop.objects.exists()


def test_shop_open_api_one_per_user(api_client):
    api_client.force_authenticate(UserFactory())
    data = {"name": "阿婆手作", "category": "food", "contact_name": "李阿婆", "contact_phone": "13912345678"}
    assert api_client.post(reverse("affiliates_api:shop"), data, format="json").status_code == 201
    again = api_client.post(reverse("affiliates_api:shop"), {**data, "name": "另一家"}, format="json")
    assert again.status_code == 409
    assert api_client.get(reverse("affiliates_api:shop")).json()["name"] == "阿婆手作"


# --- products, SKUs, stock -----------------------------------------------------------------------------------
def test_product_is_created_as_a_draft_with_its_skus_and_mirrored_as_a_shop_product():
    shop = ShopFactory()
    product = shop_product_create(shop=shop, title="手工红糖姜茶", category="food", skus=[
        SkuData(name="一盒", price_fen=3990, stock=20), SkuData(name="三盒装", price_fen=9900, stock=5)])
    assert product.status == ShopProductStatus.DRAFT and len(product.public_id) == 19
    assert list(product.skus.values_list("name", "price_fen", "stock")) == [("一盒", 3990, 20), ("三盒装", 9900, 5)]
    mirror = Product.objects.get(source="shop", external_id=product.public_id)
    assert (mirror.price_fen, mirror.available, mirror.shop_product_id) == (3990, False, product.pk)


@pytest.mark.parametrize(("sku", "field"), [
    (SkuData(name="一盒", price_fen=0, stock=1), "skus.0.price_fen"),
    (SkuData(name="一盒", price_fen=-5, stock=1), "skus.0.price_fen"),
    (SkuData(name="一盒", price_fen=100, stock=-1), "skus.0.stock"),
    (SkuData(name="", price_fen=100, stock=1), "skus.0.name")])
def test_bad_sku_is_refused_naming_the_field_and_nothing_is_written(sku, field):
    with pytest.raises(InvalidInput) as exc:
        shop_product_create(shop=ShopFactory(), title="手工红糖姜茶", category="food", skus=[sku])
    assert exc.value.field == field
    assert not ShopProduct.objects.exists() and not Product.objects.exists()


def test_a_product_needs_a_sku_and_distinct_specs():
    shop = ShopFactory()
    with pytest.raises(InvalidInput) as exc:
        shop_product_create(shop=shop, title="手工红糖姜茶", category="food", skus=[])
    assert exc.value.field == "skus"
    with pytest.raises(InvalidInput) as exc:
        shop_product_create(shop=shop, title="手工红糖姜茶", category="food",
                            skus=[SkuData("一盒", 100, 1), SkuData("一盒", 200, 1)])
    assert exc.value.field == "skus.1.name"


def test_stock_can_never_go_below_zero_in_the_database():
    sku = SkuFactory(stock=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Sku.objects.filter(pk=sku.pk).update(stock=-1)


def test_editing_updates_adds_and_retires_skus_and_the_pool_price_follows():
    shop = ShopFactory()
    product = on_sale(shop, skus=[SkuData("一盒", 3990, 20), SkuData("两盒", 6990, 10)])
    one, two = product.skus.order_by("pk")
    shop_product_update(product=product, title="手工红糖姜茶（新）", category="food", skus=[
        SkuData("一盒", 2990, 15, id=one.pk), SkuData("礼盒", 12900, 3)])
    active = list(product.skus.filter(is_active=True).order_by("position").values_list("name", "price_fen", "stock"))
    assert active == [("一盒", 2990, 15), ("礼盒", 12900, 3)]
    two.refresh_from_db()
    assert two.is_active is False  # kept for past orders
    mirror = Product.objects.get(source="shop", external_id=product.public_id)
    assert (mirror.title, mirror.price_fen) == ("手工红糖姜茶（新）", 2990)


def test_swapping_two_specs_names_is_allowed():
    product = on_sale(ShopFactory(), skus=[SkuData("红色", 100, 1), SkuData("蓝色", 200, 1)])
    red, blue = product.skus.order_by("pk")
    shop_product_update(product=product, title=product.title, category="food",
                        skus=[SkuData("蓝色", 100, 1, id=red.pk), SkuData("红色", 200, 1, id=blue.pk)])
    red.refresh_from_db()
    assert red.name == "蓝色"


def test_another_products_sku_cannot_be_edited_through_this_one():
    shop = ShopFactory()
    mine = on_sale(shop)
    other_sku = SkuFactory()
    with pytest.raises(InvalidInput) as exc:
        shop_product_update(product=mine, title=mine.title, category="food",
                            skus=[SkuData("偷改", 1, 1, id=other_sku.pk)])
    assert exc.value.field == "skus.0.id"
    other_sku.refresh_from_db()
    assert other_sku.name != "偷改"


def test_publishing_needs_an_image_and_selling_out_leaves_the_pool():
    shop = ShopFactory()
    product = shop_product_create(shop=shop, title="手工红糖姜茶", category="food",
                                  skus=[SkuData("一盒", 3990, 1)])
    with pytest.raises(InvalidInput) as exc:
        shop_product_publish(product=product)
    assert exc.value.field == "image"
    shop_product_image_add(product=product, image=png())
    shop_product_publish(product=product)
    shop_product_alliance_list(product=product, rate_bp=2000)
    assert Product.objects.get(source="alliance", external_id=product.public_id).available
    sku = product.skus.get()
    shop_product_update(product=product, title=product.title, category="food",
                        skus=[SkuData(sku.name, sku.price_fen, 0, id=sku.pk)])
    assert not Product.objects.get(source="alliance", external_id=product.public_id).available


def test_unpublished_product_leaves_the_pool():
    product = on_sale(ShopFactory(), rate_bp=2000)
    shop_product_unpublish(product=product)
    assert not pool_products(filters=PoolFilters(source="alliance")).exists()


@pytest.mark.parametrize(("upload", "code"), [
    (SimpleUploadedFile("x.png", b"not an image", content_type="image/png"), "invalid_image"),
    (None, "required")])
def test_bad_image_uploads_are_refused(upload, code):
    product = shop_product_create(shop=ShopFactory(), title="手工红糖姜茶", category="food",
                                  skus=[SkuData("一盒", 3990, 1)])
    with pytest.raises(InvalidInput) as exc:
        shop_product_image_add(product=product, image=upload)
    assert exc.value.field == "image" and exc.value.code == code
    assert not product.images.exists()


def test_image_format_and_size_limits(settings):
    product = shop_product_create(shop=ShopFactory(), title="手工红糖姜茶", category="food",
                                  skus=[SkuData("一盒", 3990, 1)])
    with pytest.raises(InvalidInput) as exc:
        shop_product_image_add(product=product, image=png(fmt="GIF", name="a.gif"))
    assert exc.value.code == "invalid_format"
    settings.SHOP_IMAGE_MAX_BYTES = 100
    with pytest.raises(InvalidInput) as exc:
        shop_product_image_add(product=product, image=png(size=(400, 400)))
    assert exc.value.code == "file_too_large"


# --- the alliance ------------------------------------------------------------------------------------------------
def test_alliance_listing_puts_the_product_in_every_creators_pool():
    merchant_shop = ShopFactory()
    product = on_sale(merchant_shop, rate_bp=2500)
    creator = UserFactory()
    found = pool_products(filters=PoolFilters(source="alliance"), user=creator).get()
    assert (found.external_id, found.commission_rate_bp, found.price_fen) == (product.public_id, 2500, 3990)
    assert found.shop_name == merchant_shop.name
    # An unlisted shop product is not in another creator's pool at all.
    on_sale(merchant_shop, title="未加入联盟的商品")
    assert pool_products(filters=PoolFilters(sort="sales"), user=creator).count() == 1


def test_alliance_products_are_found_by_keyword():
    on_sale(ShopFactory(), title="云南古树普洱茶饼", rate_bp=3000)
    assert pool_products(filters=PoolFilters(q="普洱茶")).get().source == "alliance"


@pytest.mark.parametrize("rate", [0, 99, 5001, 10000])
def test_commission_rate_outside_the_allowed_range_is_refused_naming_the_field(rate):
    product = on_sale(ShopFactory())
    with pytest.raises(InvalidInput) as exc:
        shop_product_alliance_list(product=product, rate_bp=rate)
    assert exc.value.field == "commission_rate"
    product.refresh_from_db()
    assert product.alliance_rate_bp is None


def test_unlisting_keeps_the_row_but_takes_it_out_of_the_pool():
    product = on_sale(ShopFactory(), rate_bp=2000)
    shop_product_alliance_unlist(product=product)
    row = Product.objects.get(source="alliance", external_id=product.public_id)
    assert row.promotable is False
    assert not pool_products(filters=PoolFilters(source="alliance")).exists()
    shop_product_alliance_list(product=product, rate_bp=1500)
    assert pool_products(filters=PoolFilters(source="alliance")).get().commission_rate_bp == 1500


def test_changing_nothing_rewrites_nothing():
    product = on_sale(ShopFactory(), rate_bp=2000)
    before = dict(Product.objects.values_list("pk", "updated_at"))
    shop_product_alliance_list(product=product, rate_bp=2000)
    shop_product_publish(product=product)
    assert dict(Product.objects.values_list("pk", "updated_at")) == before


# --- the back office (HTML) ---------------------------------------------------------------------------------------
def test_merchant_creates_a_product_with_skus_in_yuan(client):
    shop = ShopFactory()
    client.force_login(shop.owner)
    response = client.post(reverse("affiliates:merchant_product_create"), {
        "title": "手工红糖姜茶", "category": "food", "description": "古法熬制",
        "sku-TOTAL_FORMS": "3", "sku-INITIAL_FORMS": "0",
        "sku-0-name": "一盒", "sku-0-price": "39.90", "sku-0-stock": "20",
        "sku-1-name": "三盒装", "sku-1-price": "99", "sku-1-stock": "5",
        "sku-2-name": "", "sku-2-price": "", "sku-2-stock": ""})
    product = ShopProduct.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("affiliates:merchant_product_edit", args=[product.pk])
    assert list(product.skus.values_list("name", "price_fen", "stock")) == [("一盒", 3990, 20), ("三盒装", 9900, 5)]
    page = client.get(reverse("affiliates:merchant_home")).content.decode()
    assert "手工红糖姜茶" in page and "¥39.90" in page


@pytest.mark.parametrize(("row", "field"), [
    ({"sku-0-price": "三十九"}, "price"), ({"sku-0-price": "0"}, "price"),
    ({"sku-0-stock": "-3"}, "stock"), ({"sku-0-stock": "很多"}, "stock")])
def test_bad_price_or_stock_in_the_form_is_shown_next_to_the_field(client, row, field):
    shop = ShopFactory()
    client.force_login(shop.owner)
    data = {"title": "手工红糖姜茶", "category": "food", "sku-TOTAL_FORMS": "1", "sku-INITIAL_FORMS": "0",
            "sku-0-name": "一盒", "sku-0-price": "39.90", "sku-0-stock": "20", **row}
    response = client.post(reverse("affiliates:merchant_product_create"), data)
    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors[field]
    assert not ShopProduct.objects.exists()


def test_merchant_lists_a_product_in_the_alliance_by_percent(client):
    shop = ShopFactory()
    product = on_sale(shop)
    client.force_login(shop.owner)
    response = client.post(reverse("affiliates:merchant_product_alliance", args=[product.pk]),
                           {"commission_rate": "25"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.alliance_rate_bp == 2500
    bad = client.post(reverse("affiliates:merchant_product_alliance", args=[product.pk]), {"commission_rate": "80"})
    assert bad.status_code == 400 and bad.context["alliance_form"].errors["commission_rate"]


def test_merchant_uploads_and_publishes_from_the_edit_page(client):
    shop = ShopFactory()
    product = shop_product_create(shop=shop, title="手工红糖姜茶", category="food", skus=[SkuData("一盒", 3990, 1)])
    client.force_login(shop.owner)
    upload = client.post(reverse("affiliates:merchant_product_image_add", args=[product.pk]), {"image": png()})
    assert upload.status_code == 302 and product.images.count() == 1
    client.post(reverse("affiliates:merchant_product_publish", args=[product.pk]))
    product.refresh_from_db()
    assert product.status == ShopProductStatus.ON_SALE


def test_other_merchants_get_404_for_pages_and_actions(client):
    product = on_sale(ShopFactory())
    client.force_login(ShopFactory().owner)
    for name in ["merchant_product_edit", "merchant_product_publish", "merchant_product_unpublish",
                 "merchant_product_alliance", "merchant_product_image_add"]:
        method = client.get if name == "merchant_product_edit" else client.post
        assert method(reverse(f"affiliates:{name}", args=[product.pk])).status_code == 404, name
    product.refresh_from_db()
    assert product.status == ShopProductStatus.ON_SALE and product.alliance_rate_bp is None


def test_back_office_without_a_shop_leads_to_opening_one(client):
    client.force_login(UserFactory())
    assert client.get(reverse("affiliates:merchant_home"))["Location"] == reverse("affiliates:shop_open")


# --- the merchant API ---------------------------------------------------------------------------------------------
def test_api_create_edit_publish_and_list_in_the_alliance(api_client):
    shop = ShopFactory()
    api_client.force_authenticate(shop.owner)
    created = api_client.post(reverse("affiliates_api:merchant_products"), {
        "title": "手工红糖姜茶", "category": "food", "skus": [{"name": "一盒", "price_fen": 3990, "stock": 20}],
        "status": "on_sale", "alliance_rate_bp": 9999}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft" and body["alliance_rate_bp"] is None  # server-set fields are read-only
    pk = body["id"]
    sku_id = body["skus"][0]["id"]
    patched = api_client.patch(reverse("affiliates_api:merchant_product", args=[pk]),
                               {"skus": [{"id": sku_id, "name": "一盒", "price_fen": 2990, "stock": 8}]}, format="json")
    assert patched.json()["skus"] == [{"id": sku_id, "name": "一盒", "price_fen": 2990, "stock": 8}]
    assert api_client.post(reverse("affiliates_api:merchant_product_images", args=[pk]),
                           {"image": png()}, format="multipart").status_code == 201
    assert api_client.post(reverse("affiliates_api:merchant_product_publish", args=[pk])).json()["status"] == "on_sale"
    listed = api_client.post(reverse("affiliates_api:merchant_product_alliance", args=[pk]),
                             {"commission_rate_bp": 2000}, format="json")
    assert listed.json()["alliance_rate_bp"] == 2000
    assert pool_products(filters=PoolFilters(source="alliance")).get().price_fen == 2990


@pytest.mark.parametrize(("payload", "field"), [
    ({"skus": [{"name": "一盒", "price_fen": "abc", "stock": 1}]}, "skus.0.price_fen"),
    ({"skus": [{"name": "一盒", "price_fen": 100, "stock": -1}]}, "skus.0.stock"),
    ({"skus": [{"name": "一盒", "price_fen": 100, "stock": 1}, {"name": "两盒", "price_fen": 0, "stock": 1}]},
     "skus.1.price_fen"),
    ({"title": "", "skus": [{"name": "一盒", "price_fen": 100, "stock": 1}]}, "title")])
def test_api_bad_input_names_the_field(api_client, payload, field):
    api_client.force_authenticate(ShopFactory().owner)
    response = api_client.post(reverse("affiliates_api:merchant_products"),
                               {"title": "手工红糖姜茶", "category": "food", **payload}, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == field
    assert not ShopProduct.objects.exists()


def test_api_alliance_rate_out_of_range_names_the_field(api_client):
    shop = ShopFactory()
    product = on_sale(shop)
    api_client.force_authenticate(shop.owner)
    response = api_client.post(reverse("affiliates_api:merchant_product_alliance", args=[product.pk]),
                               {"commission_rate_bp": 6000}, format="json")
    # the API's own field name (the schema declares its range, 100–5000 bp)
    assert response.status_code == 400 and response.json()["error"]["field"] == "commission_rate_bp"


def test_api_other_merchants_products_are_404_and_not_listed(api_client):
    product = on_sale(ShopFactory())
    api_client.force_authenticate(ShopFactory().owner)
    assert api_client.get(reverse("affiliates_api:merchant_products")).json()["count"] == 0
    assert api_client.get(reverse("affiliates_api:merchant_product", args=[product.pk])).status_code == 404
    assert api_client.patch(reverse("affiliates_api:merchant_product", args=[product.pk]),
                            {"title": "偷改"}, format="json").status_code == 404
    assert api_client.post(reverse("affiliates_api:merchant_product_alliance", args=[product.pk]),
                           {"commission_rate_bp": 2000}, format="json").status_code == 404
    product.refresh_from_db()
    assert product.title != "偷改" and product.alliance_rate_bp is None
