"""Authorization matrix from the URL configuration.

Every route whose path names an object (``pk``, ``number``, ``handle``, ``comment_id`` ...) is found by
walking ``get_resolver()``, in the pages and under ``/api/v1/``. ``OWNED`` says, per route name, how to
make an object owned by a user A of some kind (creator, shopper, merchant) and which URL arguments
name it. For every method the route answers, on a fresh object each time:

- another user of the same kind gets 404 (or 403 where ``DOCUMENTED_403`` says why);
- an anonymous caller gets 401 from the API, or a redirect to the login page from a page;
- the owner is not refused (no 401, 403 or 404).

``PUBLIC`` lists, with a reason, the routes that name something public by design (a showcase, a
product page, a signed gateway callback). A new object route in neither table fails
``test_every_object_route_has_an_entry`` naming it.

Mutations tried once: ``_OrderVerbApi.order`` in ``orders/api.py`` looking the order up with
``Order.objects.filter(number=number)`` instead of ``selectors.shopper_order(user=request.user, ...)`` →
the ``orders_api:order_cancel``, ``order_confirm`` and ``order_refund_request`` rows fail (another
shopper is not refused). Without the ``_own_item``/``_own_category`` checks in ``showcase/views/manage.py``
the ``showcase:item_*`` and ``showcase:category_*`` rows fail (another creator got a redirect, not 404).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

OBJECT_KWARGS = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")
METHODS_PAGE = ("GET", "POST")
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# Routes that name something public by design, or the caller's own relation to a public thing.
PUBLIC = {
    "oauth2_provider:detail": "a redirect to the caller's own app page (/open/apps/); it reads no app",
    "showcase:showcase": "a creator's showcase page is public",
    "showcase:product": "a product page is public",
    "showcase:live_room": "a live room is public",
    "showcase:live_room_products": "a live room's cart is public",
    "showcase_api:showcase": "a creator's showcase is public",
    "showcase_api:live": "a live session is public",
    "showcase_api:live_explaining": "what a live room explains is public",
    "showcase_api:video_products": "a video's cart is public",
    "creators_api:creator": "a creator's profile is public",
    "creators_api:creator-videos": "a creator's public videos",
    "creators_api:follow": "the caller's own follow of a public profile",
    "creators:profile": "a creator's profile page is public",
    "creators:follow": "the caller's own follow of a public profile",
    "creators:unfollow": "the caller's own follow of a public profile",
    "creators:rule": "the platform rules are public",
    "engage_api:video-seen": "the caller's own view of a public video",
    "engage_api:video-comments": "a public video's comments; posting is the caller's own comment",
    "engage_comments": "a public video's comments page",
    "engage_thread": "the caller's own conversation with the user the handle names",
    "affiliates_api:product_detail": "a pool product is public",
    "orders:buy": "the caller's own click on a public product",
    "orders:checkout": "the caller's own checkout of a public product",
    "orders:notify": "the gateway's callback, checked by its signature (tests/orders/test_payments.py)",
    "payouts:notify": "the gateway's callback, checked by its signature (tests/commissions)",
    "notices:conversation": "the caller's own conversation with an official account (the handle)",
    "notices_api:conversation-read": "the caller's own conversation with an official account (the handle)",
    "notices:course": "the academy's courses are for every user",
    "notices:quiz": "the academy's quizzes are for every user",
    "notices:announcement": "announcements are for every user",
    "notices_api:announcement-read": "the caller's own read mark on an announcement for every user",
    "sandbox:order": "the sandbox twin of an outside site, not the platform",
    "sandbox:order_action": "the sandbox twin of an outside site, not the platform",
    "sandbox:item": "the sandbox twin of an outside site, not the platform",
    "sandbox:item_buy": "the sandbox twin of an outside site, not the platform",
    "sandbox:image": "the sandbox twin of an outside site, not the platform",
    "sandbox:suning_gateway": "the sandbox twin of an outside site, not the platform",
    "sandbox:short_link": "the sandbox twin of an outside site, not the platform",
    "None": "media files (SERVE_MEDIA), unguessable upload names",
}
# Routes where another user of the same kind is told 403, not 404, and why.
DOCUMENTED_403: dict[str, str] = {}


# --- users of each kind ---------------------------------------------------------------------------

def make_creator():
    from tests.showcase.helpers import creator_with_rights

    return creator_with_rights()


def make_shopper():
    from tests.orders.helpers import shopper

    return shopper()


def make_merchant():
    from tests.factories.affiliates import ShopFactory
    from tests.factories.creators import UserFactory

    return ShopFactory(owner=UserFactory()).owner


KINDS = {"creator": make_creator, "shopper": make_shopper, "merchant": make_merchant}


# --- objects owned by a user ----------------------------------------------------------------------

def showcase_item(owner):
    from showcase.services import showcase_item_add
    from tests.factories.affiliates import ProductFactory

    return {"pk": showcase_item_add(owner=owner, product_id=ProductFactory().pk).pk}


def showcase_category(owner):
    from showcase.services import showcase_category_create

    return {"pk": showcase_category_create(owner=owner, name="秋冬上新").pk}


def video(owner):
    from tests.factories.creators import VideoFactory

    return {"pk": VideoFactory(owner=owner).pk}


def video_product(owner):
    from showcase.services.video_cart import video_product_add
    from tests.factories.affiliates import ProductFactory
    from tests.factories.creators import VideoFactory

    v = VideoFactory(owner=owner)
    product = ProductFactory()
    video_product_add(owner=owner, video_id=v.pk, product_id=product.pk)
    return {"pk": v.pk, "product_id": product.pk}


def video_with_product(owner):
    kwargs = video_product(owner)
    return {"pk": kwargs["pk"], "_product_ids": [kwargs["product_id"]]}


def live_session(owner, *, with_product=False):
    from showcase.services import live_session_start, showcase_item_add
    from tests.factories.affiliates import ProductFactory
    from tests.showcase.helpers import cover

    products = ProductFactory.create_batch(2)
    for p in products:
        showcase_item_add(owner=owner, product_id=p.pk)
    session = live_session_start(host=owner, title="秋冬穿搭专场", cover=cover(), product_ids=[products[0].pk])
    kwargs = {"pk": session.pk, "_product_ids": [p.pk for p in products]}
    if with_product:
        del kwargs["_product_ids"]
        kwargs["product_id"] = products[0].pk
    return kwargs


def live_product(owner):
    return live_session(owner, with_product=True)


def cart_application(owner):
    from creators.services.applications import cart_application_submit
    from tests.factories.creators import make_eligible

    make_eligible(owner)
    return {"pk": cart_application_submit(applicant=owner, entry_point="creator_center").pk}


def violation(owner):
    from creators.models import RuleArticle, Violation
    from creators.services import violation_confirm
    from creators.services.credit import violation_record

    rule, _ = RuleArticle.objects.get_or_create(code="CONTENT-01", defaults={
        "title": "虚假宣传处罚规则", "category": "content", "body": "不得夸大商品功效。"})
    recorded = violation_record(violation=Violation(
        creator=owner, rule=rule, severity="serious", right_kind="video", summary="视频中宣称三天美白",
        evidence="第5秒字幕", occurred_on=timezone.localdate()), actor=None)
    return {"pk": violation_confirm(violation_id=recorded.pk, actor=None).pk}


def inbox_message(owner):
    from notices.models import OfficialKind
    from notices.services import message_send

    return {"pk": message_send(recipient=owner, sender_handle_or_user=OfficialKind.COMMERCE_ASSISTANT,
                               kind="system", title="测试消息").pk}


def merchant_product(owner):
    from tests.factories.affiliates import ShopProductFactory, SkuFactory

    sp = ShopProductFactory(shop=owner.shop)
    SkuFactory(product=sp)
    return {"pk": sp.pk}


def merchant_product_image(owner):
    from affiliates.models import ShopProductImage
    from tests.factories.creators import cover_upload

    kwargs = merchant_product(owner)
    image = ShopProductImage.objects.create(product_id=kwargs["pk"], image=cover_upload("p.jpg"))
    return {**kwargs, "image_pk": image.pk}


def own_comment(owner):
    """A comment the owner (a shopper) wrote on someone's public video."""
    from showcase.engage.services.comments import comment_post
    from tests.factories.creators import VideoFactory

    v = VideoFactory(owner=make_creator())
    return {"_video_id": v.pk, "comment_id": comment_post(video_id=v.pk, author=owner, body="好看").pk}


def comment_on_own_video(owner, action="hide"):
    """A shopper's comment on the owner's (a creator's) video, which the owner manages."""
    from showcase.engage.services.comments import comment_post
    from tests.factories.creators import VideoFactory

    v = VideoFactory(owner=owner)
    return {"comment_id": comment_post(video_id=v.pk, author=make_shopper(), body="好看").pk, "action": action}


def comment_on_own_video_page(owner):
    kwargs = comment_on_own_video(owner)
    from showcase.engage.models import Comment

    return {"video_id": Comment.objects.get(pk=kwargs["comment_id"]).video_id, "comment_id": kwargs["comment_id"]}


def conversation(owner):
    from showcase.engage.services.messages import conversation_open, private_message_send

    shopper = make_shopper()
    private_message_send(sender=shopper, recipient=owner, body="你好，请问有货吗")
    return {"conversation_id": conversation_open(user=owner, other=shopper).pk}


def shopper_order(owner):
    from tests.orders.helpers import place, shop_product

    product, skus = shop_product()
    return {"number": place(owner, product, skus[0]).number}


def sandbox_payment(owner):
    from orders import services
    from orders.models import Order

    order = Order.objects.get(number=shopper_order(owner)["number"])
    return {"number": services.payment_start(order=order).number}


def merchant_order(owner):
    from tests.orders.helpers import pay, place, shop_product

    product, skus = shop_product(shop=owner.shop)
    return {"number": pay(place(make_shopper(), product, skus[0])).number}


def external_order(owner):
    from orders.models import ExternalOrder, OrderStatus
    from orders.services.consent import order_display_consent_grant

    order_display_consent_grant(user=owner)
    made = ExternalOrder.objects.create(source="jd", order_id=f"JD{owner.pk}", line_id="1", shopper=owner,
                                        paid_amount_fen=5900, status=OrderStatus.PAID, title="京东好物",
                                        ordered_at=timezone.now() - timedelta(hours=1))
    return {"pk": made.pk}


def creator_withdrawal(owner):
    from commissions.payouts.owners import Owner
    from tests.commissions import withdrawal_helpers as w

    o = Owner.creator(w.verified(owner))
    w.fund(o, 10_000)
    from commissions.payouts import services

    services.payout_account_bind(owner=o, holder_name=w.REAL_NAME, bank_name="招商银行", account_no=w.ACCOUNT_NO)
    return {"number": w.request(o, 5_000).number}


def shop_withdrawal(owner):
    from tests.commissions import withdrawal_helpers as w

    return {"number": w.request(w.shop_owner(owner.shop, available_fen=10_000), 5_000).number}


@dataclass
class Owned:
    kind: str
    build: object
    extra: dict = field(default_factory=dict)


OWNED = {
    # the creator's showcase
    "showcase_api:item": Owned("creator", showcase_item),
    "showcase_api:item-move": Owned("creator", showcase_item),
    "showcase:item_update": Owned("creator", showcase_item),
    "showcase:item_move": Owned("creator", showcase_item),
    "showcase:item_remove": Owned("creator", showcase_item),
    "showcase_api:category": Owned("creator", showcase_category),
    "showcase_api:category-move": Owned("creator", showcase_category),
    "showcase:category_rename": Owned("creator", showcase_category),
    "showcase:category_move": Owned("creator", showcase_category),
    "showcase:category_delete": Owned("creator", showcase_category),
    # videos and their carts
    "creators_api:my-video": Owned("creator", video),
    "creators:video_edit": Owned("creator", video),
    "creators:video_delete": Owned("creator", video),
    "showcase_api:my-video-products": Owned("creator", video),
    "showcase_api:my-video-products-order": Owned("creator", video_with_product),
    "showcase:video_cart": Owned("creator", video),
    "showcase:video_product_add": Owned("creator", video),
    "showcase_api:my-video-product": Owned("creator", video_product),
    "showcase_api:my-video-product-move": Owned("creator", video_product),
    "showcase:video_product_remove": Owned("creator", video_product),
    "showcase:video_product_move": Owned("creator", video_product),
    # live sessions
    "showcase_api:my-live-session": Owned("creator", live_session),
    "showcase_api:my-live-end": Owned("creator", live_session),
    "showcase_api:my-live-products": Owned("creator", live_session),
    "showcase_api:my-live-products-order": Owned("creator", live_session),
    "showcase_api:my-live-explaining": Owned("creator", live_session),
    "showcase:live_console": Owned("creator", live_session),
    "showcase:live_product_add": Owned("creator", live_session),
    "showcase:live_explain_clear": Owned("creator", live_session),
    "showcase:live_end": Owned("creator", live_session),
    "showcase_api:my-live-product": Owned("creator", live_product),
    "showcase_api:my-live-product-move": Owned("creator", live_product),
    "showcase:live_product_remove": Owned("creator", live_product),
    "showcase:live_product_move": Owned("creator", live_product),
    "showcase:live_explain": Owned("creator", live_product),
    # governance
    "creators_api:my-application": Owned("shopper", cart_application),
    "creators_api:my-violation": Owned("creator", violation),
    "creators_api:my-violation-appeal": Owned("creator", violation),
    "creators:violation": Owned("creator", violation),
    # inbox, comments, private messages
    "notices_api:message-read": Owned("shopper", inbox_message),
    "engage_api:comment": Owned("shopper", own_comment),
    "engage_api:owner-comment-action": Owned("creator", comment_on_own_video),
    "engage_backoffice_action": Owned("creator", comment_on_own_video),
    "engage_comment_delete": Owned("creator", comment_on_own_video_page),
    "engage_api:conversation-messages": Owned("creator", conversation),
    "engage_api:conversation-read": Owned("creator", conversation),
    "engage_backoffice_thread": Owned("creator", conversation),
    # the merchant's shop
    "affiliates_api:merchant_product": Owned("merchant", merchant_product),
    "affiliates_api:merchant_product_publish": Owned("merchant", merchant_product),
    "affiliates_api:merchant_product_alliance": Owned("merchant", merchant_product),
    "affiliates_api:merchant_product_images": Owned("merchant", merchant_product),
    "affiliates_api:merchant_product_image": Owned("merchant", merchant_product_image),
    "affiliates:merchant_product_edit": Owned("merchant", merchant_product),
    "affiliates:merchant_product_image_add": Owned("merchant", merchant_product),
    "affiliates:merchant_product_image_delete": Owned("merchant", merchant_product_image),
    "affiliates:merchant_product_publish": Owned("merchant", merchant_product),
    "affiliates:merchant_product_unpublish": Owned("merchant", merchant_product),
    "affiliates:merchant_product_alliance": Owned("merchant", merchant_product),
    "affiliates:merchant_product_alliance_unlist": Owned("merchant", merchant_product),
    # orders
    "orders_api:order": Owned("shopper", shopper_order),
    "orders_api:order_cancel": Owned("shopper", shopper_order),
    "orders_api:order_confirm": Owned("shopper", shopper_order),
    "orders_api:order_refund_request": Owned("shopper", shopper_order),
    "orders:detail": Owned("shopper", shopper_order),
    "orders:sandbox_pay": Owned("shopper", sandbox_payment),
    "orders:external_detail": Owned("shopper", external_order),
    "orders_api:merchant_order": Owned("merchant", merchant_order),
    "orders_api:merchant_order_ship": Owned("merchant", merchant_order),
    "orders_api:merchant_order_refund": Owned("merchant", merchant_order),
    "orders:merchant_order": Owned("merchant", merchant_order),
    # money
    "payouts_api:withdrawal": Owned("creator", creator_withdrawal),
    "payouts_api:shop_withdrawal": Owned("merchant", shop_withdrawal),
}


def _move(kwargs):
    return {"direction": "down"}


# A valid body per (route, method), so a refusal is about the caller, not the input.
BODIES = {
    ("showcase_api:item-move", "POST"): _move,
    ("showcase_api:category-move", "POST"): _move,
    ("showcase_api:my-video-product-move", "POST"): _move,
    ("showcase_api:my-live-product-move", "POST"): _move,
    ("showcase_api:category", "PATCH"): lambda kw: {"name": "新名字"},
    ("showcase_api:my-video-products-order", "PUT"): lambda kw: {"kind": "cart", "product_ids": kw["_product_ids"]},
    ("showcase_api:my-live-products-order", "PUT"): lambda kw: {"product_ids": kw["_product_ids"][:1]},
    ("showcase_api:my-live-explaining", "PUT"): lambda kw: {"product_id": kw["_product_ids"][0]},
    ("showcase_api:my-live-products", "POST"): lambda kw: {"product_id": kw["_product_ids"][1]},
    ("orders:detail", "POST"): lambda kw: {"action": "cancel"},
    ("orders:merchant_order", "POST"): lambda kw: {"action": "ship", "carrier": "顺丰速运", "tracking_number": "SF1234567890"},
    ("orders:sandbox_pay", "POST"): lambda kw: {"decision": "cancel"},
}


# --- the URL configuration ------------------------------------------------------------------------

def walk(resolver=None, prefix="", namespace=None):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x) or None
            yield from walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else str(p.name)
            yield prefix + str(p.pattern), name, p.callback


def object_routes() -> dict[str, tuple[str, object]]:
    """route name → (pattern, callback) for every route with an argument, the admin aside."""
    found = {}
    for pattern, name, callback in walk():
        if pattern.startswith(("admin", "^admin")) or "admin:" in name or not OBJECT_KWARGS.search(pattern):
            continue
        found[name] = (pattern, callback)
    return found


def test_every_object_route_has_an_entry():
    missing = sorted(set(object_routes()) - set(OWNED) - set(PUBLIC))
    assert not missing, ("routes naming an object without an entry in OWNED (how to own one) or PUBLIC "
                         f"(why it is public): {missing}")
    assert not set(OWNED) & set(PUBLIC)
    stale = sorted((set(OWNED) | set(PUBLIC)) - set(object_routes()))
    assert not stale, f"entries for routes that no longer exist: {stale}"


def methods_of(name: str, callback) -> tuple[str, ...]:
    cls = getattr(callback, "cls", None)
    if cls is not None:  # DRF: the handlers the view defines
        return tuple(m for m in API_METHODS if hasattr(cls, m.lower()))
    return METHODS_PAGE


def is_api(name: str) -> bool:
    return "_api:" in name


def call(client, method, url, body=None):
    if isinstance(client, APIClient):
        return getattr(client, method.lower())(url, body, format="json")
    return getattr(client, method.lower())(url, body or {})


def client_for(user, api: bool):
    if api:
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


CASES = [(name, method) for name, (pattern, cb) in sorted(object_routes().items()) if name in OWNED
         for method in methods_of(name, cb)]


@pytest.mark.parametrize(("name", "method"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_only_the_owner_reaches_the_object(name, method):
    entry = OWNED[name]
    make = KINDS[entry.kind]
    with transaction.atomic():
        owner, other = make(), make()
        kwargs = entry.build(owner)
    url = reverse(name, kwargs={k: v for k, v in kwargs.items() if not k.startswith("_")})
    api = is_api(name)
    body = BODIES[(name, method)](kwargs) if (name, method) in BODIES else None

    as_other = call(client_for(other, api), method, url, body)
    as_anonymous = call(client_for(None, api), method, url, body)
    as_owner = call(client_for(owner, api), method, url, body)

    if as_owner.status_code == 405:  # the route does not answer this method
        assert as_other.status_code in (403, 404, 405) and as_anonymous.status_code in (302, 401, 403, 405)
        return
    wanted = (404, 403) if name in DOCUMENTED_403 else (404,)
    assert as_other.status_code in wanted, f"{method} {url} as another {entry.kind}: {as_other.status_code}"
    if api:
        assert as_anonymous.status_code == 401, f"{method} {url} anonymous: {as_anonymous.status_code}"
    else:
        assert as_anonymous.status_code == 302 and reverse("creators:login") in as_anonymous["Location"], (
            f"{method} {url} anonymous: {as_anonymous.status_code} {as_anonymous.get('Location')}")
    assert as_owner.status_code not in (401, 403, 404), f"{method} {url} as its owner: {as_owner.status_code}"

