"""The one settings module. Everything configurable comes from the environment (see README)."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_float, env_int, env_list, env_str, env_url
from config.transport_security import HSTS_DEFAULT_SECONDS, REDIRECT_EXEMPT, transport_security

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "insecure-local-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
# A production start (docker-compose sets it): local default keys are refused, here and in subscribers.checks.
REQUIRE_SECRET_KEY = env_bool("REQUIRE_SECRET_KEY", False)
if SECRET_KEY == _DEV_SECRET and not DEBUG and REQUIRE_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production (REQUIRE_SECRET_KEY=1)")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
# Previous SECRET_KEYs, comma-separated: links signed with them still verify, so SECRET_KEY can be rotated.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
# Keys the address hashes that suppressions, erasures and provider events keep; it must never change
# (docs/decisions/0002-address-hash-key.md). Unset it is SECRET_KEY, what installations before it hashed with:
# subscribers.checks refuses that in production and whenever SECRET_KEY_FALLBACKS says a rotation is under way.
ADDRESS_HASH_KEY_IS_SET = bool(env_str("ADDRESS_HASH_KEY", ""))
ADDRESS_HASH_KEY = env_str("ADDRESS_HASH_KEY", "") or SECRET_KEY

SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https"))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])
# Origins allowed to POST to /api/subscribe from a form embedded on the organisation's own site.
SUBSCRIBE_CORS_ORIGINS = env_list("SUBSCRIBE_CORS_ORIGINS", [])
# Reverse proxies in front of the app (addresses or networks): only behind these is X-Forwarded-For read
# (config/client_ip.py). Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
ORGANISATION_NAME = env_str("ORGANISATION_NAME", "Make Mothers Matter")
ORGANISATION_ADDRESS = env_str("ORGANISATION_ADDRESS", "Make Mothers Matter, 5 rue de l'Université, 75007 Paris, France")
# Short organisation id used in Feedback-ID headers (Gmail Postmaster).
ORGANISATION_ID = env_str("ORGANISATION_ID", "mmm")

INSTALLED_APPS = [
    # Before the admin: its admin classes and per-language columns (docs/decisions/0012-per-language-texts.md).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "anymail",
    "organisations",
    "subscribers",
    "newsletter",
    "worker",
    "operations",
    "editorial",
    "desk",
    "django_htmx",
    "django_prose_editor",
]

MIDDLEWARE = [
    "config.middleware.ForwardedProtoFromTrustedProxiesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "editorial.middleware.EditorTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "desk.context_processors.desk",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'publisher.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
except Exception as exc:  # dj_database_url raises several types for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL ({exc}); got {DATABASE_URL!r}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file in local runs: wait for locks instead of failing,
    # and take the write lock up front so conditional UPDATE claims never deadlock.
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", "redis://127.0.0.1:6379/0", schemes=("redis", "rediss"))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "publisher"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Per-language texts (subscribers/translation.py, newsletter/translation.py): a column per language. What a reader
# gets is chosen by subscribers.texts.reader_text, never by the active language; the fallbacks below only shape
# what editors see in admin lists (any language that has a value).
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = tuple(code for code, _name in LANGUAGES)

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []

# Uploaded images (the desk's image library, newsletter.media_images) go through Django's storage API only, so
# MEDIA_STORAGE may name any storage class, e.g. django-storages' S3 (README "Uploaded images").
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
try:
    _MEDIA_STORAGE_OPTIONS = json.loads(env_str("MEDIA_STORAGE_OPTIONS", "{}"))
except ValueError:
    raise ImproperlyConfigured("MEDIA_STORAGE_OPTIONS must be a JSON object, e.g. {\"bucket_name\": \"images\"}.") from None
if not isinstance(_MEDIA_STORAGE_OPTIONS, dict):
    raise ImproperlyConfigured("MEDIA_STORAGE_OPTIONS must be a JSON object, e.g. {\"bucket_name\": \"images\"}.")
STORAGES = {
    "default": {"BACKEND": env_str("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
                "OPTIONS": _MEDIA_STORAGE_OPTIONS},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_UPLOAD_MAX_BYTES = env_int("MEDIA_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
MEDIA_IMAGE_MAX_WIDTH = env_int("MEDIA_IMAGE_MAX_WIDTH", 1200, minimum=16)

LOGIN_URL = "/admin/login/"
# Failed admin logins are counted in Redis and lock the username / address for a while (config/login_lockout.py).
AUTHENTICATION_BACKENDS = ["config.login_lockout.LockoutModelBackend"]
_TRANSPORT = transport_security(
    SITE_URL,
    hsts_seconds=env_int("SECURE_HSTS_SECONDS", HSTS_DEFAULT_SECONDS, minimum=0),
    ssl_redirect=env_bool("SECURE_SSL_REDIRECT", False),
    behind_proxies=bool(TRUSTED_PROXIES),
)
SESSION_COOKIE_SECURE = _TRANSPORT.https
CSRF_COOKIE_SECURE = _TRANSPORT.https
SECURE_HSTS_SECONDS = _TRANSPORT.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = _TRANSPORT.hsts_include_subdomains
SECURE_HSTS_PRELOAD = _TRANSPORT.hsts_preload
SECURE_SSL_REDIRECT = _TRANSPORT.ssl_redirect
SECURE_REDIRECT_EXEMPT = list(REDIRECT_EXEMPT)
SECURE_PROXY_SSL_HEADER = _TRANSPORT.proxy_ssl_header
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"  # the admin previews digests in a sandboxed iframe of its own
LOGIN_LOCKOUT_FAILURES = env_int("LOGIN_LOCKOUT_FAILURES", 5, minimum=1)
LOGIN_LOCKOUT_IP_FAILURES = env_int("LOGIN_LOCKOUT_IP_FAILURES", 20, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900, minimum=1)
# Days an invitation to the editors' desk stays valid (editorial.invitations).
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)
# Subscribe requests (form and API together) one client address may make per window (subscribers.ratelimit).
SUBSCRIBE_PER_IP_LIMIT = env_int("SUBSCRIBE_PER_IP_LIMIT", 20, minimum=1)
SUBSCRIBE_PER_IP_WINDOW = env_int("SUBSCRIBE_PER_IP_WINDOW", 600, minimum=1)
# At most one confirmation email per mailbox and set of lists per window (seconds), whatever the number of
# requests, and at most this many per mailbox per week whatever the lists (subscribers.mailbox.mailbox_key).
CONFIRMATION_EMAIL_WINDOW = env_int("CONFIRMATION_EMAIL_WINDOW", 3600, minimum=1)
CONFIRMATION_EMAILS_PER_WEEK = env_int("CONFIRMATION_EMAILS_PER_WEEK", 5, minimum=1)
# Subscriber look-ups one person of the desk may make per window (seconds): enough for answering readers,
# too few to walk a list of guessed addresses (editorial.lookup).
SUBSCRIBER_LOOKUP_LIMIT = env_int("SUBSCRIBER_LOOKUP_LIMIT", 60, minimum=1)
SUBSCRIBER_LOOKUP_WINDOW = env_int("SUBSCRIBER_LOOKUP_WINDOW", 3600, minimum=1)

# --- Email -------------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "news@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_LOCAL_PROVIDERS = {
    "outbox": "operations.outbox.OutboxEmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
EMAIL_PROVIDER = env_str("EMAIL_PROVIDER", "outbox").strip().lower()
# outbox, console and locmem send nothing: a production start (REQUIRE_SECRET_KEY) refuses them unless this is set
# (subscribers.checks), so nobody believes her confirmations went out while they sit in a table.
ALLOW_LOCAL_EMAIL_PROVIDER = env_bool("ALLOW_LOCAL_EMAIL_PROVIDER", False)
if EMAIL_PROVIDER in _LOCAL_PROVIDERS:
    EMAIL_BACKEND = _LOCAL_PROVIDERS[EMAIL_PROVIDER]
elif importlib.util.find_spec(f"anymail.backends.{EMAIL_PROVIDER}") is not None:
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
else:
    raise ImproperlyConfigured(
        f"EMAIL_PROVIDER must be outbox, smtp, console, locmem or a django-anymail provider "
        f"(mailgun, postmark, amazon_ses, brevo, resend, sendgrid, ...); got {EMAIL_PROVIDER!r}"
    )

EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
# Date headers in TIME_ZONE (Django makes it the process's zone) with its real offset: Django's default writes
# `-0000`, which RFC 5322 reserves for a sender that does not know its zone.
EMAIL_USE_LOCALTIME = True

# Every variable named after the provider (MAILGUN_API_KEY, MAILGUN_API_URL, POSTMARK_SERVER_TOKEN,
# RESEND_API_URL, ...) goes into anymail's settings, so any provider's own options (including the
# API URL override tests use) work without a code change.
_provider_prefix = EMAIL_PROVIDER.upper() + "_"
ANYMAIL = {
    key: value for key, value in os.environ.items() if key.startswith(_provider_prefix) and EMAIL_PROVIDER not in _LOCAL_PROVIDERS
}
if os.environ.get("WEBHOOK_SECRET"):
    ANYMAIL["WEBHOOK_SECRET"] = os.environ["WEBHOOK_SECRET"]
ANYMAIL["REQUESTS_TIMEOUT"] = (
    env_float("PROVIDER_CONNECT_TIMEOUT", 5.0, minimum=0.1),
    env_float("PROVIDER_READ_TIMEOUT", 60.0, minimum=0.1),
)

# Messages per second across all workers, per provider (shared token bucket in Redis).
SEND_RATE_PER_SECOND = env_float("SEND_RATE_PER_SECOND", 0.0, minimum=0.0)  # 0 = provider table default
SEND_BATCH_SIZE = env_int("SEND_BATCH_SIZE", 0, minimum=0)  # 0 = provider table default
# Delivery engine timings (seconds unless named otherwise); tests shrink them through the environment.
SEND_SCAN_INTERVAL = env_float("SEND_SCAN_INTERVAL", 15.0, minimum=0.2)  # beat: claim due digests
SEND_RECONCILE_INTERVAL = env_float("SEND_RECONCILE_INTERVAL", 10.0, minimum=0.2)  # beat: re-poke, release, time out
SEND_SUBMITTING_TIMEOUT = env_float("SEND_SUBMITTING_TIMEOUT", 300.0, minimum=0.5)  # submitting -> uncertain
SEND_PREPARE_TIMEOUT = env_float("SEND_PREPARE_TIMEOUT", 600.0, minimum=0.5)  # preparing -> prepare again
SEND_REPOKE_AFTER = env_float("SEND_REPOKE_AFTER", 20.0, minimum=0.1)  # a pending batch's poke counts as lost
SEND_RETRY_BASE = env_float("SEND_RETRY_BASE", 5.0, minimum=0.0)  # first backoff; doubles per attempt
SEND_RETRY_MAX = env_float("SEND_RETRY_MAX", 600.0, minimum=0.0)
SEND_MAX_ATTEMPTS = env_int("SEND_MAX_ATTEMPTS", 8, minimum=1)  # transient provider errors before failed
SEND_MAX_CRASHES = env_int("SEND_MAX_CRASHES", 3, minimum=1)  # workers lost before the call, before failed
# A worker process refreshes its sign of life in Redis; a claimer silent this long is dead (worker.liveness).
SEND_WORKER_LIVENESS_TTL = env_float("SEND_WORKER_LIVENESS_TTL", 10.0, minimum=1.0)
# How long a worker keeps retrying, through database blips, the write of what the provider answered.
SEND_OUTCOME_RETRY_SECONDS = env_float("SEND_OUTCOME_RETRY_SECONDS", 120.0, minimum=0.0)
# beat: send queued audience emails whose poke was lost, and retry failed ones (subscribers.queued_emails)
QUEUED_EMAIL_INTERVAL = env_float("QUEUED_EMAIL_INTERVAL", 15.0, minimum=0.2)
QUEUED_EMAIL_RETRY_BASE = env_float("QUEUED_EMAIL_RETRY_BASE", 60.0, minimum=0.0)  # first backoff; doubles per attempt
QUEUED_EMAIL_RETRY_MAX = env_float("QUEUED_EMAIL_RETRY_MAX", 3600.0, minimum=0.0)
QUEUED_EMAIL_MAX_ATTEMPTS = env_int("QUEUED_EMAIL_MAX_ATTEMPTS", 8, minimum=1)  # then left for an administrator
# Provider calls a drain keeps in flight at once (subscribers/drain_mailers.py).
QUEUED_EMAIL_SEND_THREADS = env_int("QUEUED_EMAIL_SEND_THREADS", 8, minimum=1)
SEND_STALE_AFTER_HOURS = env_float("SEND_STALE_AFTER_HOURS", 6.0, minimum=0.0)  # older send_at needs confirmation
# A tailored digest needing more variants (language x item set) than this is refused (newsletter.tailoring).
TAILORED_VARIANTS_MAX = env_int("TAILORED_VARIANTS_MAX", 64, minimum=1)

# --- Bounces and the circuit breaker (docs/bounces.md) ----------------------------------------------
# Soft bounces of this many different messages, the first and the last this many days apart, with no delivery
# in between, suppress the address for BOUNCE_SOFT_SUPPRESSION_DAYS.
BOUNCE_SOFT_LIMIT = env_int("BOUNCE_SOFT_LIMIT", 3, minimum=1)
BOUNCE_SOFT_MIN_DAYS = env_float("BOUNCE_SOFT_MIN_DAYS", 15.0, minimum=0.0)
BOUNCE_SOFT_SUPPRESSION_DAYS = env_float("BOUNCE_SOFT_SUPPRESSION_DAYS", 90.0, minimum=1.0)
# A sending digest pauses itself when, over at least BREAKER_MIN_OUTCOMES outcomes, this share (percent) were
# policy blocks or complaints. Gmail's and Yahoo's line for complaints is 0.3%.
BREAKER_MIN_OUTCOMES = env_int("BREAKER_MIN_OUTCOMES", 500, minimum=1)
BREAKER_BLOCK_PERCENT = env_float("BREAKER_BLOCK_PERCENT", 2.0, minimum=0.0)
BREAKER_COMPLAINT_PERCENT = env_float("BREAKER_COMPLAINT_PERCENT", 0.3, minimum=0.0)

# --- Celery ------------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540, minimum=5)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60)}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Beat's record of last runs lives with the rest of the local state, so no command line needs a path of its own.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Three queues, a worker each (Procfile.dev, docker-compose.yml): `mail` for confirmations, welcomes and
# beat's short jobs, so they never wait behind a send; `bulk` for preparing digests and sending batches;
# `feeds` so a slow feed never delays an email.
CELERY_TASK_DEFAULT_QUEUE = "mail"
CELERY_TASK_ROUTES = {
    "newsletter.tasks.poll_due_feeds": {"queue": "feeds"},
    "newsletter.tasks.poll_feed": {"queue": "feeds"},
    "worker.tasks.prepare_digest": {"queue": "bulk"},
    "worker.tasks.send_batch": {"queue": "bulk"},
    "worker.tasks.*": {"queue": "mail"},
    "subscribers.tasks.*": {"queue": "mail"},
}

# --- Feed fetching (newsletter.feed_fetching) --------------------------------------------------------
# Hosts or networks (CIDR) a feed may be fetched from although private, e.g. "intranet.example.org,10.1.0.0/16".
FEED_FETCH_ALLOWED_HOSTS = env_list("FEED_FETCH_ALLOWED_HOSTS", [])
FEED_FETCH_TIMEOUT = env_float("FEED_FETCH_TIMEOUT", 30.0, minimum=0.1)  # seconds for the whole fetch, redirects included
FEED_FETCH_MAX_BYTES = env_int("FEED_FETCH_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)

# --- Logging: one line of key=value per event, easy to grep and to ship -----------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", "info", ("debug", "info", "warning", "error")).upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"kv": {"()": "config.logging.KeyValueFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
