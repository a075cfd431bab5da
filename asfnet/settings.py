"""Settings for the ASF network portal.

One module for every machine (twelve-factor): whatever differs between a laptop and
production comes from an environment variable. The defaults make `make run` work on a new
machine: SQLite under var/, DEBUG on, mail printed to the console.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-only-for-local-development-never-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

if DEBUG:
    SECRET_KEY = SECRET_KEY or _DEV_SECRET_KEY
else:
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DEBUG is off but SECRET_KEY is missing or weak. Set SECRET_KEY to a random string of "
            'at least 50 characters, e.g. the output of: python -c "import secrets; '
            'print(secrets.token_urlsafe(64))"'
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DEBUG is off but ALLOWED_HOSTS is empty. Set ALLOWED_HOSTS to the host names the "
            "portal is served on, separated by commas, e.g. ALLOWED_HOSTS=asf.example.org"
        )

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, so its translation fields show there (enterprises/translation.py).
    "modeltranslation",
    "asfnet.apps.NetworkAdminConfig",  # django.contrib.admin, titled with the network
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_tables2",
    "simple_history",
    "django_tasks_db",  # the task queue, in the same database as the data
    # The project package is an app only to hold the custom user model.
    "accounts",  # the bottom layer: roles, two-factor guard, admin bases, page cache
    "background",  # the worker: task queue, mail outbox, schedule
    "asfnet",
    "enterprises",
    "placements",
    "reports",
]

MIDDLEWARE = [
    # First, so its duration covers the whole request (JSON log line, X-Request-ID).
    "asfnet.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header (SECURE_CSP below) and the nonce it may carry.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "asfnet.security.CrossOriginResourcePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Records who made each change in the history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "asfnet.urls"
WSGI_APPLICATION = "asfnet.wsgi.application"
SITE_ID = 1

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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "enterprises.context_processors.network",
                "accounts.context_processors.signed_in",
            ],
        },
    },
    {
        # Plain-text mail (subjects and bodies, templates/emails/): rendered without HTML
        # escaping, so "Café & bageri <Väsby>" arrives as written, not as "&amp;" and "&lt;".
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request in seconds, not after the operating
    # system's TCP timeout or the pool's 30 s wait: /healthz says 503 within 3 s and pages
    # show the 503 page (asfnet.views.server_error) within 5 s.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "2")),
        # No just-in-time compilation: the portal's queries are short, and for the few that
        # read every place (the free seats of the place browser) compiling took 16 ms of a
        # 25 ms query (JIT starts above a planner cost the 10,000-place data set reaches).
        "options": "-c jit=off",
    }
    if env_bool("DATABASE_POOL", True):
        # psycopg's pool replaces persistent connections (CONN_MAX_AGE must stay 0).
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN", "1")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
            # How long a request waits for a connection from the pool. A sync gunicorn worker
            # serves one request at a time, so this is the wait for the database to answer; a
            # connection the database dropped is noticed when it is handed out (Django's pool
            # check, CONN_HEALTH_CHECKS), which may take a second wait: 2.5 s in the worst case.
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "1.25")),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the dev server read while a command writes; IMMEDIATE avoids
        # "database is locked" on concurrent writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis where CACHE_URL is set (shared by every app instance), else per process.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            # Redis, but a Redis that is away degrades pages instead of breaking them.
            "BACKEND": "asfnet.cache.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "asfnet"),
            # A Redis that does not answer fails a request (and /healthz) in seconds, not
            # after the operating system's TCP timeout.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
    # Sessions are read from Redis and written to both (the database keeps them through a
    # Redis restart): a signed-in page reads no session from the database. Only with a shared
    # cache: with a cache per process, a logout in one would not reach the others.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif CACHE_URL.startswith("dummy://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis:// or rediss://, got {CACHE_URL!r}"
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "asfnet.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # allauth's login by email, by confirmed addresses only (asfnet/email_addresses.py).
    "asfnet.email_addresses.AuthenticationBackend",
]
# Argon2id (memory-hard, OWASP's first choice) for new and changed passwords: about 0.1 s a
# login here, where PBKDF2 with Django's iterations takes 0.35 s of one core. Older PBKDF2
# hashes still verify and are rehashed with Argon2 at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: email is the login name; nobody signs up on their own.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# One address per account, the login name. A new one replaces it only once its owner has
# confirmed it through the link mailed to it (tests/accounts/test_email_addresses.py).
ACCOUNT_CHANGE_EMAIL = True
# Reauthentication by password or authenticator app; no codes by mail.
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
ACCOUNT_FORMS = {"reset_password": "asfnet.email_addresses.ResetPasswordForm"}
ACCOUNT_ADAPTER = "asfnet.adapters.AccountAdapter"
# The mail templates (templates/account/email/) name the network in the subject themselves.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# One login for the portal and the admin (/admin/login/ leads here), so one rate limit: at most
# 5 failed logins per email address in 5 minutes and 10 per IP address a minute. The counters
# live in the cache above: Redis when CACHE_URL is set, so every app instance shares them.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Behind a reverse proxy the client's address is in X-Forwarded-For: say how many proxies to
# trust, or every visitor shares the proxy's address and its per-IP limits.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Two-factor authentication with an authenticator app (TOTP) and recovery codes. The admin
# requires it of everyone who works there (asfnet.admin_site); case officers may turn it on.
MFA_ADAPTER = "asfnet.adapters.MFAAdapter"
# The keys that encrypt the authenticator secrets in the database (asfnet/secrets_at_rest.py):
# Fernet keys, the first encrypts, all decrypt. Without them a key is derived from SECRET_KEY.
TOTP_ENCRYPTION_KEYS = env_list("TOTP_ENCRYPTION_KEYS")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Also accept the code of the 30 seconds before and after: a code typed as it changes, or a
# phone whose clock is a little off, still works (RFC 6238 recommends such a window).
MFA_TOTP_TOLERANCE = 1

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# What the network writes (categories, enterprises' texts, the tagline) in both languages
# (enterprises/translation.py): Swedish is the original; English falls back to it.
MODELTRANSLATION_DEFAULT_LANGUAGE = "sv"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("sv",)
# A row made with `summary=...` gets it as its Swedish text, whatever language is active.
MODELTRANSLATION_AUTO_POPULATE = "default"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # The annual reports' PDFs, rendered by the worker (reports/pdf.py). Private: not under
    # MEDIA_ROOT; only /rapporter/<year>.pdf serves them, and drafts only to the coordinator.
    # The web and the worker must share this folder.
    "reports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "reports"},
    },
}

# Email. Everything the portal mails goes to the outbox (background/outbox.py), in the
# transaction of the change that causes it; the worker delivers it through the "delivery"
# mailer: SMTP when EMAIL_HOST is set, else printed to the worker's console.
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    _delivery = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _email_host,
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
        },
    }
else:
    _delivery = {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
MAILERS = {
    "default": {"BACKEND": "background.outbox.OutboxBackend"},
    "delivery": _delivery,
}
# Minutes between the tries of a mail the server refused; after the last, the mail is failed.
OUTBOX_RETRY_MINUTES = [
    float(minutes) for minutes in env_list("OUTBOX_RETRY_MINUTES", "1,5,15,60,180")
]
# Sent mail is kept this many days in the outbox (the admin's "Utgående e-post"), then deleted.
OUTBOX_KEEP_SENT_DAYS = int(os.environ.get("OUTBOX_KEEP_SENT_DAYS", "30"))

# The task queue (Django's tasks framework) lives in the database, run by `manage.py worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker says it is alive this often; the tasks of a worker silent for 6 times as long
# (it was killed) are queued again.
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "5"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ASF-nätverket <noreply@example.org>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who receives a mail for every error (a 500) when DEBUG is off. The reports show which form
# fields and query parameters were sent, never their values (asfnet.logging).
ADMINS = env_list("ADMIN_EMAILS")
DEFAULT_EXCEPTION_REPORTER = "asfnet.logging.PrivateExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "asfnet.logging.PrivateExceptionReporterFilter"

# How long messages from the contact form are kept; the privacy notice shows the figure.
INQUIRY_RETENTION_DAYS = int(os.environ.get("INQUIRY_RETENTION_DAYS", "730"))
# Placements that ended longer ago than this lose their participant code (purge_expired);
# the figures of the annual reports do not need it. Two years: the report on the year a
# placement ended is written and questioned during the following year, and a participant who
# comes back within that time can still be recognised by the referrer's code.
PARTICIPANT_CODE_RETENTION_YEARS = int(os.environ.get("PARTICIPANT_CODE_RETENTION_YEARS", "2"))

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # `check --deploy` asks for preload; set SECURE_HSTS_PRELOAD=0 where a subdomain of the
    # host must stay reachable over plain HTTP.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # Both are documented choices (README, "Security headers"), not oversights: the release's
    # `check --deploy` honours them instead of failing on its reminder.
    SILENCED_SYSTEM_CHECKS = [
        *(["security.W008"] if not SECURE_SSL_REDIRECT else []),  # the proxy redirects
        *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),  # no preload list
    ]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# asfnet.security.CrossOriginResourcePolicyMiddleware: nothing is embedded by other sites.
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies: never readable by scripts (no script of the portal or the admin reads the CSRF
# token from its cookie: forms carry it), sent on top-level navigation from other sites only
# (Lax, so a link in a mail still opens a logged-in page), and over HTTPS only in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG

# Content Security Policy (Django's own middleware). Nothing is allowed unless listed: the
# portal's CSS, fonts, images and the admin's scripts come from this site; the only data: URI
# is the QR code of the two-factor setup. No inline script or style anywhere: a template that
# really needs one marks it with nonce="{{ csp_nonce }}" (CSP.NONCE is only sent when a
# template used it). The admin's autocomplete fetches from the site (connect-src).
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SECURE_CSP["upgrade-insecure-requests"] = True

# Logs: one JSON object per line on stdout (asfnet.logging.JSONFormatter), with a line per
# request from asfnet.logging.RequestLogMiddleware. Errors are also mailed to ADMINS.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"json": {"()": "asfnet.logging.JSONFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "asfnet.logging.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (plain text on stderr) are replaced: its lines go to the root.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        # A request with a wrong Host header is a bot's, not an error of ours: a log line, no mail.
        "django.security.DisallowedHost": {"handlers": ["console"], "propagate": False},
        # WeasyPrint reports every step of a render at INFO; only its warnings matter.
        "weasyprint.progress": {"level": "WARNING"},
        # pikepdf (reports/pdf_tags.py) says at INFO when it is imported; only its warnings matter.
        "pikepdf": {"level": "WARNING"},
    },
}
