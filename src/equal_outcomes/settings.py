"""Django settings, read from the environment through typed helpers (see ``core.env``).

Secure by default: ``EQUAL_OUTCOMES_ENV`` is ``production`` unless set to ``development``.
All state lives under ``EQUAL_OUTCOMES_HOME`` (default ``./var``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from equal_outcomes.core.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_secret,
    env_str,
    private_home,
)

PACKAGE_DIR = Path(__file__).resolve().parent
# Settings are read once at the start of every process of the app (web, worker, command), so
# this is where its files are made private to the account that runs it.
HOME = private_home(Path(env_str("EQUAL_OUTCOMES_HOME", "var")).resolve())
ENVIRONMENT = env_choice("EQUAL_OUTCOMES_ENV", "production", ("production", "development"))
DEVELOPMENT = ENVIRONMENT == "development"

SECRET_KEY = env_secret("EQUAL_OUTCOMES_SECRET_KEY", fallback_file=HOME / "secret_key")
# DEBUG shows data in error pages, so it is never on unless asked for, and never in production.
DEBUG = DEVELOPMENT and env_bool("EQUAL_OUTCOMES_DEBUG", False)

ALLOWED_HOSTS = env_list(
    "EQUAL_OUTCOMES_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEVELOPMENT else []
)
CSRF_TRUSTED_ORIGINS = env_list("EQUAL_OUTCOMES_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that its commands (createsuperuser) take the place of Django's own.
    "equal_outcomes.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "crispy_forms",
    "crispy_forms_gds",
    "ninja",
    "django_ratelimit",
    "equal_outcomes.core",
    "equal_outcomes.standards",
    "equal_outcomes.audit",
    "equal_outcomes.customers",
    "equal_outcomes.collection",
    "equal_outcomes.imports",
    "equal_outcomes.sharing",
    "equal_outcomes.insight",
    "equal_outcomes.assessment",
    "equal_outcomes.workforce",
    "equal_outcomes.privacy",
    "equal_outcomes.operations",
    "equal_outcomes.start",
    "equal_outcomes.demo",
]

MIDDLEWARE = [
    "equal_outcomes.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "equal_outcomes.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "equal_outcomes.accounts.middleware.SessionTimeoutMiddleware",
    "equal_outcomes.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "equal_outcomes.core.middleware.SecurityHeadersMiddleware",
    "equal_outcomes.api.middleware.ApiAuditMiddleware",
    # A save that loses a race outside an edit form (core.versions) answers 409, not 500.
    "concurrency.middleware.ConcurrencyMiddleware",
    # A rate-limited page answers 429 (RATELIMIT_VIEW) rather than 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "equal_outcomes.urls"
WSGI_APPLICATION = "equal_outcomes.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "equal_outcomes.accounts.context_processors.service",
            ],
        },
    }
]


# How long a connection waits for another's write to finish before "database is locked": ten
# seconds for the web processes; the task worker, started by ``serve``, waits longer
# (core.worker).
_BUSY_SECONDS = env_int("EQUAL_OUTCOMES_SQLITE_BUSY_SECONDS", 10, minimum=1)


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL", "")
    if url:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        )
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": HOME / "equal-outcomes.sqlite3",
        "OPTIONS": {
            # 16 KB pages (set when the file is created; an existing file keeps its own): a
            # quarter as many pages to log, sync and copy back as SQLite's 4 KB, which took a
            # 1M-row import from 107 s to 99 s. WAL lets readers carry on while one writer
            # commits; FULL makes every commit durable. The log is cut back to 64 MB once
            # copied into the database, rather than staying the size of the largest import.
            "init_command": (
                "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; "
                "PRAGMA synchronous=FULL; PRAGMA journal_size_limit=67108864; "
                f"PRAGMA foreign_keys=ON; PRAGMA busy_timeout={_BUSY_SECONDS * 1000};"
            ),
            "timeout": _BUSY_SECONDS,
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and address is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Verifies (and upgrades on next sign-in) any hash made by an older setting.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LANGUAGE_COOKIE_NAME = "eo_language"
LANGUAGE_COOKIE_SECURE = not DEVELOPMENT
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("EQUAL_OUTCOMES_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = HOME / "uploads"

# Background work (imports) runs through Django Tasks, stored in the database and run by the
# worker that `equal-outcomes serve` starts beside the web server.
TASKS = {
    "default": {
        "BACKEND": env_str("EQUAL_OUTCOMES_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Encryption of special-category and vulnerability data (see core.crypto).
EQUAL_OUTCOMES_KEY_FILE = Path(
    env_str("EQUAL_OUTCOMES_KEY_FILE", str(HOME / "keys" / "keyring.json"))
).resolve()

# How long a profile answer may go unconfirmed before it counts as stale (days).
EQUAL_OUTCOMES_STALE_AFTER_DAYS = env_int("EQUAL_OUTCOMES_STALE_AFTER_DAYS", 730, minimum=1)

# A cache every server process shares (the API's rate limits are counted in it).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(HOME / "cache"),
    }
}

# Rate limits on the web pages (django-ratelimit; over a limit, 429 with Retry-After). The
# counts live in the shared file cache: on one host every worker sees them. That cache's
# increments are not atomic, so a burst can slip a request or two past a limit; these limits
# protect the service and the data from floods and scraping, they are not quotas.
RATELIMIT_VIEW = "equal_outcomes.core.views.too_many_requests"
CONCURRENCY_HANDLER409 = "equal_outcomes.core.views.conflict"
EQUAL_OUTCOMES_SIGN_IN_PER_MINUTE = env_int("EQUAL_OUTCOMES_SIGN_IN_PER_MINUTE", 30, minimum=1)
EQUAL_OUTCOMES_SEARCH_PER_MINUTE = env_int("EQUAL_OUTCOMES_SEARCH_PER_MINUTE", 60, minimum=1)
EQUAL_OUTCOMES_EXPORTS_PER_HOUR = env_int("EQUAL_OUTCOMES_EXPORTS_PER_HOUR", 30, minimum=1)
# The team (a group of users) whose members read "highly restricted" support needs.
EQUAL_OUTCOMES_SAFEGUARDING_TEAM = env_str("EQUAL_OUTCOMES_SAFEGUARDING_TEAM", "Safeguarding leads")
# Job packs a contractor's user or token may read in an hour.
EQUAL_OUTCOMES_JOB_PACKS_PER_HOUR = env_int("EQUAL_OUTCOMES_JOB_PACKS_PER_HOUR", 120, minimum=1)
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# The API: requests a token may make per minute (over that, 429 with Retry-After).
EQUAL_OUTCOMES_API_PER_MINUTE = env_int("EQUAL_OUTCOMES_API_PER_MINUTE", 120, minimum=1)
# API calls without a usable token from one address a minute; past that, 429 before any work.
EQUAL_OUTCOMES_API_FAILURES_PER_MINUTE = env_int(
    "EQUAL_OUTCOMES_API_FAILURES_PER_MINUTE", 20, minimum=1
)

# Tenant self-service: how long a questionnaire link lasts.
EQUAL_OUTCOMES_INVITATION_DAYS = env_int("EQUAL_OUTCOMES_INVITATION_DAYS", 28, minimum=1)

# Email: staff invitations, password resets and questionnaire links go to the person, never
# through the member of staff who sends them. An SMTP relay when EQUAL_OUTCOMES_SMTP_HOST is set
# (EQUAL_OUTCOMES_SMTP_TLS: none, starttls or ssl); on a development installation without one,
# the console; in production without one, nothing can be emailed (staff are offered letters).
EMAIL_HOST = env_str("EQUAL_OUTCOMES_SMTP_HOST", "")
_SMTP_TLS = env_choice("EQUAL_OUTCOMES_SMTP_TLS", "starttls", ("none", "starttls", "ssl"))
EMAIL_PORT = env_int(
    "EQUAL_OUTCOMES_SMTP_PORT", {"none": 25, "starttls": 587, "ssl": 465}[_SMTP_TLS], minimum=1
)
EMAIL_HOST_USER = env_str("EQUAL_OUTCOMES_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_str("EQUAL_OUTCOMES_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _SMTP_TLS == "starttls"
EMAIL_USE_SSL = _SMTP_TLS == "ssl"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("EQUAL_OUTCOMES_EMAIL_FROM", "Equal Outcomes <no-reply@localhost>")
EQUAL_OUTCOMES_EMAIL_ENABLED = bool(EMAIL_HOST) or DEVELOPMENT
# Where people reach the service, for links in emails sent by commands (pages use the address
# they were asked at): https://equal-outcomes.example.org
EQUAL_OUTCOMES_SITE_URL = env_str("EQUAL_OUTCOMES_SITE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# Letters (questionnaire codes for people without email) are written as PDFs here for the print
# room or a hybrid-mail service to collect; staff who ask for one never see its code.
EQUAL_OUTCOMES_LETTERS = HOME / "outbox" / "letters"

# Break-the-glass: how long an emergency grant to open a record outside one's areas lasts.
EQUAL_OUTCOMES_EMERGENCY_MINUTES = env_int("EQUAL_OUTCOMES_EMERGENCY_MINUTES", 60, minimum=5)

# Retention schedule applied by `equal-outcomes retention run` (days after the trigger date).
EQUAL_OUTCOMES_RETENTION = {
    # Pregnancy and maternity answers, after they expire.
    "expired_answers": env_int("EQUAL_OUTCOMES_RETAIN_EXPIRED_ANSWERS_DAYS", 0, minimum=0),
    # Support and communication needs, after their end date.
    "ended_needs": env_int("EQUAL_OUTCOMES_RETAIN_ENDED_NEEDS_DAYS", 365, minimum=0),
    # The reason given for emergency ("break the glass") access, after the grant ended.
    "emergency_access": env_int("EQUAL_OUTCOMES_RETAIN_EMERGENCY_ACCESS_DAYS", 365, minimum=0),
    # Questionnaire invitations, after they expired.
    "invitations": env_int("EQUAL_OUTCOMES_RETAIN_INVITATIONS_DAYS", 90, minimum=0),
    # Unfinished questionnaire answers, after they were last saved.
    "drafts": env_int("EQUAL_OUTCOMES_RETAIN_DRAFTS_DAYS", 90, minimum=0),
    # What a referral said (need, safeguarding reason, outcome), after it closed.
    "closed_referrals": env_int("EQUAL_OUTCOMES_RETAIN_CLOSED_REFERRALS_DAYS", 730, minimum=0),
    # Contractors' notes from visits, after staff decided on them.
    "decided_reports": env_int("EQUAL_OUTCOMES_RETAIN_DECIDED_REPORTS_DAYS", 365, minimum=0),
    # Import reports (they quote refused rows), after the import finished.
    "import_reports": env_int("EQUAL_OUTCOMES_RETAIN_IMPORT_REPORTS_DAYS", 90, minimum=0),
    # Former customers' special-category and vulnerability data, after their last tenancy ended.
    "former_customers": env_int("EQUAL_OUTCOMES_RETAIN_FORMER_CUSTOMERS_DAYS", 730, minimum=0),
    # Job applications (the recruitment funnel looks back two years), after the application.
    "applications": env_int("EQUAL_OUTCOMES_RETAIN_APPLICATIONS_DAYS", 730, minimum=0),
    # Staff survey responses, after the response.
    "survey_responses": env_int("EQUAL_OUTCOMES_RETAIN_SURVEY_RESPONSES_DAYS", 1095, minimum=0),
    # Former staff and board members' records (with their training), after they left.
    "former_staff": env_int("EQUAL_OUTCOMES_RETAIN_FORMER_STAFF_DAYS", 2190, minimum=0),
}

# Sign-in: lockout after repeated failures (django-axes), time-limited, per username and address.
AXES_FAILURE_LIMIT = env_int("EQUAL_OUTCOMES_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("EQUAL_OUTCOMES_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Our own security log records failures without the typed username, which may be a password.
AXES_VERBOSE = False
# How many reverse proxies of ours stand between clients and the app: the client's address is
# taken from X-Forwarded-For past them (core.middleware), for the lock-out, limits and logs.
# Behind a proxy (EQUAL_OUTCOMES_BEHIND_PROXY) one unless said otherwise; never trusted without.
EQUAL_OUTCOMES_TRUSTED_PROXIES = env_int(
    "EQUAL_OUTCOMES_TRUSTED_PROXIES",
    1 if env_bool("EQUAL_OUTCOMES_BEHIND_PROXY", False) else 0,
    minimum=0,
)
OTP_TOTP_ISSUER = env_str("EQUAL_OUTCOMES_SERVICE_NAME", "Equal Outcomes")

# Sessions end after 30 minutes idle and 12 hours after sign-in, whatever happens in between.
SESSION_IDLE_SECONDS = env_int("EQUAL_OUTCOMES_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_ABSOLUTE_SECONDS = env_int("EQUAL_OUTCOMES_SESSION_SECONDS", 12 * 3600, minimum=300)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
# Kept under a hash of their key, so a copy of the database holds no session to replay.
SESSION_ENGINE = "equal_outcomes.accounts.sessions"
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEVELOPMENT:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("EQUAL_OUTCOMES_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("EQUAL_OUTCOMES_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("EQUAL_OUTCOMES_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a commitment only the owner of the domain can make; it is opt-in.
        SILENCED_SYSTEM_CHECKS += ["security.W021"]
    if env_bool("EQUAL_OUTCOMES_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("EQUAL_OUTCOMES_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request paths never carry sensitive data, but request bodies can: never log them.
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "WARNING"},
        # Sign-ins, failed sign-ins and refusals, without passwords or personal data.
        "equal_outcomes.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
