"""The gateway's signature (issue 14 §3), the shape of the Douyin shop open platform's."""
import hashlib
import hmac
import json

SIGNED_FIELDS = ("app_key", "method", "param_json", "timestamp", "v")


def param_json(params: dict) -> str:
    """Business parameters as JSON with keys sorted, no spaces, non-ASCII as is."""
    return json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sign_string(secret: str, fields: dict) -> str:
    body = "".join(name + str(fields.get(name, "")) for name in SIGNED_FIELDS)
    return secret + body + secret


def sign(secret: str, fields: dict) -> str:
    return hmac.new(secret.encode(), sign_string(secret, fields).encode(), hashlib.sha256).hexdigest()


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
