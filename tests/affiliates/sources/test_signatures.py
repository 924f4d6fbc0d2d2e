"""Each source's signature pinned against a hand-computed example: the expected digest is
computed here with hashlib/hmac from a string written out by hand, never by the client."""
import base64
import hashlib
import hmac
from urllib.parse import parse_qsl

from affiliates.sources import get_client
from affiliates.sources.jd import jd_sign
from affiliates.sources.kaola import kaola_sign
from affiliates.sources.suning import suning_sign
from affiliates.sources.taobao import top_sign
from affiliates.sources.vip import vip_sign

TOP_PARAMS = {
    "method": "taobao.tbk.item.info.get", "app_key": "12345678", "timestamp": "2024-05-01 12:00:00",
    "v": "2.0", "format": "json", "num_iids": "600000000001,600000007920",
}
# sorted keys, k1v1k2v2… (sign_method is a param like any other)
TOP_STRING = ("app_key12345678formatjsonmethodtaobao.tbk.item.info.getnum_iids600000000001,600000007920"
              "sign_method{m}timestamp2024-05-01 12:00:00v2.0")


def test_top_md5_wraps_the_sorted_string_in_the_secret():
    expected = hashlib.md5(("s3cret" + TOP_STRING.format(m="md5") + "s3cret").encode()).hexdigest().upper()
    assert top_sign({**TOP_PARAMS, "sign_method": "md5"}, "s3cret", "md5") == expected


def test_top_hmac_is_hmac_md5_keyed_by_the_secret():
    s = TOP_STRING.format(m="hmac")
    expected = hmac.new(b"s3cret", s.encode(), hashlib.md5).hexdigest().upper()
    assert top_sign({**TOP_PARAMS, "sign_method": "hmac"}, "s3cret", "hmac") == expected


def test_top_hmac_sha256_is_hmac_sha256_keyed_by_the_secret():
    s = TOP_STRING.format(m="hmac-sha256")
    expected = hmac.new(b"s3cret", s.encode(), hashlib.sha256).hexdigest().upper()
    assert top_sign({**TOP_PARAMS, "sign_method": "hmac-sha256"}, "s3cret", "hmac-sha256") == expected


def test_top_sign_leaves_out_an_existing_sign_param():
    with_sign = {**TOP_PARAMS, "sign_method": "md5", "sign": "OLD"}
    assert top_sign(with_sign, "s3cret", "md5") == top_sign({**TOP_PARAMS, "sign_method": "md5"}, "s3cret", "md5")


def test_top_md5_of_a_fixed_example_is_this_literal_digest():
    # MD5("secret" "app_keykmethodasign_methodmd5timestamp2024-01-01 00:00:00v2.0" "secret"), once by hand
    params = {"method": "a", "app_key": "k", "timestamp": "2024-01-01 00:00:00", "v": "2.0", "sign_method": "md5"}
    assert top_sign(params, "secret", "md5") == "C49B90138CE77E9CDFE0578BE305AB01"


# --- JD ---------------------------------------------------------------------------------------------
JD_PARAMS = {
    "app_key": "k", "method": "jd.union.open.goods.query", "timestamp": "2024-05-01 12:00:00", "format": "json",
    "v": "1.0", "sign_method": "md5", "360buy_param_json": '{"goodsReqDTO":{"skuIds":[100012043978]}}',
}
# "360buy_param_json" sorts first (a digit before any letter)
JD_STRING = ('360buy_param_json{"goodsReqDTO":{"skuIds":[100012043978]}}app_keykformatjson'
             "methodjd.union.open.goods.querysign_methodmd5timestamp2024-05-01 12:00:00v1.0")


def test_jd_sign_is_md5_of_the_sorted_string_wrapped_in_the_secret():
    expected = hashlib.md5(("jdsecret" + JD_STRING + "jdsecret").encode()).hexdigest().upper()
    assert jd_sign(JD_PARAMS, "jdsecret") == expected


def test_jd_client_sends_compact_param_json_and_the_matching_sign(sandbox, settings):
    get_client("jd").products_detail(["10020000000"])
    sent = dict(parse_qsl(sandbox.requests[-1].body))
    assert sent["360buy_param_json"] == '{"goodsReqDTO":{"skuIds":[10020000000],"pageIndex":1,"pageSize":1}}'
    s = "".join(f"{k}{sent[k]}" for k in sorted(sent) if k != "sign")
    secret = settings.SOURCES["jd"]["app_secret"]
    assert sent["sign"] == hashlib.md5((secret + s + secret).encode()).hexdigest().upper()


# --- Kaola (TOP-style, unverified) -----------------------------------------------------------------------
def test_kaola_sign_is_md5_of_the_sorted_string_wrapped_in_the_secret():
    params = {"method": "kaola.zhuanke.api.queryGoodsInfo", "unionId": "u1", "timestamp": "2024-05-01 12:00:00",
              "v": "1.0", "signMethod": "md5", "goodsIds": "5000000"}
    s = "goodsIds5000000methodkaola.zhuanke.api.queryGoodsInfosignMethodmd5timestamp2024-05-01 12:00:00unionIdu1v1.0"
    assert kaola_sign(params, "ks") == hashlib.md5(("ks" + s + "ks").encode()).hexdigest().upper()


# --- Vipshop ------------------------------------------------------------------------------------------------
def test_vip_sign_is_hmac_md5_of_sorted_system_params_then_the_body():
    system = {"service": "com.vip.adp.api.open.service.UnionGoodsService", "method": "getByGoodsIdsV2",
              "version": "1.0.0", "appKey": "k", "timestamp": "1714536000", "format": "JSON"}
    body = '{"goodsIdList":["6919000000000"],"requestId":"r1"}'
    s = ("appKeykformatJSONmethodgetByGoodsIdsV2servicecom.vip.adp.api.open.service.UnionGoodsService"
         "timestamp1714536000version1.0.0" + body)
    assert vip_sign(system, body, "vs") == hmac.new(b"vs", s.encode(), hashlib.md5).hexdigest().upper()


def test_vip_sign_ignores_the_sign_param_itself():
    system = {"appKey": "k", "format": "JSON", "method": "m", "service": "s", "timestamp": "1", "version": "1"}
    assert vip_sign({**system, "sign": "X"}, "{}", "vs") == vip_sign(system, "{}", "vs")


# --- Suning -------------------------------------------------------------------------------------------------
SUNING_BODY = '{"sn_request":{"sn_body":{"queryCommoditydetail":{"commodityStr":"12081096229-0071258669"}}}}'
SUNING_BODY_B64 = ("eyJzbl9yZXF1ZXN0Ijp7InNuX2JvZHkiOnsicXVlcnlDb21tb2RpdHlkZXRhaWwiOnsiY29tbW9kaXR5U3RyIjoiMTIwODEw"
                   "OTYyMjktMDA3MTI1ODY2OSJ9fX19")


def test_suning_sign_is_lower_md5_of_secret_method_time_key_version_and_base64_body():
    s = "ss" + "suning.netalliance.commoditydetail.query" + "2024-05-01 12:00:00" + "k" + "v1.2" + SUNING_BODY_B64
    expected = hashlib.md5(s.encode()).hexdigest()
    assert expected == expected.lower()
    assert suning_sign("ss", "suning.netalliance.commoditydetail.query", "2024-05-01 12:00:00", "k", "v1.2",
                       SUNING_BODY) == expected


def test_suning_client_signs_in_headers(sandbox, settings):
    get_client("suning").products_detail(["10000000000-0070000000"])
    sent = sandbox.requests[-1]
    h = sent.headers
    secret = settings.SOURCES["suning"]["app_secret"]
    s = (secret + h["AppMethod"] + h["AppRequestTime"] + h["AppKey"] + h["VersionNo"]
         + base64.b64encode(sent.body).decode())
    assert h["signInfo"] == hashlib.md5(s.encode()).hexdigest()
    assert sent.url.endswith("/sopRequest/suning.netalliance.commoditydetail.query")
