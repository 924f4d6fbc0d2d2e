"""Settings shared by every environment.

Everything that differs between machines comes from environment variables (see
``.env.example``). With nothing set the platform runs on SQLite, eager Celery and a
local-memory cache; ``DATABASE_URL`` and ``REDIS_URL`` switch it to PostgreSQL and Redis.
"""
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "axes",  # Security (SEC): failed log-ins counted per account and per address
    "core",
    "notices",
    "creators",
    "affiliates",
    "affiliates.sandbox",
    "affiliates.sync",
    "showcase",
    "showcase.engage",
    "showcase.stats",
    "orders",
    "commissions",
    "commissions.payouts",
    "commissions.reconcile",
    "openplatform.toolkit.OAuthToolkitConfig",  # django-oauth-toolkit, with its models' names in Chinese
    "openplatform",
]

MIDDLEWARE = [
    # Sandbox (SANDBOX): absolute-URI request lines (JD SDKs) served under runserver as under gunicorn.
    "affiliates.sandbox.middleware.absolute_request_target_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Faults (FAULT): the database out of reach answers 503 + Retry-After (nothing was written), not 500.
    "core.error_pages.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Flash sale (issue 9): a sold-out SKU's late buyers are answered 409 here, from the cache flag.
    "orders.middleware.SoldOutAtTheDoorMiddleware",
    # Security (SEC): NUL and other control characters in query, form or JSON input → 400 naming the field.
    "core.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Security (SEC): turns a django-axes lockout on the login page into the 429 answer (keep last).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "douyin_cart.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "notices.context_processors.inbox",
            ],
        },
    },
]

WSGI_APPLICATION = "douyin_cart.wsgi.application"

# --- Database: SQLite file unless DATABASE_URL is set -------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # `make run`'s SQLite serves concurrent buyers too (manage.py flash_sale_demo): each write
    # transaction takes the write lock when it begins, and waits for it, instead of failing with
    # "database is locked" when two try to upgrade a read lock at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery: local memory + eager unless REDIS_URL is set ------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="dc"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = env("TIME_ZONE", default="Asia/Shanghai")
# Default schedule, copied into django-celery-beat's tables by `setup_schedules` so that
# operators can then edit it in admin. Apps add their entries in their own AppConfig.
CELERY_BEAT_SCHEDULE: dict = {}

# --- Auth -------------------------------------------------------------------------------
AUTH_USER_MODEL = "creators.User"
LOGIN_URL = "creators:login"

# --- Security (SEC): log-in throttling with django-axes (creators/security.py) ----------------
# After LOGIN_FAILURE_LIMIT wrong passwords for one account, or from one address, log-in (page and
# POST /api/v1/auth/token) answers 429 with Retry-After for LOGIN_LOCKOUT_COOLOFF_MINUTES. Counts
# live in the cache (Redis when REDIS_URL is set), so the lockout holds across processes.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_COOLOFF_MINUTES = env.int("LOGIN_LOCKOUT_COOLOFF_MINUTES", default=15)
AUTHENTICATION_BACKENDS = [
    "creators.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = "creators.security.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "creators.security.lockout_key"
AXES_LOCKOUT_CALLABLE = "creators.security.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
if not REDIS_URL:  # without Redis (make run, tests) one process keeps the counts in local memory
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]
LOGIN_REDIRECT_URL = "creators:me"
LOGOUT_REDIRECT_URL = "feed"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- i18n: zh-hans by default, English complete ------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# NEWUSER (translations): our catalogs win over third-party ones. Django prefers LOCALE_PATHS to any
# app's catalog, and apps listed first among INSTALLED_APPS; django-celery-beat (Name → 任务名),
# simple_history and others come before our apps there, so every app of ours is listed here, in
# INSTALLED_APPS order. A word that means two things among our own apps takes a pgettext context.
LOCALE_PATHS = [BASE_DIR / "locale", *[
    path for app in INSTALLED_APPS if (path := BASE_DIR / app.replace(".", "/") / "locale").is_dir()]]
# django-oauth-toolkit ships no translations: its strings' Chinese is ours, after our catalogs.
LOCALE_PATHS.append(BASE_DIR / "openplatform" / "toolkit_locale")
# NEWUSER (dates): everything a person reads is in this zone; stored in UTC (USE_TZ).
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- REST API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Security (SEC): token first, so a request without (or with bad) credentials answers 401 with
    # `WWW-Authenticate: Token`; 403 only for a known user who may not.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "core.openapi.AutoSchema",  # documents every operation's errors
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "douyin_cart API",
    "DESCRIPTION": "Creators, showcases, carts, product sources, orders and commissions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models have a `kind`; name each enum after its owner instead of a hash suffix.
    "ENUM_NAME_OVERRIDES": {
        "CartRightKindEnum": "creators.models.CartRight.Kind",
        "VideoProductKindEnum": "showcase.models.VideoProduct.Kind",
        "AnnouncementKindEnum": "notices.models.AnnouncementKind",
        "SyncKindEnum": "affiliates.sync.models.SyncKind",
        "LiveSessionStatusEnum": "showcase.models.LiveSession.Status",
    },
}

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Product rules Douyin tunes (DESIGN.md: settings, not literals) ---------------------------
ELIGIBILITY_MIN_FANS = env.int("ELIGIBILITY_MIN_FANS", default=1000)
ELIGIBILITY_MIN_PUBLIC_ORIGINAL_VIDEOS = env.int("ELIGIBILITY_MIN_PUBLIC_ORIGINAL_VIDEOS", default=10)
CART_APPLICATION_AUTO_APPROVE = env.bool("CART_APPLICATION_AUTO_APPROVE", default=False)
MIN_SELLER_AGE = 18
VIDEO_CART_MAX_PRODUCTS = env.int("VIDEO_CART_MAX_PRODUCTS", default=7)
SHOWCASE_MAX_PRODUCTS = env.int("SHOWCASE_MAX_PRODUCTS", default=500)
LIVE_CART_MAX_PRODUCTS = env.int("LIVE_CART_MAX_PRODUCTS", default=100)
VIDEO_SEEDING_TAGS_MAX = env.int("VIDEO_SEEDING_TAGS_MAX", default=7)
SHOWCASE_MAX_CATEGORIES = env.int("SHOWCASE_MAX_CATEGORIES", default=20)
SHOWCASE_PAGE_SIZE = env.int("SHOWCASE_PAGE_SIZE", default=40)
# Shopper pages and JSON are cached under versioned keys that every creator edit bumps (shown at
# once); product details that the source sync changes show within this many seconds.
SHOWCASE_CACHE_SECONDS = env.int("SHOWCASE_CACHE_SECONDS", default=60)
# How long each worker keeps a hot answer (showcase and seeding pages, video lists, the live poll) in memory.
SHOWCASE_HOT_LOCAL_SECONDS = env.float("SHOWCASE_HOT_LOCAL_SECONDS", default=0.5)
# How often a web process sends the page views it counted to the stats buffer in Redis (0 = at once).
STATS_WRITE_BEHIND_SECONDS = env.float("STATS_WRITE_BEHIND_SECONDS", default=0.25)
LIVE_POLL_MS = env.int("LIVE_POLL_MS", default=2500)  # how often a live room asks what is explaining
# Attribution (orders.selectors.click_for_attribution): an order goes to the shopper's last click
# on the product within this window before the order.
ATTRIBUTION_WINDOW = timedelta(days=env.int("ATTRIBUTION_WINDOW_DAYS", default=15))
ALLIANCE_TECH_FEE_BP = env.int("ALLIANCE_TECH_FEE_BP", default=1000)
COMMISSION_HOLDING_DAYS = env.int("COMMISSION_HOLDING_DAYS", default=15)
# Credit score (信用分): start and ceiling. Which penalty a violation brings (by severity and by
# the score reached) is the penalty ladder, an admin table (creators.PenaltyRule).
CREDIT_SCORE_START = 10
CREDIT_SCORE_MAX = 12
# Governance (issue 12, creators/services/governance.py): a creator may appeal a confirmed
# violation within APPEAL_DAYS; every CREDIT_CLEAN_PERIOD_DAYS without a violation gives
# CREDIT_CLEAN_RESTORE_POINTS back (never above CREDIT_SCORE_MAX). The penalty ladder and the
# points by severity are admin tables.
APPEAL_DAYS = env.int("APPEAL_DAYS", default=7)
CREDIT_CLEAN_PERIOD_DAYS = env.int("CREDIT_CLEAN_PERIOD_DAYS", default=30)
CREDIT_CLEAN_RESTORE_POINTS = env.int("CREDIT_CLEAN_RESTORE_POINTS", default=1)
APPEAL_MAX_IMAGES = 3

# Phone binding (SMS)
SMS_BACKEND = env("SMS_BACKEND", default="creators.sms.ConsoleSmsBackend")
SMS_CODE_TTL = timedelta(minutes=5)
SMS_RATE_PER_PHONE = (env.int("SMS_RATE_PER_PHONE", default=5), 3600)  # (count, seconds)
SMS_RATE_PER_IP = (env.int("SMS_RATE_PER_IP", default=20), 3600)
SMS_MIN_INTERVAL_SECONDS = env.int("SMS_MIN_INTERVAL_SECONDS", default=60)
SMS_VERIFY_MAX_ATTEMPTS = 5

# Real-name verification
REAL_NAME_VERIFIER = env("REAL_NAME_VERIFIER", default="creators.realname.LocalIdVerifier")
# Keyed hash of ID numbers; rotate only with a re-hash migration.
ID_HASH_KEY = env("ID_HASH_KEY", default=SECRET_KEY)

# Video and image uploads
COVER_MAX_BYTES = env.int("COVER_MAX_BYTES", default=2 * 1024 * 1024)
COVER_ALLOWED_FORMATS = ["JPEG", "PNG", "WEBP"]
VIDEO_MAX_BYTES = env.int("VIDEO_MAX_BYTES", default=200 * 1024 * 1024)
VIDEO_ALLOWED_EXTENSIONS = ["mp4", "webm", "mov"]
# Duration limits, read from the file itself by ffmpeg (core/media.py).
VIDEO_MIN_SECONDS = env.int("VIDEO_MIN_SECONDS", default=1)
VIDEO_MAX_SECONDS = env.int("VIDEO_MAX_SECONDS", default=15 * 60)
# Private messages (私信): how many a user may send before the other side replies.
PRIVATE_MESSAGES_BEFORE_REPLY = env.int("PRIVATE_MESSAGES_BEFORE_REPLY", default=3)

# The local sandbox for the outside sources and the payment gateway (dev and test)
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=False)
# The benchmarks' baseline views (/bench/hello, /bench/one-query); `make bench` turns them on.
BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)
# Orders and payments (orders/conf.py documents each knob)
ORDER_PAYMENT_TIMEOUT = timedelta(minutes=env.int("ORDER_PAYMENT_TIMEOUT_MINUTES", default=30))
ORDER_AUTO_CONFIRM_DAYS = env.int("ORDER_AUTO_CONFIRM_DAYS", default=10)
ORDER_COMPLETE_AFTER_DAYS = env.int("ORDER_COMPLETE_AFTER_DAYS", default=7)
PAYMENT_GATEWAY = env("PAYMENT_GATEWAY", default="sandbox")
PAYMENT_SANDBOX_SECRET = env("PAYMENT_SANDBOX_SECRET", default="dev-only-payment-sandbox-secret")
SITE_BASE_URL = env("SITE_BASE_URL", default="http://127.0.0.1:8000")

# --- Product pool, quality gate and shops (affiliates) ----------------------------------------
# Quality gate defaults per source; a GateThreshold row in admin overrides a source's entry.
# Taobao (the guide's 批注): seller level above one diamond (levels 1–20, 6 = 一钻) and the
# description, service and logistics DSR each strictly above the industry average.
# JD (no heart/diamond levels, no averages): its three shop scores (userEvaluateScore,
# afterServiceScore, logisticsLvyueScore) must each rank at least "medium" (on par, 中) against
# its peers — never "low" (低) — and its overall shop score (shopLevel 店铺评分, 0–5) must be
# above 4.00. See affiliates/gate.py for why "medium"; admin can require "high".
AFFILIATES_GATE_DEFAULTS = {
    "taobao": {"credit_level_above": env.int("GATE_TAOBAO_LEVEL_ABOVE", default=6), "dsr_above_average": True},
    "jd": {"dsr_above_average": True, "dsr_min_rank": env("GATE_JD_MIN_RANK", default="medium"),
           "shop_score_above": env.int("GATE_JD_SHOP_SCORE_ABOVE", default=400)},
}
RESOLVER_MAX_PASTE_CHARS = 2000
POOL_PAGE_SIZE = env.int("POOL_PAGE_SIZE", default=20)
ALLIANCE_RATE_MIN_BP = env.int("ALLIANCE_RATE_MIN_BP", default=100)  # 1 %
ALLIANCE_RATE_MAX_BP = env.int("ALLIANCE_RATE_MAX_BP", default=5000)  # 50 %
SHOP_PRODUCT_MAX_SKUS = 50
SHOP_PRODUCT_MAX_IMAGES = 9
SHOP_IMAGE_MAX_BYTES = env.int("SHOP_IMAGE_MAX_BYTES", default=3 * 1024 * 1024)
SHOP_IMAGE_FORMATS = ["JPEG", "PNG", "WEBP"]
SHOP_SKU_MAX_PRICE_FEN = 100_000_000  # ¥1,000,000
SHOP_SKU_MAX_STOCK = 1_000_000
# Where a shop product's share link points (the resolver recognises this shape).
SHOP_PRODUCT_URL_TEMPLATE = env("SHOP_PRODUCT_URL_TEMPLATE",
                                default="https://haohuo.jinritemai.com/views/product/detail?id={id}")

# --- Outside product sources (affiliates/sources) and their local sandbox ----------------------
# Each source talks to `base_url` with `app_key`/`app_secret`. The defaults point at the local
# sandbox (mounted at SITE_BASE_URL/sandbox/, or `manage.py runsandbox` at SANDBOX_BASE_URL) with
# sandbox-only credentials; going live = setting the <SOURCE>_BASE_URL and credential variables.
# `rate_per_second`/`burst` are per process (in-process token bucket, affiliates/sources/http.py).
SANDBOX_BASE_URL = env("SANDBOX_BASE_URL", default=SITE_BASE_URL).rstrip("/") + "/sandbox"
SANDBOX_CREDENTIALS = {
    "taobao": {"app_key": "sandbox-taobao-app", "app_secret": "sandbox-taobao-secret-not-real"},
    "jd": {"app_key": "sandbox-jd-app", "app_secret": "sandbox-jd-secret-not-real"},
    "kaola": {"app_key": "sandbox-kaola-union", "app_secret": "sandbox-kaola-secret-not-real"},
    "vip": {"app_key": "sandbox-vip-app", "app_secret": "sandbox-vip-secret-not-real"},
    "suning": {"app_key": "sandbox-suning-app", "app_secret": "sandbox-suning-secret-not-real"},
}
SANDBOX_CATALOG_SIZE = env.int("SANDBOX_CATALOG_SIZE", default=2000)  # items per source; 100000 for benchmarks
SANDBOX_FAULTS: dict = {}  # per source, see affiliates/sandbox/gateway.py


def _source(name, *, base_url, key_var="APP_KEY", **options):
    prefix = name.upper()
    return {
        "base_url": env(f"{prefix}_BASE_URL", default=base_url),
        "app_key": env(f"{prefix}_{key_var}", default=SANDBOX_CREDENTIALS[name]["app_key"]),
        "app_secret": env(f"{prefix}_APP_SECRET", default=SANDBOX_CREDENTIALS[name]["app_secret"]),
        "rate_per_second": env.float(f"{prefix}_RATE_PER_SECOND", default=20.0),
        "burst": env.int(f"{prefix}_RATE_BURST", default=20),
        "connect_timeout": env.float("SOURCES_CONNECT_TIMEOUT", default=3.05),
        "read_timeout": env.float("SOURCES_READ_TIMEOUT", default=10.0),
        "max_attempts": env.int("SOURCES_MAX_ATTEMPTS", default=4),
        **options,
    }


SOURCES = {
    "taobao": _source(
        "taobao", base_url=f"{SANDBOX_BASE_URL}/taobao/router/rest",
        adzone_id=env("TAOBAO_ADZONE_ID", default="100000001"),
        sign_method=env("TAOBAO_SIGN_METHOD", default="hmac-sha256"),
        hot_material_id=env("TAOBAO_HOT_MATERIAL_ID", default="28026"),
        short_link_base=env("TAOBAO_SHORT_LINK_BASE", default=f"{SANDBOX_BASE_URL}/taobao/m.tb.cn/"),
    ),
    "jd": _source(
        "jd", base_url=f"{SANDBOX_BASE_URL}/jd/routerjson",
        site_id=env("JD_SITE_ID", default="4000000001"),
        position_id=env("JD_POSITION_ID", default="3000000001"),
        short_link_base=env("JD_SHORT_LINK_BASE", default=f"{SANDBOX_BASE_URL}/jd/u.jd.com/"),
    ),
    "kaola": _source("kaola", base_url=f"{SANDBOX_BASE_URL}/kaola/zhuanke/api", key_var="UNION_ID"),
    "vip": _source("vip", base_url=f"{SANDBOX_BASE_URL}/vip/"),
    "suning": _source(
        "suning", base_url=f"{SANDBOX_BASE_URL}/suning/api/http/sopRequest",
        position_id=env("SUNING_POSITION_ID", default="100365"),
    ),
}

# --- Transactional outbox and refunds (issue 8, OUTBOX) ---------------------------------
# An event not taken by every receiver this long after it was written is handed over again
# by the sweep (core.outbox_sweep, every minute); delivered events are kept this many days.
OUTBOX_SWEEP_AFTER_SECONDS = env.int("OUTBOX_SWEEP_AFTER_SECONDS", default=30)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=7)
# Extra modules whose import registers outbox receivers (besides the apps' ready()).
OUTBOX_RECEIVER_MODULES = env.list("OUTBOX_RECEIVER_MODULES", default=[])
# A shopper may ask an after-sale refund this many days after the order completed.
AFTER_SALE_DAYS = env.int("AFTER_SALE_DAYS", default=15)

# Withdrawals and payouts (MONEYOUT): smallest and largest daily withdrawal, payout gateway secret.
WITHDRAWAL_MIN_FEN = env.int("WITHDRAWAL_MIN_FEN", default=100)
WITHDRAWAL_DAILY_LIMIT_FEN = env.int("WITHDRAWAL_DAILY_LIMIT_FEN", default=5_000_000)
PAYOUT_SANDBOX_SECRET = env("PAYOUT_SANDBOX_SECRET", default="dev-only-payout-sandbox-secret")
# Flash sales (FLASH): how long a "sold out" flag may answer buyers from the cache (restocks clear it at once).
SOLD_OUT_FLAG_SECONDS = env.int("SOLD_OUT_FLAG_SECONDS", default=3600)
# The Redis stock counter in front of each SKU row is read again from the row after this long
# (units reserved by a worker that died come back then); 0 turns the counter off.
STOCK_GATE_SECONDS = env.int("STOCK_GATE_SECONDS", default=30)
# An approved payout whose request never reached the gateway is sent again after this long.
PAYOUT_RESEND_AFTER_SECONDS = env.int("PAYOUT_RESEND_AFTER_SECONDS", default=600)

# Open platform (issue 14): OAuth 2 (authorization code + PKCE), token lifetimes, the gateway's quota.
OAUTH2_PROVIDER = {
    "PKCE_REQUIRED": True,
    # the previous secret still opens the token endpoint during the rotation's grace period
    "OAUTH2_VALIDATOR_CLASS": "openplatform.oauth.RotationAwareValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OPEN_ACCESS_TOKEN_SECONDS", default=7 * 24 * 3600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.int("OPEN_REFRESH_TOKEN_SECONDS", default=30 * 24 * 3600),
    "SCOPES": {"showcase.read": "showcase.read", "showcase.write": "showcase.write", "orders.read": "orders.read",
               "commission.read": "commission.read", "data.read": "data.read"},
    "DEFAULT_SCOPES": ["showcase.read"],
    # RFC 9700 (OAuth 2.0 Security BCP): tokens stored as checksums only, S256 PKCE only, https redirects only,
    # no implicit or password grant, refresh-token replay revokes the family, `iss` in the response.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
OPEN_SECRET_GRACE_SECONDS = env.int("OPEN_SECRET_GRACE_SECONDS", default=24 * 3600)
OPEN_QUOTA_PER_MINUTE = env.int("OPEN_QUOTA_PER_MINUTE", default=600)
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
