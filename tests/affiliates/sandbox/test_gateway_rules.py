"""Issue 11's wire rules at the twins: what the vendors' SDKs send is accepted, and what no
gateway would take is refused with that source's own error."""
import json
import time
from datetime import timedelta
from urllib.parse import urlencode

from django.utils import timezone

from affiliates.sandbox.checks import jd_signature, suning_signature, top_signature, vip_signature
from affiliates.sources.values import cn_time_str

JD_METHOD = "jd.union.open.goods.query"
SKU = '{"goodsReqDTO":{"skuIds":[10020000000]}}'


def _jd(settings, **params):
    creds = settings.SANDBOX_CREDENTIALS["jd"]
    params = {"app_key": creds["app_key"], "method": JD_METHOD, "v": "1.0",
              "timestamp": cn_time_str(timezone.now()), **params}
    params["sign"] = jd_signature(params, creds["app_secret"])
    return params


def _jd_result(answer):
    return json.loads(answer["jd_union_open_goods_query_responce"]["queryResult"])


def test_jd_param_json_of_the_router_gateway_is_served_like_360buy_param_json(client, settings, db):
    for path in ("/sandbox/jd/routerjson", "/sandbox/jd/api"):
        answer = client.get(path, _jd(settings, param_json=SKU)).json()
        assert _jd_result(answer)["data"][0]["skuId"] == 10020000000


def test_jd_without_business_params_is_refused_with_error_16_not_treated_as_empty(client, settings, db):
    error = client.post("/sandbox/jd/routerjson", _jd(settings)).json()["error_response"]
    assert error["code"] == "16" and "360buy_param_json" in error["zh_desc"]


def test_jd_with_both_param_json_names_is_refused_with_error_16(client, settings, db):
    params = _jd(settings, param_json=SKU, **{"360buy_param_json": SKU})
    assert client.post("/sandbox/jd/routerjson", params).json()["error_response"]["code"] == "16"


def test_jd_sdk_timestamp_with_milliseconds_and_offset_is_accepted(client, settings, db):
    stamp = timezone.now().astimezone(timezone.get_fixed_timezone(480)).strftime("%Y-%m-%d %H:%M:%S.000%z")
    answer = client.post("/sandbox/jd/routerjson", _jd(settings, timestamp=stamp, **{"360buy_param_json": SKU}))
    assert _jd_result(answer.json())["code"] == 200


def test_jd_timestamp_seven_minutes_old_is_outside_jds_six_minute_window(client, settings, db):
    old = cn_time_str(timezone.now() - timedelta(minutes=7))
    error = client.post("/sandbox/jd/routerjson", _jd(settings, timestamp=old, **{"360buy_param_json": SKU})).json()
    assert error["error_response"]["code"] == "11"


def test_top_epoch_millisecond_timestamp_of_alibabas_sdk_is_accepted(client, settings, db):
    creds = settings.SANDBOX_CREDENTIALS["taobao"]
    params = {"method": "taobao.tbk.item.info.get", "app_key": creds["app_key"], "v": "2.0", "format": "json",
              "sign_method": "md5", "timestamp": str(int(time.time() * 1000)), "num_iids": "600000000000"}
    params["sign"] = top_signature(params, creds["app_secret"], "md5")
    assert "tbk_item_info_get_response" in client.post("/sandbox/taobao/router/rest", params).json()


def test_vip_client_that_also_sends_language_is_accepted(client, settings, db):
    creds = settings.SANDBOX_CREDENTIALS["vip"]
    body = '{"goodsIdList":["6919000000000"]}'
    query = {"service": "com.vip.adp.api.open.service.UnionGoodsService", "method": "getByGoodsIdsV2",
             "version": "1.0.0", "appKey": creds["app_key"], "timestamp": str(int(time.time())), "format": "JSON",
             "language": "zh"}
    query["sign"] = vip_signature(query, body, creds["app_secret"])
    answer = client.post("/sandbox/vip/?" + urlencode(query), body, content_type="application/json").json()
    assert answer["returnCode"] == "0"


def test_our_vip_client_signs_every_system_param_it_sends():
    from affiliates.sources.vip import vip_sign
    query = {"appKey": "k", "timestamp": "1", "language": "zh"}
    assert vip_sign(query, "{}", "s") == vip_signature(query, "{}", "s")


def _suning_post(client, settings, path, body: bytes, method="suning.netalliance.commoditydetail.query",
                 header_method=None):
    creds = settings.SANDBOX_CREDENTIALS["suning"]
    now = cn_time_str(timezone.now())
    headers = {"AppMethod": header_method if header_method is not None else method, "AppRequestTime": now,
               "Format": "json", "AppKey": creds["app_key"], "VersionNo": "v1.2",
               "signInfo": suning_signature(creds["app_secret"], method, now, creds["app_key"], "v1.2", body)}
    return client.post(path, body, content_type="application/json", headers=headers).json()["sn_responseContent"]


def test_suning_method_in_the_appmethod_header_alone_on_the_bare_path(client, settings, db):
    body = b'{"sn_request":{"sn_body":{"queryCommoditydetail":{"commodityStr":"10000000000-0070000000"}}}}'
    answer = _suning_post(client, settings, "/sandbox/suning/api/http/sopRequest", body)
    assert "queryCommoditydetail" in answer["sn_body"]


def test_suning_path_and_header_methods_that_disagree_are_refused(client, settings, db):
    body = b'{"sn_request":{"sn_body":{"queryCommoditydetail":{"commodityStr":"10000000000-0070000000"}}}}'
    answer = _suning_post(client, settings, "/sandbox/suning/api/http/sopRequest/suning.netalliance.order.query",
                          body, method="suning.netalliance.order.query",
                          header_method="suning.netalliance.commoditydetail.query")
    assert answer["sn_error"]["error_code"] == "sys.check.method-invalid"


def test_suning_unreadable_body_gets_sunings_own_error(client, settings, db):
    answer = _suning_post(client, settings, "/sandbox/suning/api/http/sopRequest", b"<sn_request>not json</sn_request>")
    assert answer == {"sn_error": {"error_code": "sys.check.param-invalid", "error_msg": "请求报文格式错误"}}
