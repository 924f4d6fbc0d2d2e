"""Production: secrets from the environment only, hardened HTTP.

``SECURE_SSL_REDIRECT`` and HSTS are on; ``ALLOW_PLAIN_HTTP_ON_LOOPBACK=1`` (used by
``make serve`` for load tests) lets plain HTTP through for 127.0.0.1 only.
"""
import hashlib
import hmac

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import DATABASES, MIDDLEWARE, REDIS_URL, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set (at least 50 characters) in production.")
ID_HASH_KEY = env("ID_HASH_KEY", default=SECRET_KEY)
# The sandbox payment gateway's HMAC key: its own variable, else derived from SECRET_KEY (never a literal).
PAYMENT_SANDBOX_SECRET = env("PAYMENT_SANDBOX_SECRET", default="") or hmac.new(
    SECRET_KEY.encode(), b"payment-sandbox", hashlib.sha256).hexdigest()
# The sandbox payout gateway's HMAC key, the same way (base.py's default is for development only).
PAYOUT_SANDBOX_SECRET = env("PAYOUT_SANDBOX_SECRET", default="") or hmac.new(
    SECRET_KEY.encode(), b"payout-sandbox", hashlib.sha256).hexdigest()

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes plain HTTP
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
if REDIS_URL:
    # Sessions are read from Redis and written through to the database (which keeps them across a
    # Redis restart): a signed-in request no longer costs a session query.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=False)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

if env.bool("ALLOW_PLAIN_HTTP_ON_LOOPBACK", default=False):
    # Load tests on this machine talk plain HTTP to 127.0.0.1; everything else is redirected.
    SECURE_REDIRECT_EXEMPT = [r".*"]
    MIDDLEWARE = ["core.middleware.LoopbackOnlyPlainHttpMiddleware", *MIDDLEWARE]
