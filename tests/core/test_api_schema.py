"""The OpenAPI schema tells the truth (issue 10, item 6): real answers of the API validate
against the schema it serves, the two hot public routes are in it, every operation documents
its errors in the one error shape, and the input limits the API enforces are in it.

Every test's /api/v1/ answers are also checked by tests/conftest.py; here the answers the outside
tester found wrong are fetched on purpose and checked explicitly."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from creators.services.rights import cart_rights_grant
from showcase.engage.services import comment_post, private_message_send
from showcase.services import showcase_item_add
from tests.factories.affiliates import ProductFactory
from tests.factories.creators import UserFactory, VideoFactory
from tests.openapi_conformance import SchemaCheck, check_response, schema_check

pytestmark = pytest.mark.django_db


def creator_with_rights(**kwargs):
    user = UserFactory(**kwargs)
    with transaction.atomic():
        cart_rights_grant(user=user, application=None, actor=None)
    return user


def schema():
    return schema_check().schema


def body_schema(path, method, status):
    return schema()["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]


def component(name):
    return schema()["components"]["schemas"][name]


def truthful(response):
    assert check_response(response) == []
    return response


@pytest.fixture
def creator():
    return creator_with_rights(nickname="琳琳穿搭")


@pytest.fixture
def video(creator):
    return VideoFactory(owner=creator, title="小个子显高穿搭公式",
                        video_file=SimpleUploadedFile("clip.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4"))


# --- the four lies ---------------------------------------------------------------------------------
def test_the_feed_is_a_page_object_as_the_schema_says(api_client, video):
    assert "$ref" in body_schema("/api/v1/feed", "get", 200)  # an object, not an array
    body = truthful(api_client.get("/api/v1/feed")).json()
    assert [s["id"] for s in body["results"]] == [video.pk] and "next_cursor" in body


def test_private_conversations_are_an_object_with_the_unread_total(api_client, creator):
    friend = UserFactory()
    private_message_send(sender=friend, recipient=creator, body="在吗？这件有M码吗")
    api_client.force_authenticate(creator)
    body = truthful(api_client.get("/api/v1/messages/conversations")).json()
    assert body["unread"] == 1 and body["results"][0]["other"]["handle"] == friend.handle
    conversation = body["results"][0]["id"]
    marked = truthful(api_client.post(f"/api/v1/messages/conversations/{conversation}/read")).json()
    assert marked == {"marked_read": 1}


def test_a_top_level_comment_in_the_back_office_has_a_null_reply_to_that_the_schema_allows(api_client, creator,
                                                                                         video):
    comment_post(video_id=video.pk, author=UserFactory(), body="显高是真的！")
    api_client.force_authenticate(creator)
    rows = truthful(api_client.get("/api/v1/e/comments")).json()["results"]
    assert rows[0]["reply_to"] is None
    assert component("OwnerComment")["properties"]["reply_to"]["nullable"] is True


def test_category_create_and_rename_answer_the_real_product_count(api_client, creator):
    api_client.force_authenticate(creator)
    created = truthful(api_client.post("/api/v1/me/showcase/categories", {"name": "上衣"}, format="json")).json()
    assert created["product_count"] == 0
    for product in ProductFactory.create_batch(2):
        showcase_item_add(owner=creator, product_id=product.pk, category_id=created["id"])
    renamed = truthful(api_client.patch(f"/api/v1/me/showcase/categories/{created['id']}", {"name": "夏季上衣"},
                                        format="json")).json()
    assert renamed["product_count"] == 2
    assert component("Category")["properties"]["product_count"] == {"type": "integer", "readOnly": True}


# --- the two public routes the schema missed ---------------------------------------------------------
def test_the_hot_public_routes_are_in_the_schema_and_answer_as_it_says(client, creator, video):
    from showcase.services import live_session_start, video_product_add

    paths = schema()["paths"]
    for path in ("/api/v1/videos/{id}/products", "/api/v1/live/{id}/explaining"):
        responses = paths[path]["get"]["responses"]
        assert {"200", "304", "400", "404"} <= set(responses), path
        assert paths[path]["get"]["parameters"][0]["name"] == "If-None-Match"
    product = ProductFactory()
    showcase_item_add(owner=creator, product_id=product.pk)
    video_product_add(owner=creator, video_id=video.pk, product_id=product.pk)
    answer = truthful(client.get(f"/api/v1/videos/{video.pk}/products"))
    assert answer.json()["products"][0]["id"] == product.pk
    assert truthful(client.get(f"/api/v1/videos/{video.pk}/products",
                               HTTP_IF_NONE_MATCH=answer["ETag"])).status_code == 304
    session = live_session_start(host=creator, title="夏日穿搭", cover=SimpleUploadedFile(
        "c.jpg", VideoFactory.build().cover.read(), "image/jpeg"), product_ids=[product.pk])
    live = truthful(client.get(f"/api/v1/live/{session.pk}/explaining")).json()
    assert live["products"] == [product.pk] and live["explaining"] is None
    missing = truthful(client.get("/api/v1/live/999999/explaining"))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


# --- errors ---------------------------------------------------------------------------------------------
def test_every_operation_documents_its_errors_in_the_one_shape():
    error_ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema()["paths"].items():
        for method, operation in operations.items():
            responses, where = operation["responses"], f"{method.upper()} {path}"
            documented = {code for code, r in responses.items() if code.startswith("4")}
            for code in documented:
                assert responses[code]["content"]["application/json"]["schema"].get("$ref", "").startswith(
                    "#/components/schemas/"), where
            assert responses["400"]["content"]["application/json"]["schema"] in (
                error_ref, {"$ref": "#/components/schemas/NotEligible"}), where
            security = operation.get("security", [])
            if any(security) and {} not in security:  # signing in is required
                assert {"401", "403"} <= documented, where
            if not any(security) and path != "/api/v1/auth/token":
                assert "401" not in documented, where  # takes no credentials, so never asks for them
            if method != "get" and any(security):
                assert "409" in documented, where
    assert component("ErrorDetail")["required"] == ["code", "field", "message"]


def test_real_errors_are_the_documented_shape(api_client, creator):
    assert truthful(api_client.get("/api/v1/creators/me")).status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert truthful(api_client.get("/api/v1/feed")).status_code == 401  # a bad token, even where none is needed
    api_client.credentials()
    api_client.force_authenticate(UserFactory())  # signed in, without the rights
    assert truthful(api_client.get("/api/v1/e/comments")).status_code == 403
    api_client.force_authenticate(creator)
    too_long = truthful(api_client.post("/api/v1/me/showcase/categories", {"name": "长" * 21}, format="json"))
    assert too_long.status_code == 400 and too_long.json()["error"]["field"] == "name"
    truthful(api_client.post("/api/v1/me/showcase/categories", {"name": "上衣"}, format="json"))
    twice = truthful(api_client.post("/api/v1/me/showcase/categories", {"name": "上衣"}, format="json"))
    assert twice.status_code == 409
    assert truthful(api_client.get("/api/v1/me/live/999999")).status_code == 404


# --- input limits -------------------------------------------------------------------------------------
def test_the_input_limits_the_api_enforces_are_in_the_schema(settings):
    properties = {name: component(name)["properties"] for name in (
        "OrderPlace", "CategoryInput", "CommentInput", "SignupInput", "AllianceInput", "ShopProductInput",
        "SkuInput", "RealNameInput", "LiveStartInput")}
    assert properties["OrderPlace"]["quantity"] == {"type": "integer", "minimum": 1, "maximum": 99}
    assert properties["CategoryInput"]["name"] == {"type": "string", "minLength": 1, "maxLength": 20}
    assert properties["CommentInput"]["body"]["minLength"] == 1
    assert properties["SignupInput"]["password"]["minLength"] == 8
    assert (properties["SignupInput"]["handle"]["minLength"], properties["SignupInput"]["handle"]["maxLength"]) == (2, 32)
    rate = properties["AllianceInput"]["commission_rate_bp"]
    assert (rate["minimum"], rate["maximum"]) == (settings.ALLIANCE_RATE_MIN_BP, settings.ALLIANCE_RATE_MAX_BP)
    skus = properties["ShopProductInput"]["skus"]
    assert (skus["minItems"], skus["maxItems"]) == (1, settings.SHOP_PRODUCT_MAX_SKUS)
    assert properties["SkuInput"]["price_fen"]["minimum"] == 1 and properties["SkuInput"]["stock"]["minimum"] == 0
    assert properties["RealNameInput"]["id_number"]["minLength"] == 18
    assert properties["LiveStartInput"]["title"]["minLength"] == 1
    pool = {p["name"]: p["schema"] for p in schema()["paths"]["/api/v1/products/"]["get"]["parameters"]}
    assert pool["price_min_fen"]["minimum"] == 0 and "taobao" in pool["source"]["enum"]


def test_a_quantity_below_one_is_refused_by_the_declared_rule(api_client):
    api_client.force_authenticate(UserFactory())
    answer = truthful(api_client.post("/api/v1/orders/", {"product": 1, "sku": 1, "quantity": 0, "address": 1},
                                      format="json"))
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "quantity"
    assert answer.json()["error"]["code"] == "min_value"


# --- the check itself -------------------------------------------------------------------------------------
class _Answer:
    def __init__(self, method, path, status, body):
        self.request = {"REQUEST_METHOD": method, "PATH_INFO": path}
        self.status_code, self.content = status, body.encode()

    def get(self, key, default=""):
        return "application/json" if key == "Content-Type" else default


def test_the_check_catches_each_kind_of_lie():
    check = SchemaCheck({
        "paths": {"/api/v1/things": {"get": {"responses": {
            "200": {"content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}}}}},
                  "/api/v1/things/{id}": {"get": {"responses": {"200": {"content": {"application/json": {
                      "schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
        "components": {"schemas": {"Thing": {"type": "object", "properties": {
            "id": {"type": "integer"}, "owner": {"type": "string", "nullable": True}}, "required": ["id", "owner"]}}},
    })

    def problems(method, path, status, body):
        return check.problems(method, path, status, "application/json", body.encode())

    assert problems("GET", "/api/v1/things", 200, '[{"id": 1, "owner": null}]') == []
    assert problems("GET", "/api/v1/things", 200, '{"results": []}')  # an object where an array is declared
    assert problems("GET", "/api/v1/things/1", 200, '{"id": 1, "owner": null, "extra": 2}')  # an undeclared field
    assert problems("GET", "/api/v1/things/1", 200, '{"id": null, "owner": "a"}')  # a null where none is allowed
    assert problems("GET", "/api/v1/things/1", 404, '{"error": {}}')  # an undocumented status
    assert problems("GET", "/api/v1/hidden", 200, "{}")  # a route missing from the schema
    assert problems("GET", "/api/v1/hidden", 404, "{}") == []  # Django's 404 for an unknown address
