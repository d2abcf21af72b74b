"""The settings check's pure functions (plugins/module_utils/django_settings.py) and the
probe's helpers that need no Django (plugins/module_utils/django_probe.py).

Each check gets inputs that must trigger its findings and near misses that must not.
"""

import json
import os
import time
from pathlib import Path

import pytest

from ansible_collections.djangostack.deploy.plugins.module_utils import django_probe as probe
from ansible_collections.djangostack.deploy.plugins.module_utils import django_settings as ds

# A key as Django's get_random_secret_key() makes them, 64 characters.
GOOD_KEY = "ad16aq+cdyzfg#e64$afvsod-7x(=5@^bm3#d-4k#tijbgs(-u$7p!oxh77)3d#m"
SMTP = "django.core.mail.backends.smtp.EmailBackend"

# The names of django.conf.global_settings in Django 5.2: what the probe returns as `known`.
KNOWN = (
    "ABSOLUTE_URL_OVERRIDES", "ADMINS", "ALLOWED_HOSTS", "APPEND_SLASH", "AUTHENTICATION_BACKENDS",
    "AUTH_PASSWORD_VALIDATORS", "AUTH_USER_MODEL", "CACHES", "CACHE_MIDDLEWARE_ALIAS",
    "CACHE_MIDDLEWARE_KEY_PREFIX", "CACHE_MIDDLEWARE_SECONDS", "CSRF_COOKIE_AGE", "CSRF_COOKIE_DOMAIN",
    "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_NAME", "CSRF_COOKIE_PATH", "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE", "CSRF_FAILURE_VIEW", "CSRF_HEADER_NAME", "CSRF_TRUSTED_ORIGINS",
    "CSRF_USE_SESSIONS", "DATABASES", "DATABASE_ROUTERS", "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "DATA_UPLOAD_MAX_NUMBER_FIELDS", "DATA_UPLOAD_MAX_NUMBER_FILES", "DATETIME_FORMAT",
    "DATETIME_INPUT_FORMATS", "DATE_FORMAT", "DATE_INPUT_FORMATS", "DEBUG", "DEBUG_PROPAGATE_EXCEPTIONS",
    "DECIMAL_SEPARATOR", "DEFAULT_AUTO_FIELD", "DEFAULT_CHARSET", "DEFAULT_EXCEPTION_REPORTER",
    "DEFAULT_EXCEPTION_REPORTER_FILTER", "DEFAULT_FROM_EMAIL", "DEFAULT_INDEX_TABLESPACE",
    "DEFAULT_TABLESPACE", "DISALLOWED_USER_AGENTS", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_HOST_PASSWORD",
    "EMAIL_HOST_USER", "EMAIL_PORT", "EMAIL_SSL_CERTFILE", "EMAIL_SSL_KEYFILE", "EMAIL_SUBJECT_PREFIX",
    "EMAIL_TIMEOUT", "EMAIL_USE_LOCALTIME", "EMAIL_USE_SSL", "EMAIL_USE_TLS",
    "FILE_UPLOAD_DIRECTORY_PERMISSIONS", "FILE_UPLOAD_HANDLERS", "FILE_UPLOAD_MAX_MEMORY_SIZE",
    "FILE_UPLOAD_PERMISSIONS", "FILE_UPLOAD_TEMP_DIR", "FIRST_DAY_OF_WEEK", "FIXTURE_DIRS",
    "FORCE_SCRIPT_NAME", "FORMAT_MODULE_PATH", "FORMS_URLFIELD_ASSUME_HTTPS", "FORM_RENDERER",
    "IGNORABLE_404_URLS", "INSTALLED_APPS", "INTERNAL_IPS", "LANGUAGES", "LANGUAGES_BIDI", "LANGUAGE_CODE",
    "LANGUAGE_COOKIE_AGE", "LANGUAGE_COOKIE_DOMAIN", "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_NAME",
    "LANGUAGE_COOKIE_PATH", "LANGUAGE_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SECURE", "LOCALE_PATHS", "LOGGING",
    "LOGGING_CONFIG", "LOGIN_REDIRECT_URL", "LOGIN_URL", "LOGOUT_REDIRECT_URL", "MANAGERS", "MEDIA_ROOT",
    "MEDIA_URL", "MESSAGE_STORAGE", "MIDDLEWARE", "MIGRATION_MODULES", "MONTH_DAY_FORMAT",
    "NUMBER_GROUPING", "PASSWORD_HASHERS", "PASSWORD_RESET_TIMEOUT", "PREPEND_WWW", "SECRET_KEY",
    "SECRET_KEY_FALLBACKS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER", "SECURE_REDIRECT_EXEMPT", "SECURE_REFERRER_POLICY", "SECURE_SSL_HOST",
    "SECURE_SSL_REDIRECT", "SERVER_EMAIL", "SESSION_CACHE_ALIAS", "SESSION_COOKIE_AGE",
    "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_NAME", "SESSION_COOKIE_PATH",
    "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_SECURE", "SESSION_ENGINE", "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "SESSION_FILE_PATH", "SESSION_SAVE_EVERY_REQUEST", "SESSION_SERIALIZER", "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT", "SIGNED_COOKIE_LEGACY_SALT_FALLBACK", "SIGNING_BACKEND", "SILENCED_SYSTEM_CHECKS",
    "STATICFILES_DIRS", "STATICFILES_FINDERS", "STATIC_ROOT", "STATIC_URL", "STORAGES", "TEMPLATES",
    "TEST_NON_SERIALIZED_APPS", "TEST_RUNNER", "THOUSAND_SEPARATOR", "TIME_FORMAT", "TIME_INPUT_FORMATS",
    "TIME_ZONE", "USE_I18N", "USE_THOUSAND_SEPARATOR", "USE_TZ", "USE_X_FORWARDED_HOST",
    "USE_X_FORWARDED_PORT", "WSGI_APPLICATION", "X_FRAME_OPTIONS", "YEAR_MONTH_FORMAT",
)


def ids(findings):
    """The ids of findings without their prefix, in order."""
    return [f["id"].replace("djangostack.", "") for f in findings]


def nested(value, depth):
    """`value` inside `depth` lists."""
    for _level in range(depth):
        value = [value]
    return value


# ---------------------------------------------------------------- the catalogue

@pytest.mark.parametrize("check_id", sorted(ds.CATALOGUE))
def test_the_letter_of_an_id_is_its_level_and_every_id_has_a_hint(check_id):
    level, hint = ds.CATALOGUE[check_id]
    assert check_id.startswith("djangostack.")
    assert {"E": "error", "W": "warning", "C": "critical"}[check_id.split(".")[1][0]] == level
    assert hint.strip()
    made = ds.finding(check_id, "DEBUG", "a message")
    assert made == {"id": check_id, "level": level, "setting": "DEBUG", "message": "a message", "hint": hint,
                    "source": "djangostack"}


# ---------------------------------------------------------------- types

@pytest.mark.parametrize("settings, types, expected", [
    ({"DEBUG": True}, {"DEBUG": "bool"}, ["E001"]),
    ({"DEBUG": False}, {"DEBUG": "bool"}, []),
    ({"DEBUG": "False"}, {"DEBUG": "str"}, ["E001", "E002"]),
    ({"SESSION_COOKIE_SECURE": "True"}, {"SESSION_COOKIE_SECURE": "str"}, ["E002"]),
    ({"SESSION_COOKIE_SECURE": True}, {"SESSION_COOKIE_SECURE": "bool"}, []),
    ({"SECURE_HSTS_SECONDS": "31536000"}, {"SECURE_HSTS_SECONDS": "str"}, ["E003"]),
    ({"SECURE_HSTS_SECONDS": 31536000}, {"SECURE_HSTS_SECONDS": "int"}, []),
    ({"ALLOWED_HOSTS": "a.example.test,b.example.test"}, {"ALLOWED_HOSTS": "str"}, ["E004"]),
    ({"ALLOWED_HOSTS": ["a.example.test"]}, {"ALLOWED_HOSTS": "list"}, []),
    ({"ALLOWED_HOSTS": ["a.example.test"]}, {"ALLOWED_HOSTS": "tuple"}, []),
    ({"SECRET_KEY": GOOD_KEY}, {"SECRET_KEY": "str"}, []),
])
def test_check_types(settings, types, expected):
    found = ds.check_types(settings, types)
    assert ids(found) == expected
    for item in found:
        assert item["setting"] in settings
        assert item["setting"] in item["message"]


def test_a_fallback_key_given_as_a_string_is_not_shown_in_the_finding():
    old_key = "old-" + GOOD_KEY
    found = ds.check_types({"SECRET_KEY_FALLBACKS": old_key}, {"SECRET_KEY_FALLBACKS": "str"})
    assert ids(found) == ["E004"]
    assert old_key not in found[0]["message"]


# ---------------------------------------------------------------- ALLOWED_HOSTS

@pytest.mark.parametrize("domain, pattern, matches", [
    ("www.example.test", ".example.test", True),
    ("example.test", ".example.test", True),
    ("badexample.test", ".example.test", False),
    ("www.example.test", "example.test", False),
    ("Example.TEST.", "example.test", True),
    ("example.test", "EXAMPLE.test", True),
    ("anything.test", "*", True),
])
def test_host_matches_as_django_does(domain, pattern, matches):
    assert ds.host_matches(domain, pattern) is matches


@pytest.mark.parametrize("settings, domains, expected", [
    ({"ALLOWED_HOSTS": [".example.test"]}, ["www.example.test", "example.test"], []),
    ({"ALLOWED_HOSTS": ["example.test", "www.example.test"]}, ["www.example.test", "example.test"], []),
    ({"ALLOWED_HOSTS": ["example.test"]}, ["example.test", "www.example.test"], ["E012"]),
    ({"ALLOWED_HOSTS": []}, ["example.test"], ["E012"]),
    ({"ALLOWED_HOSTS": ["*"]}, ["example.test"], ["W010"]),
    ({"ALLOWED_HOSTS": ["*"], "USE_X_FORWARDED_HOST": True}, [], ["W010", "E013"]),
    ({"ALLOWED_HOSTS": ["example.test"], "USE_X_FORWARDED_HOST": True}, ["example.test"], []),
    ({"ALLOWED_HOSTS": ["", "example.test"]}, ["example.test"], ["W011"]),
    ({"ALLOWED_HOSTS": [""]}, ["example.test"], ["W011", "E012"]),
    ({"ALLOWED_HOSTS": "example.test"}, ["other.test"], []),
    ({"ALLOWED_HOSTS": []}, [], []),
])
def test_check_hosts(settings, domains, expected):
    assert ids(ds.check_hosts(settings, {"domains": domains})) == expected


@pytest.mark.parametrize("hosts, domains, expected", [
    ([".herokuapp.com"], [], ["W014"]),
    ([".HerokuApp.com"], [], ["W014"]),
    ([".herokuapp.com."], [], ["W014"]),
    (["blog.example.test", ".up.railway.app"], ["blog.example.test"], ["W014"]),
    ([".railway.app"], [], ["W014"]),
    ([".onrender.com", ".fly.dev", ".vercel.app"], [], ["W014", "W014", "W014"]),
    ([".pythonanywhere.com"], [], ["W014"]),
    ([".azurewebsites.net"], [], ["W014"]),
    ([".ngrok.io"], [], ["W014"]),
    ([".ngrok-free.app"], [], ["W014"]),
    # The app's own name on a platform, a subdomain of it, a literal that Django does not take as a
    # wildcard, a domain of one's own: no platform's customers are trusted.
    (["blog.herokuapp.com"], [], []),
    ([".blog.herokuapp.com"], [], []),
    (["*.herokuapp.com"], [], []),
    (["herokuapp.com"], [], []),
    ([".example.test"], [], []),
    ([".notherokuapp.com"], [], []),
    # The site is served on that platform: the wildcard is among the served domains.
    ([".ngrok-free.app"], ["blog-42.ngrok-free.app"], []),
])
def test_a_wildcard_of_a_hosting_platform_in_allowed_hosts_is_w014(hosts, domains, expected):
    assert ids(ds.check_hosts({"ALLOWED_HOSTS": hosts}, {"domains": domains})) == expected


def test_w014_names_the_wildcard_and_the_platform():
    found = ds.check_hosts({"ALLOWED_HOSTS": ["blog.example.test", ".herokuapp.com"]}, {})
    assert found[0]["message"] == ("ALLOWED_HOSTS contains \".herokuapp.com\", the host names of every Heroku app: any "
                                   "of them can have Django build links to it (password reset mails)")
    assert found[0]["setting"] == "ALLOWED_HOSTS"


def test_a_host_not_covered_is_named():
    found = ds.check_hosts({"ALLOWED_HOSTS": ["example.test"]}, {"domains": ["example.test", "www.example.test"]})
    assert "www.example.test" in found[0]["message"]
    assert "example.test, " not in found[0]["message"]


# ---------------------------------------------------------------- SECURE_PROXY_SSL_HEADER

@pytest.mark.parametrize("header, expect, expected", [
    # A check whose expectation is not given is not made: E020 needs behind_proxy.
    (None, {}, []),
    (None, {"https": True}, []),
    (None, {"domains": ["example.test"]}, []),
    (None, {"https": True, "behind_proxy": True}, ["E020"]),
    (None, {"behind_proxy": True}, ["E020"]),
    (None, {"https": False, "behind_proxy": True}, []),
    (None, {"https": False}, []),
    (None, {"behind_proxy": False}, []),
    (["HTTP_X_FORWARDED_PROTO", "https"], {}, []),
    (["HTTP_X_FORWARDED_PROTO", "http"], {}, ["E021"]),
    (["X-Forwarded-Proto", "https"], {}, ["E021"]),
    (["HTTP_X_FORWARDED_SSL", "on"], {}, []),
    ("HTTP_X_FORWARDED_PROTO", {}, ["E021"]),
    (["HTTP_X_FORWARDED_PROTO"], {}, ["E021"]),
    (["HTTP_X_FORWARDED_PROTO", ""], {}, ["E021"]),
    (["HTTP_X_FORWARDED_PROTO", "https"], {"https": False}, []),
    # What the proxy in front sends (X-Forwarded-Proto: https by default) against what Django reads.
    (["HTTP_X_FORWARDED_PROTO", "https"], {"behind_proxy": True}, []),
    (["HTTP_X_FORWARDED_PROTOCOL", "https"], {"behind_proxy": True}, ["E025"]),
    (["HTTP_X_FORWARDED_PROTOCOL", "https"], {}, []),
    (["HTTP_X_FORWARDED_SSL", "on"], {"https": True, "behind_proxy": True}, ["E025"]),
    (["HTTP_X_FORWARDED_SSL", "on"], {"behind_proxy": False}, []),
    (["HTTP_X_FORWARDED_SSL", "on"], {"behind_proxy": True, "https": False}, []),
    (["HTTP_X_FORWARDED_SSL", "on"], {"behind_proxy": True, "proxy_header": ["HTTP_X_FORWARDED_SSL", "on"]}, []),
    (["HTTP_X_FORWARDED_SSL", "1"], {"behind_proxy": True, "proxy_header": ["HTTP_X_FORWARDED_SSL", "on"]}, ["E025"]),
    (["HTTP_X_FORWARDED_PROTO", "https"], {"behind_proxy": True, "proxy_header": ["HTTP_X_FORWARDED_SSL", "on"]},
     ["E025"]),
    (["HTTP_X_FORWARDED_PROTO", "http"], {"behind_proxy": True}, ["E021"]),
])
def test_check_proxy(header, expect, expected):
    assert ids(ds.check_proxy({"SECURE_PROXY_SSL_HEADER": header}, expect)) == expected


@pytest.mark.parametrize("header, expect, words", [
    (["HTTP_X_FORWARDED_PROTOCOL", "https"], {"behind_proxy": True},
     "SECURE_PROXY_SSL_HEADER is (\"HTTP_X_FORWARDED_PROTOCOL\", \"https\"), but the proxy does not send "
     "X-Forwarded-Protocol (it sends X-Forwarded-Proto: https): Django sees every request as http"),
    (["HTTP_X_FORWARDED_SSL", "1"], {"behind_proxy": True, "proxy_header": ["HTTP_X_FORWARDED_SSL", "on"]},
     "SECURE_PROXY_SSL_HEADER is (\"HTTP_X_FORWARDED_SSL\", \"1\"), but the proxy sets X-Forwarded-Ssl to \"on\", "
     "not \"1\" (it sends X-Forwarded-Ssl: on): Django sees every request as http"),
])
def test_e025_names_the_header_the_proxy_sends(header, expect, words):
    found = ds.check_proxy({"SECURE_PROXY_SSL_HEADER": header}, expect)
    assert found[0]["message"] == words


# ---------------------------------------------------------------- CSRF_TRUSTED_ORIGINS

@pytest.mark.parametrize("entry, origin, covers", [
    ("https://*.example.test", "https://www.example.test", True),
    ("https://*.example.test", "https://a.b.example.test", True),
    ("https://*.example.test", "https://badexample.test", False),
    ("http://*.example.test", "https://www.example.test", False),
    ("https://example.test/", "https://example.test", True),
    ("HTTPS://Example.test", "https://example.test", True),
    ("https://example.test", "https://www.example.test", False),
    ("http://example.test", "https://example.test", False),
    # Django's CsrfViewMiddleware matches "*.example.test" with is_same_domain(), as ".example.test".
    ("https://*.example.test", "https://example.test", True),
])
def test_origin_covers_as_django_does(entry, origin, covers):
    assert ds.origin_covers(entry, origin) is covers


PROXIED = {"https": True, "behind_proxy": True}
XFP = ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.parametrize("origins, header, expect, expected", [
    (["https://example.test"], XFP, dict(PROXIED, domains=["example.test"]), []),
    (["https://*.example.test"], None, dict(PROXIED, domains=["www.example.test", "shop.example.test"]), []),
    (["example.test"], None, dict(PROXIED, domains=["example.test"]), ["E022", "W023"]),
    (["example.test"], XFP, dict(PROXIED, domains=["example.test"]), ["E022"]),
    (["https://example.test", "www.example.test"], XFP, dict(PROXIED, domains=["example.test"]), ["E022"]),
    # Django 4.0 and later accept a POST from the request's own origin (scheme and host) without an entry:
    # a served domain needs one only when Django sees its requests as http.
    ([], XFP, dict(PROXIED, domains=["example.test"]), []),
    (["https://example.test"], XFP, dict(PROXIED, domains=["example.test", "www.example.test"]), []),
    (["http://example.test"], XFP, dict(PROXIED, domains=["example.test"]), []),
    ([], XFP, {"domains": ["example.test"]}, []),
    ([], None, {"domains": ["example.test"], "https": True, "behind_proxy": False}, []),
    ([], None, {"domains": ["example.test"]}, []),
    ([], None, dict(PROXIED, domains=["example.test"]), ["W023"]),
    ([], ["HTTP_X_FORWARDED_SSL", "on"], dict(PROXIED, domains=["example.test"]), ["W023"]),
    ([], ["HTTP_X_FORWARDED_SSL", "on"], dict(PROXIED, domains=["example.test"],
                                              proxy_header=["HTTP_X_FORWARDED_SSL", "on"]), []),
    (["https://example.test"], None, dict(PROXIED, domains=["example.test", "www.example.test"]), ["W023"]),
    (["http://example.test"], None, dict(PROXIED, domains=["example.test"]), ["W023"]),
    (["http://example.test"], None, {"domains": ["example.test"], "https": False, "behind_proxy": True}, []),
    ("https://example.test", None, dict(PROXIED, domains=["other.test"]), []),
    ([], None, {}, []),
])
def test_check_csrf(origins, header, expect, expected):
    settings = {"CSRF_TRUSTED_ORIGINS": origins, "SECURE_PROXY_SSL_HEADER": header}
    assert ids(ds.check_csrf(settings, expect)) == expected


@pytest.mark.parametrize("origins, domains, expected", [
    (["https://*.herokuapp.com"], [], ["E024"]),
    (["https://blog.example.test", "https://*.up.railway.app"], ["blog.example.test"], ["E024"]),
    (["https://*.railway.app"], [], ["E024"]),
    (["https://*.onrender.com", "https://*.fly.dev", "https://*.vercel.app"], [], ["E024", "E024", "E024"]),
    (["https://*.pythonanywhere.com", "https://*.azurewebsites.net"], [], ["E024", "E024"]),
    (["https://*.ngrok.io", "https://*.ngrok-free.app"], [], ["E024", "E024"]),
    (["https://*.fly.dev:443"], [], ["E024"]),
    (["HTTPS://*.Fly.Dev/"], [], ["E024"]),
    (["http://*.herokuapp.com"], [], ["E024"]),
    (["https://blog.herokuapp.com"], [], []),
    (["https://*.blog.herokuapp.com"], [], []),
    (["https://*.example.test"], [], []),
    (["https://*.onrender.com"], ["blog.onrender.com"], []),
])
def test_a_wildcard_of_a_hosting_platform_in_csrf_trusted_origins_is_e024(origins, domains, expected):
    assert ids(ds.check_csrf({"CSRF_TRUSTED_ORIGINS": origins}, {"domains": domains})) == expected


def test_e024_names_the_wildcard_and_the_platform():
    found = ds.check_csrf({"CSRF_TRUSTED_ORIGINS": ["https://*.ngrok-free.app"]}, {})
    assert found[0]["message"] == ("CSRF_TRUSTED_ORIGINS trusts https://*.ngrok-free.app: a page of any ngrok app can "
                                   "post forms to the site as its logged-in users")
    assert (found[0]["level"], found[0]["setting"]) == ("error", "CSRF_TRUSTED_ORIGINS")


def test_an_origin_not_covered_is_named_with_its_scheme():
    found = ds.check_csrf({"CSRF_TRUSTED_ORIGINS": ["https://example.test"]},
                          dict(PROXIED, domains=["example.test", "www.example.test"]))
    assert "https://www.example.test" in found[0]["message"]
    assert "https://example.test," not in found[0]["message"]


# ---------------------------------------------------------------- STATIC_ROOT, MEDIA_ROOT

SERVED = {"static_root": "/srv/a/current/static", "media_root": "/srv/a/shared/media"}


@pytest.mark.parametrize("static_root, media_root, expect, file_fields, expected", [
    ("/srv/a/current/static", "/srv/a/shared/media", SERVED, ["blog.Post.image"], []),
    ("/srv/a/current/static/", "/srv/a/shared/media/", SERVED, ["blog.Post.image"], []),
    ("/srv/a/current//static", "/srv/a/shared/./media", SERVED, ["blog.Post.image"], []),
    (None, "/srv/a/shared/media", SERVED, [], ["E030"]),
    ("", "/srv/a/shared/media", {}, [], ["E030"]),
    ("/srv/a/releases/20261121T101500Z/static", "/srv/a/shared/media", SERVED, [], ["E031"]),
    ("/srv/a/current/static", "", SERVED, ["blog.Post.image"], ["W032"]),
    ("/srv/a/current/static", None, {}, ["blog.Post.image"], ["W032"]),
    # No installed model keeps files under MEDIA_ROOT: nothing is uploaded there.
    ("/srv/a/current/static", "", SERVED, [], []),
    ("/srv/a/current/static", None, {}, [], []),
    # Not known (the probe stopped before it could look at the models): as if there were some.
    ("/srv/a/current/static", "", SERVED, None, ["W032"]),
    ("/srv/a/current/static", "/srv/a/media", SERVED, [], ["E033"]),
    ("/anywhere/static", "/anywhere/media", {}, [], []),
])
def test_check_files(static_root, media_root, expect, file_fields, expected):
    settings = {"STATIC_ROOT": static_root, "MEDIA_ROOT": media_root}
    assert ids(ds.check_files(settings, expect, file_fields)) == expected


@pytest.mark.parametrize("file_fields, words", [
    (["blog.Post.image"], "MEDIA_ROOT is not set: uploads to blog.Post.image land in the process's working directory"),
    (["a.A.f", "a.B.f", "a.C.f", "a.D.f"], "uploads to a.A.f, a.B.f, a.C.f and 1 more field land"),
    (["a.A.f", "a.B.f", "a.C.f", "a.D.f", "a.E.f"], "uploads to a.A.f, a.B.f, a.C.f and 2 more fields land"),
])
def test_w032_names_the_file_fields(file_fields, words):
    found = ds.check_files({"STATIC_ROOT": "/s", "MEDIA_ROOT": ""}, {}, file_fields)
    assert words in found[0]["message"]


# ---------------------------------------------------------------- CACHES

PYMEMCACHE = "django.core.cache.backends.memcached.PyMemcacheCache"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def cache(backend, location=None, **probed):
    """CACHES as the settings give it, and the probe's view of the default alias."""
    settings = {"CACHES": {"default": {"BACKEND": backend, "LOCATION": location}}}
    caches = {"default": dict({"backend": backend, "importable": True, "error": "", "client": None}, **probed)}
    return settings, caches


@pytest.mark.parametrize("configured, expect, expected, words", [
    (cache("django.core.cache.backends.memcached.MemcachedCache", "127.0.0.1:11211", importable=False,
           error="ImportError: Module has no attribute MemcachedCache"), {}, ["E040"], "removed in Django 4.1"),
    (cache("blog.cache.Broken", importable=False, error="ModuleNotFoundError: No module named 'blog.cache'"),
     {}, ["E040"], "cannot be imported: ModuleNotFoundError"),
    (cache(PYMEMCACHE, "127.0.0.1:11211", client="pymemcache", client_installed=False), {}, ["E041"], "pymemcache"),
    (cache(PYMEMCACHE, "127.0.0.1:11211", client="pymemcache", client_installed=True), {}, [], None),
    (cache(PYMEMCACHE, "127.0.0.1:11211;10.0.0.2:11211"),
     {"cache_locations": ["127.0.0.1:11211", "10.0.0.2:11211"]}, [], None),
    (cache(PYMEMCACHE, "127.0.0.1:11211, 10.0.0.2:11211"),
     {"cache_locations": ["127.0.0.1:11211", "10.0.0.2:11211"]}, [], None),
    (cache(PYMEMCACHE, ["127.0.0.1:11211", "10.0.0.2:11211"]),
     {"cache_locations": ["127.0.0.1:11211", "10.0.0.2:11211"]}, [], None),
    (cache(PYMEMCACHE, "127.0.0.1:11211;10.0.0.2:11211"), {"cache_locations": ["127.0.0.1:11211"]},
     ["W042"], "LOCATION 10.0.0.2:11211 is not"),
    (cache(PYMEMCACHE, "/run/memcached/memcached.sock"), {"cache_locations": ["unix:/run/memcached/memcached.sock"]},
     [], None),
    (cache(LOCMEM), {"cache_locations": ["127.0.0.1:11211"]}, ["W042"], "is LocMemCache, not the deployed memcached"),
    (cache(LOCMEM), {}, [], None),
])
def test_check_caches(configured, expect, expected, words):
    settings, caches = configured
    found = ds.check_caches(settings, caches, expect)
    assert ids(found) == expected
    if words:
        assert words in found[0]["message"]
        assert found[0]["setting"] == "CACHES['default']"


def test_only_django_s_memcachedcache_is_called_removed():
    settings, caches = cache("blog.backends.MemcachedCacheCompat", importable=False, error="ImportError: boom")
    assert "removed" not in ds.check_caches(settings, caches, {})[0]["message"]


# ---------------------------------------------------------------- DATABASES

def postgres(**values):
    """DATABASES with a PostgreSQL default."""
    default = dict({"ENGINE": "django.db.backends.postgresql", "NAME": "blog", "USER": "blog",
                    "PASSWORD": "pw", "HOST": "10.0.0.5", "PORT": ""}, **values)
    return {"DATABASES": {"default": default}}


SQLITE = {"DATABASES": {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/a/db.sqlite3"}}}
DEPLOYED = {"database": {"host": "10.0.0.5", "port": 5432, "name": "blog"}}
LOCAL = {"database": {"host": "127.0.0.1", "port": 5432, "name": "blog"}}


@pytest.mark.parametrize("settings, database, expect, expected", [
    (postgres(), {"ok": False, "error": "OperationalError: connection refused"}, {}, ["E050"]),
    (postgres(), {"ok": True, "error": ""}, {}, []),
    (postgres(), None, {}, []),
    (SQLITE, None, DEPLOYED, ["E051"]),
    (SQLITE, None, {}, []),
    (postgres(), None, DEPLOYED, []),
    (postgres(PORT="5432"), None, DEPLOYED, []),
    (postgres(PORT=5432), None, DEPLOYED, []),
    (postgres(HOST="localhost"), None, DEPLOYED, ["E051"]),
    (postgres(HOST=""), None, DEPLOYED, ["E051"]),
    # The empty HOST is the local socket: the server of this host, as 127.0.0.1 and localhost are.
    (postgres(HOST=""), None, LOCAL, []),
    (postgres(HOST="localhost"), None, LOCAL, []),
    (postgres(HOST="/var/run/postgresql"), None, LOCAL, []),
    (postgres(HOST="::1"), None, LOCAL, []),
    (postgres(HOST="127.0.0.1"), None, {"database": {"host": "localhost", "port": 5432, "name": "blog"}}, []),
    (postgres(HOST="", PORT="6432"), None, LOCAL, ["E051"]),
    (postgres(HOST="10.0.0.5"), None, LOCAL, ["E051"]),
    (postgres(NAME="blog_dev"), None, DEPLOYED, ["E051"]),
    (postgres(PORT="6432"), None, DEPLOYED, ["E051"]),
    (postgres(PORT="6432", NAME="other"), None, {"database": {"host": "10.0.0.5", "port": None, "name": None}}, []),
])
def test_check_database(settings, database, expect, expected):
    assert ids(ds.check_database(settings, database, expect)) == expected


@pytest.mark.parametrize("settings, words", [
    (SQLITE, "SQLite file /srv/a/db.sqlite3"),
    (postgres(HOST="localhost", NAME="blog_dev"), "HOST localhost (not 10.0.0.5), NAME blog_dev (not blog)"),
    (postgres(HOST=""), "HOST the local socket (not 10.0.0.5)"),
])
def test_a_database_that_is_not_the_deployed_one_is_described(settings, words):
    assert words in ds.check_database(settings, None, DEPLOYED)[0]["message"]


# ---------------------------------------------------------------- mail

@pytest.mark.parametrize("settings, explicit, expected", [
    ({"EMAIL_BACKEND": SMTP, "EMAIL_HOST": ""}, [], ["E060"]),
    ({"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "smtp.example.test"}, [], []),
    ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, [], ["W061"]),
    ({"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}, [], ["W061"]),
    ({"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}, [], ["W061"]),
    ({"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}, [], ["W061"]),
    ({"EMAIL_BACKEND": "anymail.backends.mailgun.EmailBackend"}, [], []),
    ({"MAILERS": {"default": {"BACKEND": SMTP, "OPTIONS": {"host": "smtp.example.test"}}},
      "EMAIL_BACKEND": SMTP, "EMAIL_HOST": ""}, ["MAILERS"], []),
    ({"MAILERS": {"default": {"BACKEND": SMTP, "OPTIONS": {}}}}, ["MAILERS"], ["E060"]),
    ({"MAILERS": {"default": {}}}, ["MAILERS"], ["E060"]),
    ({"MAILERS": {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}}, ["MAILERS"],
     ["W061"]),
    # MAILERS counts only when the settings module sets it.
    ({"MAILERS": {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}},
      "EMAIL_BACKEND": SMTP, "EMAIL_HOST": "smtp.example.test"}, [], []),
    ({"MAILERS": {"default": {"BACKEND": SMTP, "OPTIONS": {"host": "smtp.example.test"}}},
      "EMAIL_BACKEND": SMTP, "EMAIL_HOST": ""}, [], ["E060"]),
])
def test_check_email(settings, explicit, expected):
    assert ids(ds.check_email(settings, explicit)) == expected


def test_a_mailer_is_named_by_its_alias():
    found = ds.check_email({"MAILERS": {"default": {"BACKEND": SMTP, "OPTIONS": {}},
                                        "bulk": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}},
                           ["MAILERS"])
    assert [(f["id"], f["setting"]) for f in found] == [("djangostack.W061", "MAILERS['bulk']"),
                                                        ("djangostack.E060", "MAILERS['default']")]


# ---------------------------------------------------------------- obsolete and misspelt names

@pytest.mark.parametrize("explicit, version, expected", [
    (["STATICFILES_STORAGE"], (5, 0), []),
    (["STATICFILES_STORAGE"], (5, 1), ["W070"]),
    (["STATICFILES_STORAGE"], (6, 0), ["W070"]),
    (["DEFAULT_FILE_STORAGE"], (4, 2), []),
    (["USE_L10N"], (4, 2), []),
    (["USE_L10N"], (5, 0), ["W070"]),
    (["SECURE_BROWSER_XSS_FILTER"], (4, 2), ["W070"]),
    (["MIDDLEWARE_CLASSES"], (4, 2), ["W070"]),
    (["SECURE_HSTS_SECOND"], (5, 2), ["W071"]),
    (["REFERRER_POLICY"], (5, 2), ["W071"]),
    (["SECURE_REFERER_POLICY"], (5, 2), ["W071"]),
    (["ASGI_APPLICATION"], (5, 2), []),
    (["PAGES_MAX_UPLOAD_SIZE"], (5, 2), []),
    (["BASE_DIR", "SECURE_HSTS_SECONDS", "DEBUG", "SITE_ID"], (5, 2), []),
])
def test_check_names(explicit, version, expected):
    assert ids(ds.check_names(explicit, KNOWN, version)) == expected


@pytest.mark.parametrize("name, words", [
    ("STATICFILES_STORAGE", "ignored since Django 5.1: use STORAGES[\"staticfiles\"]"),
    ("SECURE_HSTS_SECOND", "did you mean SECURE_HSTS_SECONDS?"),
    ("REFERRER_POLICY", "did you mean SECURE_REFERRER_POLICY?"),
])
def test_a_name_finding_says_what_to_use(name, words):
    assert words in ds.check_names([name], KNOWN, (5, 2))[0]["message"]


# ---------------------------------------------------------------- SECRET_KEY

@pytest.mark.parametrize("text, bits", [("aaaa", 0.0), ("ab", 2.0), ("abcd", 8.0), ("aabb", 4.0)])
def test_entropy_bits(text, bits):
    assert ds.entropy_bits(text) == pytest.approx(bits)


@pytest.mark.parametrize("text, repeated", [
    ("abab", True), ("abcabc", True), ("aaaa", True),
    ("abcd", False), ("a", False), ("abba", False), (GOOD_KEY, False),
])
def test_repeats(text, repeated):
    assert ds.repeats(text) is repeated


@pytest.mark.parametrize("key, kind, found_in, expected", [
    ("django-insecure-" + GOOD_KEY[:50], "str", [], ["E080"]),
    (GOOD_KEY[:49], "str", [], ["W081"]),
    (GOOD_KEY[:50], "str", [], []),
    ("ab" * 30, "str", [], ["W082"]),
    ("a" * 60, "str", [], ["W082"]),
    ("abcd" * 3, "str", [], ["W081", "W082"]),
    (GOOD_KEY, "str", [], []),
    (GOOD_KEY, "str", ["blog/settings.py"], ["E083"]),
    ("", "str", [], []),
    (None, "NoneType", [], []),
    (GOOD_KEY[:10], "bytes", [], []),
])
def test_check_secret_key(key, kind, found_in, expected):
    assert ids(ds.check_secret_key({"SECRET_KEY": key}, {"SECRET_KEY": kind}, found_in)) == expected


@pytest.mark.parametrize("key, words", [
    ("k", "SECRET_KEY has 1 character, fewer than 50"),
    ("kq", "SECRET_KEY has 2 characters, fewer than 50"),
    ("k", "SECRET_KEY has low entropy (1 distinct character, about 0 bits)"),
    ("kq", "SECRET_KEY has low entropy (2 distinct characters, about 2 bits)"),
    ("kqk", "(2 distinct characters, about 3 bits)"),
])
def test_a_secret_key_finding_counts_in_the_singular_and_the_plural(key, words):
    messages = [f["message"] for f in ds.check_secret_key({"SECRET_KEY": key}, {"SECRET_KEY": "str"}, [])]
    assert any(words in message for message in messages), messages


@pytest.mark.parametrize("count, word, text", [
    (0, "character", "0 characters"), (1, "character", "1 character"), (2, "character", "2 characters"),
    (1, "second", "1 second"), (50, "distinct character", "50 distinct characters"),
])
def test_plural(count, word, text):
    assert ds.plural(count, word) == text


@pytest.mark.parametrize("stable, expected", [(False, ["E084"]), (True, []), (None, [])])
def test_a_key_that_differs_between_two_imports_is_e084(stable, expected):
    found = ds.check_secret_key({"SECRET_KEY": GOOD_KEY}, {"SECRET_KEY": "str"}, [], stable)
    assert ids(found) == expected
    assert GOOD_KEY not in json.dumps(found)


def test_analyze_passes_the_probe_s_second_import_on():
    result = clean_probe()
    result["secret_key_stable"] = False
    assert ids(ds.analyze(result, EXPECT)) == ["E084"]


def test_the_files_with_the_key_are_named_but_not_the_key():
    found = ds.check_secret_key({"SECRET_KEY": GOOD_KEY}, {"SECRET_KEY": "str"}, ["blog/settings.py", "README"])
    assert "blog/settings.py, README" in found[0]["message"]
    assert GOOD_KEY not in json.dumps(found)


# ---------------------------------------------------------------- analyze

def clean_probe():
    """A probe result with nothing wrong, for the expectations of EXPECT."""
    settings = {
        "DEBUG": False, "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": ["blog.example.test"],
        "CSRF_TRUSTED_ORIGINS": ["https://blog.example.test"],
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "STATIC_ROOT": "/srv/blog/current/static", "MEDIA_ROOT": "/srv/blog/shared/media",
        "CACHES": {"default": {"BACKEND": PYMEMCACHE, "LOCATION": "10.0.0.7:11211"}},
        "DATABASES": postgres()["DATABASES"], "EMAIL_BACKEND": SMTP, "EMAIL_HOST": "smtp.example.test",
        "SECURE_HSTS_SECONDS": 31536000,
    }
    return {
        "stage": "done", "django_version": "5.2.19", "settings": settings,
        "types": dict((name, type(value).__name__) for name, value in settings.items()),
        "explicit": sorted(settings) + ["BASE_DIR"], "known": list(KNOWN),
        "caches": {"default": {"backend": PYMEMCACHE, "importable": True, "error": "", "client": "pymemcache",
                               "client_installed": True}},
        "database": {"ok": True, "error": ""}, "checks": [], "checks_errors": [],
    }


EXPECT = {"domains": ["blog.example.test"], "https": True, "behind_proxy": True,
          "static_root": "/srv/blog/current/static", "media_root": "/srv/blog/shared/media",
          "cache_locations": ["10.0.0.7:11211"], "database": {"host": "10.0.0.5", "port": 5432, "name": "blog"}}


def test_analyze_finds_nothing_in_clean_settings():
    assert ds.analyze(clean_probe(), EXPECT) == []


def test_analyze_runs_every_check():
    result = clean_probe()
    result["settings"].update(DEBUG=True, ALLOWED_HOSTS=["*"], SECURE_PROXY_SSL_HEADER=None, STATIC_ROOT=None,
                              EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
                              SECRET_KEY="django-insecure-" + GOOD_KEY[:50], CSRF_TRUSTED_ORIGINS=["blog.example.test"])
    result["settings"]["DATABASES"]["default"]["NAME"] = "blog_dev"
    result["explicit"].append("USE_L10N")
    result["database"] = {"ok": False, "error": "OperationalError: timeout"}
    result["caches"]["default"]["client_installed"] = False
    result["checks_errors"] = [{"tag": "models", "type": "AttributeError", "message": "'NoneType' object has no "
                                "attribute 'x'", "location": "blog/checks.py:9"}]
    found = ds.analyze(result, EXPECT, ["blog/settings.py"])
    assert sorted(ids(found)) == sorted(["E001", "W010", "E020", "E022", "W023", "E030", "E041", "E050", "E051", "W061",
                                         "W070", "E080", "E083", "E093"])
    assert "Django's models checks raised AttributeError" in found[-1]["message"]


def test_analyze_makes_no_comparison_without_an_expectation():
    result = clean_probe()
    result["settings"].update(ALLOWED_HOSTS=["other.test"], STATIC_ROOT="/elsewhere")
    result["settings"]["DATABASES"] = SQLITE["DATABASES"]
    assert ids(ds.analyze(result, {"https": False})) == []


# ---------------------------------------------------------------- selection and summary

def some(check_id, level):
    """A finding with only what select and summary look at."""
    return {"id": check_id, "level": level, "message": "%s happened" % check_id}


FINDINGS = [some("djangostack.W010", "warning"), some("security.W004", "warning"), some("djangostack.E001", "error"),
            some("djangostack.C092", "critical"), some("djangostack.E012", "error"), some("models.I001", "info")]


@pytest.mark.parametrize("silenced, ignore, expected", [
    ((), (),
     ["djangostack.C092", "djangostack.E001", "djangostack.E012", "djangostack.W010", "security.W004", "models.I001"]),
    (["security.W004"], ["djangostack.E001"],
     ["djangostack.C092", "djangostack.E012", "djangostack.W010", "models.I001"]),
    (None, ["djangostack.W010", "djangostack.C092", "unknown.X999"],
     ["djangostack.E001", "djangostack.E012", "security.W004", "models.I001"]),
])
def test_select_drops_silenced_and_ignored_ids_and_puts_the_worst_first(silenced, ignore, expected):
    assert [f["id"] for f in ds.select(FINDINGS, silenced, ignore)] == expected


@pytest.mark.parametrize("findings, fail_level, failed, msg", [
    ([], "error", False, "blog.settings: no finding at error or above"),
    ([some("djangostack.E001", "error")], "error", True,
     "blog.settings: 1 finding at error or above: djangostack.E001 djangostack.E001 happened"),
    ([some("djangostack.E001", "error"), some("djangostack.E012", "error")], "error", True,
     "blog.settings: 2 findings at error or above: djangostack.E001 djangostack.E001 happened; "
     "djangostack.E012 djangostack.E012 happened"),
    ([some("djangostack.W010", "warning")], "error", False,
     "blog.settings: no finding at error or above (1 below it: djangostack.W010)"),
    ([some("djangostack.W010", "warning")], "warning", True,
     "blog.settings: 1 finding at warning or above: djangostack.W010 djangostack.W010 happened"),
    ([some("djangostack.E001", "error"), some("security.W004", "warning")], "critical", False,
     "blog.settings: no finding at critical or above (2 below it: djangostack.E001, security.W004)"),
    ([some("djangostack.C090", "critical")], "critical", True,
     "blog.settings: 1 finding at critical or above: djangostack.C090 djangostack.C090 happened"),
    ([some("models.I001", "info")], "error", False, "blog.settings: no finding at error or above"),
    ([some("models.I001", "info")], "info", True,
     "blog.settings: 1 finding at info or above: models.I001 models.I001 happened"),
])
def test_summary(findings, fail_level, failed, msg):
    assert ds.summary(findings, fail_level, "blog.settings") == (failed, msg)


def test_summary_is_one_line_even_for_a_message_of_several_lines():
    # A settings module that raises pydantic's ValidationError, for one.
    finding = some("djangostack.C090", "critical")
    finding["message"] = "ValidationError: 1 validation error for Settings\nsecret_key\n  Field required"
    failed, msg = ds.summary([finding], "error", "blog.settings (Django 5.2.19)")
    assert failed
    assert "\n" not in msg
    assert msg.startswith("blog.settings (Django 5.2.19): 1 finding at error or above: djangostack.C090 ")


# ---------------------------------------------------------------- a probe that stopped

@pytest.mark.parametrize("stage, error, check_id, setting, message", [
    ("django", {"type": "ModuleNotFoundError", "message": "No module named 'django'", "location": None},
     "djangostack.C091", None, "Django cannot be imported: ModuleNotFoundError: No module named 'django'"),
    ("settings", {"type": "KeyError", "message": "'SECRET_KEY'", "location": "blog/settings.py:12"},
     "djangostack.C090", "DJANGO_SETTINGS_MODULE",
     "the settings module blog.settings cannot be imported: KeyError: 'SECRET_KEY' (a variable of the "
     "environment or a key that is not set) at blog/settings.py:12"),
    ("settings", {"type": "ValueError", "message": "invalid literal for int() with base 10: 'x'", "location": None},
     "djangostack.C090", "DJANGO_SETTINGS_MODULE",
     "the settings module blog.settings cannot be imported: ValueError: invalid literal for int() with base 10: 'x'"),
    ("setup", {"type": "RuntimeError", "message": "Model class blog.models.Post doesn't declare an explicit "
               "app_label", "location": "blog/models.py:4"},
     "djangostack.C092", "INSTALLED_APPS",
     "django.setup() failed: RuntimeError: Model class blog.models.Post doesn't declare an explicit app_label "
     "at blog/models.py:4"),
])
def test_failure(stage, error, check_id, setting, message):
    found = ds.failure(stage, error, "blog.settings")
    expected = (check_id, "critical", setting, message)
    assert (found["id"], found["level"], found["setting"], found["message"]) == expected


def test_a_probe_that_stopped_before_django_is_not_reported_as_a_failed_setup():
    # Stage "start": the probe could not even enter the project directory as the app user.
    found = ds.failure("start", {"type": "PermissionError", "message": "[Errno 13] Permission denied: "
                                 "'/srv/blog/current'", "location": None}, "blog.settings")
    assert "PermissionError: [Errno 13] Permission denied" in found["message"]
    assert "django.setup()" not in found["message"]
    assert found["setting"] != "INSTALLED_APPS"


# ---------------------------------------------------------------- Django's own checks

@pytest.mark.parametrize("check, expected", [
    ({"id": "security.W004", "level": "warning", "msg": "You have not set a value for the SECURE_HSTS_SECONDS "
      "setting. If your entire site is served only over SSL, ...", "hint": "", "obj": ""},
     {"id": "security.W004", "level": "warning", "setting": "SECURE_HSTS_SECONDS",
      "message": "You have not set a value for the SECURE_HSTS_SECONDS setting. If your entire site is served "
                 "only over SSL, ...", "hint": "", "source": "django"}),
    ({"id": "security.W008", "level": "warning", "msg": "HTTP requests are not redirected: your "
      "SECURE_SSL_REDIRECT setting is not set to True.", "hint": "", "obj": "?"},
     {"id": "security.W008", "level": "warning", "setting": "SECURE_SSL_REDIRECT",
      "message": "HTTP requests are not redirected: your SECURE_SSL_REDIRECT setting is not set to True.",
      "hint": "", "source": "django"}),
    ({"id": "fields.E304", "level": "error", "msg": "Reverse accessor 'User.posts' clashes.",
      "hint": "Add or change a related_name argument.", "obj": "blog.Post.author"},
     {"id": "fields.E304", "level": "error", "setting": None,
      "message": "blog.Post.author: Reverse accessor 'User.posts' clashes.",
      "hint": "Add or change a related_name argument.", "source": "django"}),
    ({"id": "", "level": "critical", "msg": "Something is wrong with CACHES.", "hint": "", "obj": ""},
     {"id": "django", "level": "critical", "setting": "CACHES", "message": "Something is wrong with CACHES.",
      "hint": "", "source": "django"}),
])
def test_django_findings(check, expected):
    assert ds.django_findings([check], set(ds.WATCHED) | set(KNOWN)) == [expected]


# Django's messages as Django 6.1 words them: the setting to change, not the one that made the check apply.
@pytest.mark.parametrize("check_id, msg, setting", [
    ("security.W016", "You have 'django.middleware.csrf.CsrfViewMiddleware' in your MIDDLEWARE, but you have not "
     "set CSRF_COOKIE_SECURE to True. Using a secure-only CSRF cookie makes it more difficult for network traffic "
     "sniffers to steal the CSRF token.", "CSRF_COOKIE_SECURE"),
    ("security.W010", "You have 'django.contrib.sessions' in your INSTALLED_APPS, but you have not set "
     "SESSION_COOKIE_SECURE to True. Using a secure-only session cookie makes it more difficult for network "
     "traffic sniffers to hijack user sessions.", "SESSION_COOKIE_SECURE"),
    ("security.W011", "You have 'django.contrib.sessions.middleware.SessionMiddleware' in your MIDDLEWARE, but you "
     "have not set SESSION_COOKIE_SECURE to True.", "SESSION_COOKIE_SECURE"),
    ("security.W014", "You have 'django.contrib.sessions.middleware.SessionMiddleware' in your MIDDLEWARE, but you "
     "have not set SESSION_COOKIE_HTTPONLY to True.", "SESSION_COOKIE_HTTPONLY"),
    ("security.W019", "You have 'django.middleware.clickjacking.XFrameOptionsMiddleware' in your MIDDLEWARE, but "
     "X_FRAME_OPTIONS is not set to 'DENY'.", "X_FRAME_OPTIONS"),
    ("security.W001", "You do not have 'django.middleware.security.SecurityMiddleware' in your MIDDLEWARE so the "
     "SECURE_HSTS_SECONDS, SECURE_CONTENT_TYPE_NOSNIFF, SECURE_REFERRER_POLICY, SECURE_CROSS_ORIGIN_OPENER_POLICY, "
     "and SECURE_SSL_REDIRECT settings will have no effect.", "MIDDLEWARE"),
    ("security.W003", "You don't appear to be using Django's built-in cross-site request forgery protection via the "
     "middleware ('django.middleware.csrf.CsrfViewMiddleware' is not in your MIDDLEWARE).", "MIDDLEWARE"),
    ("security.W012", "SESSION_COOKIE_SECURE is not set to True.", "SESSION_COOKIE_SECURE"),
])
def test_a_django_finding_names_the_setting_to_change(check_id, msg, setting):
    check = {"id": check_id, "level": "warning", "msg": msg, "hint": "", "obj": ""}
    assert ds.django_findings([check], set(ds.WATCHED) | set(KNOWN))[0]["setting"] == setting


DRIVER_ERROR = ('connection to server at "10.0.0.5", port 5432 failed: Connection refused\n'
                '\tIs the server running on that host and accepting TCP/IP connections?\n')
ONE_LINE = ('connection to server at "10.0.0.5", port 5432 failed: Connection refused '
            'Is the server running on that host and accepting TCP/IP connections?')


def findings_with_a_driver_error():
    """Findings of each kind whose message or hint carries the error of a database driver."""
    probe_result = clean_probe()
    probe_result["checks_errors"] = [{"tag": "models", "type": "OperationalError", "message": DRIVER_ERROR,
                                      "location": None}]
    probe_result["database"] = {"ok": False, "error": "OperationalError: " + DRIVER_ERROR}
    probe_result["caches"]["default"].update(importable=False, error="ImportError: " + DRIVER_ERROR)
    check = {"id": "blog.E001", "level": "error", "msg": "Cannot check the database:\n\t" + DRIVER_ERROR,
             "hint": "Start it.\n\tThen again.", "obj": "blog.Post"}
    return (ds.analyze(probe_result, EXPECT) + ds.django_findings([check], ds.WATCHED)
            + [ds.failure("setup", {"type": "OperationalError", "message": DRIVER_ERROR, "location": None}, "b.s")])


@pytest.mark.parametrize("check_id", ["E093", "E050", "E040", "blog.E001", "C092"])
def test_a_message_with_the_line_breaks_and_tabs_of_a_driver_is_one_line(check_id):
    found = [f for f in findings_with_a_driver_error() if f["id"].replace("djangostack.", "") == check_id]
    assert found, check_id
    for field in ("message", "hint"):
        text = found[0][field]
        assert "\n" not in text and "\t" not in text and "  " not in text and text == text.strip(), text
    assert ONE_LINE in found[0]["message"]


# ---------------------------------------------------------------- redaction

def test_redact_hides_secrets_and_keeps_the_rest():
    settings = {
        "SECRET_KEY": GOOD_KEY,
        "SECRET_KEY_FALLBACKS": ["old-" + GOOD_KEY],
        "EMAIL_HOST_PASSWORD": "mail-pw",
        "EMAIL_HOST_USER": "blog",
        "DATABASES": {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "blog", "USER": "blog",
                                  "PASSWORD": "db-pw", "OPTIONS": {"password": "opt-pw", "sslmode": "require"}}},
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": "redis://:cache-pw@10.0.0.7:6379/0", "KEY_PREFIX": "blog"}},
        "SENTRY": "see postgres://u:pw@h/db for details",
        "PASSWORD_RESET_TIMEOUT": 259200,
        "AUTH_PASSWORD_VALIDATORS": [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}],
        "STATIC_URL": "https://cdn.example.test/static/",
    }
    redacted = dict((name, ds.redact(value, name)) for name, value in settings.items())
    assert redacted == {
        "SECRET_KEY": "********",
        "SECRET_KEY_FALLBACKS": "********",
        "EMAIL_HOST_PASSWORD": "********",
        "EMAIL_HOST_USER": "blog",
        "DATABASES": {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "blog", "USER": "blog",
                                  "PASSWORD": "********", "OPTIONS": {"password": "********", "sslmode": "require"}}},
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": "redis://:********@10.0.0.7:6379/0", "KEY_PREFIX": "blog"}},
        "SENTRY": "see postgres://u:********@h/db for details",
        "PASSWORD_RESET_TIMEOUT": 259200,
        "AUTH_PASSWORD_VALIDATORS": [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}],
        "STATIC_URL": "https://cdn.example.test/static/",
    }


@pytest.mark.parametrize("value, name, expected", [
    ("postgres://u:pw@h/db", "", "postgres://u:********@h/db"),
    ("postgres://u@h/db", "", "postgres://u@h/db"),
    (["postgres://u:pw@h/db"], "DATABASE_URLS", ["postgres://u:********@h/db"]),
    ("", "EMAIL_HOST_PASSWORD", ""),
    (None, "EMAIL_HOST_PASSWORD", None),
    ([], "SECRET_KEY_FALLBACKS", []),
    ("abc", "API_TOKEN", "********"),
    ("abc", "KEY_PREFIX", "abc"),
])
def test_redact(value, name, expected):
    assert ds.redact(value, name) == expected


def test_secret_values_are_the_sensitive_variables_and_url_passwords():
    env = {"SECRET_KEY": GOOD_KEY, "DATABASE_URL": "postgres://blog:p%40ss@10.0.0.5:5432/blog", "DEBUG": "False",
           "SENTRY_TOKEN": "tok", "EMAIL_HOST_PASSWORD": "", "DJANGO_SETTINGS_MODULE": "blog.settings"}
    assert ds.secret_values(env) == {GOOD_KEY, "p%40ss", "p@ss", "tok"}


# ---------------------------------------------------------------- input

def test_parse_env_file():
    text = "\n".join([
        "# The environment of blog",
        "",
        "export DJANGO_SETTINGS_MODULE=blog.settings",
        "SECRET_KEY='a$b\"c d#e'",
        "DATABASE_URL=\"postgres://u:p@h:5432/db?sslmode=require&x=1\"",
        "GREETING=\"hello world = yes\"",
        "EMPTY=",
        "   INDENTED=1   # a comment after the value",
        "   # an indented comment",
        "export",
    ])
    assert ds.parse_env_file(text) == {
        "DJANGO_SETTINGS_MODULE": "blog.settings",
        "SECRET_KEY": "a$b\"c d#e",
        "DATABASE_URL": "postgres://u:p@h:5432/db?sslmode=require&x=1",
        "GREETING": "hello world = yes",
        "EMPTY": "",
        "INDENTED": "1",
    }


def test_parse_env_file_keeps_a_hash_inside_a_word_as_sh_does():
    # sh: a # starts a comment only at the start of a word; `A=abc#def; echo $A` prints abc#def.
    assert ds.parse_env_file("SECRET_KEY=abc#def\n") == {"SECRET_KEY": "abc#def"}


@pytest.mark.parametrize("text, message", [
    ("A=1\nB=\"unterminated\n", "line 2: No closing quotation"),
    ("A=1\n\nNOT A PAIR\n", "line 3: not NAME=value"),
    ("JUSTANAME\n", "line 1: not NAME=value"),
    ("1ABC=x\n", "line 1: '1ABC' is not a variable name"),
    ("A-B=x\n", "line 1: 'A-B' is not a variable name"),
])
def test_parse_env_file_errors_name_the_line(text, message):
    with pytest.raises(ValueError, match="^%s" % message):
        ds.parse_env_file(text)


@pytest.mark.parametrize("text, version", [
    ("5.2.19", (5, 2)), ("6.1a1", (6, 1)), ("6.0", (6, 0)), ("6", (6, 0)), ("", (0, 0)), (None, (0, 0)),
])
def test_parse_version(text, version):
    assert ds.parse_version(text) == version


# ---------------------------------------------------------------- the key in the code

def test_files_containing_finds_the_key_but_not_in_skipped_dirs_or_through_links(tmp_path):
    root, outside = tmp_path / "project", tmp_path / "outside"
    files = {
        "blog/settings.py": "SECRET_KEY = %r\n" % GOOD_KEY,
        "docs/notes.txt": "the key was %s\n" % GOOD_KEY,
        "blog/urls.py": "urlpatterns = []\n",
        ".git/config": GOOD_KEY,
        "venv/lib/python3.11/site-packages/x.py": GOOD_KEY,
        "static/admin/app.js": GOOD_KEY,
        "blog/static/blog/app.js": GOOD_KEY,
        "node_modules/x/index.js": GOOD_KEY,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (outside / "dir").mkdir(parents=True)
    (outside / "key.txt").write_text(GOOD_KEY)
    (outside / "dir" / "key.txt").write_text(GOOD_KEY)
    os.symlink(outside / "key.txt", root / "linked_key.txt")
    os.symlink(outside / "dir", root / "linked_dir")
    assert sorted(ds.files_containing(str(root), GOOD_KEY)) == ["blog/settings.py", "docs/notes.txt"]
    assert ds.files_containing(str(root), "not-in-any-file") == []


def test_files_containing_skips_large_files(tmp_path):
    (tmp_path / "small.py").write_text(GOOD_KEY)
    (tmp_path / "large.sql").write_text(GOOD_KEY + "x" * 200)
    assert ds.files_containing(str(tmp_path), GOOD_KEY, max_size=100) == ["small.py"]


# ---------------------------------------------------------------- the probe's helpers

class Thing:
    """An object the probe can only describe."""

    def __repr__(self):
        return "<Thing 7>"


@pytest.mark.parametrize("value, expected", [
    (None, None),
    (True, True),
    (3, 3),
    (1.5, 1.5),
    ("text", "text"),
    (("HTTP_X_FORWARDED_PROTO", "https"), ["HTTP_X_FORWARDED_PROTO", "https"]),
    (Path("/srv/blog/current/static"), "/srv/blog/current/static"),
    ({"b", "a", "c"}, ["a", "b", "c"]),
    (frozenset({2, 1}), [1, 2]),
    (b"caf\xc3\xa9", "caf\u00e9"),
    (b"\xff", "\ufffd"),
    ({1: (Path("/a"), {"x"})}, {"1": ["/a", ["x"]]}),
    (Thing(), "<Thing 7>"),
    ([Thing()], ["<Thing 7>"]),
    (nested("x", 7), nested("x", 7)),
    (nested("x", 8), nested("['x']", 7)),
])
def test_jsonable(value, expected):
    converted = probe.jsonable(value)
    assert converted == expected
    assert json.loads(json.dumps(converted)) == expected


@pytest.mark.parametrize("level, name", [
    (60, "critical"), (50, "critical"), (45, "error"), (40, "error"), (39, "warning"), (30, "warning"),
    (20, "info"), (19, "debug"), (10, "debug"), (0, "debug"),
])
def test_level_name(level, name):
    assert probe.level_name(level) == name


def raised(path, source):
    """The exception that `source`, compiled as the file `path`, raises."""
    try:
        exec(compile(source, str(path), "exec"), {})  # pylint: disable=exec-used
    except Exception as exc:  # pylint: disable=broad-except
        return exc
    raise AssertionError("%s raised nothing" % path)


def test_error_of_a_missing_variable_is_located_in_the_project(tmp_path):
    settings = tmp_path / "proj" / "blog" / "settings.py"
    exc = raised(settings, "import os\n\nSECRET_KEY = os.environ['DJANGOSTACK_TEST_UNSET_VARIABLE']\n")
    assert probe.error_of(exc, str(tmp_path / "proj")) == {
        "type": "KeyError", "message": "'DJANGOSTACK_TEST_UNSET_VARIABLE'", "location": "blog/settings.py:3"}


def test_error_of_takes_the_innermost_frame_of_the_project(tmp_path):
    exc = raised(tmp_path / "proj" / "blog" / "settings.py",
                 "def port():\n    return int('x')\n\nPORT = port()\n")
    assert probe.error_of(exc, str(tmp_path / "proj")) == {
        "type": "ValueError", "message": "invalid literal for int() with base 10: 'x'",
        "location": "blog/settings.py:2"}


@pytest.mark.parametrize("project", ["pro", "other", "proj/blog/settings"])
def test_error_of_has_no_location_outside_the_project(tmp_path, project):
    exc = raised(tmp_path / "proj" / "blog" / "settings.py", "raise RuntimeError('no')\n")
    assert probe.error_of(exc, str(tmp_path / project)) == {"type": "RuntimeError", "message": "no",
                                                            "location": None}


# A stand-in for Django in a project directory: django.conf.settings is the settings module itself.
FAKE_DJANGO = "import importlib, os\n\nsettings = importlib.import_module(os.environ['DJANGO_SETTINGS_MODULE'])\n"


@pytest.mark.parametrize("source, stable", [
    ("import os\nSECRET_KEY = os.environ['BLOG_KEY']\n", True),
    ("print('the settings print')\nimport os\nSECRET_KEY = os.environ['BLOG_KEY']\n", True),
    ("import secrets\nSECRET_KEY = secrets.token_urlsafe(50)\n", False),
    ("import os\nSECRET_KEY = os.environ.get('UNSET_BLOG_KEY') or os.urandom(32).hex()\n", False),
    ("raise RuntimeError('no settings the second time')\n", None),
    ("SECRET_KEY = b'bytes'\n", None),
])
def test_same_key_again_imports_the_settings_a_second_time(tmp_path, monkeypatch, source, stable):
    fake_project(tmp_path, monkeypatch, source)
    # What the first import gave: the key of the environment, or one that a second import cannot give.
    assert probe.same_key_again(GOOD_KEY, 30) is stable


def test_a_second_import_that_hangs_is_stopped(tmp_path, monkeypatch):
    fake_project(tmp_path, monkeypatch, "import time\ntime.sleep(60)\n")
    started = time.monotonic()
    assert probe.same_key_again(GOOD_KEY, 1) is None
    assert time.monotonic() - started < 10
    assert probe.CHILDREN == []


def fake_project(root, monkeypatch, source):
    """A project in `root` with FAKE_DJANGO and blog/settings.py of `source`, the working directory."""
    (root / "django").mkdir()
    (root / "django" / "__init__.py").write_text("")
    (root / "django" / "conf.py").write_text(FAKE_DJANGO)
    (root / "blog").mkdir()
    (root / "blog" / "__init__.py").write_text("")
    (root / "blog" / "settings.py").write_text(source)
    monkeypatch.chdir(root)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "blog.settings")
    monkeypatch.setenv("BLOG_KEY", GOOD_KEY)


@pytest.mark.parametrize("key", [None, "", b"bytes"])
def test_same_key_again_has_nothing_to_compare_without_a_string_key(key):
    assert probe.same_key_again(key, 30) is None


# ---------------------------------------------------------------- bounds of the database connections

PG = "django.db.backends.postgresql"


@pytest.mark.parametrize("config, options", [
    ({"ENGINE": PG}, {"connect_timeout": 5}),
    ({"ENGINE": PG, "OPTIONS": None}, {"connect_timeout": 5}),
    ({"ENGINE": PG, "OPTIONS": {"sslmode": "require"}}, {"sslmode": "require", "connect_timeout": 5}),
    ({"ENGINE": PG, "OPTIONS": {"connect_timeout": 2}}, {"connect_timeout": 2}),
    ({"ENGINE": PG, "OPTIONS": {"connect_timeout": "3"}}, {"connect_timeout": "3"}),
    ({"ENGINE": PG, "OPTIONS": {"connect_timeout": 30}}, {"connect_timeout": 5}),
    ({"ENGINE": PG, "OPTIONS": {"connect_timeout": 0}}, {"connect_timeout": 5}),  # 0: no bound for libpq
    ({"ENGINE": PG, "OPTIONS": {"connect_timeout": "soon"}}, {"connect_timeout": 5}),
    ({"ENGINE": PG, "OPTIONS": {"pool": True}}, {"connect_timeout": 5, "pool": {"timeout": 5}}),
    ({"ENGINE": PG, "OPTIONS": {"pool": {"min_size": 2, "timeout": 30}}},
     {"connect_timeout": 5, "pool": {"min_size": 2, "timeout": 5}}),
    ({"ENGINE": PG, "OPTIONS": {"pool": False}}, {"connect_timeout": 5, "pool": False}),
    ({"ENGINE": "django.contrib.gis.db.backends.postgis"}, {"connect_timeout": 5}),
    ({"ENGINE": "django.db.backends.mysql", "OPTIONS": {"charset": "utf8mb4", "read_timeout": 1}},
     {"charset": "utf8mb4", "connect_timeout": 5, "read_timeout": 1, "write_timeout": 5}),
])
def test_bound_connections_gives_every_connection_a_timeout(config, options):
    databases = {"default": config}
    assert probe.bound_connections(databases, 5) == ["default"]
    assert databases["default"]["OPTIONS"] == options


@pytest.mark.parametrize("config", [
    {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/a/db.sqlite3"},
    {"ENGINE": "mssql", "OPTIONS": {"driver": "ODBC Driver 18 for SQL Server"}},
    {"ENGINE": PG, "OPTIONS": "connect_timeout=30"},
    "not a dict",
])
def test_bound_connections_leaves_what_it_does_not_know(config):
    databases = {"default": config}
    before = json.dumps(databases)
    assert probe.bound_connections(databases, 5) == []
    assert json.dumps(databases) == before


def test_bound_connections_bounds_every_alias():
    databases = {"default": {"ENGINE": PG}, "replica": {"ENGINE": PG, "OPTIONS": {}},
                 "cache": {"ENGINE": "django.db.backends.sqlite3"}}
    assert sorted(probe.bound_connections(databases, 3)) == ["default", "replica"]
    assert databases["replica"]["OPTIONS"] == {"connect_timeout": 3}
    assert probe.bound_connections(None, 3) == []


# ---------------------------------------------------------------- a probe that timed out

@pytest.mark.parametrize("timeout, stage, message", [
    ({"stage": "database checks", "seconds": 20}, "database checks",
     "the probe timed out after 20 s in stage 'database checks'"),
    ({"stage": "system checks", "seconds": 115}, "system checks",
     "the probe timed out after 115 s in stage 'system checks'"),
])
def test_timed_out_names_the_stage(timeout, stage, message):
    found = ds.timed_out(timeout)
    assert (found["id"], found["level"], found["message"]) == ("djangostack.E094", "error", message)
    assert stage in found["message"]


@pytest.mark.parametrize("stage, words", [
    ("models", "the probe failed in stage 'models': RuntimeError: no"),
    ("system checks", "the probe failed in stage 'system checks': RuntimeError: no"),
])
def test_a_failure_after_setup_names_its_stage(stage, words):
    found = ds.failure(stage, {"type": "RuntimeError", "message": "no", "location": None}, "blog.settings")
    assert (found["id"], found["message"]) == ("djangostack.C092", words)
    assert "django.setup()" not in found["message"]
