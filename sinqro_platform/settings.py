"""Settings for the Sinqro platform, read from the environment (django-environ).

Every variable has an embedded default good for a first run on one machine:
SQLite for the database and a file-system broker that needs no server.
Production sets DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis),
SECRET_KEY, DEBUG=false, ALLOWED_HOSTS and SINQRO_SECRET_KEYS.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime files (file-system broker, cache, SQLite test database). Tests use var/test.
VAR_DIR = BASE_DIR / environ.Env().str("SINQRO_VAR_DIR", default="var")

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-5d1f0a7e"
# A Fernet key for development only; production must set SINQRO_SECRET_KEYS.
DEV_SECRET_KEYS = ["yq8Q1lJZ2mWg3n0v4M7tqgkq3n6QyC8YbB6gk7mK3HE="]

SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Key ring for credentials encrypted at rest: comma-separated Fernet keys.
# New writes use the first key; every key still decrypts (rotation).
SINQRO_SECRET_KEYS = env.list("SINQRO_SECRET_KEYS", default=DEV_SECRET_KEYS)


def development_keys_in_use(secret_key: str, secret_keys: list[str]) -> list[str]:
    """What production must not run on: the repository's keys are public, so anything they protect is not."""
    problems = []
    if not secret_key or secret_key == DEV_SECRET_KEY:
        problems.append(
            "SECRET_KEY is unset or the repository's development key: set SECRET_KEY to a long random value, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if not [key for key in secret_keys if key.strip()] or set(secret_keys) & set(DEV_SECRET_KEYS):
        problems.append(
            "SINQRO_SECRET_KEYS is unset or holds the repository's development Fernet key (credentials would be "
            "encrypted with a public key): set it to your own key ring, e.g. "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' "
            "(credentials written with the development key: run once with DEBUG=true, "
            "SINQRO_SECRET_KEYS=<new key>,<development key> and manage.py rotate_secrets, then drop it)"
        )
    return problems


if not DEBUG and (_problems := development_keys_in_use(SECRET_KEY, SINQRO_SECRET_KEYS)):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Refusing to run with DEBUG=false on development keys:\n- " + "\n- ".join(_problems))

INSTALLED_APPS = [
    "sinqro_platform.apps.SinqroAdminConfig",  # django.contrib.admin, its site two-factor capable (admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_celery_beat",
    "restaurants",
    "catalog",
    "orders",
    "integrations",
    "sinqro_platform.languages",  # a language per user and per restaurant (the switcher, the POS API)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # after sessions, before common: cookie / Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): admin's second factor
    "sinqro_platform.languages.middleware.UserLanguageMiddleware",  # a logged-in user's stored language
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "sinqro_platform.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "sinqro_platform.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections: without them the webhook hot path is ~7x slower.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and immediate transactions let the web process and a worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file, not memory, so a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# Shared across processes (OAuth tokens are cached here): a folder by default, Redis in production.
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "integrations" / "pages" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))

# --- Security (production defaults whenever DEBUG is off) ------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- REST framework ---------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
}

# --- Celery -------------------------------------------------------------------
# The embedded default is kombu's file-system transport: a real worker and beat
# on the same machine exchange messages through a folder, no server needed.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Webhook processing and outbound calls get their own queues, and outbound calls two by
# priority (integrations/outbound/priority.py), so neither a webhook burst nor a catalog
# backlog delays an "accepted" or a pause. Exact task names win over the patterns. Services
# publish by name (integrations/enqueue.py, where the names are stated), and routing is by name.
from integrations import enqueue as _tasks  # noqa: E402 - task names only; it imports nothing of ours

CELERY_TASK_ROUTES = {
    _tasks.RUN_BULK_SYNC_JOB: {"queue": "outbound_bulk"},
    "integrations.inbound.*": {"queue": "inbound"},
    "integrations.outbound.*": {"queue": "outbound_urgent"},
}


# --- Logging --------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "integrations.redaction.RedactingFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Sinqro -----------------------------------------------------------------
# Where the Sandbox Market listens (the demo and end-to-end tests start it).
SANDBOX_MARKET_URL = env.str("SANDBOX_MARKET_URL", default="http://127.0.0.1:8100")
# Public base URL of this platform, used to tell channels where to send webhooks.
SINQRO_PUBLIC_URL = env.str("SINQRO_PUBLIC_URL", default="http://127.0.0.1:8000")
# Timeouts (seconds) for every call to a channel.
CHANNEL_CONNECT_TIMEOUT = env.float("CHANNEL_CONNECT_TIMEOUT", default=3.05)
CHANNEL_READ_TIMEOUT = env.float("CHANNEL_READ_TIMEOUT", default=15.0)
# Bodies stored in the call log are capped at this many characters.
CHANNEL_CALL_BODY_CAP = env.int("CHANNEL_CALL_BODY_CAP", default=8192)

# --- Inbound
# Webhooks: the request stores the raw body and answers; workers do the rest.
WEBHOOK_MAX_BODY_BYTES = env.int("WEBHOOK_MAX_BODY_BYTES", default=1024 * 1024)
WEBHOOK_REJECTIONS_KEPT = env.int("WEBHOOK_REJECTIONS_KEPT", default=100)  # per connection, newest kept
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)  # then a retryable failure is final
# A thin webhook whose order the channel cannot serve yet (404, 5xx, timeout on the GET) is retried for this long
# after its receipt, then fails for staff: orders may be readable a moment after the notification (Uber: 11.5 min
# to accept, so the window ends before).
WEBHOOK_FETCH_RETRY_WINDOW_SECONDS = env.int("WEBHOOK_FETCH_RETRY_WINDOW_SECONDS", default=600)
WEBHOOK_SWEEP_AFTER_SECONDS = env.int("WEBHOOK_SWEEP_AFTER_SECONDS", default=60)  # "received" this long: re-enqueue
WEBHOOK_PROCESSING_TIMEOUT_SECONDS = env.int("WEBHOOK_PROCESSING_TIMEOUT_SECONDS", default=300)  # crashed worker
WEBHOOK_SWEEP_BATCH_SIZE = env.int("WEBHOOK_SWEEP_BATCH_SIZE", default=500)
# One wake-up flag for many requests (integrations/inbound/queueing.py); a drain takes this many events
# or runs this long, then hands on to a new drain.
WEBHOOK_WAKE_SECONDS = env.int("WEBHOOK_WAKE_SECONDS", default=10)
WEBHOOK_DRAIN_BATCH = env.int("WEBHOOK_DRAIN_BATCH", default=50)
WEBHOOK_DRAIN_SECONDS = env.float("WEBHOOK_DRAIN_SECONDS", default=20.0)
WEBHOOK_DRAIN_HELPERS = env.int("WEBHOOK_DRAIN_HELPERS", default=3)  # drains called to share a found batch
# Reconciliation: ask the channel about open orders with no news for this long.
RECONCILE_AFTER_SECONDS = env.int("RECONCILE_AFTER_SECONDS", default=600)
RECONCILE_BATCH_SIZE = env.int("RECONCILE_BATCH_SIZE", default=100)
# Orders still received (reservations still requested) this long after arriving need a human.
ATTENTION_AFTER_SECONDS = env.int("ATTENTION_AFTER_SECONDS", default=300)

# --- Outbound ---------------------------------------------------------------------
# Retry backoff for sync jobs: base doubling per attempt up to the cap, with jitter (seconds).
OUTBOUND_BACKOFF_BASE_SECONDS = env.float("OUTBOUND_BACKOFF_BASE_SECONDS", default=10.0)
OUTBOUND_BACKOFF_MAX_SECONDS = env.float("OUTBOUND_BACKOFF_MAX_SECONDS", default=900.0)
# A Retry-After longer than this is clipped (a broken header must not park a job for days).
OUTBOUND_RETRY_AFTER_MAX_SECONDS = env.float("OUTBOUND_RETRY_AFTER_MAX_SECONDS", default=3600.0)
OUTBOUND_MAX_ATTEMPTS = env.int("OUTBOUND_MAX_ATTEMPTS", default=8)
# Circuit breaker per connection: this many failed calls in a row open it for that long.
OUTBOUND_CIRCUIT_FAILURES = env.int("OUTBOUND_CIRCUIT_FAILURES", default=5)
OUTBOUND_CIRCUIT_OPEN_SECONDS = env.float("OUTBOUND_CIRCUIT_OPEN_SECONDS", default=60.0)
# A running job holds a lease this long, renewed by its worker every third of it while the call lasts; once it
# passes, the worker is gone and the sweeper (every 10 s) hands the job out again: well inside any accept window.
OUTBOUND_LEASE_SECONDS = env.float("OUTBOUND_LEASE_SECONDS", default=15.0)
# A webhook event being processed holds the same kind of lease (integrations/inbound/lease.py): a dead worker's
# event is taken again once it passes (by the next drain, or the sweeper), never while its worker lives.
WEBHOOK_LEASE_SECONDS = env.float("WEBHOOK_LEASE_SECONDS", default=15.0)
# Rows claimed before leases existed (no lease_until): "running" longer than this lost its worker.
OUTBOUND_RUNNING_TIMEOUT_SECONDS = env.float("OUTBOUND_RUNNING_TIMEOUT_SECONDS", default=300.0)
# Waits up to this long also go to the broker as a countdown (fast path); longer ones only via the sweeper.
OUTBOUND_COUNTDOWN_MAX_SECONDS = env.float("OUTBOUND_COUNTDOWN_MAX_SECONDS", default=30.0)
# How soon a job waiting behind an earlier one of its lane looks again, and how often an async publish is polled.
OUTBOUND_LANE_WAIT_SECONDS = env.float("OUTBOUND_LANE_WAIT_SECONDS", default=2.0)
OUTBOUND_PUBLISH_POLL_SECONDS = env.float("OUTBOUND_PUBLISH_POLL_SECONDS", default=5.0)

# --- POS API and pages
INSTALLED_APPS += ["drf_spectacular", "drf_spectacular_sidecar", "api"]
REST_FRAMEWORK.update(
    {
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    }
)
SPECTACULAR_SETTINGS = {
    "TITLE": "Sinqro POS API",
    "DESCRIPTION": (
        "The restaurant's side: pull orders and reservations, move their status, publish the catalog, "
        "set availability. Every change reaches every connected channel. "
        "Authenticate with `Authorization: Api-Key <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "canonical.enums.OrderStatus.choices",
        "OrderTargetStatusEnum": "api.serializers.orders.ORDER_TARGET_CHOICES",
        "ReservationTargetStatusEnum": "api.serializers.orders.RESERVATION_TARGET_CHOICES",
        "WeekdayEnum": "restaurants.models.Weekday.choices",
        "OpeningStatusEnum": "api.serializers.availability.OPENING_STATES",
        "ConnectionHealthEnum": "integrations.pages.health.HEALTH_STATES",
    },
}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pages:restaurant_list"
LOGOUT_REDIRECT_URL = "login"
# Status pages refresh their cards this often (milliseconds).
STATUS_PAGE_REFRESH_MS = env.int("STATUS_PAGE_REFRESH_MS", default=5000)
# Validation runs wait this long for the channel's webhooks to reach us.
VALIDATION_WEBHOOK_WAIT_SECONDS = env.float("VALIDATION_WEBHOOK_WAIT_SECONDS", default=20.0)
# ... and poll an asynchronous catalog publish this long.
VALIDATION_PUBLISH_WAIT_SECONDS = env.float("VALIDATION_PUBLISH_WAIT_SECONDS", default=30.0)

# --- Production topology ------------------------------------------------------------
# Processes (see Procfile and README "Running in production"): gunicorn web, Celery
# workers for the `inbound`, `outbound_urgent` (+ `celery` for maintenance) and `outbound_bulk`
# queues, one beat.
from . import beat as _beat  # noqa: E402

CELERY_BEAT_SCHEDULE = _beat.BEAT_SCHEDULE  # django-celery-beat syncs it into its tables when beat starts

CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers and beat wait for a broker that went away however long it stays away, retrying at most 30 s
# apart (Celery's default gives up after 100 retries and exits, and a worker's held tasks go with it).
# A Redis restart itself: sinqro_platform/broker.py; README "Broker restarts".
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Task time limits (prefork pool). They stay below the sweepers' "lost worker" timeouts
# (OUTBOUND_RUNNING_TIMEOUT_SECONDS, WEBHOOK_PROCESSING_TIMEOUT_SECONDS: 300 s), so a task that
# is still running is never handed out a second time; one channel call is bounded by
# CHANNEL_CONNECT_TIMEOUT + CHANNEL_READ_TIMEOUT anyway.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=210)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=240)
# Reconciliation GETs up to RECONCILE_BATCH_SIZE orders, one channel call each: the longest task.
RECONCILE_TASK_TIME_LIMIT = env.int("RECONCILE_TASK_TIME_LIMIT", default=1800)
CELERY_TASK_ANNOTATIONS = {
    _tasks.RECONCILE_ORDERS: {
        "soft_time_limit": RECONCILE_TASK_TIME_LIMIT - 60,
        "time_limit": RECONCILE_TASK_TIME_LIMIT,
    },
    # A validation run exercises every feature, waiting up to VALIDATION_*_WAIT_SECONDS for some.
    _tasks.RUN_VALIDATION: {"soft_time_limit": 840, "time_limit": 900},
    _tasks.PURGE_OLD_RECORDS: {"soft_time_limit": 540, "time_limit": 600},
}
# Redis redelivers a message not acknowledged within the visibility timeout (acks are late,
# so a task is acknowledged when it ends): it must exceed the longest task and the longest
# countdown (outbound ≤ OUTBOUND_COUNTDOWN_MAX_SECONDS, webhook retries ≤ 300 s), or a task
# would run twice. A killed worker's tasks come back after it; the database sweepers rescue
# the work sooner, and the claims make the late redelivery a no-op.
CELERY_VISIBILITY_TIMEOUT_SECONDS = env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=2 * RECONCILE_TASK_TIME_LIMIT)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://", "sentinel://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT_SECONDS}
# Health checks (sinqro_platform/health.py): a load balancer probes over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]

# Prometheus scrapes /metrics (integrations/metrics.py) with this bearer token; unset, only this machine may.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# Errors to Sentry when SENTRY_DSN is set (pip install sentry-sdk); nothing is sent otherwise.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, traces_sample_rate=0.0,
                    environment=env.str("SENTRY_ENVIRONMENT", default="production"))
# Retention (integrations/retention.py, run hourly by beat): rows older than this many days
# are deleted; 0 keeps them forever. Never deleted, whatever their age: webhook events not
# processed or ignored (received, processing, failed), sync jobs pending, running or failed
# (and their attempts and channel calls), and the newest catalog job of each connection.
RETENTION_WEBHOOK_EVENTS_DAYS = env.int("RETENTION_WEBHOOK_EVENTS_DAYS", default=30)
RETENTION_SYNC_JOBS_DAYS = env.int("RETENTION_SYNC_JOBS_DAYS", default=30)
RETENTION_CHANNEL_CALLS_DAYS = env.int("RETENTION_CHANNEL_CALLS_DAYS", default=14)
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=2000)
RETENTION_MAX_SECONDS = env.float("RETENTION_MAX_SECONDS", default=300.0)  # the rest waits for the next run

# --- Staff logins (README "Staff logins") -------------------------------------------
# Login throttling (django-axes) on both login forms, /admin/login/ and /accounts/login/: this many failed logins
# (wrong password, or wrong code on the two-factor admin form) for one username from one address lock that pair out
# for AXES_COOLOFF_MINUTES; each attempt while locked starts the wait again. Another username from the address, or
# the same username from elsewhere, is not locked. Counts live in the database (AxesDatabaseHandler): shared by
# every web machine, kept across restarts, and staff unlock in admin (Axes > Access attempts) or with
# manage.py axes_reset_username <username>.
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_MINUTES = env.float("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a successful login clears that username's failures from that address
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "sinqro_platform.logins.lockout_response"  # templates/registration/locked_out.html
AXES_CLIENT_IP_CALLABLE = "sinqro_platform.logins.client_ip"
# Proxies in front of the web tier that append to X-Forwarded-For (the load balancer: 1). With 0 the socket's
# address counts, which behind a proxy is the proxy's: every login would then share one address.
SINQRO_TRUSTED_PROXY_COUNT = env.int("SINQRO_TRUSTED_PROXY_COUNT", default=0)
# Two-factor admin (sinqro_platform/admin_site.py): a verified TOTP device besides the password. On in production
# (DEBUG=false), off in development, the demo and the test suite. Enrol: manage.py add_totp_device <username>.
SINQRO_ADMIN_REQUIRES_2FA = env.bool("SINQRO_ADMIN_REQUIRES_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "Sinqro"
# Failures and lockouts are warnings; axes' INFO lines (start-up banner in every command, each login) are noise.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}
