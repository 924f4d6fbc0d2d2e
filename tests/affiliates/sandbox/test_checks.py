"""The twins' own signature and timestamp rules, pinned by vectors the vendors' SDKs compute.

Each vector was produced once by the vendor SDK named beside it (``top.api.base.sign``,
``jd.api.base.sign``, ``jd_union.api.base.sign``, ``suning.api.abstract.sign``,
``kaola.comm.comm.Comm.sign``) and is written here as a literal, so the test holds whether or
not the SDK is installed. Vipshop has no registry SDK: its vector follows the VOP rule (every
system parameter sent but ``sign``, sorted, then the body; HMAC-MD5).
"""
import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from affiliates.sandbox import checks

SANDBOX_DIR = Path(checks.__file__).parent


def test_twins_share_no_signing_code_with_the_clients():
    for module in sorted(SANDBOX_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and "sources" in (node.module or ""):
                names = {alias.name for alias in node.names}
                assert not {n for n in names if "sign" in n}, f"{module} imports {names} from {node.module}"


def test_top_md5_signature_matches_alibabas_sdk():
    params = {"method": "taobao.tbk.item.info.get", "app_key": "12345678", "timestamp": "2026-12-02 10:00:00",
              "format": "json", "v": "2.0", "sign_method": "md5", "num_iids": "600000000000",
              "partner_id": "top-sdk-python-20200421"}
    assert checks.top_signature(params, "sandbox-secret", "md5") == "5DF508567D40C12634EC4DEA3F30E03B"


def test_top_refuses_an_unknown_sign_method():
    assert checks.top_signature({"a": "1"}, "s", "sha1") is None


def test_jd_signature_matches_jds_sdk_with_millisecond_offset_timestamp():
    params = {"app_key": "jdkey", "method": "jd.union.open.goods.query", "v": "2.0",
              "timestamp": "2026-12-02 10:00:00.000+0800",
              "360buy_param_json": '{"goodsReqDTO": {"skuIds": [10020000000]}}'}
    assert checks.jd_signature(params, "jdsecret") == "9D2C2D556B82EB31E705AB1ABBF9F653"


def test_jd_signature_matches_jd_union_sdk():
    params = {"app_key": "jdkey", "method": "jd.union.open.goods.query", "timestamp": "2026-12-02 10:00:00",
              "v": "2.0", "360buy_param_json": '{"goodsReqDTO":{"skuIds":[10020000000]}}'}
    assert checks.jd_signature(params, "jdsecret") == "1DF2A4AE84948EA7239DE355DCB1F5A2"


def test_suning_signature_matches_sunings_sdk_over_its_python3_body():
    body = b'{"sn_request": { "sn_body": {"queryCommoditydetail":{\'commodityStr\': \'10000000000-0070000000\'}}}}'
    assert checks.suning_signature("snsecret", "suning.netalliance.commoditydetail.query", "2026-12-02 10:00:00",
                                   "snkey", "v1.2", body) == "ce224e2e55ca5c935f1e8039042b5d31"


def test_kaola_signature_matches_kaolas_sdk():
    params = {"method": "kaola.zhuanke.api.queryGoodsInfo", "goodsIds": "5000000",
              "timestamp": "2026-12-02 10:00:00", "v": "1.0", "app_key": "kkey", "access_token": None}
    assert checks.kaola_signature(params, "ksecret") == "19EF29EB0348BC4C55F8EE7E5C07E084"


def test_vip_signs_every_system_parameter_sent_including_language():
    query = {"service": "com.vip.adp.api.open.service.UnionGoodsService", "method": "getByGoodsIdsV2",
             "version": "1.0", "appKey": "vkey", "timestamp": "1764640800", "format": "JSON", "language": "zh"}
    body = '{"goodsIdList":["1"]}'
    assert checks.vip_signature(query, body, "vsecret") == "9261118A78B8A845E968334F26ED11FD"
    assert checks.vip_signature({**query, "sign": "X"}, body, "vsecret") == "9261118A78B8A845E968334F26ED11FD"
    without_language = {k: v for k, v in query.items() if k != "language"}
    assert checks.vip_signature(without_language, body, "vsecret") != "9261118A78B8A845E968334F26ED11FD"


@pytest.mark.parametrize("text", ["2026-12-02 18:00:00", "1796205600000"])
def test_top_reads_gmt8_wall_time_and_epoch_milliseconds(text):
    assert checks.top_time(text) == datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-12-02 18:00:00", "2026-12-02 18:00:00.000+0800", "2026-12-02 10:00:00.000+0000"])
def test_jd_reads_plain_and_sdk_timestamps(text):
    assert checks.jd_time(text) == datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-02 18:00:00", "99999999999999999999999"])
def test_unreadable_timestamps_are_none(text):
    assert checks.top_time(text) is None and checks.jd_time(text) is None


def test_jd_window_is_six_minutes_and_top_ten():
    now = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    assert checks.in_window("jd", now - timedelta(minutes=6), now)
    assert not checks.in_window("jd", now - timedelta(minutes=7), now)
    assert checks.in_window("taobao", now + timedelta(minutes=9), now)
    assert not checks.in_window("taobao", now + timedelta(minutes=11), now)


def test_suning_sdk_python_dict_body_is_read_and_garbage_is_not():
    assert checks.read_json_or_literal("{\"a\": {'b': '1'}}") == {"a": {"b": "1"}}
    with pytest.raises(ValueError):
        checks.read_json_or_literal("not a body")
    with pytest.raises(ValueError):
        checks.read_json_or_literal("[1, 2]")
