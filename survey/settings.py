"""One settings file, driven by environment variables with safe local defaults.

SQLite is the embedded default; DATABASE_URL (e.g. postgres://user@host:5432/name)
switches to PostgreSQL, which production and docker-compose use.
"""

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

# Django's generic classes subscripted as mypy --strict wants them (ModelAdmin[PlannedAction],
# ModelForm[...], ModelChoiceField[User]) need this at runtime; django-tasks calls it too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# The fallback is for local runs and tests only; `check --deploy` flags it in production.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-local-only-set-SECRET_KEY"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    # The read-only API (scoring/api/): its Swagger UI is served from ninja's own static files.
    "ninja",
    # Single sign-on for leaders (survey/identity/sso.py): allauth's account and socialaccount
    # with its OpenID Connect and SAML providers; the password views stay ours
    # (survey/workspace/accounts.py).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    # Two-factor sign-in for leaders (README "Two-factor sign-in"): allauth's MFA (TOTP,
    # WebAuthn passkeys, recovery codes) as a stage of the same sign-in, password or SSO.
    "allauth.mfa",
    # Before django_tasks_db: survey's db_worker (reconnecting) replaces its command.
    "survey",
    "scoring",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # /health/ answers before host checks and the HTTPS redirect: probes speak plain HTTP.
    "survey.middleware.health_check",
    "django.middleware.security.SecurityMiddleware",
    # HEAD served as GET; no-store on every page; survey pages unindexed and without Referer.
    "survey.middleware.PrivacyHeadersMiddleware",
    # Retry-After on every 429, from the limit that refused (survey/plumbing/throttle.py).
    "survey.middleware.retry_after",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Leaders of a company that requires a second factor set one up first (survey/identity/mfa.py).
    "survey.identity.mfa.RequireSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "survey.urls"
WSGI_APPLICATION = "survey.wsgi.application"

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
                "survey.context_processors.workspace",
            ],
        },
    },
]

SQLITE_PATH = BASE_DIR / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two submissions of
        # one survey queue up instead of failing to upgrade a read lock ("database is locked").
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not shared-cache memory, so concurrent test threads lock like production.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
else:
    # Behind PgBouncer in transaction mode a cursor cannot outlive its transaction.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DISABLE_SERVER_SIDE_CURSORS")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sessions end after this much idleness: every request pushes the expiry forward.
SESSION_COOKIE_AGE = 60 * int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
SESSION_SAVE_EVERY_REQUEST = True

# Single sign-on (README "Single sign-on"). Each company's OpenID Connect app is a SocialApp
# row tied to its SSO configuration; the adapter lists only those, never apps from settings.
SOCIALACCOUNT_ADAPTER = "survey.identity.adapter.CompanySSOAdapter"
ACCOUNT_ADAPTER = "survey.identity.adapter.AccountAdapter"
# Accounts are made at the first SSO sign-in without a form, named by their e-mail address
# (the username is the address, as for password sign-up); the IdP vouches for the address.
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
SOCIALACCOUNT_LOGIN_ON_GET = False
# Tokens from the IdP are not kept: we need the sign-in, not access to the IdP's APIs.
SOCIALACCOUNT_STORE_TOKENS = False
# Seconds before a discovery document, token or key request to an IdP gives up.
SSO_HTTP_TIMEOUT = int(os.environ.get("SSO_HTTP_TIMEOUT", "10"))
SOCIALACCOUNT_REQUESTS_TIMEOUT = SSO_HTTP_TIMEOUT
# Identity providers are reached over HTTPS only; the tests' provider on 127.0.0.1 is plain HTTP.
SSO_ALLOW_HTTP_ISSUER = env_bool("SSO_ALLOW_HTTP_ISSUER")
# Webhooks (survey.webhooks.safety): https only and public addresses only, unless these
# allow plain http (also with DEBUG) or loopback addresses: the tests' local receiver.
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP")
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK")
WEBHOOKS_TIMEOUT = float(os.environ.get("WEBHOOKS_TIMEOUT", "10"))
WEBHOOKS_CA_FILE = os.environ.get("WEBHOOKS_CA_FILE", "")  # an extra CA (PEM) to trust

# Two-factor sign-in (survey/identity/mfa.py). allauth's MFA views with our templates; the QR
# code is drawn by us (segno), the TOTP secret is encrypted at rest with SECRET_KEY.
MFA_ADAPTER = "survey.identity.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Sales & Marketing Alignment")
# Passkeys as a second factor only: signing in still starts with a password or the company's SSO.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
MFA_TRUST_ENABLED = False
MFA_FORMS = {"add_webauthn": "survey.identity.mfa.AddPasskeyForm"}
# Browsers allow WebAuthn on https:// or http://localhost only; local runs and tests are http.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool(
    "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", not env_bool("HTTPS", env_bool("SECURE_COOKIES"))
)

# The cache holds every limit's counters (survey/plumbing/throttle.py), so it must be shared by all
# processes: Redis when REDIS_URL is set, else a table in the database (created by every
# `migrate`, see survey/apps.py). Never per-process memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
# A Redis that is down or hangs must not hold a request: give up within half a second (the
# limits then fail open or closed, survey/plumbing/throttle.py).
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.5"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }

# Background work (Django's tasks API, backported): run at once inside the request by
# default, so `make run` and the tests need no worker; TASKS_BACKEND=database queues tasks
# in the database for `manage.py db_worker` (the compose `worker` service).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}

# Where links in emails queued outside a request (manage.py send_due_emails) point.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds before the worker gives up on an unresponsive mail server (and retries later).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# The address every e-mail comes from; its display name, if any, names the product in the
# sender, e.g. "Acme (via Alignment survey)" <survey@example.com> (survey/writes/emails.py).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "assessment@localhost")
EMAIL_PRODUCT_NAME = os.environ.get("EMAIL_PRODUCT_NAME", "Sales & Marketing Alignment")
# Reminders to people who have not answered, 3 days after their invitation and 2 days
# before the close date, queued by `manage.py send_due_emails` (survey/writes/schedule.py).
AUTO_REMINDERS = env_bool("AUTO_REMINDERS", True)
# How long a password-reset link works, in seconds (the e-mail says so).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(60 * 60 * 24 * 3)))

# Where the check of a company domain's TXT record asks (survey/identity/domains.py):
# comma-separated `ip` or `ip:port` ("[::1]:53" for IPv6 with a port); empty = the system's
# resolver (/etc/resolv.conf). DNS_TIMEOUT: seconds before "the DNS servers did not answer".
DNS_NAMESERVERS = env_list("DNS_NAMESERVERS", "")
DNS_TIMEOUT = float(os.environ.get("DNS_TIMEOUT", "3"))

# Behind a reverse proxy: how many proxies add themselves to X-Forwarded-For in front of
# the app (nginx in docker-compose: 1). Only then are the forwarded client address and
# scheme trusted; with 0 the app faces clients directly and trusts no forwarded header.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
# Requests one API token may make a minute (scoring/api/); beyond: 429 with Retry-After.
API_REQUESTS_PER_MINUTE = int(os.environ.get("API_REQUESTS_PER_MINUTE", "600"))
if NUM_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# HTTPS=1 when visitors reach the site over HTTPS (directly or through the proxy): secure
# `__Host-` cookies, a redirect from http, and HSTS. Plain-http local runs and tests: off.
HTTPS = env_bool("HTTPS", env_bool("SECURE_COOKIES"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, for this
    # exact host and path /: no sibling subdomain can plant or overwrite it.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Survey pages (/s/...) send only the origin, never their path (survey/middleware.py).
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "survey.plumbing.operations.csrf_failure"

# Our own files only: no inline script or style, no plugins, never framed, no <base>.
# Bootstrap's CSS draws checkboxes and select arrows with data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No log line holds a working survey, invitation, sign-up or reset link.
    "filters": {"redact_tokens": {"()": "survey.plumbing.logs.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
