"""The imitated shop pages: landing page, buying through a promotion link, order steps, images."""
import pytest

from affiliates.sandbox import catalog
from affiliates.sandbox.models import SandboxOrder
from affiliates.sandbox.services import SandboxError, sandbox_order_create, sandbox_order_settle
from affiliates.sandbox.twins import twin


@pytest.mark.parametrize("source", catalog.SOURCES)
def test_landing_page_shows_the_item_and_a_buy_button_with_the_click_id(client, db, source):
    item = catalog.item(source, 3)
    page = client.get(f"/sandbox/{source}/item/{item.external_id}?{twin(source).SUB_PARAM}=clk-9")
    html = page.content.decode()
    assert page.status_code == 200 and item.title in html and 'name="click_id" value="clk-9"' in html


def test_unknown_item_page_is_404(client, db):
    assert client.get("/sandbox/jd/item/1").status_code == 404


def test_buying_on_the_landing_page_records_an_order_with_the_click_id(client, db):
    item = catalog.item("taobao", 5)
    answer = client.post(f"/sandbox/taobao/item/{item.external_id}/buy", {"click_id": "clk-1", "quantity": "2"})
    order = SandboxOrder.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/sandbox/orders/{order.pk}/")
    assert (order.click_id, order.quantity, order.paid_amount_fen) == ("clk-1", 2, item.price_fen * 2)
    assert order.status == SandboxOrder.Status.PAID


def test_order_page_buttons_move_the_order_along_its_transitions(client, db):
    order = sandbox_order_create(source="taobao", external_id=catalog.external_id("taobao", 1), click_id="c")
    assert client.post(f"/sandbox/orders/{order.pk}/finish").status_code == 302
    assert client.post(f"/sandbox/orders/{order.pk}/settle").status_code == 302
    order.refresh_from_db()
    assert order.status == "settled" and order.settled_commission_fen == order.estimated_commission_fen
    assert client.post(f"/sandbox/orders/{order.pk}/refund").status_code == 409
    assert "已完成，佣金已结算" in client.get(f"/sandbox/orders/{order.pk}/").content.decode()


def test_an_order_skips_no_step(db):
    order = sandbox_order_create(source="taobao", external_id=catalog.external_id("taobao", 1))
    with pytest.raises(SandboxError):
        sandbox_order_settle(order=order)


def test_an_order_needs_a_catalog_item(db):
    with pytest.raises(SandboxError):
        sandbox_order_create(source="taobao", external_id="1")


def test_item_images_are_svg_with_long_cache_headers(client, db):
    item = catalog.item("taobao", 8)
    answer = client.get(f"/sandbox/taobao/img/{item.external_id}/0.svg")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/svg+xml"
    assert "max-age=31536000" in answer["Cache-Control"]
    assert client.get(f"/sandbox/taobao/img/{item.external_id}/0.svg",
                      headers={"If-None-Match": answer["ETag"]}).status_code == 304
    assert client.get(f"/sandbox/taobao/img/{item.external_id}/{item.image_count}.svg").status_code == 404


def test_admin_actions_move_sandbox_orders(admin_client):
    order = sandbox_order_create(source="taobao", external_id=catalog.external_id("taobao", 1))
    answer = admin_client.post("/admin/sandbox/sandboxorder/",
                               {"action": "order_finish", "_selected_action": [order.pk]})
    assert answer.status_code == 302
    order.refresh_from_db()
    assert order.status == SandboxOrder.Status.FINISHED


def test_item_page_offers_the_way_back_to_the_referring_seeding_page(client, db):
    item = catalog.item("jd", 4)
    seeding = "http://testserver/products/12/"
    html = client.get(f"/sandbox/jd/item/{item.external_id}", HTTP_REFERER=seeding).content.decode()
    assert f'href="{seeding}"' in html and 'name="back" value="http://testserver/products/12/"' in html


def test_item_page_ignores_a_referrer_from_another_site(client, db):
    item = catalog.item("jd", 4)
    html = client.get(f"/sandbox/jd/item/{item.external_id}", HTTP_REFERER="https://evil.example/x").content.decode()
    assert "evil.example" not in html


def test_after_buying_the_order_page_leads_back_to_where_the_shopper_came_from(client, db):
    item = catalog.item("taobao", 5)
    answer = client.post(f"/sandbox/taobao/item/{item.external_id}/buy",
                         {"click_id": "clk-1", "back": "http://testserver/s/creator7/"})
    page = client.get(answer["Location"]).content.decode()
    assert 'href="http://testserver/s/creator7/"' in page and "回到来源页" in page


def test_short_link_carries_the_referring_page_to_the_landing_page(client, db):
    token = twin("jd").short_link_for(catalog.external_id("jd", 2))
    page = client.get(f"/sandbox/jd/u.jd.com/{token}", HTTP_REFERER="http://testserver/v/9/").content.decode()
    assert "back=http%3A%2F%2Ftestserver%2Fv%2F9%2F" in page


def test_order_page_speaks_chinese_with_no_raw_status_or_action_codes(client, db):
    order = sandbox_order_create(source="kaola", external_id=catalog.external_id("kaola", 1), click_id="c")
    html = client.get(f"/sandbox/orders/{order.pk}/").content.decode()
    assert "已付款" in html and "确认收货" in html and "退款" in html and "考拉" in html
    for raw in (">paid<", ">finish<", ">refund<", ">kaola<", ">sandbox<"):
        assert raw not in html


def test_order_pages_read_in_english_after_the_language_switch(client, db):
    order = sandbox_order_create(source="vip", external_id=catalog.external_id("vip", 1), click_id="c")
    client.cookies["django_language"] = "en"
    html = client.get(f"/sandbox/orders/{order.pk}/").content.decode()
    assert "Confirm receipt" in html and "Vipshop" in html


def test_any_real_looking_link_opens_an_item_page_and_can_be_bought(client, db):
    page = client.get("/sandbox/jd/item/100012043978")
    assert page.status_code == 200 and "立即购买" in page.content.decode()
    assert client.post("/sandbox/jd/item/100012043978/buy", {"click_id": "c"}).status_code == 302
    assert client.get("/sandbox/jd/item/100012043005").status_code == 404
