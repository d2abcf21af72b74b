# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Settings for the example project, read from the environment (twelve-factor).

Every value that differs between a laptop and a server comes from an
environment variable; README.md lists them. With nothing set but DEBUG=true,
the project runs locally on SQLite and an in-process cache. An empty variable
counts as unset, so an environment file may list a name with no value.
"""

import os
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def env_str(name, default=""):
    """The variable's value without surrounding blanks, or default when unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name, default):
    """A boolean variable: true/false, yes/no, on/off or 1/0 (any case)."""
    value = env_str(name).lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use true/false, yes/no or 1/0.")


def env_int(name, default):
    """A whole number variable."""
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name):
    """A comma-separated list; blanks around the items are ignored."""
    return [item.strip() for item in env_str(name).split(",") if item.strip()]


def cache_config(url, key_prefix):
    """The default cache from CACHE_URL.

    ``pymemcache://host:port[,host:port...]`` is memcached through pymemcache;
    ``locmem://`` or nothing is a per-process in-memory cache (development).
    """
    scheme, rest = url.split("://", 1) if "://" in url else (url, "")
    if not url or scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": rest.strip("/") or "example",
            "KEY_PREFIX": key_prefix,
        }
    if scheme == "pymemcache":
        servers = [server.strip().rstrip("/") for server in rest.split(",") if server.strip()]
        if servers:
            return {
                "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                "LOCATION": servers,
                "KEY_PREFIX": key_prefix,
            }
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r} is not understood: use pymemcache://host:port[,host:port...] or locmem://."
    )


# ---------------------------------------------------------------- core

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (a long random string), "
            "or set DEBUG=true for local development."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "django-insecure-local-development-only"
# Keys that signed what is still valid (sessions, password reset links) after
# SECRET_KEY was rotated.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "example.urls"
WSGI_APPLICATION = "example.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- database

# postgres://user:password@host:5432/name; without it, SQLite next to manage.py.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True),
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
        },
    }

# ---------------------------------------------------------------- cache

CACHES = {
    "default": cache_config(env_str("CACHE_URL"), env_str("CACHE_KEY_PREFIX")),
}

# ---------------------------------------------------------------- static and media files

# collectstatic fills STATIC_ROOT; the web server serves it at STATIC_URL, and
# serves the uploads in MEDIA_ROOT at MEDIA_URL.
STATIC_URL = env_str("STATIC_URL", "/static/")
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "static"))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "media"))

# The largest file the upload form accepts, in bytes (the web server in front
# must accept a request body at least this large).
PAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024

# ---------------------------------------------------------------- email

# SMTP when EMAIL_HOST is set; otherwise mails are written to the console.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive: set at most one.")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", "root@localhost")

# Who gets a mail on a server error: "Ann <ann@example.test>, bob@example.test".
ADMINS = [(name, address) for name, address in getaddresses([env_str("ADMINS")]) if address]

# ---------------------------------------------------------------- HTTPS behind a proxy

# nginx terminates TLS and tells the app with X-Forwarded-Proto; the Host
# header is the one nginx passes on, never X-Forwarded-Host.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = False

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# ---------------------------------------------------------------- logging

# Everything goes to stderr, where supervisord (or the terminal) captures it;
# server errors are also mailed to ADMINS when DEBUG is off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(name)s] %(message)s"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["stderr", "mail_admins"], "level": "INFO", "propagate": False},
    },
}

# The longest /slow/ may take (seconds); 0 turns it off (404).
EXAMPLE_SLOW_MAX = env_int("EXAMPLE_SLOW_MAX", 0)
