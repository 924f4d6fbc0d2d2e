"""Each gateway twin checks the source's signature and answers with the source's own errors."""
import json
import time
from datetime import timedelta
from urllib.parse import urlencode

from django.utils import timezone

from affiliates.sources.jd import jd_sign
from affiliates.sources.kaola import kaola_sign
from affiliates.sources.suning import suning_sign
from affiliates.sources.taobao import top_sign
from affiliates.sources.values import cn_time_str
from affiliates.sources.vip import vip_sign


def _top_params(settings, **extra):
    creds = settings.SANDBOX_CREDENTIALS["taobao"]
    params = {"method": "taobao.tbk.item.info.get", "app_key": creds["app_key"], "v": "2.0", "format": "json",
              "sign_method": "md5", "timestamp": cn_time_str(timezone.now()), "num_iids": "600000000000", **extra}
    params["sign"] = top_sign(params, creds["app_secret"], "md5")
    return params


def test_top_accepts_a_good_signature(client, settings, db):
    answer = client.post("/sandbox/taobao/router/rest", _top_params(settings))
    assert "tbk_item_info_get_response" in answer.json()


def test_top_rejects_a_bad_signature_with_code_25(client, settings, db):
    params = _top_params(settings)
    params["num_iids"] = "600000007919"  # changed after signing
    body = client.post("/sandbox/taobao/router/rest", params).json()
    assert body["error_response"]["code"] == 25 and body["error_response"]["msg"] == "Invalid signature"


def test_top_rejects_an_unknown_app_key_and_a_stale_timestamp(client, settings, db):
    params = _top_params(settings, app_key="someone-else")
    assert client.post("/sandbox/taobao/router/rest", params).json()["error_response"]["code"] == 29
    stale = _top_params(settings, timestamp="2020-01-01 00:00:00")
    assert client.post("/sandbox/taobao/router/rest", stale).json()["error_response"]["code"] == 31


def test_top_rate_limit_answer_is_the_access_control_error(client, settings, db):
    settings.SANDBOX_FAULTS = {"taobao": {"rate_limit_every": 1}}
    body = json.loads(client.post("/sandbox/taobao/router/rest", _top_params(settings)).content)
    assert body["error_response"]["code"] == 7
    assert body["error_response"]["sub_code"] == "accesscontrol.limited-by-api-access-count"


def test_injected_5xx_is_an_http_503(client, settings, db):
    settings.SANDBOX_FAULTS = {"*": {"error_5xx_every": 1}}
    assert client.post("/sandbox/taobao/router/rest", _top_params(settings)).status_code == 503


# --- JD -------------------------------------------------------------------------------------------------
def _jd_params(settings, business='{"goodsReqDTO":{"skuIds":[10020000000]}}', **extra):
    creds = settings.SANDBOX_CREDENTIALS["jd"]
    params = {"app_key": creds["app_key"], "method": "jd.union.open.goods.query", "format": "json", "v": "1.0",
              "sign_method": "md5", "timestamp": cn_time_str(timezone.now()), "360buy_param_json": business, **extra}
    params["sign"] = jd_sign(params, creds["app_secret"])
    return params


def test_jd_answers_double_encoded_with_the_responce_spelling(client, settings, db):
    body = client.post("/sandbox/jd/routerjson", _jd_params(settings)).json()
    envelope = body["jd_union_open_goods_query_responce"]
    assert envelope["code"] == "0" and isinstance(envelope["queryResult"], str)
    assert json.loads(envelope["queryResult"])["code"] == 200


def test_jd_rejects_a_bad_signature_with_its_error_response(client, settings, db):
    params = _jd_params(settings)
    params["360buy_param_json"] = '{"goodsReqDTO":{"skuIds":[10020001307]}}'
    error = client.post("/sandbox/jd/routerjson", params).json()["error_response"]
    assert error == {"code": "12", "zh_desc": "无效签名", "en_desc": "Invalid signature"}


def test_jd_truncated_page_is_short_while_has_more_stays_true(client, settings, db):
    from affiliates.sandbox.services import sandbox_order_create

    start = timezone.now() - timedelta(minutes=10)
    for n in range(5):
        sandbox_order_create(source="jd", external_id="10020000000", at=start + timedelta(seconds=n))
    settings.SANDBOX_FAULTS = {"jd": {"truncate_pages": True}}
    business = json.dumps({"orderReq": {"pageIndex": 1, "pageSize": 3, "type": 3, "startTime": cn_time_str(start),
                                        "endTime": cn_time_str(start + timedelta(minutes=30))}})
    params = _jd_params(settings, business, method="jd.union.open.order.row.query")
    params["sign"] = jd_sign(params, settings.SANDBOX_CREDENTIALS["jd"]["app_secret"])
    result = json.loads(client.post("/sandbox/jd/routerjson", params).json()[
        "jd_union_open_order_row_query_responce"]["queryResult"])
    assert len(result["data"]) == 2 and result["hasMore"] is True


# --- Kaola ------------------------------------------------------------------------------------------------
def test_kaola_rejects_a_bad_signature_with_code_401(client, settings, db):
    creds = settings.SANDBOX_CREDENTIALS["kaola"]
    params = {"method": "kaola.zhuanke.api.queryGoodsInfo", "unionId": creds["app_key"], "v": "1.0",
              "signMethod": "md5", "timestamp": cn_time_str(timezone.now()), "goodsIds": "5000000"}
    params["sign"] = kaola_sign(params, "not-the-secret")
    assert client.post("/sandbox/kaola/zhuanke/api", params).json() == {"code": 401, "msg": "签名错误", "data": None}
    params["sign"] = kaola_sign(params, creds["app_secret"])
    assert client.post("/sandbox/kaola/zhuanke/api", params).json()["code"] == 200


# --- Vipshop -------------------------------------------------------------------------------------------------
def _vip_query(settings, body, secret=None):
    creds = settings.SANDBOX_CREDENTIALS["vip"]
    query = {"service": "com.vip.adp.api.open.service.UnionGoodsService", "method": "getByGoodsIdsV2",
             "version": "1.0.0", "appKey": creds["app_key"], "timestamp": str(int(time.time())), "format": "JSON"}
    query["sign"] = vip_sign(query, body, secret or creds["app_secret"])
    return "/sandbox/vip/?" + urlencode(query)


def test_vip_rejects_a_bad_signature_with_its_return_code(client, settings, db):
    body = '{"goodsIdList":["6919000000000"]}'
    answer = client.post(_vip_query(settings, body, "wrong"), body, content_type="application/json").json()
    assert answer == {"returnCode": "vipapis.signature-invalid", "returnMessage": "签名无效"}
    answer = client.post(_vip_query(settings, body), body, content_type="application/json").json()
    assert answer["returnCode"] == "0" and answer["result"][0]["goodsId"] == "6919000000000"


def test_vip_signature_covers_the_body(client, settings, db):
    signed_for = '{"goodsIdList":["6919000000000"]}'
    sent = '{"goodsIdList":["6919000010007"]}'
    answer = client.post(_vip_query(settings, signed_for), sent, content_type="application/json").json()
    assert answer["returnCode"] == "vipapis.signature-invalid"


# --- Suning -------------------------------------------------------------------------------------------------
def test_suning_rejects_a_bad_signature_with_sn_error(client, settings, db):
    creds = settings.SANDBOX_CREDENTIALS["suning"]
    method = "suning.netalliance.commoditydetail.query"
    body = '{"sn_request":{"sn_body":{"queryCommoditydetail":{"commodityStr":"10000000000-0070000000"}}}}'
    now = cn_time_str(timezone.now())

    def post(secret):
        headers = {"AppMethod": method, "AppRequestTime": now, "Format": "json", "AppKey": creds["app_key"],
                   "VersionNo": "v1.2", "signInfo": suning_sign(secret, method, now, creds["app_key"], "v1.2", body)}
        return client.post(f"/sandbox/suning/api/http/sopRequest/{method}", body, content_type="application/json",
                           headers=headers).json()["sn_responseContent"]

    assert post("wrong") == {"sn_error": {"error_code": "sys.check.sign-error", "error_msg": "签名错误"}}
    assert "queryCommoditydetail" in post(creds["app_secret"])["sn_body"]


def test_delay_fault_slows_every_call_by_its_setting(client, settings, db, monkeypatch):
    from affiliates.sandbox import gateway

    slept = []
    monkeypatch.setattr(gateway.time, "sleep", slept.append)
    settings.SANDBOX_FAULTS = {"taobao": {"delay_ms": 400}}
    client.post("/sandbox/taobao/router/rest", _top_params(settings))
    assert slept == [0.4]
