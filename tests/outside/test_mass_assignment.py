"""Mass-assignment probe: every writable operation of the OpenAPI schema (POST, PUT, PATCH under
/api/v1/) gets a valid body plus fields outside its allowlist — owner, user, creator, shopper,
status, prices, stock, rates, paid amounts, is_staff, verified ... — each with a value nobody would
choose (another user's id, 1357913 fen, 1357 bp, status "completed"). After the call no stored row
of the project's models holds one of those values where it did not before, and the caller is still
not staff. ``OPERATIONS`` gives each operation its caller and valid body; an operation of the schema
without an entry fails ``test_every_writable_operation_has_an_entry`` naming it.

Mutation tried once: ``MerchantProductsApi.post`` in ``affiliates/api.py`` copying the body's top-level
``stock`` onto the new SKUs (``product.skus.update(stock=request.data.get("stock", 10))``) →
``test_extra_fields_change_nothing[POST /api/v1/merchant/products/]`` fails with
``{'affiliates.Sku.stock': 1}``. (A status outside the schema's enum is caught even earlier, by the
session-wide check that every answer matches the OpenAPI schema.)
"""
from __future__ import annotations

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import BooleanField, CharField, ForeignKey, IntegerField
from rest_framework.test import APIClient

from tests.factories.affiliates import ProductFactory
from tests.factories.creators import PASSWORD, UserFactory, cover_upload, make_eligible, mp4_upload, resident_id

from . import test_authz_matrix as m

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("core", "creators", "showcase", "affiliates", "orders", "commissions", "notices", "engage", "sync",
                "payouts")
ODD_FEN = 1357913
ODD_BP = 1357
ODD_STATUS = "completed"
PEOPLE = ("owner", "user", "creator", "shopper", "host", "author", "applicant", "recipient", "sender", "actor")
MONEY = ("price_fen", "amount_fen", "paid_fen", "paid_amount_fen", "total_fen", "unit_price_fen", "commission_fen",
         "refunded_fen", "fee_fen", "net_fen", "balance_fen", "coupon_fen", "original_price_fen")
RATES = ("rate_bp", "commission_rate_bp", "alliance_rate_bp", "fee_bp")
FLAGS = ("is_staff", "is_superuser", "verified", "is_verified", "is_official")


def extras(victim, allowed: set[str]) -> dict:
    fields = {name: victim.pk for name in PEOPLE}
    fields.update({name: ODD_FEN for name in MONEY})
    fields.update({name: ODD_BP for name in RATES})
    fields.update({name: True for name in FLAGS})
    fields.update({"status": ODD_STATUS, "stock": ODD_FEN, "shop": victim.pk, "id": 987654, "pk": 987654})
    return {k: v for k, v in fields.items() if k not in allowed}


def tell_tales(victim) -> dict[str, int]:
    """(model.field → rows holding the probe's odd value) over the project's models."""
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS and model._meta.model_name != "user":
            continue
        for f in model._meta.concrete_fields:
            value = None
            if isinstance(f, ForeignKey) and f.name in (*PEOPLE, "shop") and f.related_model._meta.model_name == "user":
                value = victim.pk
            elif isinstance(f, IntegerField) and (f.name in MONEY or f.name == "stock"):
                value = ODD_FEN
            elif isinstance(f, IntegerField) and f.name in RATES:
                value = ODD_BP
            elif isinstance(f, BooleanField) and f.name in FLAGS:
                value = True
            elif isinstance(f, CharField) and f.name == "status":
                value = ODD_STATUS
            if value is not None:
                lookup = f.attname if isinstance(f, ForeignKey) else f.name
                counts[f"{model._meta.label}.{f.name}"] = model.objects.filter(**{lookup: value}).count()
    return counts


# --- each writable operation: (caller kind, setup(caller) -> (path kwargs, body), multipart) ---------

def none(_):
    return {}, {}


def creator_fund(user):
    from commissions.payouts.owners import Owner
    from tests.commissions import withdrawal_helpers as w

    owner = Owner.creator(w.verified(user))
    w.fund(owner, 100_000)
    from commissions.payouts import services

    services.payout_account_bind(owner=owner, holder_name=w.REAL_NAME, bank_name="招商银行", account_no=w.ACCOUNT_NO)
    return {}, {"amount": "100"}


def shop_fund(user):
    from tests.commissions import withdrawal_helpers as w

    w.shop_owner(user.shop, available_fen=100_000)
    return {}, {"amount": "100"}


def payout_bind(user):
    from tests.commissions import withdrawal_helpers as w

    w.verified(user)
    return {}, {"holder_name": w.REAL_NAME, "bank_name": "招商银行", "account_no": w.ACCOUNT_NO}


def paid_order_of(user):
    from tests.orders.helpers import pay, place, shop_product

    product, skus = shop_product()
    return pay(place(user, product, skus[0]))


def refund_asked(user):
    from orders import services
    from orders.models import Order

    order = Order.objects.get(number=m.merchant_order(user)["number"])
    services.order_refund_request(order=order, actor=order.shopper, reason="不想要了")
    return {"number": order.number}, {"decision": "approve", "note": "同意退款"}


def shipped(user):
    from orders import services

    order = paid_order_of(user)
    services.order_ship(order=order, actor=order.shop.owner, carrier="顺丰速运", tracking_number="SF1234567890")
    return {"number": order.number}, {}


def order_place(user):
    from tests.orders.helpers import address_of, shop_product

    product, skus = shop_product()
    return {}, {"product": product.pk, "sku": skus[0].pk, "quantity": 1, "address": address_of(user).pk}


def items_of(user, n=2):
    from showcase.services import showcase_item_add

    return [showcase_item_add(owner=user, product_id=ProductFactory().pk) for _ in range(n)]


def categories_of(user):
    from showcase.services import showcase_category_create

    return [showcase_category_create(owner=user, name=f"分类{i}") for i in range(2)]


def with_body(build, body):
    def setup(user):
        kwargs = build(user)
        return kwargs, body(kwargs) if callable(body) else body
    return setup


def clean(kwargs):
    return {k: v for k, v in kwargs.items() if not k.startswith("_")}


def live_start(user):
    items = items_of(user)
    return {}, {"title": "秋冬穿搭专场", "cover": cover_upload("live.jpg"), "product_ids": [items[0].product_id]}


OPERATIONS = {
    ("POST", "/api/v1/addresses/"): ("shopper", lambda u: ({}, {"recipient": "王五", "phone": "13700137000",
                                                                "region": "北京市 朝阳区", "detail": "建国路 1 号"}), False),
    ("POST", "/api/v1/auth/signup"): (None, lambda u: ({}, {"handle": "new_user_ma", "nickname": "新用户",
                                                            "password": "pw-Secret-123-long"}), False),
    ("POST", "/api/v1/auth/token"): ("shopper", lambda u: ({}, {"handle": u.handle, "password": PASSWORD}), False),
    ("POST", "/api/v1/commissions/payout-account/"): ("creator", payout_bind, False),
    ("POST", "/api/v1/commissions/withdrawals/"): ("creator", creator_fund, False),
    ("POST", "/api/v1/creators/{handle}/follow"): ("shopper", lambda u: ({"handle": m.make_creator().handle}, {}), False),
    ("PATCH", "/api/v1/creators/me"): ("shopper", lambda u: ({}, {"nickname": "新昵称", "bio": "你好"}), False),
    ("POST", "/api/v1/creators/me/cart-applications"): ("shopper", lambda u: (make_eligible(u) and {},
                                                                               {"entry_point": "creator_center"}), False),
    ("POST", "/api/v1/creators/me/phone"): ("shopper", lambda u: ({}, {"phone": "13712345678", "code": "000000"}), False),
    ("POST", "/api/v1/creators/me/phone/code"): ("shopper", lambda u: ({}, {"phone": "13712345678"}), False),
    ("POST", "/api/v1/creators/me/real-name"): ("shopper", lambda u: ({}, {"name": "张三", "id_number": resident_id(
        __import__("datetime").date(1990, 1, 1), sequence=321)}), False),
    ("POST", "/api/v1/creators/me/videos"): ("creator", lambda u: ({}, {
        "title": "新作品", "cover": cover_upload(), "video_file": mp4_upload(), "is_public": True,
        "is_original": True}), True),
    ("PATCH", "/api/v1/creators/me/videos/{id}"): ("creator", with_body(m.video, {"title": "改过的标题"}), False),
    ("POST", "/api/v1/creators/me/violations/{id}/appeal"): ("creator", with_body(m.violation, {
        "text": "视频里的说法有检测报告支持，请复核。"}), False),
    ("POST", "/api/v1/e/comments/{comment_id}/{action}"): ("creator", with_body(
        lambda u: m.comment_on_own_video(u, action="reply"), {"body": "谢谢支持"}), False),
    ("POST", "/api/v1/announcements/{id}/read"): None,
    ("POST", "/api/v1/inbox/conversations/{handle}/read"): None,
    ("POST", "/api/v1/inbox/messages/{id}/read"): ("shopper", m.inbox_message, False),
    ("POST", "/api/v1/me/live"): ("creator", live_start, True),
    ("POST", "/api/v1/me/live/{id}/end"): ("creator", m.live_session, False),
    ("PUT", "/api/v1/me/live/{id}/explaining"): ("creator", with_body(m.live_session, lambda kw: {
        "product_id": kw["_product_ids"][0]}), False),
    ("POST", "/api/v1/me/live/{id}/products"): ("creator", with_body(m.live_session, lambda kw: {
        "product_id": kw["_product_ids"][1]}), False),
    ("POST", "/api/v1/me/live/{id}/products/{product_id}/move"): ("creator", with_body(m.live_product, {
        "direction": "down"}), False),
    ("PUT", "/api/v1/me/live/{id}/products/order"): ("creator", with_body(m.live_session, lambda kw: {
        "product_ids": kw["_product_ids"][:1]}), False),
    ("POST", "/api/v1/me/showcase/categories"): ("creator", lambda u: ({}, {"name": "秋冬上新"}), False),
    ("PATCH", "/api/v1/me/showcase/categories/{id}"): ("creator", with_body(m.showcase_category, {"name": "新名"}), False),
    ("POST", "/api/v1/me/showcase/categories/{id}/move"): ("creator", with_body(m.showcase_category, {
        "direction": "down"}), False),
    ("PUT", "/api/v1/me/showcase/categories/order"): ("creator", lambda u: ({}, {
        "category_ids": [c.pk for c in reversed(categories_of(u))]}), False),
    ("POST", "/api/v1/me/showcase/items"): ("creator", lambda u: ({}, {"product_id": ProductFactory().pk}), False),
    ("PATCH", "/api/v1/me/showcase/items/{id}"): ("creator", with_body(m.showcase_item, {"is_new": True}), False),
    ("POST", "/api/v1/me/showcase/items/{id}/move"): ("creator", with_body(m.showcase_item, {"direction": "down"}), False),
    ("PUT", "/api/v1/me/showcase/items/order"): ("creator", lambda u: ({}, {
        "item_ids": [i.pk for i in reversed(items_of(u))]}), False),
    ("POST", "/api/v1/me/videos/{id}/products"): ("creator", with_body(m.video, lambda kw: {
        "product_id": ProductFactory().pk}), False),
    ("POST", "/api/v1/me/videos/{id}/products/{product_id}/move"): ("creator", with_body(m.video_product, {
        "direction": "down"}), False),
    ("PUT", "/api/v1/me/videos/{id}/products/order"): ("creator", with_body(m.video_with_product, lambda kw: {
        "kind": "cart", "product_ids": kw["_product_ids"]}), False),
    ("POST", "/api/v1/merchant/orders/{number}/refund"): ("merchant", refund_asked, False),
    ("POST", "/api/v1/merchant/orders/{number}/ship"): ("merchant", with_body(m.merchant_order, {
        "carrier": "顺丰速运", "tracking_number": "SF1234567890"}), False),
    ("POST", "/api/v1/merchant/payout-account/"): ("merchant", payout_bind, False),
    ("POST", "/api/v1/merchant/products/"): ("merchant", lambda u: ({}, {
        "title": "手工红糖姜茶", "description": "古法熬制", "category": "food",
        "skus": [{"name": "一盒", "price_fen": 2990, "stock": 10}]}), False),
    ("PATCH", "/api/v1/merchant/products/{id}/"): ("merchant", with_body(m.merchant_product, {"title": "新标题"}), False),
    ("POST", "/api/v1/merchant/products/{id}/alliance/"): ("merchant", with_body(m.merchant_product, {
        "commission_rate_bp": 1500}), False),
    ("POST", "/api/v1/merchant/products/{id}/images/"): ("merchant", with_body(m.merchant_product, lambda kw: {
        "image": cover_upload("p.jpg")}), True),
    ("POST", "/api/v1/merchant/products/{id}/publish/"): ("merchant", m.merchant_product_image, False),
    ("POST", "/api/v1/merchant/withdrawals/"): ("merchant", shop_fund, False),
    ("POST", "/api/v1/messages/conversations"): ("shopper", lambda u: ({}, {"body": "你好，请问有货吗",
                                                                            "to": m.make_creator().handle}), False),
    ("POST", "/api/v1/messages/conversations/{conversation_id}"): ("creator", with_body(m.conversation, {
        "body": "有的，今天发货"}), False),
    ("POST", "/api/v1/messages/conversations/{conversation_id}/read"): ("creator", m.conversation, False),
    ("POST", "/api/v1/orders/"): ("shopper", order_place, False),
    ("POST", "/api/v1/orders/{number}/cancel"): ("shopper", m.shopper_order, False),
    ("POST", "/api/v1/orders/{number}/confirm"): ("shopper", shipped, False),
    ("POST", "/api/v1/orders/{number}/refund-request"): ("shopper", lambda u: (
        {"number": paid_order_of(u).number}, {"reason": "不想要了"}), False),
    ("POST", "/api/v1/products/resolve/"): ("creator", lambda u: ({}, {"text": "好物分享"}), False),
    ("POST", "/api/v1/shop/"): ("shopper", lambda u: ({}, {"name": "好物小店", "category": "food",
                                                           "contact_name": "张三", "contact_phone": "13800138000"}), False),
    ("POST", "/api/v1/videos/{video_id}/comments"): ("shopper", lambda u: (
        {"video_id": m.video(m.make_creator())["pk"]}, {"body": "好看"}), False),
    ("POST", "/api/v1/videos/{video_id}/seen"): ("shopper", lambda u: (
        {"video_id": m.video(m.make_creator())["pk"]}, {}), False),
}
# Operations whose valid body is still refused (so only "nothing stored" is checked), each with why.
REFUSED = {
    ("POST", "/api/v1/creators/me/phone"): "the SMS code is not known to the test (the code step is probed)",
    ("POST", "/api/v1/products/resolve/"): "resolving a link reaches a source; plain words are refused",
}
# Operations left out, each with why.
LEFT_OUT = {
    ("POST", "/api/v1/announcements/{id}/read"): "takes no body; marks the caller's own read (no object to own)",
    ("POST", "/api/v1/inbox/conversations/{handle}/read"): "takes no body; marks the caller's own reads",
}


def writable_operations() -> list[tuple[str, str, set[str]]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if method not in ("post", "put", "patch"):
                continue
            allowed = set()
            for content in op.get("requestBody", {}).get("content", {}).values():
                ref = content.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
                allowed |= set(schema["components"]["schemas"].get(ref, {}).get("properties", {}))
            found.append((method.upper(), path, allowed))
    return found


def test_every_writable_operation_has_an_entry():
    ops = {(method, path) for method, path, _ in writable_operations()}
    missing = sorted(ops - set(OPERATIONS))
    assert not missing, f"writable operations without a valid body in OPERATIONS (or a reason in LEFT_OUT): {missing}"
    assert not sorted(set(OPERATIONS) - ops), "entries for operations the schema no longer has"
    assert all(OPERATIONS[k] is None for k in LEFT_OUT) and all(k in LEFT_OUT for k, v in OPERATIONS.items() if v is None)


PROBED = sorted(k for k, v in OPERATIONS.items() if v is not None)


@pytest.mark.parametrize(("method", "path"), PROBED, ids=[f"{m_} {p}" for m_, p in PROBED])
def test_extra_fields_change_nothing(method, path):
    kind, setup, multipart = OPERATIONS[(method, path)]
    allowed = next(a for mm, p, a in writable_operations() if (mm, p) == (method, path))
    victim = UserFactory()
    with transaction.atomic():
        caller = m.KINDS[kind]() if kind else None
        made = setup(caller)
    kwargs, body = made if isinstance(made, tuple) else (made, {})
    url = path
    for key, value in clean(kwargs).items():
        url = url.replace("{" + ("id" if key == "pk" else key) + "}", str(value))
    assert "{" not in url, url
    client = APIClient()
    if caller is not None:
        client.force_authenticate(caller)
    before = tell_tales(victim)
    probe = {**extras(victim, allowed), **body}
    if multipart:  # a form carries no JSON booleans or nulls: the extras as text
        probe = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in probe.items()}
    response = getattr(client, method.lower())(url, probe, format="multipart" if multipart else "json")
    if (method, path) in REFUSED:
        assert response.status_code < 500, response.content[:500]
    elif response.status_code == 400:  # refusing the extras is fine, if the answer names one
        assert response.json()["error"]["field"] in probe and response.json()["error"]["field"] not in body, (
            response.content[:500])
    else:  # the valid body is taken, the extras ignored
        assert response.status_code < 300, response.content[:500]
    after = tell_tales(victim)
    took = {k: after[k] - before[k] for k in after if after[k] != before.get(k)}
    assert not took, f"{method} {path} ({response.status_code}) stored fields outside its allowlist: {took}"
    if caller is not None:
        caller.refresh_from_db()
        assert not caller.is_staff and not caller.is_superuser
