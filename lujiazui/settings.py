"""Settings of the Lujiazui co-governance portal, read from the environment (see .env.example)."""

import datetime
import os
import tempfile
from email.utils import parseaddr
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-dev-only-key-never-use-in-production")
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "lujiazui.apps.PortalAdminConfig",  # django.contrib.admin, the portal's sections first
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "django_filters",
    "template_partials",
    "django_tasks",
    "lujiazui.apps.TasksDatabaseConfig",  # django_tasks_db, its admin section named in Chinese
    "csp",
    "simple_history",
    "lujiazui.apps.AxesConfig",  # axes, named as above
    "django_otp",
    "lujiazui.apps.TOTPConfig",  # django_otp.plugins.otp_totp, named as above
    "lujiazui",
    "caching",
    "audit",
    "residents",
    "governance",
    "wishes",
    "brands",
    "forums",
    "inbox",
    "doorstep",
    "reports",
    "accounts",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # A kept public page for a visitor without a session, before the session middleware.
    "caching.pages.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost but for axes: a view that loses the database gets the maintenance page (503),
    # not a traceback.
    "lujiazui.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lujiazui.urls"
WSGI_APPLICATION = "lujiazui.wsgi.application"

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
                "inbox.context_processors.unread_count",
                "lujiazui.context_processors.large_text",
                "lujiazui.context_processors.site_links",
            ],
            # As in Django 6, {% partialdef %} and {% partial %} need no {% load %}.
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

# Widgets are rendered with the project's templates, so templates/django/forms/ can override
# Django's own (the select, whose options are most of a long filter form's rendering); its bound
# field words required messages and empty choices the GOV.UK way for every form (lujiazui/forms.py).
FORM_RENDERER = "lujiazui.forms.PortalFormRenderer"

# The embedded default is a SQLite file beside manage.py; production sets a postgres:// URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short queries: PostgreSQL's JIT spent more compiling the workbench's plans than running them.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for the lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, one per test process, not SQLite's in-memory database: the live server
    # then gives each request thread a connection of its own, so concurrent requests really race
    # (an in-memory test database shares one connection between every thread).
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"test-lujiazui-{os.getpid()}.sqlite3")
    }

AUTH_USER_MODEL = "residents.User"
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "residents.backends.RoleBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Dates read 2026-12-09 and 2026-12-09 08:30 in both languages (not 12/9 or Dec. 9, 2026).
FORMAT_MODULE_PATH = ["lujiazui.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Case attachments are private: stored outside any served folder, sent only through a view that
# checks the user may see the case.
PRIVATE_MEDIA_ROOT = Path(env("DJANGO_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
CASE_ATTACHMENT_MAX_BYTES = env.int("DJANGO_CASE_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Content-Security-Policy (Django 6: SECURE_CSP). No inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# History is read, never reverted from the admin: a revert would skip the case services.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Background work (Django 6: TASKS): e-mails wait in the database until `manage.py db_worker`
# (started by `make run`; a service of its own in production) sends them.
TASKS = {
    "default": {
        "BACKEND": env("DJANGO_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# E-mail (notifications and daily digests): EMAIL_URL as smtp+tls://user:password@host:587;
# by default mails are printed on the console, as in the demo.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's address as people reach it, for the links in e-mails.
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# HTTPS in production: one switch turns on redirect, secure cookies and HSTS. It is on unless
# DEBUG is (so `check --deploy` passes with DEBUG off); DJANGO_HTTPS=false turns it off.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=HTTPS)
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The booking throttle and the login lockout count per client: the proxy puts the
    # client's address in X-Real-IP.
    RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login lockout (django-axes): 5 failed attempts for one username, or from one address, pause
# logging in with that username, or from that address, for 15 minutes. The portal's login and
# the admin's both go through it. The address is read as the booking throttle reads it.
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("DJANGO_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, not the pair
# A success does not wipe the count: it would wipe every failure from the same address, those
# against other usernames too, so an account holder could keep guessing a colleague's password.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "accounts.ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# The login audit (accounts.LoginEvent) keeps the record; axes' own log would add user agents.
AXES_DISABLE_ACCESS_LOG = True
# What axes keeps of a refused form (to lift a lockout in the admin) shows no secret in clear.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token", "csrfmiddlewaretoken"]
AXES_VERBOSE = False
# Two-step login (django-otp, TOTP): the name authenticator apps show for the portal's logins.
OTP_TOTP_ISSUER = env("DJANGO_OTP_ISSUER", default="Lujiazui portal")
# The admin never shows a device's secret key or its QR code again.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Days the login audit keeps an attempt (forget_logins, run daily).
LOGIN_AUDIT_RETENTION_DAYS = env.int("DJANGO_LOGIN_AUDIT_RETENTION_DAYS", default=180)
X_FRAME_OPTIONS = "DENY"
# A form sent without its CSRF token gets the portal's own page, in the user's language.
CSRF_FAILURE_VIEW = "lujiazui.errors.csrf_failure"

# Who is mailed each server error: "Name <address>" or "address", comma-separated.
ADMINS = [parseaddr(admin) for admin in env.list("DJANGO_ADMINS", default=[])]

# Logs go to the console (the service manager keeps them): one line per record, JSON in
# production and key=value with DEBUG on (DJANGO_LOG_FORMAT=json|keyvalue). Every record passes
# the personal-data filter: mobile numbers masked, sensitive pages' query strings dropped;
# request bodies are never logged. Server errors are also mailed to the ADMINS, briefly.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "personal_data": {"()": "lujiazui.logs.PersonalDataFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "not_service_unavailable": {"()": "lujiazui.logs.NotServiceUnavailable"},
    },
    "formatters": {
        "json": {"()": "lujiazui.logs.JsonFormatter"},
        "keyvalue": {"()": "lujiazui.logs.KeyValueFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("DJANGO_LOG_FORMAT", default="keyvalue" if DEBUG else "json"),
            "filters": ["personal_data"],
        },
        "mail_admins": {
            "class": "lujiazui.logs.PrivateAdminEmailHandler",
            "level": "ERROR",
            "formatter": "keyvalue",
            "filters": ["require_debug_false", "not_service_unavailable", "personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own configuration would print django.request only with DEBUG on and mail the
        # full report: replace its handlers.
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # A scanner's request with a foreign Host header is a line in the log, not an e-mail.
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
        },
    },
}

# How many days ahead an owners' committee term or a property contract counts as expiring.
TERM_EXPIRY_WARNING_DAYS = 90

# The cache holds kept pages and values (caching), the booking and Open311 throttles and, when
# shared, sessions. Each process has its own in-memory cache by default, which is right for one
# process (`make run`); with several workers they must share one (redis://127.0.0.1:6379/1), and
# `check --deploy` fails until they do.
CACHES = {"default": env.cache("DJANGO_CACHE_URL", default="locmemcache://")}
SHARED_CACHE = CACHES["default"]["BACKEND"] not in (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
if SHARED_CACHE:
    # Sessions are read from the shared cache and written through to the database. Never with a
    # per-process cache: a session ended in one worker would live on in the others.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Seconds at most that a public page or a kept value is kept (caching; 0 keeps nothing). A change
# shows at once whatever this says. On by default only with a shared cache: with a per-process
# one, a change made through one worker would stay hidden in the others.
PAGE_CACHE_SECONDS = env.int("DJANGO_PAGE_CACHE_SECONDS", default=300 if SHARED_CACHE else 0)
# Booking, look-up and cancel attempts one client (IP address) may make: django-ratelimit syntax.
BOOKING_RATE_LIMIT = env("DJANGO_BOOKING_RATE_LIMIT", default="10/10m")
# Cases one Open311 partner system (API key) may post: django-ratelimit syntax.
OPEN311_RATE_LIMIT = env("DJANGO_OPEN311_RATE_LIMIT", default="120/h")
# The contact the Open311 discovery document names for partner systems' developers.
OPEN311_CONTACT = env("DJANGO_OPEN311_CONTACT", default="")
# Days after a time slot ends that the names and numbers of its bookings are kept (forget_bookings).
BOOKING_RETENTION_DAYS = env.int("DJANGO_BOOKING_RETENTION_DAYS", default=30)
