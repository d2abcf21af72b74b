"""The clean settings with exactly one mistake, named by the environment's MISTAKE.

tests/test_settings_check.py runs each mistake and expects its finding. Names
here are lower case so that nothing but the mistake becomes a setting.
"""

import os

import django
from django.core.exceptions import ImproperlyConfigured

from . import settings_clean

key = os.environ["SECRET_KEY"]
memcached = "django.core.cache.backends.memcached."
smtp = "django.core.mail.backends.smtp.EmailBackend"
console = "django.core.mail.backends.console.EmailBackend"
if django.VERSION >= (6, 1):  # MAILERS, as settings_clean has it
    email_host_empty = {"MAILERS": {"default": {"BACKEND": smtp, "OPTIONS": {"host": ""}}}}
    email_console = {"MAILERS": {"default": {"BACKEND": console}}}
else:
    email_host_empty = {"EMAIL_HOST": ""}
    email_console = {"EMAIL_BACKEND": console}

mistakes = {
    # DEBUG and values of the wrong type, as environment variables give them
    "debug_true": {"DEBUG": True},
    "debug_string": {"DEBUG": "False"},
    "session_cookie_secure_string": {"SESSION_COOKIE_SECURE": "True"},
    "hsts_seconds_string": {"SECURE_HSTS_SECONDS": "3600"},
    "csrf_origins_string": {"CSRF_TRUSTED_ORIGINS": "https://probe.test"},
    # hosts
    "allowed_hosts_star": {"ALLOWED_HOSTS": ["*"]},
    "allowed_hosts_empty_entry": {"ALLOWED_HOSTS": ["probe.test", ""]},
    "allowed_hosts_other_domain": {"ALLOWED_HOSTS": ["other.test"]},
    "forwarded_host_with_star": {"USE_X_FORWARDED_HOST": True, "ALLOWED_HOSTS": ["*"]},
    # HTTPS behind the proxy
    "proxy_header_none": {"SECURE_PROXY_SSL_HEADER": None},
    "proxy_header_wrong_form": {"SECURE_PROXY_SSL_HEADER": ("X-Forwarded-Proto", "https")},
    "csrf_origin_without_scheme": {"CSRF_TRUSTED_ORIGINS": ["probe.test"]},
    # Same-origin posts need no CSRF_TRUSTED_ORIGINS (Django >= 4.0), unless Django sees the
    # site's https requests as http: without the proxy header.
    "csrf_origins_empty": {"CSRF_TRUSTED_ORIGINS": [], "SECURE_PROXY_SSL_HEADER": None},
    "hsts_zero": {"SECURE_HSTS_SECONDS": 0},
    "hsts_zero_silenced": {"SECURE_HSTS_SECONDS": 0, "SILENCED_SYSTEM_CHECKS": ["security.W004"]},
    # files
    "static_root_unset": {"STATIC_ROOT": None},
    "static_root_other": {"STATIC_ROOT": "/srv/probe/static"},
    "media_root_unset": {"MEDIA_ROOT": ""},
    "media_root_other": {"MEDIA_ROOT": "/srv/probe/media"},
    # cache
    "cache_backend_removed": {
        "CACHES": {"default": {"BACKEND": memcached + "MemcachedCache", "LOCATION": "127.0.0.1:11211"}},
    },
    "cache_client_missing": {
        "CACHES": {"default": {"BACKEND": memcached + "PyLibMCCache", "LOCATION": "127.0.0.1:11211"}},
    },
    "cache_location_other": {
        "CACHES": {"default": {"BACKEND": memcached + "PyMemcacheCache", "LOCATION": "10.9.9.9:11211"}},
    },
    # database
    "database_driver_missing": {
        "DATABASES": {"default": dict(settings_clean.DATABASES["default"], ENGINE="django.db.backends.mysql")},
    },
    "database_other_name": {
        "DATABASES": {"default": dict(settings_clean.DATABASES["default"], NAME="other")},
    },
    # email
    "email_host_empty": email_host_empty,
    "email_console": email_console,
    # setting names
    "obsolete_xss_filter": {"SECURE_BROWSER_XSS_FILTER": True},
    "obsolete_staticfiles_storage": {
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    },
    "misspelled_hsts_seconds": {"SECURE_HSTS_SECOND": 3600},
    "misspelled_referrer_policy": {"REFERRER_POLICY": "same-origin"},
    # secret key
    "secret_key_insecure_prefix": {"SECRET_KEY": "django-insecure-" + key},
    "secret_key_short": {"SECRET_KEY": key[:40]},
    "secret_key_low_entropy": {"SECRET_KEY": "ab" * 30},
    "secret_key_in_source": {"SECRET_KEY": "q7Vd!x2Lr#9pTz@4mKw8&sFb3Nh$6cYj0uGe%1aRo^5iXl*PvQ_yEt+Ck=DnWg"},
}

mistake = os.environ["MISTAKE"]
if mistake not in mistakes:
    raise ImproperlyConfigured(f"MISTAKE must be one of {', '.join(mistakes)}, not {mistake!r}")

# `from .settings_clean import *`, spelt so that linters accept it; then the mistake.
globals().update((name, value) for name, value in vars(settings_clean).items() if name.isupper())
globals().update(mistakes[mistake])
