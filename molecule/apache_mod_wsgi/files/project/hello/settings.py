"""Settings of the apache_mod_wsgi scenario's project: from the environment, which the
WSGI script the role writes reads from /etc/<user>/env."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["apps.test"]
# Apache (or nginx in front of it) sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

ROOT_URLCONF = "hello.urls"
INSTALLED_APPS = []
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
DATABASES = {}
USE_TZ = True

STATIC_URL = os.environ["STATIC_URL"]
STATIC_ROOT = BASE_DIR / "static"
