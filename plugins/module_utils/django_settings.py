# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What djangostack.deploy.django_settings_check concludes from a probe's result.

Pure functions, no host: the finding catalogue (stable ids, one level each), the
checks that Django does not make, the redaction of secrets, the environment-file
parser and the one-line summary. docs/settings_check.md describes every id.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

import difflib
import math
import os
import posixpath
import re
import shlex
from urllib.parse import unquote

LEVELS = ("debug", "info", "warning", "error", "critical")

# id: (level, hint). The letter of an id is its level, as in Django's ids.
CATALOGUE = {
    "djangostack.E001": ("error", "Set DEBUG = False in production (DEBUG=false in the app's environment)."),
    "djangostack.E002": ("error", "Convert the value: a non-empty string such as \"False\" is true in Python."),
    "djangostack.E003": ("error", "Convert the value with int() where the settings read it from the environment."),
    "djangostack.E004": ("error", "Use a list, e.g. split a comma-separated environment variable."),
    "djangostack.W010": ("warning", "List the served domains instead of \"*\"."),
    "djangostack.W011": ("warning", "Remove the empty entry (an unset environment variable split into [\"\"]?)."),
    "djangostack.E012": ("error", "Add every domain the site serves to ALLOWED_HOSTS."),
    "djangostack.E013": ("error", "Set USE_X_FORWARDED_HOST = False, or list the served domains in ALLOWED_HOSTS."),
    "djangostack.W014": ("warning", "List the site's own domains instead of the platform's wildcard (a leftover of a "
                         "former hosting?)."),
    "djangostack.E020": ("error", "Set SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")."),
    "djangostack.E021": ("error", "Use the WSGI form of the header: (\"HTTP_X_FORWARDED_PROTO\", \"https\")."),
    "djangostack.E022": ("error", "Write each origin with its scheme, e.g. \"https://example.org\"."),
    "djangostack.W023": ("warning", "Add \"https://<domain>\" for each served domain to CSRF_TRUSTED_ORIGINS."),
    "djangostack.E024": ("error", "Remove the platform's wildcard; list the exact origins that post to the site."),
    "djangostack.E025": ("error", "Name the header and value the proxy sets: (\"HTTP_X_FORWARDED_PROTO\", \"https\") "
                         "behind this collection's nginx."),
    "djangostack.E030": ("error", "Set STATIC_ROOT to the directory the web server serves STATIC_URL from."),
    "djangostack.E031": ("error", "Point STATIC_ROOT at the directory the web server serves."),
    "djangostack.W032": ("warning", "Set MEDIA_ROOT to the directory the web server serves MEDIA_URL from."),
    "djangostack.E033": ("error", "Point MEDIA_ROOT at the directory the web server serves."),
    "djangostack.E040": ("error", "Use a backend this Django has, e.g. django.core.cache.backends.memcached.PyMemcacheCache."),
    "djangostack.E041": ("error", "Add the client library to the project's requirements."),
    "djangostack.W042": ("warning", "Point LOCATION at the deployed memcached servers."),
    "djangostack.E050": ("error", "Check the database's host, port, name, user and password, and that it accepts the app's host."),
    "djangostack.E051": ("error", "Point DATABASES[\"default\"] at the deployed database (DATABASE_URL)."),
    "djangostack.E060": ("error", "Set EMAIL_HOST (or the mailer's \"host\" option) to the SMTP server."),
    "djangostack.W061": ("warning", "Use the SMTP backend (or another that delivers mail) in production."),
    "djangostack.W070": ("warning", "Remove the setting, or use what replaced it."),
    "djangostack.W071": ("warning", "Correct the name: Django ignores settings it does not know."),
    "djangostack.E080": ("error", "Generate a new key (the role generates one on the host when none is given)."),
    "djangostack.W081": ("warning", "Use a random key of at least 50 characters."),
    "djangostack.W082": ("warning", "Use a random key: this one has few distinct characters or repeats itself."),
    "djangostack.E083": ("error", "Read SECRET_KEY from the environment and replace the key: it is in the code."),
    "djangostack.E084": ("error", "Read SECRET_KEY from the environment or a file; never generate it when the settings "
                         "are imported."),
    "djangostack.C090": ("critical", "Fix the error; the app cannot start with these settings."),
    "djangostack.C091": ("critical", "Install Django into the app's virtualenv, or point the module at that virtualenv."),
    "djangostack.C092": ("critical", "Fix the error; the app cannot start with these settings."),
    "djangostack.E093": ("error", "A system check of Django or of an installed app raised; fix what it names."),
    "djangostack.E094": ("error", "Find what that stage waits for (a database or another service that accepts "
                         "connections and never answers?); raise timeout if the project is only slow."),
}

BOOL_SETTINGS = (
    "DEBUG", "APPEND_SLASH", "PREPEND_WWW", "USE_TZ", "USE_I18N", "USE_THOUSAND_SEPARATOR",
    "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "SESSION_SAVE_EVERY_REQUEST", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_USE_SESSIONS",
    "EMAIL_USE_TLS", "EMAIL_USE_SSL", "DEBUG_PROPAGATE_EXCEPTIONS",
)
NUMBER_SETTINGS = (
    "SECURE_HSTS_SECONDS", "SESSION_COOKIE_AGE", "CSRF_COOKIE_AGE", "EMAIL_PORT", "EMAIL_TIMEOUT",
    "DATA_UPLOAD_MAX_MEMORY_SIZE", "DATA_UPLOAD_MAX_NUMBER_FIELDS", "DATA_UPLOAD_MAX_NUMBER_FILES",
    "FILE_UPLOAD_MAX_MEMORY_SIZE", "PASSWORD_RESET_TIMEOUT", "FILE_UPLOAD_PERMISSIONS",
    "FILE_UPLOAD_DIRECTORY_PERMISSIONS",
)
LIST_SETTINGS = (
    "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "INTERNAL_IPS", "INSTALLED_APPS", "MIDDLEWARE", "ADMINS",
    "MANAGERS", "SECRET_KEY_FALLBACKS", "STATICFILES_DIRS", "SILENCED_SYSTEM_CHECKS",
)

# Settings Django no longer reads: name -> (the first version without it, what to do instead).
OBSOLETE = {
    "SECURE_BROWSER_XSS_FILTER": ((4, 0), "browsers dropped the X-XSS-Protection header; remove the setting"),
    "PASSWORD_RESET_TIMEOUT_DAYS": ((4, 0), "use PASSWORD_RESET_TIMEOUT (seconds)"),
    "DEFAULT_HASHING_ALGORITHM": ((4, 0), "remove the setting"),
    "USE_L10N": ((5, 0), "remove the setting (localized formatting is always on)"),
    "USE_DEPRECATED_PYTZ": ((5, 0), "use zoneinfo"),
    "CSRF_COOKIE_MASKED": ((5, 0), "remove the setting"),
    "STATICFILES_STORAGE": ((5, 1), "use STORAGES[\"staticfiles\"]"),
    "DEFAULT_FILE_STORAGE": ((5, 1), "use STORAGES[\"default\"]"),
    "FORMS_URLFIELD_ASSUME_HTTPS": ((6, 0), "remove the setting (URLField assumes https)"),
    "DEFAULT_CONTENT_TYPE": ((3, 0), "remove the setting"),
    "FILE_CHARSET": ((3, 1), "remove the setting (files are read as UTF-8)"),
    "MIDDLEWARE_CLASSES": ((2, 0), "use MIDDLEWARE"),
    "TEMPLATE_DIRS": ((1, 10), "use TEMPLATES"),
    "TEMPLATE_DEBUG": ((1, 10), "use TEMPLATES"),
    "TEMPLATE_LOADERS": ((1, 10), "use TEMPLATES"),
    "TEMPLATE_CONTEXT_PROCESSORS": ((1, 10), "use TEMPLATES"),
    "TEMPLATE_STRING_IF_INVALID": ((1, 10), "use TEMPLATES"),
}

# Names that are not Django's and look like one: name -> the setting meant.
MISNAMED = {
    "REFERRER_POLICY": "SECURE_REFERRER_POLICY",
    "SECURE_REFERER_POLICY": "SECURE_REFERRER_POLICY",
    "HSTS_SECONDS": "SECURE_HSTS_SECONDS",
    "SSL_REDIRECT": "SECURE_SSL_REDIRECT",
    "SESSION_SECURE_COOKIE": "SESSION_COOKIE_SECURE",
    "CSRF_SECURE_COOKIE": "CSRF_COOKIE_SECURE",
    "CSRF_TRUSTED_HOSTS": "CSRF_TRUSTED_ORIGINS",
    "SECURE_PROXY_HEADER": "SECURE_PROXY_SSL_HEADER",
    "X_FRAME_OPTION": "X_FRAME_OPTIONS",
}

# Settings of well-known packages that look like a misspelt Django setting.
NOT_MISSPELT = ("ASGI_APPLICATION", "SITE_ID", "CHANNEL_LAYERS", "CORS_ALLOWED_ORIGINS")

NON_DELIVERING_MAIL = ("console", "dummy", "locmem", "filebased")
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
MEMCACHED_BACKENDS = ("PyMemcacheCache", "PyLibMCCache", "MemcachedCache")

# The settings the module looks at and returns (redacted).
WATCHED = sorted(set(
    BOOL_SETTINGS + NUMBER_SETTINGS + LIST_SETTINGS + tuple(OBSOLETE) + tuple(MISNAMED) + (
        "SECRET_KEY", "SECURE_PROXY_SSL_HEADER", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS",
        "STATIC_URL", "STATIC_ROOT", "MEDIA_URL", "MEDIA_ROOT", "STORAGES", "CACHES", "DATABASES",
        "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "MAILERS",
        "DEFAULT_FROM_EMAIL", "SERVER_EMAIL", "SESSION_ENGINE", "ROOT_URLCONF", "WSGI_APPLICATION",
    )
))

# What this collection's nginx (and Apache in front of mod_wsgi) sets on requests that came over HTTPS:
# X-Forwarded-Proto: https, in the WSGI environment as Django reads it.
PROXY_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Domains under which anyone can have a name of their own (hosting platforms, tunnels): a
# wildcard over one of them trusts every customer of the platform. Domain -> the platform.
SHARED_PLATFORMS = {
    "herokuapp.com": "Heroku",
    "onrender.com": "Render",
    "railway.app": "Railway",
    "up.railway.app": "Railway",
    "fly.dev": "Fly.io",
    "vercel.app": "Vercel",
    "netlify.app": "Netlify",
    "pages.dev": "Cloudflare Pages",
    "trycloudflare.com": "Cloudflare Tunnel",
    "pythonanywhere.com": "PythonAnywhere",
    "azurewebsites.net": "Azure App Service",
    "appspot.com": "Google App Engine",
    "run.app": "Google Cloud Run",
    "koyeb.app": "Koyeb",
    "ngrok.io": "ngrok",
    "ngrok.app": "ngrok",
    "ngrok-free.app": "ngrok",
    "ngrok-free.dev": "ngrok",
    "loca.lt": "localtunnel",
    "replit.dev": "Replit",
    "repl.co": "Replit",
    "glitch.me": "Glitch",
}

# Database hosts that are this host's own server: the empty HOST (the local socket) and loopback.
LOCAL_HOSTS = ("", "localhost", "127.0.0.1", "::1", "[::1]")

REDACTED = "********"
_SENSITIVE = re.compile(r"(^|_)(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|CREDENTIALS?|KEY|KEYS)$|^SECRET_KEY_FALLBACKS$", re.I)
_URL_PASSWORD = re.compile(r"(://[^/:@\s]*:)[^@/\s]+@")
_URL_PASSWORD_ONLY = re.compile(r"://[^/:@\s]*:([^@/\s]+)@")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_WSGI_HEADER = re.compile(r"^HTTP_[A-Z0-9_]+$")
_SETTING_NAME = re.compile(r"\b[A-Z][A-Z0-9_]{2,}\b")


class Finding(dict):
    """{id, level, setting, message, hint, source}: one thing wrong with the settings."""


def json_text(value):
    """A value in double quotes, as the docs and Python code write it: ".herokuapp.com"."""
    return '"%s"' % str(value).replace("\\", "\\\\").replace('"', '\\"')


def one_line(text):
    """`text` with each run of whitespace (the line breaks and tabs of a driver's error) as one space."""
    return " ".join(str(text).split())


def finding(check_id, setting, message):
    """One of our findings, with the level and hint of the catalogue; the message on one line."""
    level, hint = CATALOGUE[check_id]
    return Finding(id=check_id, level=level, setting=setting, message=one_line(message), hint=hint, source="djangostack")


def plural(count, word):
    """`count` and `word`, with an s unless count is 1: "1 character", "2 characters"."""
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def level_rank(level):
    """0 (debug) .. 4 (critical)."""
    return LEVELS.index(level)


# ---------------------------------------------------------------- input

def parse_env_file(text):
    """The variables of a shell-syntax environment file (KEY=value, quoting as sh, `export` allowed)."""
    env = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            words = shlex.split(line)
        except ValueError as exc:
            raise ValueError("line %d: %s" % (number, exc)) from None
        # As in sh, a word that starts with # starts a comment; a # inside a word does not.
        words = words[:next((i for i, word in enumerate(words) if word.startswith("#")), len(words))]
        if words and words[0] == "export":
            words = words[1:]
        if not words:
            continue
        if len(words) != 1 or "=" not in words[0]:
            raise ValueError("line %d: not NAME=value" % number)
        name, value = words[0].split("=", 1)
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            raise ValueError("line %d: %r is not a variable name" % (number, name))
        env[name] = value
    return env


def parse_version(text):
    """(major, minor) of a Django version string such as 5.2.19 or 6.1a1."""
    numbers = re.findall(r"\d+", text or "")
    return tuple(int(n) for n in (numbers + ["0", "0"])[:2])


# ---------------------------------------------------------------- output

def redact(value, name=""):
    """`value` with secrets replaced: values under sensitive names, and passwords in URLs."""
    if name and _SENSITIVE.search(name) and value not in (None, "", [], {}):
        return REDACTED
    if isinstance(value, dict):
        return dict((key, redact(item, str(key))) for key, item in value.items())
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return _URL_PASSWORD.sub(r"\1" + REDACTED + "@", value)
    return value


def secret_values(env):
    """The values of an environment that must not appear in any output.

    The values of variables with sensitive names (SECRET_KEY, *_PASSWORD, *_TOKEN...)
    and the passwords in URLs (DATABASE_URL=postgres://user:password@host/db).
    """
    found = set()
    for name, value in env.items():
        if not value:
            continue
        if _SENSITIVE.search(name):
            found.add(value)
        for password in _URL_PASSWORD_ONLY.findall(value):
            found.update((password, unquote(password)))
    return found


def summary(findings, fail_level, where):
    """(failed, msg): whether a finding reaches fail_level, and one line saying so."""
    worst = [f for f in findings if level_rank(f["level"]) >= level_rank(fail_level)]
    if worst:
        return True, "%s: %d finding%s at %s or above: %s" % (
            where, len(worst), "" if len(worst) == 1 else "s", fail_level,
            "; ".join("%s %s" % (f["id"], " ".join(str(f["message"]).split())) for f in worst))
    below = [f for f in findings if level_rank(f["level"]) >= level_rank("warning")]
    rest = " (%d below it: %s)" % (len(below), ", ".join(f["id"] for f in below)) if below else ""
    return False, "%s: no finding at %s or above%s" % (where, fail_level, rest)


def failure(stage, error, settings_module):
    """The finding for a probe that stopped before the settings could be checked."""
    text = "%s: %s" % (error.get("type", "Error"), error.get("message", ""))
    if error.get("type") == "KeyError":
        text += " (a variable of the environment or a key that is not set)"
    if error.get("location"):
        text += " at %s" % error["location"]
    if stage == "django":
        return finding("djangostack.C091", None, "Django cannot be imported: %s" % text)
    if stage == "settings":
        return finding("djangostack.C090", "DJANGO_SETTINGS_MODULE",
                       "the settings module %s cannot be imported: %s" % (settings_module, text))
    if stage == "start":
        return finding("djangostack.C092", None, "the probe could not start: %s" % text)
    if stage == "setup":
        return finding("djangostack.C092", "INSTALLED_APPS", "django.setup() failed: %s" % text)
    return finding("djangostack.C092", None, "the probe failed in stage %r: %s" % (stage, text))


def timed_out(timeout):
    """E094: the probe's result when it was stopped at its deadline, `timeout` = {stage, seconds}."""
    return finding("djangostack.E094", None, "the probe timed out after %s s in stage %r"
                   % (timeout.get("seconds", "?"), str(timeout.get("stage"))))


def setting_of(msg, watched=()):
    """The setting a message of Django's checks is about: the first setting name in it, or after its ", but ".

    "You have '...CsrfViewMiddleware' in your MIDDLEWARE, but you have not set CSRF_COOKIE_SECURE to
    True" is about CSRF_COOKIE_SECURE: what comes before ", but " says why the check applies.
    """
    for part in (msg.split(", but ", 1)[1:] + [msg]):
        names = [name for name in _SETTING_NAME.findall(part) if name in watched]
        if names:
            return names[0]
    return None


def django_findings(checks, watched=()):
    """Django's check messages as findings, on one line; the setting is the one the message is about."""
    found = []
    for check in checks:
        msg = one_line(check.get("msg", ""))
        found.append(Finding(
            id=check.get("id") or "django", level=check.get("level", "error"), setting=setting_of(msg, watched),
            message=(("%s: " % check["obj"]) if check.get("obj") and check["obj"] != "?" else "") + msg,
            hint=one_line(check.get("hint") or ""), source="django"))
    return found


# ---------------------------------------------------------------- checks

def check_types(settings, types):
    """E001, E002, E003, E004: DEBUG on; a string where Django expects a bool, a number or a list."""
    found = []
    if settings.get("DEBUG"):
        found.append(finding("djangostack.E001", "DEBUG", "DEBUG is %r: tracebacks and settings are shown to visitors"
                             % settings["DEBUG"]))
    for names, check_id, kind in ((BOOL_SETTINGS, "djangostack.E002", "True or False"),
                                  (NUMBER_SETTINGS, "djangostack.E003", "a number"),
                                  (LIST_SETTINGS, "djangostack.E004", "a list")):
        for name in names:
            if types.get(name) == "str":
                found.append(finding(check_id, name, "%s is the string %r, not %s"
                                     % (name, redact(settings.get(name), name), kind)))
    return found


def _string_list(settings, name):
    """A list setting's items as text; None when it is not a list (E004 reports a string)."""
    value = settings.get(name)
    return [str(item) for item in value] if isinstance(value, list) else None


def host_matches(domain, pattern):
    """Whether Django's ALLOWED_HOSTS `pattern` accepts the host `domain`."""
    domain, pattern = domain.lower().rstrip("."), pattern.lower()
    if pattern == "*":
        return True
    if pattern.startswith("."):
        return domain.endswith(pattern) or domain == pattern[1:]
    return domain == pattern


def platform_of(wildcard, domains=()):
    """The hosting platform whose every customer the wildcard `wildcard` (".herokuapp.com") covers.

    None when the wildcard is not one of SHARED_PLATFORMS', or when a served domain is on that
    platform (the site is served there).
    """
    base = wildcard.lower().strip(".")
    platform = SHARED_PLATFORMS.get(base)
    if platform is None or any(host_matches(domain, "." + base) for domain in domains or ()):
        return None
    return platform


def check_hosts(settings, expect):
    """W010, W011, E012, E013, W014: ALLOWED_HOSTS."""
    hosts = _string_list(settings, "ALLOWED_HOSTS")
    if hosts is None:
        return []
    found = []
    if "*" in hosts:
        found.append(finding("djangostack.W010", "ALLOWED_HOSTS", "ALLOWED_HOSTS contains \"*\": any Host header is accepted"))
        if settings.get("USE_X_FORWARDED_HOST"):
            found.append(finding("djangostack.E013", "USE_X_FORWARDED_HOST",
                                 "USE_X_FORWARDED_HOST is on and ALLOWED_HOSTS contains \"*\": any client can choose "
                                 "the host of the links Django builds (password reset mails)"))
    if "" in hosts:
        found.append(finding("djangostack.W011", "ALLOWED_HOSTS", "ALLOWED_HOSTS contains an empty entry"))
    for host in hosts:
        platform = platform_of(host, expect.get("domains")) if host.startswith(".") else None
        if platform:
            found.append(finding("djangostack.W014", "ALLOWED_HOSTS", "ALLOWED_HOSTS contains %s, the host names of "
                                 "every %s app: any of them can have Django build links to it (password reset mails)"
                                 % (json_text(host), platform)))
    missing = [d for d in expect.get("domains") or [] if not any(host_matches(d, h) for h in hosts if h)]
    if missing:
        found.append(finding("djangostack.E012", "ALLOWED_HOSTS", "ALLOWED_HOSTS %s does not cover %s: those requests get "
                             "400 Bad Request" % (hosts, ", ".join(missing))))
    return found


def _behind_tls_proxy(expect):
    """Whether TLS ends at a proxy in front (expect.behind_proxy given true, expect.https not false)."""
    return expect.get("behind_proxy") is True and expect.get("https") is not False


def _sent_header(expect):
    """The header and value the proxy in front sets on requests that came over HTTPS, in WSGI form."""
    return [str(part) for part in (expect.get("proxy_header") or PROXY_HEADER)]


def header_name(wsgi_name):
    """The HTTP header of a WSGI environment key: HTTP_X_FORWARDED_PROTO is X-Forwarded-Proto."""
    return "-".join(word.capitalize() for word in wsgi_name[len("HTTP_"):].split("_"))


def check_proxy(settings, expect):
    """E020, E021, E025: SECURE_PROXY_SSL_HEADER behind a proxy that terminates TLS."""
    header = settings.get("SECURE_PROXY_SSL_HEADER")
    if header is None:
        if _behind_tls_proxy(expect):
            return [finding("djangostack.E020", "SECURE_PROXY_SSL_HEADER",
                            "SECURE_PROXY_SSL_HEADER is not set, but TLS ends at the proxy: Django sees every request "
                            "as http (CSRF failures on https forms, redirect loops with SECURE_SSL_REDIRECT)")]
        return []
    if (not isinstance(header, list) or len(header) != 2 or not all(isinstance(part, str) for part in header)
            or not _WSGI_HEADER.match(header[0]) or not header[1]
            or (header[0] == "HTTP_X_FORWARDED_PROTO" and header[1] != "https")):
        return [finding("djangostack.E021", "SECURE_PROXY_SSL_HEADER",
                        "SECURE_PROXY_SSL_HEADER is %r: Django looks it up in the WSGI environment, where "
                        "X-Forwarded-Proto is HTTP_X_FORWARDED_PROTO with the value \"https\"" % (header,))]
    sent = _sent_header(expect)
    if _behind_tls_proxy(expect) and header != sent:
        what = ("sets %s to %s, not %s" % (header_name(header[0]), json_text(sent[1]), json_text(header[1]))
                if header[0] == sent[0] else "does not send %s" % header_name(header[0]))
        return [finding("djangostack.E025", "SECURE_PROXY_SSL_HEADER",
                        "SECURE_PROXY_SSL_HEADER is (%s, %s), but the proxy %s (it sends %s: %s): Django sees every "
                        "request as http" % (json_text(header[0]), json_text(header[1]), what, header_name(sent[0]),
                                             sent[1]))]
    return []


def sees_https(settings, expect):
    """Whether Django sees the requests of an HTTPS site as secure (request.is_secure()).

    Behind a proxy that ends TLS only when SECURE_PROXY_SSL_HEADER is what the proxy sends;
    without a proxy (or without the expectation) the server that runs the app sees TLS itself.
    """
    if not _behind_tls_proxy(expect):
        return True
    header = settings.get("SECURE_PROXY_SSL_HEADER")
    return isinstance(header, list) and [str(part) for part in header] == _sent_header(expect)


def origin_covers(entry, origin):
    """Whether the CSRF_TRUSTED_ORIGINS `entry` (https://*.example.org allowed) covers `origin`."""
    entry, origin = entry.lower().rstrip("/"), origin.lower()
    if entry == origin:
        return True
    scheme, _sep, host = entry.partition("://")
    want_scheme, _sep, want_host = origin.partition("://")
    return scheme == want_scheme and host.startswith("*.") and (want_host.endswith(host[1:]) or want_host == host[2:])


def check_csrf(settings, expect):
    """E022, W023, E024: CSRF_TRUSTED_ORIGINS.

    Django (4.0 and later) accepts a POST whose Origin is the scheme and host of the request
    itself without CSRF_TRUSTED_ORIGINS; a served domain needs an entry only when Django
    does not see its requests as https (see sees_https).
    """
    origins = _string_list(settings, "CSRF_TRUSTED_ORIGINS")
    if origins is None:
        return []
    found = []
    bare = [origin for origin in origins if not _SCHEME.match(origin)]
    if bare:
        found.append(finding("djangostack.E022", "CSRF_TRUSTED_ORIGINS",
                             "CSRF_TRUSTED_ORIGINS has entries without a scheme: %s" % ", ".join(bare)))
    if expect.get("https") is not False and not sees_https(settings, expect):
        missing = ["https://%s" % d for d in expect.get("domains") or []
                   if not any(origin_covers(o, "https://%s" % d) for o in origins)]
        if missing:
            found.append(finding("djangostack.W023", "CSRF_TRUSTED_ORIGINS",
                                 "CSRF_TRUSTED_ORIGINS does not cover %s, whose requests Django sees as http "
                                 "(SECURE_PROXY_SSL_HEADER): forms posted there get 403" % ", ".join(missing)))
    for origin in origins:
        _scheme, _sep, host = origin.partition("://")
        host = host.split("/", 1)[0].rsplit(":", 1)[0] if _sep else ""
        platform = platform_of(host[1:], expect.get("domains")) if host.startswith("*.") else None
        if platform:
            found.append(finding("djangostack.E024", "CSRF_TRUSTED_ORIGINS", "CSRF_TRUSTED_ORIGINS trusts %s: a page "
                                 "of any %s app can post forms to the site as its logged-in users" % (origin, platform)))
    return found


def _same_path(one, other):
    return posixpath.normpath(str(one)) == posixpath.normpath(str(other))


def check_files(settings, expect, file_fields=None):
    """E030, E031, W032, E033: STATIC_ROOT and MEDIA_ROOT.

    W032 only when an installed model keeps files under MEDIA_ROOT (`file_fields`, from the
    probe); None (not known) counts as some.
    """
    found = []
    for name, unset_id, other_id, key in (("STATIC_ROOT", "djangostack.E030", "djangostack.E031", "static_root"),
                                          ("MEDIA_ROOT", "djangostack.W032", "djangostack.E033", "media_root")):
        value = settings.get(name)
        served = expect.get(key)
        if not value:
            if name == "STATIC_ROOT":
                found.append(finding(unset_id, name, "STATIC_ROOT is not set: collectstatic has nowhere to put the files"))
            elif file_fields is None:
                found.append(finding(unset_id, name, "MEDIA_ROOT is not set: uploads land in the process's working "
                                     "directory"))
            elif file_fields:
                more = " and %s" % plural(len(file_fields) - 3, "more field") if len(file_fields) > 3 else ""
                found.append(finding(unset_id, name, "MEDIA_ROOT is not set: uploads to %s%s land in the process's "
                                     "working directory" % (", ".join(file_fields[:3]), more)))
        elif served and not _same_path(value, served) and not (key == "static_root" and _inside(value, expect.get("static_within"))):
            found.append(finding(other_id, name, "%s is %s, but the web server serves %s" % (name, value, served)))
    return found


def _inside(path, directory):
    """Whether `path` lies in `directory` (not the directory itself)."""
    if not directory:
        return False
    return posixpath.normpath(str(path)).startswith(posixpath.normpath(str(directory)).rstrip("/") + "/")


def _locations(location):
    if isinstance(location, list):
        items = location
    else:
        items = re.split(r"[;,]", str(location or ""))
    return [str(item).strip() for item in items if str(item).strip()]


def check_caches(settings, caches, expect):
    """E040, E041, W042: CACHES."""
    found = []
    configured = settings.get("CACHES") if isinstance(settings.get("CACHES"), dict) else {}
    for alias in sorted(caches):
        entry = caches[alias]
        backend = entry.get("backend", "")
        setting = "CACHES[%r]" % alias
        if not entry.get("importable", True):
            removed = backend.endswith(".MemcachedCache")
            found.append(finding("djangostack.E040", setting, "%s backend %s %s" % (
                setting, backend, "was removed in Django 4.1 (use PyMemcacheCache)" if removed
                else "cannot be imported: %s" % entry.get("error", ""))))
            continue
        if entry.get("client") and not entry.get("client_installed", True):
            found.append(finding("djangostack.E041", setting, "%s backend %s needs the %s library, which is not "
                                 "installed" % (setting, backend.rsplit(".", 1)[-1], entry["client"])))
    expected = expect.get("cache_locations")
    default = configured.get("default") if isinstance(configured.get("default"), dict) else None
    if expected and default is not None:
        backend = str(default.get("BACKEND", ""))
        if backend.rsplit(".", 1)[-1] not in MEMCACHED_BACKENDS:
            found.append(finding("djangostack.W042", "CACHES['default']", "CACHES['default'] is %s, not the deployed "
                                 "memcached at %s" % (backend.rsplit(".", 1)[-1], ", ".join(expected))))
        else:
            wanted = set(loc.replace("unix:", "", 1) for loc in expected)
            other = [loc for loc in _locations(default.get("LOCATION")) if loc.replace("unix:", "", 1) not in wanted]
            if other:
                found.append(finding("djangostack.W042", "CACHES['default']", "CACHES['default'] LOCATION %s is not "
                                     "the deployed memcached (%s)" % (", ".join(other), ", ".join(expected))))
    return found


def is_local_host(host):
    """Whether a database HOST is this host's server: empty (the local socket), a socket directory, loopback."""
    host = str(host or "").strip().lower()
    return host in LOCAL_HOSTS or host.startswith("/")


def _host_words(host):
    return "the local socket" if not host else host


def _same_setting(key, actual, wanted):
    if key == "host":
        return actual.lower() == wanted.lower() or (is_local_host(actual) and is_local_host(wanted))
    return actual == wanted


def check_database(settings, database, expect):
    """E050, E051: DATABASES["default"]."""
    found = []
    if database is not None and not database.get("ok"):
        found.append(finding("djangostack.E050", "DATABASES['default']",
                             "cannot connect to DATABASES['default']: %s" % database.get("error", "")))
    wanted = expect.get("database") or {}
    databases = settings.get("DATABASES") if isinstance(settings.get("DATABASES"), dict) else {}
    default = databases.get("default") if isinstance(databases.get("default"), dict) else {}
    engine = str(default.get("ENGINE", ""))
    if wanted and "sqlite" in engine:
        found.append(finding("djangostack.E051", "DATABASES['default']", "DATABASES['default'] is the SQLite file %s, "
                             "not the deployed database" % default.get("NAME")))
    elif wanted and default:
        actual = {
            "host": str(default.get("HOST") or ""),
            "port": str(default.get("PORT") or ("5432" if "postgresql" in engine else "")),
            "name": str(default.get("NAME") or ""),
        }
        differ = ["%s %s (not %s)" % (key.upper(), _host_words(actual[key]) if key == "host" else actual[key], wanted[key])
                  for key in ("host", "port", "name")
                  if wanted.get(key) not in (None, "") and not _same_setting(key, actual[key], str(wanted[key]))]
        if differ:
            found.append(finding("djangostack.E051", "DATABASES['default']",
                                 "DATABASES['default'] is not the deployed database: %s" % ", ".join(differ)))
    return found


def _mail_kind(backend):
    for kind in NON_DELIVERING_MAIL:
        if backend.endswith(".%s.EmailBackend" % kind):
            return kind
    return None


def check_email(settings, explicit):
    """E060, W061: where mail goes (MAILERS on Django 6.1 and later, EMAIL_BACKEND before)."""
    found = []
    mailers = settings.get("MAILERS")
    if "MAILERS" in explicit and isinstance(mailers, dict):
        for alias in sorted(mailers):
            config = mailers[alias] if isinstance(mailers[alias], dict) else {}
            backend = str(config.get("BACKEND", SMTP_BACKEND))
            options = config.get("OPTIONS") if isinstance(config.get("OPTIONS"), dict) else {}
            setting = "MAILERS[%r]" % alias
            if backend == SMTP_BACKEND and not options.get("host"):
                found.append(finding("djangostack.E060", setting, "%s uses SMTP without a \"host\" option" % setting))
            elif _mail_kind(backend):
                found.append(finding("djangostack.W061", setting, "%s uses the %s backend: no mail is delivered"
                                     % (setting, _mail_kind(backend))))
        return found
    backend = str(settings.get("EMAIL_BACKEND") or "")
    if backend == SMTP_BACKEND and not settings.get("EMAIL_HOST"):
        found.append(finding("djangostack.E060", "EMAIL_HOST", "EMAIL_BACKEND is SMTP but EMAIL_HOST is empty"))
    elif _mail_kind(backend):
        found.append(finding("djangostack.W061", "EMAIL_BACKEND", "EMAIL_BACKEND is the %s backend: no mail is "
                             "delivered" % _mail_kind(backend)))
    return found


def check_names(explicit, known, version):
    """W070, W071: settings Django ignores, because they are obsolete or misspelt."""
    found = []
    known = set(known)
    for name in sorted(explicit):
        if name in OBSOLETE:
            removed, instead = OBSOLETE[name]
            if version >= removed:
                found.append(finding("djangostack.W070", name, "%s is ignored since Django %d.%d: %s"
                                     % ((name,) + removed + (instead,))))
            continue
        if name in known or name in NOT_MISSPELT:
            continue
        meant = MISNAMED.get(name) or next(iter(difflib.get_close_matches(name, sorted(known), 1, 0.9)), None)
        if meant:
            found.append(finding("djangostack.W071", name, "%s is not a Django setting: did you mean %s?" % (name, meant)))
    return found


def entropy_bits(text):
    """Shannon entropy of the text's characters, times its length."""
    counts = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    return -sum(n * math.log(n / float(len(text)), 2) for n in counts.values())


def repeats(text):
    """Whether the text is a shorter text repeated."""
    return any(text == (text[:n] * (len(text) // n + 1))[:len(text)] for n in range(1, len(text) // 2 + 1))


def check_secret_key(settings, types, found_in, stable=None):
    """E080, W081, W082, E083, E084: SECRET_KEY; `stable`: whether two imports of the settings gave one key."""
    key = settings.get("SECRET_KEY")
    if types.get("SECRET_KEY") != "str" or not key:
        return []
    found = []
    if key.startswith("django-insecure-"):
        found.append(finding("djangostack.E080", "SECRET_KEY", "SECRET_KEY is a django-insecure- key from startproject"))
    if len(key) < 50:
        found.append(finding("djangostack.W081", "SECRET_KEY", "SECRET_KEY has %s, fewer than 50"
                             % plural(len(key), "character")))
    if len(set(key)) < 5 or repeats(key) or entropy_bits(key) < 128:
        found.append(finding("djangostack.W082", "SECRET_KEY", "SECRET_KEY has low entropy (%s, about %s)"
                             % (plural(len(set(key)), "distinct character"), plural(int(round(entropy_bits(key))), "bit"))))
    if found_in:
        found.append(finding("djangostack.E083", "SECRET_KEY", "SECRET_KEY is written in the project's files: %s"
                             % ", ".join(found_in[:5])))
    if stable is False:
        found.append(finding("djangostack.E084", "SECRET_KEY", "SECRET_KEY differs between two imports of the settings "
                             "(generated at import?): sessions, password reset links and signed values break across "
                             "workers and restarts"))
    return found


def analyze(probe, expect=None, secret_found_in=()):
    """Our findings for a probe that got through the settings (stage setup or done)."""
    expect = expect or {}
    settings, types = probe.get("settings") or {}, probe.get("types") or {}
    explicit = probe.get("explicit") or []
    found = []
    found += check_types(settings, types)
    found += check_hosts(settings, expect)
    found += check_proxy(settings, expect)
    found += check_csrf(settings, expect)
    found += check_files(settings, expect, probe.get("file_fields"))
    found += check_caches(settings, probe.get("caches") or {}, expect)
    found += check_database(settings, probe.get("database"), expect)
    found += check_email(settings, explicit)
    found += check_names(explicit, probe.get("known") or [], parse_version(probe.get("django_version")))
    found += check_secret_key(settings, types, list(secret_found_in), probe.get("secret_key_stable"))
    cache_found = any(f["id"] in ("djangostack.E040", "djangostack.E041") for f in found)
    for error in probe.get("checks_errors") or []:
        if error.get("tag") == "caches" and cache_found:
            continue  # the cache finding already names the cause
        found.append(finding("djangostack.E093", None, "Django's %s checks raised %s: %s"
                             % (error.get("tag"), error.get("type"), error.get("message"))))
    return found


def select(findings, silenced=(), ignore=()):
    """The findings without the silenced or ignored ids, the worst first."""
    drop = set(silenced or ()) | set(ignore or ())
    kept = [f for f in findings if f["id"] not in drop]
    return sorted(kept, key=lambda f: (-level_rank(f["level"]), f["id"]))


# ---------------------------------------------------------------- the key in the code

SKIP_DIRS = (".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".venv", "venv", "static", "media")


def files_containing(root, text, max_files=20000, max_size=1024 * 1024):
    """Paths (relative to root) of the project's files that contain `text`; links are not followed."""
    needle = text.encode("utf-8")
    found, seen = [], 0
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            path = os.path.join(directory, name)
            seen += 1
            if seen > max_files:
                return found
            try:
                if os.path.islink(path) or os.path.getsize(path) > max_size:
                    continue
                with open(path, "rb") as handle:
                    if needle in handle.read():
                        found.append(os.path.relpath(path, root))
            except OSError:
                continue
    return found
