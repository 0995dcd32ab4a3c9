"""Settings for the campus one-stop platform.

One module, read from the environment. Every variable has an embedded default so that
`make run` works on a bare machine (SQLite, a filesystem Celery broker, a filesystem cache);
production sets ``DATABASE_URL`` (PostgreSQL), ``CELERY_BROKER_URL`` and ``CACHE_URL`` (Redis).
Every variable is documented in docs/configuration.md — keep the two in step.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
# pytest-xdist runs several test processes at once; each gets its own queue and cache keys
# (and its own Celery worker, started by the tests with the same environment).
PARALLEL_SUFFIX = os.environ.get("PYTEST_XDIST_WORKER", "")
# Runtime state of a development install (SQLite file, media, broker folders, cache, keys).
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# The fallback key is only good for a development machine; deploy checks (manage.py check
# --deploy) refuse it because it starts with "django-insecure".
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-development-only-key-change-me")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# The reverse proxies (addresses or networks, e.g. "10.0.0.5,10.8.0.0/16") whose
# X-Forwarded-For names the real client (campus_portal.common.client_address). From any other
# peer the header is ignored; empty: nobody is trusted and the peer address is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

INSTALLED_APPS = [
    # Our apps first, so that their templates and translations win.
    "campus_portal.common",
    "campus_portal.catalog",
    "campus_portal.api",
    "campus_portal.audit",
    "campus_portal.accounts",
    "campus_portal.workdays",
    "campus_portal.applications",
    "campus_portal.matter_config",
    "campus_portal.config_transfer",
    "campus_portal.notifications",
    "campus_portal.documents",
    "campus_portal.attachments",
    "campus_portal.workbench",
    "campus_portal.province",
    "campus_portal.ratings",
    "campus_portal.delivery",
    "campus_portal.dashboard",
    "campus_portal.results",
    "campus_portal.queueing",
    "hall_kiosk",
    "data_warehouse",
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
# Office plugins, by their full AppConfig path (DESIGN.md §8). PLATFORM_PLUGINS (comma-separated)
# replaces the list, e.g. to switch a plugin off on one server.
PLATFORM_PLUGINS = [
    name.strip()
    for name in os.environ.get(
        "PLATFORM_PLUGINS",
        "plugins.registrar_certificates.apps.RegistrarCertificatesConfig,"
        "plugins.registrar_transcripts.apps.RegistrarTranscriptsConfig,"
        "plugins.student_leave.apps.StudentLeaveConfig,"
        "plugins.dormitory_change.apps.DormitoryChangeConfig,"
        "plugins.graduation_bundle.apps.GraduationBundleConfig,"
        "plugins.new_student_bundle.apps.NewStudentBundleConfig,"
        "plugins.staff_onboarding_bundle.apps.StaffOnboardingBundleConfig,"
        "plugins.staff_retirement_bundle.apps.StaffRetirementBundleConfig,"
        "plugins.expense_reimbursement.apps.ExpenseReimbursementConfig",
    ).split(",")
    if name.strip()
]
INSTALLED_APPS += PLATFORM_PLUGINS

MIDDLEWARE = [
    # First: the real client address (TRUSTED_PROXIES), then refuse text the database
    # cannot store (NUL bytes) before anything reads the request.
    "campus_portal.common.client_address.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "campus_portal.common.input_guard.UnstorableInputMiddleware",
    # Above the page cache, so that cached pages get the header too (no nonces: none needed).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "campus_portal.common.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "campus_portal.accounts.mfa.MfaRequiredMiddleware",
    "campus_portal.audit.middleware.PermissionDenialLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "campus_portal.notifications.context_processors.unread_messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL selects the engine; the default is a SQLite file under var/. Persistent
# connections (CONN_MAX_AGE) nearly double the throughput of a cheap page on SQLite
# (docs/performance.md; PostgreSQL, where connecting costs more, was not measured).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the Celery worker writes; a busy timeout keeps
    # concurrent writers waiting instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_db.sqlite3")}

# The warehouse asks the portal which offices a user stewards through this function (a dotted
# path, user -> frozenset of office codes): it imports nothing of campus_portal itself.
WAREHOUSE_STEWARD_OFFICES = "campus_portal.accounts.roles.steward_offices_of"
# ... and how to name a steward who looks at someone's data in its admin screens (user -> dict
# of name, office, role and their own person_uid), for that person's "谁查看了我的数据" page.
WAREHOUSE_STEWARD_READER = "campus_portal.accounts.roles.steward_reader_of"

# The data warehouse has its own alias so that it can live on a server of its own
# (data_warehouse/router.py). WAREHOUSE_DATABASE_URL selects it; without it the warehouse lives
# next to the default database: a second SQLite file, or the database "<name>_warehouse" on the
# same PostgreSQL server. Never the same database: both aliases would share one migration
# table, and migrating either would mark the other's migrations applied without its tables.
if "WAREHOUSE_DATABASE_URL" in os.environ:
    DATABASES["warehouse"] = dj_database_url.parse(
        os.environ["WAREHOUSE_DATABASE_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["warehouse"] = dj_database_url.parse(
        f"sqlite:///{VAR_DIR / 'warehouse.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
else:
    DATABASES["warehouse"] = {
        **DATABASES["default"],
        "NAME": f"{DATABASES['default']['NAME']}_warehouse",
    }
if DATABASES["warehouse"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["warehouse"]["OPTIONS"] = DATABASES["default"].get("OPTIONS", {})
    DATABASES["warehouse"]["TEST"] = {"NAME": str(VAR_DIR / "test_warehouse.sqlite3")}
else:
    # Even on the same server the tests get a database of their own for the warehouse.
    DATABASES["warehouse"]["TEST"] = {"NAME": f"test_warehouse_{DATABASES['warehouse']['NAME']}"}
# The test databases of both aliases are built by their real migrations, once per test run,
# and copied for each test process (tests/conftest.py).
DATABASE_ROUTERS = ["data_warehouse.router.WarehouseRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Shared between the web processes and the Celery worker (import progress, page cache), so the
# embedded default is a filesystem cache, not per-process memory.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "xiaowu") + PARALLEL_SUFFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_URL.removeprefix("file://") or str(VAR_DIR / "cache"),
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "xiaowu") + PARALLEL_SUFFIX,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Sessions are read from the cache and written through to the database: one query fewer on
# every signed-in request (issue 6), nothing lost when the cache is flushed. Safe because both
# caches above are shared by all processes (a per-process cache would keep a signed-out
# session alive in the other workers).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Seconds an anonymous portal page may be served from the cache. Publishing or importing
# invalidates all cached pages at once (campus_portal.common.page_cache).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))

# --- Celery ---------------------------------------------------------------------------------
# The embedded broker is kombu's filesystem transport: no server to install. It does not
# re-deliver a task whose worker was killed; production uses Redis with late acknowledgement.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
_broker_dir = Path(os.environ.get("CELERY_BROKER_DIR", VAR_DIR / "broker"))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "xiaowu") + PARALLEL_SUFFIX
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "Asia/Shanghai"

# --- Data warehouse sources ----------------------------------------------------------------
# The campus directory (data_warehouse/sources/ldap_sync.py documents every key). Nothing is
# synced until WAREHOUSE_LDAP_URI is set.
WAREHOUSE_LDAP = {
    key: value
    for key, value in {
        "URI": os.environ.get("WAREHOUSE_LDAP_URI", ""),
        "BIND_DN": os.environ.get("WAREHOUSE_LDAP_BIND_DN", ""),
        "BIND_PASSWORD": os.environ.get("WAREHOUSE_LDAP_BIND_PASSWORD", ""),
        "START_TLS": env_bool("WAREHOUSE_LDAP_START_TLS", False),
        "PEOPLE_BASE_DN": os.environ.get("WAREHOUSE_LDAP_PEOPLE_BASE_DN", ""),
        "PEOPLE_FILTER": os.environ.get("WAREHOUSE_LDAP_PEOPLE_FILTER", ""),
        "UNITS_BASE_DN": os.environ.get("WAREHOUSE_LDAP_UNITS_BASE_DN", ""),
        "UNITS_FILTER": os.environ.get("WAREHOUSE_LDAP_UNITS_FILTER", ""),
        "ATTRIBUTES": json.loads(os.environ.get("WAREHOUSE_LDAP_ATTRIBUTES", "{}")),
    }.items()
    if value not in ("", {}, None)
}
CELERY_BEAT_SCHEDULE = {}
if WAREHOUSE_LDAP.get("URI"):
    CELERY_BEAT_SCHEDULE["warehouse-ldap-sync"] = {
        "task": "data_warehouse.tasks.warehouse_sync_ldap_task",
        "schedule": crontab(minute=0, hour=os.environ.get("WAREHOUSE_LDAP_SYNC_HOURS", "*/6")),
    }

# --- Deadlines and notifications (docs/deadlines-and-notifications.md) ----------------------
# Beat runs the deadline sweeps hourly during working hours (Beijing time); both are idempotent.
_deadline_hours = os.environ.get("DEADLINE_SWEEP_HOURS", "8-20")
CELERY_BEAT_SCHEDULE["steps-remind-due-soon"] = {
    "task": "campus_portal.applications.tasks.steps_remind_due_soon",
    "schedule": crontab(minute=5, hour=_deadline_hours),
}
CELERY_BEAT_SCHEDULE["steps-mark-overdue"] = {
    "task": "campus_portal.applications.tasks.steps_mark_overdue",
    # Minute 1 of every hour, so that a step due at 23:59:59 is marked just after midnight.
    "schedule": crontab(minute=1),
}
# Still open this many working days before the statutory limit (法定时限) ends, a step goes to
# the campus supervisors (督办); checked by the hourly sweep.
APPLICATIONS_SUPERVISION_LEAD_DAYS = int(os.environ.get("APPLICATIONS_SUPERVISION_LEAD_DAYS", "2"))
CELERY_BEAT_SCHEDULE["steps-escalate-to-supervisors"] = {
    "task": "campus_portal.applications.tasks.steps_escalate_to_supervisors",
    "schedule": crontab(minute=3),
}
CELERY_BEAT_SCHEDULE["notifications-resend-stuck"] = {
    "task": "campus_portal.notifications.tasks.notifications_resend_stuck",
    "schedule": crontab(minute="*/30"),
}
# --- Provincial service network (docs/province.md) -----------------------------------------
# The connector to 浙江政务服务网's matter catalog; the token is a secret from the environment.
PROVINCE_API_BASE_URL = os.environ.get("PROVINCE_API_BASE_URL", "https://api.zjzwfw.gov.cn/v1")
PROVINCE_API_TOKEN = os.environ.get("PROVINCE_API_TOKEN", "")
PROVINCE_API_PAGE_SIZE = int(os.environ.get("PROVINCE_API_PAGE_SIZE", "100"))
PROVINCE_API_TIMEOUT = float(os.environ.get("PROVINCE_API_TIMEOUT", "10"))
# Hosts (and their subdomains) a provincial matter may link to; anything else is refused.
PROVINCE_LINK_HOSTS = env_list("PROVINCE_LINK_HOSTS", "zjzwfw.gov.cn,zlb.zj.gov.cn")
# After a failure wait this many seconds, doubled per further failure, at most the maximum.
PROVINCE_SYNC_BACKOFF = int(os.environ.get("PROVINCE_SYNC_BACKOFF", "3600"))
PROVINCE_SYNC_BACKOFF_MAX = int(os.environ.get("PROVINCE_SYNC_BACKOFF_MAX", "86400"))
# From this many consecutive failures on, provincial pages show a "not synced" notice.
PROVINCE_UNHEALTHY_AFTER = int(os.environ.get("PROVINCE_UNHEALTHY_AFTER", "3"))
CELERY_BEAT_SCHEDULE["province-sync"] = {
    "task": "campus_portal.province.tasks.province_sync_task",
    "schedule": crontab(minute=17),
}
# Outside channels offered besides the in-app inbox ("" for none); each person opts in or out
# on /me/messages/preferences/ (email on, SMS off by default). SMS also needs SMS_GATEWAY_URL.
NOTIFICATIONS_CHANNELS = env_list("NOTIFICATIONS_CHANNELS", "email,sms")
# The SMS gateway's HTTP API (docs/delivery.md): off while the URL is empty.
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", "10"))
# --- 105号 targets (docs/targets.md) -------------------------------------------------------
# Rollups follow each lifecycle change; a nightly full rebuild repairs anything missed.
CELERY_BEAT_SCHEDULE["dashboard-rollups-rebuild"] = {
    "task": "campus_portal.dashboard.tasks.dashboard_rollups_rebuild_task",
    "schedule": crontab(minute=40, hour=os.environ.get("DASHBOARD_REBUILD_HOURS", "3")),
}
# A failing delivery is retried with exponential backoff: base seconds, then doubled.
NOTIFICATIONS_MAX_RETRIES = int(os.environ.get("NOTIFICATIONS_MAX_RETRIES", "5"))
NOTIFICATIONS_RETRY_BACKOFF = int(os.environ.get("NOTIFICATIONS_RETRY_BACKOFF", "30"))
# The Celery queue of delivery tasks ("" = the default queue).
NOTIFICATIONS_QUEUE = os.environ.get("NOTIFICATIONS_QUEUE", "")
# --- Delivery of results (docs/delivery.md) ------------------------------------------------
# The pickup locker controller's HTTP API; the token is a secret from the environment.
LOCKER_CONTROLLER_URL = os.environ.get("LOCKER_CONTROLLER_URL", "")
LOCKER_CONTROLLER_TOKEN = os.environ.get("LOCKER_CONTROLLER_TOKEN", "")
LOCKER_CONTROLLER_TIMEOUT = float(os.environ.get("LOCKER_CONTROLLER_TIMEOUT", "5"))
# How long a pickup waits for a compartment reported "opening" to report "open" (seconds).
LOCKER_OPEN_WAIT = float(os.environ.get("LOCKER_OPEN_WAIT", "5"))
# --- Ratings (docs/ratings.md) -------------------------------------------------------------
# Working days an office has to answer a bad rating (不满意/非常不满意), on the holiday calendar.
RATINGS_RECTIFICATION_DAYS = int(os.environ.get("RATINGS_RECTIFICATION_DAYS", "5"))

# --- Named assignees (docs/authorization.md) ------------------------------------------------
# A step's named person (a budget holder) must be a member of staff whose current warehouse
# staff record has one of these employment statuses (comma-separated).
APPLICATIONS_ASSIGNEE_STAFF_STATUSES = tuple(
    env_list("APPLICATIONS_ASSIGNEE_STAFF_STATUSES", "在职")
)

# --- Hall kiosk (docs/kiosk.md) ------------------------------------------------------------
# Seconds without a touch before the kiosk signs the person out, and how long before that it
# warns; tests shorten them.
KIOSK_IDLE_SECONDS = int(os.environ.get("KIOSK_IDLE_SECONDS", "60"))
KIOSK_IDLE_WARNING_SECONDS = int(os.environ.get("KIOSK_IDLE_WARNING_SECONDS", "10"))
# Seconds the "done" screen of a finished task stays before the kiosk returns to the start.
KIOSK_FINISHED_SECONDS = int(os.environ.get("KIOSK_FINISHED_SECONDS", "8"))
# A QR sign-in code is valid this many seconds.
KIOSK_QR_SECONDS = int(os.environ.get("KIOSK_QR_SECONDS", "120"))
# Wrong PINs before a card is locked, and for how many minutes.
KIOSK_PIN_MAX_ATTEMPTS = int(os.environ.get("KIOSK_PIN_MAX_ATTEMPTS", "5"))
KIOSK_PIN_LOCK_MINUTES = int(os.environ.get("KIOSK_PIN_LOCK_MINUTES", "15"))
# The CUPS server the kiosks' printers are on (host:port); empty: the machine's default.
KIOSK_CUPS_SERVER = os.environ.get("KIOSK_CUPS_SERVER", "")
# Seconds between refreshes of the hall display screen.
KIOSK_DISPLAY_REFRESH_SECONDS = int(os.environ.get("KIOSK_DISPLAY_REFRESH_SECONDS", "5"))

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in (campus_portal/accounts, docs/accounts.md): one sign-in form for everyone. A campus
# number is checked by binding against the campus directory (when ACCOUNTS_LDAP_URI is set);
# local accounts (alumni, visitors) are django-allauth accounts signed in by email.
AUTHENTICATION_BACKENDS = [
    "campus_portal.accounts.directory.CampusDirectoryBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "campus_portal.accounts.adapter.CampusAccountAdapter"
ACCOUNT_FORMS = {"login": "campus_portal.accounts.forms.CampusLoginForm"}
# Failed sign-ins (allauth counts them in the shared cache): "key" is one account at one client
# address (campus_portal.accounts.adapter), so a stranger elsewhere cannot lock anybody out;
# "ip" is one client address over all accounts, higher, against trying many accounts.
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("ACCOUNTS_LOGIN_FAILED_LIMIT", "30/5m/ip,5/5m/key"),
    "signup": "20/h/ip",
    "reset_password": "10/h/ip,5/h/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("SITE_NAME", "一站式校务服务平台")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@campus.example")
# SMTP (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# The campus directory for sign-in (django-auth-ldap). The username is escaped into the
# search filter by the library; roles come from directory groups (ACCOUNTS_LDAP_ROLE_MAP:
# JSON {"group DN": "role" or "role:OFFICE"}).
ACCOUNTS_LDAP = {
    "URI": os.environ.get("ACCOUNTS_LDAP_URI", WAREHOUSE_LDAP.get("URI", "")),
    "BIND_DN": os.environ.get("ACCOUNTS_LDAP_BIND_DN", WAREHOUSE_LDAP.get("BIND_DN", "")),
    "BIND_PASSWORD": os.environ.get(
        "ACCOUNTS_LDAP_BIND_PASSWORD", WAREHOUSE_LDAP.get("BIND_PASSWORD", "")
    ),
    "START_TLS": env_bool("ACCOUNTS_LDAP_START_TLS", False),
    "USER_BASE_DN": os.environ.get(
        "ACCOUNTS_LDAP_USER_BASE_DN", WAREHOUSE_LDAP.get("PEOPLE_BASE_DN", "")
    ),
    "USER_FILTER": os.environ.get("ACCOUNTS_LDAP_USER_FILTER", "(uid=%(user)s)"),
    "GROUP_BASE_DN": os.environ.get("ACCOUNTS_LDAP_GROUP_BASE_DN", ""),
    "ROLE_MAP": json.loads(os.environ.get("ACCOUNTS_LDAP_ROLE_MAP", "{}")),
    "TIMEOUT": int(os.environ.get("ACCOUNTS_LDAP_TIMEOUT", "5")),
}

# --- Internationalisation -------------------------------------------------------------------
# Simplified Chinese first, English second. Message ids are English; the zh_Hans catalogue in
# locale/ carries the Chinese text users see by default.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
# Uploads bigger than this are refused before they are read (the power-list import checks its
# own, smaller limit; see campus_portal.catalog.importing).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Applicants' uploads (invoices, scans): refused above this size, whatever the field allows
# (campus_portal.attachments). Kept outside STATIC_ROOT and MEDIA_ROOT — no URL maps onto this
# folder; files leave it only through the permission-checked download view.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))

# A draft's answers as a whole (JSON bytes) and the values one field may carry
# (campus_portal.applications.answers); bigger saves are refused with a message.
APPLICATION_ANSWERS_MAX_BYTES = int(os.environ.get("APPLICATION_ANSWERS_MAX_BYTES", "262144"))
APPLICATION_ANSWER_MAX_VALUES = int(os.environ.get("APPLICATION_ANSWER_MAX_VALUES", "100"))

# --- Result documents (docs/results.md) -----------------------------------------------------
# The university's signing key and certificate (PEM), and the certificates that make the chain
# to the trust root; never committed. `make run` writes a demo pair here (results_demo_keys).
RESULTS_KEY_DIR = Path(os.environ.get("RESULTS_KEY_DIR", VAR_DIR / "keys"))
RESULTS_SIGNING_KEY = Path(
    os.environ.get("RESULTS_SIGNING_KEY", RESULTS_KEY_DIR / "results-signing-key.pem")
)
RESULTS_SIGNING_KEY_PASSPHRASE = os.environ.get("RESULTS_SIGNING_KEY_PASSPHRASE", "")
RESULTS_SIGNING_CERT = Path(
    os.environ.get("RESULTS_SIGNING_CERT", RESULTS_KEY_DIR / "results-signing-cert.pem")
)
# Verification trusts these roots only (comma-separated paths); the first is where the demo
# root CA is written.
RESULTS_TRUST_ROOTS = [
    Path(path)
    for path in env_list("RESULTS_TRUST_ROOTS", str(RESULTS_KEY_DIR / "results-root-ca.pem"))
]
# Certificates embedded with the signature (intermediates, the root), so that PDF readers can
# build the chain; defaults to the trust roots.
RESULTS_SIGNING_CHAIN = [
    Path(path)
    for path in env_list("RESULTS_SIGNING_CHAIN", ",".join(str(p) for p in RESULTS_TRUST_ROOTS))
]
# The portal address printed in the QR code (/verify/<number>/).
RESULTS_VERIFY_BASE_URL = os.environ.get(
    "RESULTS_VERIFY_BASE_URL", os.environ.get("SITE_BASE_URL", "http://localhost:8000")
)
# Unknown numbers looked up / files uploaded on /verify/, per client address: "attempts/seconds".
RESULTS_VERIFY_RATE_LIMIT = os.environ.get("RESULTS_VERIFY_RATE_LIMIT", "30/600")
RESULTS_UPLOAD_MAX_BYTES = int(os.environ.get("RESULTS_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "一站式校务服务平台")
# The university named on the documents it issues (notices, certificates).
UNIVERSITY_NAME = os.environ.get("UNIVERSITY_NAME", "示范大学")
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_BASE_URL", "http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "xlsx", "odt", "txt"]
WAGTAIL_I18N_ENABLED = False
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"

# --- Catalog --------------------------------------------------------------------------------
# Largest micro-power list file accepted by the importer, in bytes. Bigger files are refused
# before parsing so that a 50 MB upload cannot exhaust memory.
POWER_LIST_MAX_BYTES = int(os.environ.get("POWER_LIST_MAX_BYTES", str(5 * 1024 * 1024)))

# Uploaded spreadsheets (every import: the catalog's and the warehouse's) are checked before
# they are parsed (platform_common.xlsx_limits, docs/configuration.md): what the zip
# unpacks to, each large part's compression ratio, the sheets' declared and streamed size, and
# the length of each text. Parsing then runs with at most IMPORT_MEMORY_LIMIT_MB more memory
# (RLIMIT_AS; 0 = no cap).
SPREADSHEET_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("SPREADSHEET_MAX_UNCOMPRESSED_BYTES", str(100 * 1024 * 1024))
)
SPREADSHEET_MAX_COMPRESSION_RATIO = int(os.environ.get("SPREADSHEET_MAX_COMPRESSION_RATIO", "100"))
SPREADSHEET_MAX_PARTS = int(os.environ.get("SPREADSHEET_MAX_PARTS", "500"))
SPREADSHEET_MAX_COLUMNS = int(os.environ.get("SPREADSHEET_MAX_COLUMNS", "256"))
SPREADSHEET_MAX_CELLS = int(os.environ.get("SPREADSHEET_MAX_CELLS", "2000000"))
SPREADSHEET_MAX_STRING_LENGTH = int(os.environ.get("SPREADSHEET_MAX_STRING_LENGTH", "32767"))
IMPORT_MEMORY_LIMIT_MB = int(os.environ.get("IMPORT_MEMORY_LIMIT_MB", "1024"))

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "校务服务平台 API",
    "DESCRIPTION": "Read-only catalog of school-affairs matters and their service guides.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_SECURE", False):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp) on the portal, the workbench and the kiosk: scripts only
# from our own static files, never inline (docs/authorization.md). The Wagtail admin is left
# out: Wagtail's own pages rely on inline scripts. Inline *styles* stay allowed (a few
# style="" attributes; they cannot run code).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "jieba": {"level": "WARNING"},
        # One line per page save and background task is noise during imports.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

for _dir in (VAR_DIR, MEDIA_ROOT, STATIC_ROOT):
    Path(_dir).mkdir(parents=True, exist_ok=True)
