"""The one settings module. Every value comes from the environment (see README "Configuration").

With no environment at all the marketplace runs *embedded*: SQLite in WAL mode, a local-memory cache,
e-mail printed to the console and Celery tasks executed in-process. Point ``DATABASE_URL`` at
PostgreSQL and set ``REDIS_URL`` and the same code runs on PostgreSQL, keeps cache and sessions in Redis
and hands tasks to real ``celery worker`` processes through Redis.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Secrets have no production default. With DEBUG on (the demo, a developer's runserver) these stand-ins
# let the project boot; with DEBUG off a missing SECRET_KEY stops every process here (ImproperlyConfigured:
# gunicorn, Celery and manage.py alike), and marketplace.checks refuses a stand-in, short or placeholder
# secret at start-up (runserver, migrate, check). The test suite sets its own (pyproject.toml, pytest-env).
INSECURE_SECRET_KEY = "insecure-embedded-key-set-SECRET_KEY-in-production"  # noqa: S105 (DEBUG only)
INSECURE_CARRIER_WEBHOOK_SECRET = "insecure-carrier-webhook-secret"  # noqa: S105 (DEBUG only)
if not DEBUG and "SECRET_KEY" not in env:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DEBUG off (production) it must come from the environment: a random "
        "value of at least 50 characters. Development: set DEBUG=1 (in the environment or in .env)."
    )
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "django_htmx",
    "simple_history",
    "django_countries",
    # ours
    "marketplace.apps.MarketplaceConfig",  # the project's own system checks (marketplace.checks)
    "common",
    "accounts",
    "catalog",
    "orders",
    "payments",
    "aftersales",
    "analytics",
    "risk",
    "marketplace.demo",  # manage.py seed_demo; imports every app, imported by none
    "marketplace.importers",  # manage.py import_transactions: real sales history as orders; imported by none
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL in a query string or form field is a 400 here, before any view or query sees it.
    "common.middleware.NullCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Records the signed-in user on the history rows of the models with HistoricalRecords.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "analytics.middleware.PageViewMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
ASGI_APPLICATION = "marketplace.asgi.application"

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
                "common.context_processors.site",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue on busy_timeout instead of failing with "database is locked" mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, Celery ----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="mp"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mp"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The demo's embedded broker (`make demo`): a worker with beat runs the periodic jobs through a
    # folder queue while the web process still runs its own tasks in-process (it has no broker).
    CELERY_FILESYSTEM_QUEUE = env.path("CELERY_FILESYSTEM_QUEUE", default=BASE_DIR / "var" / "celery-queue")
    Path(CELERY_FILESYSTEM_QUEUE).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_QUEUE),
        "data_folder_out": str(CELERY_FILESYSTEM_QUEUE),
        # kombu keeps its exchange bindings here (its default is ./control, in the working directory).
        "control_folder": str(Path(CELERY_FILESYSTEM_QUEUE) / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Work a dead worker had taken goes back to the queue after this many seconds unacknowledged (kombu's
    # default is an hour); kombu looks for such work every 10 s. Every acks_late task fits inside it:
    # see common.taskpolicy.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=120),
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
# No broker: run every task in the calling process, so the embedded setup needs no worker.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Defaults for a task that names none: an item task's limits (common.taskpolicy).
CELERY_TASK_TIME_LIMIT = 80
CELERY_TASK_SOFT_TIME_LIMIT = 70
# A worker that loses the broker stops what it runs (the broker hands it out again) instead of
# finishing work it can no longer acknowledge.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "analytics-events-flush": {
        "task": "analytics.events_flush",
        "schedule": env.float("ANALYTICS_FLUSH_SECONDS", default=5.0),
    },
    "catalog-products-schedule": {
        "task": "catalog.products_schedule_run",
        "schedule": 60.0,
    },
    "orders-expire-unpaid": {
        "task": "orders.orders_expire_unpaid",
        "schedule": 60.0,
    },
    "orders-autocomplete-delivered": {
        "task": "orders.seller_orders_autocomplete",
        "schedule": crontab(minute=15),
    },
    "marketplace-heartbeat": {
        "task": "marketplace.heartbeat",
        "schedule": crontab(minute=0, hour=3),
    },
    # Yesterday (UTC) against the payment provider's balance transactions (payments.reconciliation).
    # Again every hour until it has a report that is not an error (a provider that could not be read,
    # or a run lost with its worker).
    "payments-reconciliation-daily": {
        "task": "payments.reconciliation_run",
        "schedule": crontab(minute=30, hour="2-23"),
    },
}

# --- Auth and accounts ----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env.bool("FAST_PASSWORD_HASHER", default=False):
    # Tests and demo seeding only: real hashing makes thousands of demo users take minutes.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "catalog:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

# --- I18N -----------------------------------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# One date convention per language ("7 Dec 2026, 19:56"; "2026年12月7日 19:56"): templates name a format.
FORMAT_MODULE_PATH = ["marketplace.formats"]
# The one currency of listings, carts and orders (ISO 4217; marketplace.E003 checks it). Read at call time.
DEFAULT_CURRENCY = env.str("DEFAULT_CURRENCY", default="USD")

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise warns at start-up on a missing root
# Django serves MEDIA_ROOT itself (django.views.static.serve) when on: the embedded demo and a gunicorn
# with no web server in front. Off by default on PostgreSQL, where the proxy serves /media/.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default="DATABASE_URL" not in env)

# Uploads. Django has no per-file size cap: DATA_UPLOAD_MAX_MEMORY_SIZE counts only the non-file
# fields, and a file above FILE_UPLOAD_MAX_MEMORY_SIZE is streamed to a temporary file instead of
# memory. The services refuse what is too large after it arrived (catalog.services_images); a proxy in
# front should cap request bodies too (nginx client_max_body_size, a little above 10 pictures).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, stated because the limits above rely on it
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20  # more files in one request is a 400; the listing form takes 10
# Largest product picture accepted, in bytes (read by catalog.services_images at call time).
PRODUCT_IMAGE_MAX_BYTES = env.int("PRODUCT_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
_email = env.email_url_config(EMAIL_URL)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# Seconds per socket operation with the SMTP server: a hung server fails the send (common.email_send
# retries it later) instead of holding a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Marketplace <no-reply@marketplace.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (production sets these through the environment; see README) -------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Readable by the storefront's script (static/js/csrf.js): product pages are shared from a page cache and
# carry no per-visitor token, so the script copies the cookie's token into the form before it is sent.
CSRF_COOKIE_HTTPONLY = False
CSRF_USE_SESSIONS = False

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 24,
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    # Per user and scope (``throttle_scope`` on the view); the seller API is for scripts, so it is capped.
    "DEFAULT_THROTTLE_RATES": {"seller-api": env.str("SELLER_API_THROTTLE_RATE", default="300/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Marketplace API",
    "DESCRIPTION": "Storefront, seller and operator API of the marketplace.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Listing review (catalog.screening) -----------------------------------------------------------
# A seller's publish goes to the operators' review queue instead of live when a rule fires.
# Each seller's first N listings (0 = off).
LISTING_REVIEW_NEW_SELLER_LISTINGS = env.int("LISTING_REVIEW_NEW_SELLER_LISTINGS", default=0)
# Whole words or phrases in a title or description, any case (empty = off).
LISTING_REVIEW_FLAGGED_WORDS = env.list(
    "LISTING_REVIEW_FLAGGED_WORDS",
    default=["counterfeit", "replica", "knockoff", "knock-off", "fake", "stolen"],
)
# A price over N times the category's median live price (0 = off), once the category has enough listings.
LISTING_REVIEW_PRICE_FACTOR = env.int("LISTING_REVIEW_PRICE_FACTOR", default=10)
LISTING_REVIEW_PRICE_MIN_LISTINGS = env.int("LISTING_REVIEW_PRICE_MIN_LISTINGS", default=20)

# --- Checkout and orders -------------------------------------------------------------------------
SITE_NAME = "Marketplace"
# The public address of the site, for links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# An unpaid order gives its reserved stock back after this many minutes (orders.orders_expire_unpaid).
ORDER_PAYMENT_WINDOW_MINUTES = env.int("ORDER_PAYMENT_WINDOW_MINUTES", default=30)
# A delivered seller order completes by itself after this many days (orders.seller_orders_autocomplete).
ORDER_AUTOCOMPLETE_DAYS = env.int("ORDER_AUTOCOMPLETE_DAYS", default=7)
# Prices include tax at this rate; each order line records the tax it contains ("0.20" = 20 %).
ORDER_TAX_RATE = env.str("ORDER_TAX_RATE", default="0")
# --- Payments (payments.providers, payments.webhooks; README "Payments") --------------------------
# Which provider new payments use: "stripe", or "test" (moves no money: a marked page confirms or
# declines). Without DEBUG the default is "stripe"; `check --deploy` refuses "test" (payments.E001) and
# a Stripe setup without its keys (payments.E002). There are no production defaults for the secrets.
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="test" if DEBUG else "stripe")
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# Empty: Stripe itself. localstripe (dev, demo, tests): http://127.0.0.1:8420 and its Stripe.js stand-in.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
STRIPE_JS_URL = env.str("STRIPE_JS_URL", default="https://js.stripe.com/v3/")
# "automatic" captures at confirmation; "manual" authorises, then the payments.payment_capture task
# captures (where a risk hold would go).
STRIPE_CAPTURE_METHOD = env.str("STRIPE_CAPTURE_METHOD", default="automatic")
# Passed through to the PaymentIntent (e.g. "card,alipay,wechat_pay" where the account has them).
STRIPE_PAYMENT_METHOD_TYPES = env.list("STRIPE_PAYMENT_METHOD_TYPES", default=["card"])
STRIPE_TIMEOUT_SECONDS = env.int("STRIPE_TIMEOUT_SECONDS", default=20)
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
# Webhooks: signatures older (or newer) than this are refused; bodies above the cap are refused; each
# client IP may send STRIPE_WEBHOOK_RATE_LIMIT requests per STRIPE_WEBHOOK_RATE_WINDOW_SECONDS (then 429).
STRIPE_WEBHOOK_TOLERANCE_SECONDS = env.int("STRIPE_WEBHOOK_TOLERANCE_SECONDS", default=300)
STRIPE_WEBHOOK_MAX_BYTES = env.int("STRIPE_WEBHOOK_MAX_BYTES", default=256 * 1024)
STRIPE_WEBHOOK_RATE_LIMIT = env.int("STRIPE_WEBHOOK_RATE_LIMIT", default=1200)
STRIPE_WEBHOOK_RATE_WINDOW_SECONDS = env.int("STRIPE_WEBHOOK_RATE_WINDOW_SECONDS", default=60)
# Safety nets for work whose enqueue was lost (broker down at commit): events still pending and refunds
# still pending at the provider after two minutes are handed to the workers again (common.taskpolicy).
CELERY_BEAT_SCHEDULE["payments-webhook-events-resume"] = {
    "task": "payments.webhook_events_resume",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["payments-refunds-resume"] = {"task": "payments.refunds_resume", "schedule": 60.0}
# Commission the platform keeps on a line when neither the seller nor the product's category has a rate
# of its own, in basis points (1000 = 10 %). Rates per category and per seller are set in the admin.
COMMISSION_DEFAULT_BP = env.int("COMMISSION_DEFAULT_BP", default=1000)
# Seller payouts (payments.services_payouts). A seller's share of an order part becomes available for
# payout this many days after the part completes (the return window; payments.seller_funds_release, hourly).
SELLER_FUNDS_HOLD_DAYS = env.int("SELLER_FUNDS_HOLD_DAYS", default=14)
# A payout run (payments.payouts_run, daily, or "Run payouts now" in the admin) pays a seller's available
# balance in a currency only from this many minor units up (1000 = 10.00 in a two-decimal currency).
PAYOUT_MINIMUM_AMOUNT = env.int("PAYOUT_MINIMUM_AMOUNT", default=1000)
# How sellers are paid: "manual" (an operator makes a bank transfer and marks the payout paid with its
# reference) or "stripe_connect" (a Stripe transfer to the seller's connected account, sent after the run).
PAYOUT_PROVIDER = env.str("PAYOUT_PROVIDER", default="manual")
CELERY_BEAT_SCHEDULE["payments-seller-funds-release"] = {
    "task": "payments.seller_funds_release",
    "schedule": crontab(minute=30),
}
# From 06:00 UTC every hour: the run's key is the date, so only the first run of a day pays anyone and
# the later ones redo a run that was lost with its worker.
CELERY_BEAT_SCHEDULE["payments-payouts-run"] = {
    "task": "payments.payouts_run",
    "schedule": crontab(minute=0, hour="6-23"),
}
# Carriers sign tracking webhooks with this secret (HMAC-SHA256). Required in production: without DEBUG
# there is no fallback, so an unset secret refuses every carrier event (and marketplace.E002 stops start-up).
CARRIER_WEBHOOK_SECRET = env.str(
    "CARRIER_WEBHOOK_SECRET", default=INSECURE_CARRIER_WEBHOOK_SECRET if DEBUG else ""
)

# --- Analytics ------------------------------------------------------------------------------------
# Page views of these URL namespaces are recorded by analytics.middleware.PageViewMiddleware.
ANALYTICS_PAGEVIEW_NAMESPACES = ["catalog"]
# Embedded mode buffers events in-process and writes them in one INSERT per batch.
ANALYTICS_BUFFER_SIZE = env.int("ANALYTICS_BUFFER_SIZE", default=200)
ANALYTICS_BUFFER_SECONDS = env.float("ANALYTICS_BUFFER_SECONDS", default=5.0)
# The reports' days are days in this timezone (analytics.rollups): a day runs from local midnight to the
# next, 23 or 25 hours across a DST change.
ANALYTICS_TIME_ZONE = env.str("ANALYTICS_TIME_ZONE", default=TIME_ZONE)
# Raw events older than this are deleted by the nightly job, in batches; the rollups made from them stay.
ANALYTICS_EVENT_RETENTION_DAYS = env.int("ANALYTICS_EVENT_RETENTION_DAYS", default=400)
# Today's facts and hours, then any day marked dirty by a late event, payment, refund or cancellation.
CELERY_BEAT_SCHEDULE["analytics-rollup-recent"] = {"task": "analytics.rollup_recent", "schedule": 600.0}
# Hourly, doing its work once a day after local midnight: close yesterday, snapshot stock, prune.
CELERY_BEAT_SCHEDULE["analytics-rollup-nightly"] = {
    "task": "analytics.rollup_nightly",
    "schedule": crontab(minute=40),
}

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
