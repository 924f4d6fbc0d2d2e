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
    assert "settled" in client.get(f"/sandbox/orders/{order.pk}/").content.decode()


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
