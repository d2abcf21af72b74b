"""Production settings with nothing to report, for the expectations the tests pass.

As deployed behind nginx on https://probe.test/: the secret key comes from the
environment (or a file it names), TLS ends at the proxy, memcached and
PostgreSQL on the host. Their clients are installed, their servers are not:
importing these settings and running the system checks must not connect (only
check_database does).
"""

import os
from pathlib import Path

import django

DEBUG = False
if "SECRET_KEY_FILE" in os.environ:  # a credential file, such as systemd's LoadCredential= gives
    SECRET_KEY = Path(os.environ["SECRET_KEY_FILE"]).read_text(encoding="utf-8").strip()
else:
    SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["probe.test"]
CSRF_TRUSTED_ORIGINS = ["https://probe.test"]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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
ROOT_URLCONF = "probeproj.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "static/"
STATIC_ROOT = "/srv/probe/current/static"
MEDIA_URL = "media/"
MEDIA_ROOT = "/srv/probe/shared/media"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": "127.0.0.1:11211",
    },
}

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": 5432,
        "NAME": "probe",
        "USER": "probe",
        "PASSWORD": os.environ.get("DATABASE_PASSWORD", ""),
    },
}

# Django 6.1 replaced the EMAIL_* settings with MAILERS (and refuses both at once).
if django.VERSION >= (6, 1):
    MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {"host": "localhost"}},
    }
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = "localhost"
