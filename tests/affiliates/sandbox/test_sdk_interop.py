"""Each source's registry SDK, pinned in requirements-dev, talks to its twin over real HTTP.

The SDKs are used as published: their own signing, timestamps, request lines and bodies.
Only their gateway address is pointed at the sandbox (host, port and the path prefix
``/sandbox/<source>``). A test skips only when its package cannot be imported, and says so.
JD's and Suning's SDKs write timestamps in the machine's local time, as a developer in China
runs them, so those tests run under ``TZ=Asia/Shanghai``.
"""
import json
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from affiliates.sandbox import catalog
from affiliates.sandbox.models import SandboxOrder
from affiliates.sandbox.services import sandbox_order_create
from affiliates.sources.values import cn_time_str

pytestmark = pytest.mark.django_db(transaction=True)


def _sdk(module: str, package: str):
    return pytest.importorskip(module, reason=f"the registry SDK {package!r} cannot be imported here")


@pytest.fixture
def shanghai_clock(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def gateway(live_server):
    parts = urlsplit(live_server.url)
    return parts.hostname, parts.port, live_server.url


def _creds(settings, source):
    creds = settings.SANDBOX_CREDENTIALS[source]
    return creds["app_key"], creds["app_secret"]


def _paid_order(source: str) -> SandboxOrder:
    order = sandbox_order_create(source=source, external_id=catalog.external_id(source, 0), quantity=1,
                                 click_id="c-interop")
    return order


# --- Taobao: Alibaba's topsdk ---------------------------------------------------------------------
def test_topsdk_item_info_and_order_report_are_accepted(settings, gateway, monkeypatch):
    top = _sdk("top.api", "topsdk")
    import top as top_root
    host, port, _ = gateway
    monkeypatch.setattr("top.api.base.N_REST", "/sandbox/taobao/router/rest")
    top_root.setDefaultAppInfo(*_creds(settings, "taobao"))
    item = catalog.item("taobao", next(i for i in range(50) if catalog.in_union("taobao", i)))
    request = top.TbkItemInfoGetRequest(host, port)
    request.num_iids = str(item.num_id)
    answer = request.getResponse()  # epoch-millisecond timestamp, partner_id, md5
    assert answer["tbk_item_info_get_response"]["results"]["n_tbk_item"][0]["title"] == item.title

    report = top.TbkOrderDetailsGetRequest(host, port)
    report.start_time = cn_time_str(timezone.now() - timedelta(hours=1))
    report.end_time = cn_time_str(timezone.now())
    report.query_type = 1
    assert "tbk_order_details_get_response" in report.getResponse()


# --- JD: jd-sdk and jd-union (routerjson, absolute-URI request lines) --------------------------------
def _jd_call(base_module, settings, host, port, method, params, **kw):
    class UnionCall(base_module.RestApi):
        def __init__(self):
            base_module.RestApi.__init__(self, host, port)
            for key, value in params.items():
                setattr(self, key, value)

        def getapiname(self):
            return method

    call = UnionCall()
    call.set_app_info(_app_info(*_creds(settings, "jd")))
    return call.getResponse(**kw)


class _app_info:
    def __init__(self, appkey, secret):
        self.appkey, self.secret = appkey, secret


def _query_result(answer: dict, method: str, key: str = "queryResult") -> dict:
    assert "error_response" not in answer, answer
    return json.loads(answer[method.replace(".", "_") + "_responce"][key])


@pytest.mark.usefixtures("shanghai_clock")
@pytest.mark.parametrize("module, package", [("jd.api.base", "jd-sdk"), ("jd_union.api.base", "jd-union")])
def test_jd_sdks_goods_query_and_order_report_are_accepted(settings, gateway, monkeypatch, module, package):
    base = _sdk(module, package)
    host, port, _ = gateway
    monkeypatch.setattr(f"{module}.N_REST", "/sandbox/jd/routerjson")
    sku = catalog.item("jd", 3).num_id
    goods = _jd_call(base, settings, host, port, "jd.union.open.goods.query", {"goodsReqDTO": {"skuIds": [sku]}})
    assert _query_result(goods, "jd.union.open.goods.query")["data"][0]["skuId"] == sku

    now = timezone.now()
    order = _paid_order("jd")
    report = _jd_call(base, settings, host, port, "jd.union.open.order.row.query", {"orderReq": {
        "startTime": cn_time_str(now - timedelta(minutes=30)), "endTime": cn_time_str(now + timedelta(minutes=1)),
        "type": 1, "pageIndex": 1, "pageSize": 20}})
    rows = _query_result(report, "jd.union.open.order.row.query")["data"]
    assert [r["orderId"] for r in rows] == [int(order.order_id)]


def test_jdu_param_json_gateway_is_served(settings, gateway, monkeypatch):
    _sdk("jdu.client.open", "jdu")
    from jdu.api.base import JDUOpenAPI
    from jdu.client.open import JDUOpenApiClient
    _, _, url = gateway
    monkeypatch.setattr(JDUOpenAPI, "API_BASE_URL", f"{url}/sandbox/jd/api")
    client = JDUOpenApiClient(*_creds(settings, "jd"))
    sku = catalog.item("jd", 5).num_id
    answer = client.goods.query(sku_ids=[sku])
    assert _query_result(answer, "jd.union.open.goods.query")["data"][0]["skuId"] == sku


# --- Suning: suning-sdk (bare path, AppMethod header, Python-literal body) -----------------------------
@pytest.mark.usefixtures("shanghai_clock")
def test_suning_sdk_commodity_detail_is_accepted(settings, gateway, monkeypatch):
    _sdk("suning.api.abstract", "suning-sdk")
    import suning
    from suning.api.config import Const
    from suning.api.netalliance.CommoditydetailQueryRequest import CommoditydetailQueryRequest
    host, port, _ = gateway
    monkeypatch.setattr(Const, "DOMAIN", host)
    monkeypatch.setattr(Const, "PORT", port)
    monkeypatch.setattr(Const, "API_URI", "/sandbox/suning/api/http/sopRequest")
    suning.setDefaultAppInfo(*_creds(settings, "suning"))
    item = catalog.item("suning", 2)
    request = CommoditydetailQueryRequest()
    request.commodityStr = item.external_id
    answer = request.getResponse()["sn_responseContent"]
    assert "sn_error" not in answer, answer
    assert answer["sn_body"]["queryCommoditydetail"][0]["commodityInfo"]["commodityName"] == item.title


# --- Kaola: the kaola SDK (app_key, open-platform sys params) ------------------------------------------
def test_kaola_sdk_goods_info_and_order_report_are_accepted(settings, gateway):
    _sdk("kaola.api.kaola", "kaola")
    from kaola.api.kaola import KaoLa
    _, _, url = gateway
    client = KaoLa(*_creds(settings, "kaola"))
    client._host = f"{url}/sandbox/kaola/zhuanke/api"
    item = catalog.item("kaola", 1)
    answer = client.comm.post(data={"method": "kaola.zhuanke.api.queryGoodsInfo", "goodsIds": str(item.num_id)})
    assert answer["code"] == 200, answer
    assert answer["data"][0]["baseInfo"]["goodsTitle"] == item.title

    now_ms = int(time.time() * 1000)
    report = client.comm.post(data={"method": "kaola.zhuanke.api.queryOrderInfo",
                                    "startDate": str(now_ms - 1_800_000), "endDate": str(now_ms + 60_000)})
    assert report["code"] == 200, report
