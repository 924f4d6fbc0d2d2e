"""Each source's signature pinned against a hand-computed example: the expected digest is
computed here with hashlib/hmac from a string written out by hand, never by the client."""
import hashlib
import hmac

from affiliates.sources.taobao import top_sign

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
