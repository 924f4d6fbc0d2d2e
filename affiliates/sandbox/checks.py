"""The twins' own reading of each source's signature and timestamp rules.

Written from the sources' documentation, not imported from our clients
(``affiliates/sources/``), so a misreading the client makes cannot also pass here. Each rule
is pinned in ``tests/affiliates/sandbox/test_checks.py`` by a vector that the vendor's own
SDK computes (``topsdk``, ``jd-sdk``, ``suning-sdk``, ``kaola``).

Example (TOP md5): params ``{"method": "m", "app_key": "k", "num_iids": "1"}`` and secret ``s``
sign the text ``s`` + ``app_keykmethodmnum_iids1`` + ``s`` (upper-hex MD5).
"""
from __future__ import annotations

import ast
import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta, timezone

GMT8 = timezone(timedelta(hours=8))

# Each source's allowed clock skew, as its documentation states it.
WINDOWS = {
    "taobao": timedelta(minutes=10),  # TOP: "服务端允许客户端请求最大时间误差为10分钟"
    "jd": timedelta(minutes=6),  # JD open platform: timestamp within 6 minutes of the server
    "vip": timedelta(minutes=10),  # *unverified*: VOP names no figure; kept at TOP's 10 minutes
    "suning": timedelta(minutes=10),  # *unverified*: SOP names no figure
    "kaola": timedelta(minutes=10),  # *unverified*: Kaola follows TOP
}


def _concat(params: dict, skip: tuple[str, ...] = ("sign",)) -> str:
    """``k1v1k2v2…`` over the params sorted by name, leaving out ``skip`` and empty values."""
    keys = sorted(k for k, v in params.items() if k not in skip and v is not None)
    return "".join(k + str(params[k]) for k in keys)


def top_signature(params: dict, secret: str, sign_method: str) -> str | None:
    """TOP: md5 wraps the string in the secret; hmac / hmac-sha256 key it with the secret."""
    text = _concat(params).encode("utf-8")
    key = secret.encode("utf-8")
    if sign_method == "md5":
        # The source's signing protocol fixes MD5; it is not our choice of hash.
        return hashlib.md5(key + text + key).hexdigest().upper()  # nosec B324
    if sign_method == "hmac":
        return hmac.new(key, text, "md5").hexdigest().upper()
    if sign_method == "hmac-sha256":
        return hmac.new(key, text, "sha256").hexdigest().upper()
    return None


def jd_signature(params: dict, secret: str) -> str:
    """JD (routerjson and router/api): MD5 of secret + sorted ``k+v`` + secret, upper hex."""
    key = secret.encode("utf-8")
    # The source's signing protocol fixes MD5; it is not our choice of hash.
    return hashlib.md5(key + _concat(params, ("sign",)).encode("utf-8") + key).hexdigest().upper()  # nosec B324


def kaola_signature(params: dict, secret: str) -> str:
    """Kaola: TOP's md5 form over every param but ``sign``."""
    return jd_signature(params, secret)


def vip_signature(query: dict, body: str, secret: str) -> str:
    """VOP: every system parameter the request carries but ``sign``, sorted by name, ``k+v``,
    then the JSON body; upper-hex HMAC-MD5 keyed with the app secret."""
    text = (_concat(query) + body).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), text, "md5").hexdigest().upper()


def suning_signature(secret: str, app_method: str, request_time: str, app_key: str, version: str,
                     body: bytes) -> str:
    """SOP: lower-hex MD5(secret + method + time + key + version + base64(body))."""
    text = secret + app_method + request_time + app_key + version + base64.b64encode(body).decode("ascii")
    # The source's signing protocol fixes MD5; it is not our choice of hash.
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # nosec B324


def same(sent: str | None, expected: str | None) -> bool:
    return bool(sent and expected) and hmac.compare_digest(sent.upper(), expected.upper())


# --- timestamps --------------------------------------------------------------------------------
def _wall_gmt8(text: str, *formats: str) -> datetime | None:
    for fmt in formats:
        try:
            moment = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=GMT8)
    return None


def _epoch(text: str, divisor: int) -> datetime | None:
    if not text.isdigit():
        return None
    try:
        return datetime.fromtimestamp(int(text) / divisor, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def top_time(text: str | None) -> datetime | None:
    """``yyyy-MM-dd HH:mm:ss`` in GMT+8, or epoch milliseconds (what Alibaba's SDK sends)."""
    text = (text or "").strip()
    return _epoch(text, 1000) or _wall_gmt8(text, "%Y-%m-%d %H:%M:%S")


def jd_time(text: str | None) -> datetime | None:
    """``yyyy-MM-dd HH:mm:ss`` in GMT+8, or ``yyyy-MM-dd HH:mm:ss.SSS+0800`` (JD's SDK)."""
    return _wall_gmt8((text or "").strip(), "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f%z")


def cn_wall_time(text: str | None) -> datetime | None:
    """``yyyy-MM-dd HH:mm:ss`` in GMT+8 (Suning, Kaola)."""
    return _wall_gmt8((text or "").strip(), "%Y-%m-%d %H:%M:%S")


def unix_seconds(text: str | None) -> datetime | None:
    """VOP: Unix seconds."""
    return _epoch((text or "").strip(), 1)


def in_window(source: str, sent: datetime | None, now: datetime) -> bool:
    return sent is not None and abs(now - sent) <= WINDOWS[source]


# --- bodies ----------------------------------------------------------------------------------------
def read_json_or_literal(body: str):
    """A JSON body, or the Python dict literal that suning-sdk's Python 3 branch posts
    (``str(dict)``); anything else raises ``ValueError``."""
    try:
        value = json.loads(body)
    except ValueError:
        try:
            value = ast.literal_eval(body)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            raise ValueError("unreadable body")
    if not isinstance(value, dict):
        raise ValueError("unreadable body")
    return value
