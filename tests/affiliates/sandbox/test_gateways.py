"""Each gateway twin checks the source's signature and answers with the source's own errors."""
import json

from django.utils import timezone

from affiliates.sources.taobao import top_sign
from affiliates.sources.values import cn_time_str


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
