# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The app model (`django_apps`) and its projections into each role's inputs.

An app is declared once; these pure functions turn the list into what the
postgresql, supervisord, gunicorn, apache_mod_wsgi, nginx and django_app roles take as their own
variables. They are used by the collection's filter plugins and tested without
a host.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

import re

from ansible_collections.djangostack.deploy.plugins.module_utils import checks

try:  # Python 3
    from shlex import quote as shlex_quote
except ImportError:  # pragma: no cover - Python 2 controllers are not supported
    from pipes import quote as shlex_quote  # type: ignore

try:  # Python 3
    from urllib.parse import quote, unquote, urlsplit, urlunsplit
except ImportError:  # pragma: no cover - Python 2 controllers are not supported
    from urllib import quote, unquote  # type: ignore
    from urlparse import urlsplit, urlunsplit  # type: ignore

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
DOMAIN_RE = re.compile(r"^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
ENV_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
URL_PATH_RE = re.compile(r"^/([A-Za-z0-9._~-]+/)*$")
DEFAULT_ROOT = "/srv"
BASE_PORT = 8000
# Where Apache (apache_mod_wsgi role) listens for the front server by default.
MOD_WSGI_PORT = 9000
SOURCE_TYPES = ("git", "hg", "archive", "local")
SERVERS = ("gunicorn", "mod_wsgi")
TLS_MODES = ("selfsigned", "provided", "acme")
STATES = ("present", "absent")
# Procfile process types the stack runs itself (web) or does not run as a program.
PROCFILE_SKIPPED = ("web", "release")
# The two supervisord programs of a gunicorn app, <app>-blue and <app>-green:
# one serves, the other starts the next generation (a new release, virtualenv
# or environment) beside it.
GUNICORN_SLOTS = ("blue", "green")
# Names an app (its user, group, database user, /etc/<name>) may not take: the
# accounts and configuration directories of Debian and of the services this
# stack runs. An account that exists on a host and was not created for an app is
# refused there as well (tasks/assert.yml of django_app).
RESERVED_NAMES = frozenset((
    "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy",
    "www", "www_data", "backup", "list", "irc", "gnats", "nobody", "nogroup", "adm", "staff", "sudo",
    "wheel", "shadow", "disk", "kmem", "tty", "utmp", "operator", "users", "systemd", "messagebus",
    "sshd", "ssh", "postgres", "postgresql", "memcache", "memcached", "nginx", "apache", "apache2",
    "supervisor", "supervisord", "gunicorn", "cron", "default", "ssl", "apt", "dpkg", "pam", "security",
    "sudoers", "network", "init", "logrotate", "rsyslog", "nftables", "alternatives", "template0",
    "template1", "djangostack",
))
# Where an app's home or configuration directory may never be: the system's own
# trees (a removal deletes the directory).
SYSTEM_TREES = ("/bin", "/boot", "/dev", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root", "/run",
                "/sbin", "/sys", "/tmp", "/usr", "/var/lib", "/var/log", "/var/cache", "/var/spool",
                "/var/mail", "/var/backups", "/var/tmp", "/var/run", "/var/lock")
SAFE_PATH_RE = re.compile(r"^(/[A-Za-z0-9_][A-Za-z0-9._+-]*)+$")
SAFE_RELATIVE_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._+-]*(/[A-Za-z0-9_][A-Za-z0-9._+-]*)*$")
WSGI_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$")
PACKAGE_RE = re.compile(r"^[a-z0-9][a-z0-9+.-]+$")
PYTHON_RE = re.compile(r"^(python3(\.[0-9]+)?|/[A-Za-z0-9._/+-]+)$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# The directory of a release the web server serves STATIC_URL from: where
# collectstatic puts the files (STATIC_ROOT), or a link to the project's own
# STATIC_ROOT when its settings put it elsewhere in the release. A name no
# project uses for its own files (static/ is often STATICFILES_DIRS).
STATIC_DIR = ".static"
# email.host names that mean this host's own mail server.
LOCAL_MAIL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")
SIZE_RE = re.compile(r"^[0-9]+[kKmMgG]?$")
TRUE_WORDS = ("true", "yes", "on", "1")
FALSE_WORDS = ("false", "no", "off", "0")
# The fields of a cron schedule: name, lowest, highest value, names allowed.
CRON_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day", 1, 31, ()),
    ("month", 1, 12, ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")),
    ("weekday", 0, 7, ("sun", "mon", "tue", "wed", "thu", "fri", "sat")),
)


class AppModelError(ValueError):
    """An app entry that cannot be deployed, with a message naming the field."""


def _check_name(value, what):
    if not isinstance(value, str) or not NAME_RE.match(value):
        raise AppModelError(
            "%s %r must start with a lowercase letter and contain only lowercase letters, "
            "digits and underscores (at most 31 characters)" % (what, value))
    return value


def _check_user_name(value, what):
    """A unix user, group or database role of an app: a name, and not one of the system's."""
    _check_name(value, what)
    if value in RESERVED_NAMES:
        raise AppModelError("%s %r is the name of an account or service of the system: an app gets a user of "
                            "its own, choose another name" % (what, value))
    return value


def _check_choice(value, choices, what):
    if value not in choices:
        raise AppModelError("%s must be one of %s, got %r" % (what, ", ".join(choices), value))
    return value


def _check_int(value, what, minimum=0):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or number < minimum:
        raise AppModelError("%s must be a whole number of at least %d, got %r" % (what, minimum, value))
    return number


def _check_port(value, what):
    number = _check_int(value, what, 1)
    if number > 65535:
        raise AppModelError("%s must be a port number from 1 to 65535, got %r" % (what, value))
    return number


def _check_bool(value, what):
    """A boolean as YAML and Ansible write it; a string like "no" is never true by accident."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS + FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise AppModelError("%s must be true or false, got %r" % (what, value))


def _check_text(value, what, allow_empty=False):
    """A string that goes into a file line by line: no newline or other control character."""
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise AppModelError("%s must be a non-empty string, got %r" % (what, value))
    if CONTROL_RE.search(value):
        raise AppModelError("%s must be one line without control characters (a newline would start another "
                            "line of the file it is written to), got %r" % (what, value))
    return value


def _check_dir(value, what, etc=False):
    """An absolute directory the app owns (and a removal deletes): never one of the system's."""
    if not isinstance(value, str) or not SAFE_PATH_RE.match(value) or \
            any(part in (".", "..") for part in value.split("/")):
        raise AppModelError("%s must be an absolute path of letters, digits and . _ + - without .. or a "
                            "trailing /, got %r" % (what, value))
    parts = value.split("/")[1:]
    top = "/" + parts[0]
    if len(parts) < (3 if top == "/var" else 2) or top == "/etc" and (not etc or parts[1] in RESERVED_NAMES or not NAME_RE.match(parts[1])) or \
            any(value == tree or value.startswith(tree + "/") for tree in SYSTEM_TREES):
        raise AppModelError("%s %s is a directory of the system (or holds them): give the app a directory "
                            "of its own, e.g. %s" % (what, value, "/etc/<app>" if etc else "/srv/<app>"))
    return value


def _check_relative(value, what):
    """A path inside the release (or the repository): relative, without .."""
    if not isinstance(value, str) or not SAFE_RELATIVE_RE.match(value) or \
            any(part in (".", "..") for part in value.split("/")):
        raise AppModelError("%s must be a relative path inside the release, of letters, digits and . _ + - "
                            "without .., got %r" % (what, value))
    return value


def _cron_field(value, low, high, names, what):
    """A crontab time field: *, numbers, names, ranges, lists and steps, all in range."""
    text = str(value).strip().lower()

    def number(token):
        if token in names:
            return True
        return token.isdigit() and low <= int(token) <= high

    for item in text.split(","):
        base, slash, step = item.partition("/")
        if slash and not (step.isdigit() and int(step) >= 1):
            break
        if base != "*":
            first, dash, last = base.partition("-")
            if not number(first) or dash and not number(last):
                break
    else:
        if text:
            return text
    raise AppModelError("%s must be a cron field (*, a number from %d to %d, a range, a list or a step such as "
                        "*/15), got %r" % (what, low, high, value))


def _dict(value, what):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AppModelError("%s must be a dict, got %r" % (what, value))
    return dict(value)


def _list(value, what):
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise AppModelError("%s must be a list, got %r" % (what, value))
    return list(value)


def _domains(value, what):
    domains = []
    for domain in _list(value, what):
        if not isinstance(domain, str) or not DOMAIN_RE.match(domain):
            raise AppModelError("%s: %r is not a lowercase domain name" % (what, domain))
        if domain not in domains:
            domains.append(domain)
    return domains


def _url_path(value, what):
    if not isinstance(value, str) or not URL_PATH_RE.match(value) or value == "/":
        raise AppModelError("%s must be a path that starts and ends with /, e.g. /static/, got %r"
                            % (what, value))
    return value


def _source(app, name):
    source = _dict(app.get("source"), "django_apps[%s].source" % name)
    if not source:
        return None
    kind = _check_choice(source.get("type"), SOURCE_TYPES, "django_apps[%s].source.type" % name)
    needs = {"git": "repo", "hg": "repo", "archive": "src", "local": "path"}[kind]
    if not source.get(needs):
        raise AppModelError("django_apps[%s].source of type %s needs %s" % (name, kind, needs))
    for field in ("repo", "src", "path", "version", "key_file"):
        if source.get(field) is None:
            continue
        what = "django_apps[%s].source.%s" % (name, field)
        value = _check_text(str(source[field]), what)
        # git, hg and tar would read a leading - as one of their options.
        if value.startswith("-") or any(char.isspace() for char in value):
            raise AppModelError("%s may not start with - or contain spaces, got %r" % (what, value))
    if source.get("key_file") is not None and not str(source["key_file"]).startswith("/"):
        raise AppModelError("django_apps[%s].source.key_file must be an absolute path on the host, got %r"
                            % (name, source["key_file"]))
    source.setdefault("version", {"git": "HEAD", "hg": "default"}.get(kind))
    source.setdefault("key_file", None)
    source["repo"], source["credentials"] = split_credentials(source.get("repo")) if kind in ("git", "hg") \
        else (source.get("repo"), None)
    source["accept_hostkey"] = _check_bool(source.get("accept_hostkey", False),
                                           "django_apps[%s].source.accept_hostkey" % name)
    return source


def split_credentials(repo):
    """(the URL without its user and password, {prefix, username, password} or None).

    The credentials of an http(s) URL never reach a command line, the clone's
    configuration or the output: the roles hand them to git and hg in a file of
    their own (mode 0600). ssh URLs keep their user name (it is not a secret).
    """
    if not isinstance(repo, str):
        return repo, None
    parts = urlsplit(repo)
    if parts.scheme not in ("http", "https") or "@" not in parts.netloc:
        return repo, None
    host = parts.netloc.rsplit("@", 1)[1]
    clean = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return clean, {"prefix": "%s://%s" % (parts.scheme, host), "username": unquote(parts.username or ""),
                   "password": unquote(parts.password or "")}


def _processes(app, name):
    processes = []
    for proc in _list(app.get("processes"), "django_apps[%s].processes" % name):
        if not isinstance(proc, dict) or not proc.get("name") or not proc.get("command"):
            raise AppModelError(
                "django_apps[%s].processes entries need a name and a command, got %r" % (name, proc))
        proc_name = _check_name(proc["name"], "django_apps[%s].processes[].name" % name)
        if proc_name in GUNICORN_SLOTS:
            raise AppModelError("django_apps[%s].processes[].name may not be %s (the programs %s-blue and "
                                "%s-green run its gunicorn): rename it" % (name, proc_name, name, name))
        what = "django_apps[%s].processes[%s]" % (name, proc_name)
        _check_text(proc["command"], what + ".command")
        if proc.get("directory") is not None:
            _check_dir(proc["directory"], what + ".directory")
        if proc.get("numprocs") is not None:
            _check_int(proc["numprocs"], what + ".numprocs", 1)
        processes.append(dict(proc, name=proc_name))
    return processes


def _cron(app, name):
    jobs = []
    for job in _list(app.get("cron"), "django_apps[%s].cron" % name):
        if not isinstance(job, dict) or not job.get("name") or not job.get("command"):
            raise AppModelError(
                "django_apps[%s].cron entries need a name and a command (a management command), got %r"
                % (name, job))
        job = dict(job, name=_check_name(job["name"], "django_apps[%s].cron[].name" % name))
        what = "django_apps[%s].cron[%s]" % (name, job["name"])
        # cron ends a command at a newline and turns % into one.
        _check_text(job["command"], what + ".command")
        for field, low, high, names in CRON_FIELDS:
            job[field] = _cron_field(job.get(field, "*"), low, high, names, "%s.%s" % (what, field))
        job.setdefault("state", "present")
        _check_choice(job["state"], STATES, what + ".state")
        jobs.append(job)
    return jobs


def _fallbacks(app, name):
    """The earlier secret keys still accepted for what they signed (SECRET_KEY_FALLBACKS)."""
    keys = _list(app.get("secret_key_fallbacks"), "django_apps[%s].secret_key_fallbacks" % name)
    for key in keys:
        if not isinstance(key, str) or len(key) < 50 or "," in key:
            # The keys themselves are never part of a message.
            raise AppModelError("django_apps[%s].secret_key_fallbacks takes earlier keys of 50 characters or more, "
                                "without commas (the variable is comma-separated)" % name)
    return keys


# What an `env` entry can copy with `from:` (django_env): the variables the
# stack exports, and the parts of the database and cache locations for projects
# that read them one by one (POSTGRES_DB, DB_HOST, ...).
ENV_SOURCES = (
    "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "SECRET_KEY_FALLBACKS", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL", "DATABASE_NAME", "DATABASE_USER", "DATABASE_PASSWORD", "DATABASE_HOST", "DATABASE_PORT",
    "CACHE_URL", "CACHE_LOCATION", "CACHE_KEY_PREFIX", "STATIC_URL", "STATIC_ROOT", "MEDIA_URL", "MEDIA_ROOT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL",
    "DEFAULT_FROM_EMAIL", "SERVER_EMAIL",
)


def _env_value(value, field):
    """One value of `env`: a literal, or {from: NAME, map: {value: value}} (a derived value under another name)."""
    if isinstance(value, dict):
        unknown = sorted(str(key) for key in value if key not in ("from", "map"))
        if unknown:
            raise AppModelError("%s takes from (and map), not %s" % (field, ", ".join(unknown)))
        source = value.get("from")
        if source not in ENV_SOURCES:
            raise AppModelError("%s.from must be one of the variables the stack derives (%s), got %r"
                                % (field, ", ".join(ENV_SOURCES), source))
        mapping = _dict(value.get("map"), field + ".map")
        for key, mapped in mapping.items():
            if isinstance(mapped, (dict, list)) or (isinstance(mapped, str) and CONTROL_RE.search(mapped)):
                raise AppModelError("%s.map.%s must be one line" % (field, key))
        # Keys as YAML may read them (True, 1): compared as the strings the stack writes.
        return {"from": source, "map": dict((_flag(k) if isinstance(k, bool) else str(k),
                                             _flag(v) if isinstance(v, bool) else str(v))
                                            for k, v in mapping.items())}
    if isinstance(value, list) or value is None:
        raise AppModelError("%s must be a string, number, boolean or {from: NAME}" % field)
    if isinstance(value, str) and CONTROL_RE.search(value):
        # Values are not shown: they may be secrets.
        raise AppModelError("%s must be one line without control characters" % field)
    return value


def _env(app, name):
    env = _dict(app.get("env"), "django_apps[%s].env" % name)
    for key, value in env.items():
        if not isinstance(key, str) or not ENV_KEY_RE.match(key):
            raise AppModelError("django_apps[%s].env: %r is not an environment variable name" % (name, key))
        env[key] = _env_value(value, "django_apps[%s].env.%s" % (name, key))
    return env


def normalize_app(app, root=DEFAULT_ROOT, index=0):
    """One app entry with every derived field filled in."""
    if not isinstance(app, dict):
        raise AppModelError("each django_apps entry must be a dict, got %r" % (app,))
    name = _check_user_name(app.get("name"), "django_apps[].name")
    state = _check_choice(app.get("state", "present"), STATES, "django_apps[%s].state" % name)
    home = _check_dir(app.get("home") or "%s/%s" % (root.rstrip("/"), name), "django_apps[%s].home" % name)
    user = _check_user_name(app.get("user") or name, "django_apps[%s].user" % name)
    group = _check_user_name(app.get("group") or user, "django_apps[%s].group" % name)
    config_dir = _check_dir(app.get("config_dir") or "/etc/%s" % name, "django_apps[%s].config_dir" % name, etc=True)
    env_file = app.get("env_file") or config_dir + "/env"
    if not isinstance(env_file, str) or not SAFE_PATH_RE.match(env_file) or env_file.rsplit("/", 1)[0] != config_dir:
        raise AppModelError("django_apps[%s].env_file must be a file directly in config_dir %s (the releases' "
                            "environment files are beside it), got %r" % (name, config_dir, env_file))
    manage = app.get("manage") or "/usr/local/bin/%s-manage" % name
    if not isinstance(manage, str) or not re.match(r"^/usr/local/s?bin/[A-Za-z0-9_][A-Za-z0-9._+-]*$", manage):
        raise AppModelError("django_apps[%s].manage must be a file name in /usr/local/bin, e.g. "
                            "/usr/local/bin/%s-manage, got %r" % (name, name, manage))
    database = _dict(app.get("database"), "django_apps[%s].database" % name)
    database.setdefault("name", name)
    database.setdefault("user", name)
    _check_user_name(database["name"], "django_apps[%s].database.name" % name)
    _check_user_name(database["user"], "django_apps[%s].database.user" % name)
    if database["user"].endswith("_alt"):
        raise AppModelError("django_apps[%s].database.user %s ends in _alt, the name of a user's second login role "
                            "(a new password goes to it): rename it" % (name, database["user"]))
    database.setdefault("password", None)
    if database["password"] is not None:
        # Never shown: it is a secret.
        if not isinstance(database["password"], str) or not database["password"] or \
                CONTROL_RE.search(database["password"]):
            raise AppModelError("django_apps[%s].database.password must be a non-empty string of one line" % name)
    database.setdefault("host", None)
    if database["host"] is not None and not re.match(r"^[A-Za-z0-9_][A-Za-z0-9._:-]*$", str(database["host"])):
        raise AppModelError("django_apps[%s].database.host must be a host name or an address, got %r"
                            % (name, database["host"]))
    database["port"] = _check_port(database.get("port", 5432), "django_apps[%s].database.port" % name)

    domains = _domains(app.get("domains"), "django_apps[%s].domains" % name)
    aliases = _domains(app.get("aliases"), "django_apps[%s].aliases" % name)
    redirects = []
    if domains and _check_bool(app.get("www_redirect", True), "django_apps[%s].www_redirect" % name) \
            and not domains[0].startswith("www."):
        redirects.append("www." + domains[0])
    redirects = [d for d in redirects + aliases if d not in domains]
    redirects = [d for i, d in enumerate(redirects) if d not in redirects[:i]]

    if "keep_database" in app:
        raise AppModelError("django_apps[%s].keep_database is no more: the database of an absent app is kept unless "
                            "drop_database: true (which takes a verified backup first)" % name)
    settings_module = app.get("settings_module") or "%s.settings" % name
    if not isinstance(settings_module, str) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
                                                            settings_module):
        raise AppModelError("django_apps[%s].settings_module must be a dotted module name, e.g. blog.settings, "
                            "got %r" % (name, settings_module))
    cache = app.get("cache", {})
    cache = None if cache is False else _dict(cache, "django_apps[%s].cache" % name)
    if cache is not None:
        cache.setdefault("servers", None)
        cache.setdefault("key_prefix", name)
    tls = _dict(app.get("tls"), "django_apps[%s].tls" % name)
    tls.setdefault("mode", "selfsigned")
    _check_choice(tls["mode"], TLS_MODES, "django_apps[%s].tls.mode" % name)
    hsts = _dict(app.get("hsts"), "django_apps[%s].hsts" % name)
    hsts["max_age"] = _check_int(hsts.get("max_age", 31536000), "django_apps[%s].hsts.max_age" % name)
    hsts["include_subdomains"] = _check_bool(hsts.get("include_subdomains", False),
                                             "django_apps[%s].hsts.include_subdomains" % name)
    hsts["preload"] = _check_bool(hsts.get("preload", False), "django_apps[%s].hsts.preload" % name)
    settings_template = app.get("settings_template")
    if settings_template is not None:
        settings_template = _dict(settings_template, "django_apps[%s].settings_template" % name)
        if not settings_template.get("src") or not settings_template.get("dest"):
            raise AppModelError("django_apps[%s].settings_template needs src (a template on the controller) "
                                "and dest (a path in the release, e.g. %s/local.py)"
                                % (name, settings_module.rsplit(".", 1)[0].replace(".", "/")))
        _check_relative(settings_template["dest"], "django_apps[%s].settings_template.dest" % name)
    superuser = app.get("superuser")
    if superuser is not None:
        superuser = _dict(superuser, "django_apps[%s].superuser" % name)
        if not superuser.get("username") or not superuser.get("email"):
            raise AppModelError("django_apps[%s].superuser needs a username and an email" % name)
        superuser.setdefault("password", None)
        if not re.match(r"^[A-Za-z0-9@.+_-]{1,150}$", str(superuser["username"])) or \
                not re.match(r"^[^@\s]+@[^@\s]+$", str(superuser["email"])):
            raise AppModelError("django_apps[%s].superuser needs a Django username (letters, digits, @ . + - _) and "
                                "an email address, got %r and %r" % (name, superuser["username"], superuser["email"]))

    project_dir = str(app.get("project_dir", ".")).strip("/") or "."
    if project_dir != ".":
        _check_relative(project_dir, "django_apps[%s].project_dir" % name)
    requirements = _check_relative(app.get("requirements", "requirements.txt"), "django_apps[%s].requirements" % name)
    wsgi = app.get("wsgi") or "%s.wsgi:application" % settings_module.rsplit(".", 1)[0]
    if not isinstance(wsgi, str) or not WSGI_RE.match(wsgi):
        raise AppModelError("django_apps[%s].wsgi must be module:callable, e.g. blog.wsgi:application, got %r"
                            % (name, wsgi))
    server = _check_choice(app.get("server", "gunicorn"), SERVERS, "django_apps[%s].server" % name)
    python = app.get("python")
    python_given = python is not None
    if isinstance(python, (int, float)) and not isinstance(python, bool):
        # YAML reads 3.12 as a number (and 3.10 as 3.1): the version must be quoted.
        raise AppModelError("django_apps[%s].python must be quoted (python: \"%s\"): YAML reads it as the number %r"
                            % (name, python, python))
    python = "python" + python if isinstance(python, str) and re.match(r"^3\.[0-9]+$", python) else python or "python3"
    if not isinstance(python, str) or not PYTHON_RE.match(python) or ".." in python.split("/"):
        raise AppModelError("django_apps[%s].python must be python3, 3.N, python3.N or an absolute path, got %r"
                            % (name, python))
    extra_requirements = _list(app.get("extra_requirements"), "django_apps[%s].extra_requirements" % name)
    for requirement in extra_requirements:
        if not isinstance(requirement, str) or not requirement.strip() or requirement.lstrip().startswith("-") \
                or CONTROL_RE.search(requirement):
            raise AppModelError("django_apps[%s].extra_requirements: %r is not a requirement (a name with an optional "
                                "version, e.g. whitenoise>=6; no pip options)" % (name, requirement))
    packages = _list(app.get("system_packages"), "django_apps[%s].system_packages" % name)
    for package in packages:
        if not isinstance(package, str) or not PACKAGE_RE.match(package):
            raise AppModelError("django_apps[%s].system_packages: %r is not a Debian package name" % (name, package))
    workers = app.get("workers")
    if workers is not None:
        workers = _check_int(workers, "django_apps[%s].workers" % name, 1)
    health_check_path = app.get("health_check_path", "/")
    if not isinstance(health_check_path, str) or not re.match(r"^/[A-Za-z0-9._~/?&=%+-]*$", health_check_path):
        raise AppModelError("django_apps[%s].health_check_path must be a path that starts with /, got %r"
                            % (name, health_check_path))
    client_max_body_size = str(app.get("client_max_body_size", "10m"))
    if not SIZE_RE.match(client_max_body_size):
        raise AppModelError("django_apps[%s].client_max_body_size must be a size like 10m, 512k or 1g, got %r"
                            % (name, client_max_body_size))
    email = _dict(app.get("email"), "django_apps[%s].email" % name)
    secret_key = app.get("secret_key")
    if secret_key is not None and (not isinstance(secret_key, str) or CONTROL_RE.search(secret_key)):
        raise AppModelError("django_apps[%s].secret_key must be a string of one line (or left out to have one "
                            "generated on the host)" % name)
    current = home + "/current"
    return dict(
        app,
        name=name,
        state=state,
        user=user,
        group=group,
        home=home,
        current=current,
        # The release that was live before `current` (its static files are served
        # as a fallback while the old processes drain).
        previous=home + "/previous",
        # mod_wsgi: the release its check daemon process runs (the next one
        # before a switch, else the live one), and that release's environment.
        next=home + "/next",
        releases_dir=home + "/releases",
        shared_dir=home + "/shared",
        media_root=home + "/shared/media",
        log_dir=home + "/shared/log",
        run_dir=home + "/run",
        socket=home + "/run/gunicorn.sock",
        venvs_dir=home + "/venvs",
        config_dir=config_dir,
        env_file=env_file,
        next_env_file=config_dir + "/env.next",
        manage=manage,
        domains=domains,
        redirects=redirects,
        source=_source(app, name),
        project_dir=project_dir,
        # The live project directory (manage.py), through the current link.
        project_path=current if project_dir == "." else "%s/%s" % (current, project_dir),
        requirements=requirements,
        wheelhouse=app.get("wheelhouse"),
        system_packages=packages,
        # The release's directory the web server serves STATIC_URL from.
        static_dir=STATIC_DIR,
        python=python,
        # Set in the inventory: a version file in the code does not override it (choose_python).
        python_given=python_given,
        extra_requirements=extra_requirements,
        settings_module=settings_module,
        wsgi=wsgi,
        server=server,
        # The entry script mod_wsgi runs (written by the apache_mod_wsgi role).
        wsgi_script="%s/%s.wsgi" % (home, name),
        port=_check_port(app.get("port", BASE_PORT + index), "django_apps[%s].port" % name),
        workers=workers,
        # gunicorn's sync workers have one thread; a mod_wsgi daemon process many.
        threads=_check_int(app.get("threads", 15 if server == "mod_wsgi" else 1),
                           "django_apps[%s].threads" % name, 1),
        timeout=_check_int(app.get("timeout", 30), "django_apps[%s].timeout" % name, 1),
        graceful_timeout=_check_int(app.get("graceful_timeout", 30), "django_apps[%s].graceful_timeout" % name, 1),
        max_requests=_check_int(app.get("max_requests", 1000), "django_apps[%s].max_requests" % name),
        max_requests_jitter=_check_int(app.get("max_requests_jitter", 100),
                                       "django_apps[%s].max_requests_jitter" % name),
        env=_env(app, name),
        secret_key=secret_key,
        secret_key_fallbacks=_fallbacks(app, name),
        debug=_check_bool(app.get("debug", False), "django_apps[%s].debug" % name),
        database=database,
        drop_database=_check_bool(app.get("drop_database", False), "django_apps[%s].drop_database" % name),
        cache=cache,
        email=email,
        # Mail handed to this host's own server: the stack installs one when none is there.
        local_mail=str(email.get("host", "")).lower() in LOCAL_MAIL_HOSTS,
        processes=_processes(app, name),
        cron=_cron(app, name),
        tls=tls,
        hsts=hsts,
        static_url=_url_path(app.get("static_url", "/static/"), "django_apps[%s].static_url" % name),
        media_url=_url_path(app.get("media_url", "/media/"), "django_apps[%s].media_url" % name),
        settings_template=settings_template,
        superuser=superuser,
        keep_releases=_check_int(app.get("keep_releases", 5), "django_apps[%s].keep_releases" % name, 1),
        health_check_path=health_check_path,
        client_max_body_size=client_max_body_size,
    )


def normalize_apps(apps, root=DEFAULT_ROOT):
    """All apps, normalised; what two apps would share on a host must be unique."""
    result = [normalize_app(app, root, index) for index, app in enumerate(_list(apps, "django_apps"))]
    for field, what in (("name", "two apps named"), ("port", "two apps on port"), ("user", "two apps run as user"),
                        ("home", "two apps with home"), ("config_dir", "two apps with config_dir"),
                        ("manage", "two apps with manage")):
        seen = set()
        for app in result:
            if app[field] in seen:
                raise AppModelError("django_apps has %s %r: give each app its own" % (what, app[field]))
            seen.add(app[field])
    owners = {}
    for app in result:
        for other, path in owners.items():
            for inner, outer in ((app["home"], path), (path, app["home"])):
                if inner.startswith(outer + "/"):
                    raise AppModelError("django_apps[%s].home %s and the home of %s nest: give each app a "
                                        "directory of its own" % (app["name"], app["home"], other))
        owners[app["name"]] = app["home"]
        if app["database"]["name"] in [other["database"]["name"] for other in result if other is not app] \
                and app["state"] == "present":
            raise AppModelError("django_apps[%s].database.name %s is the database of another app as well: "
                                "give each app its own" % (app["name"], app["database"]["name"]))
    # A host name reaches one site: nginx would answer it from whichever comes first.
    hosts = {}
    for app in result:
        if app["state"] != "present":
            continue
        for host in app["domains"] + app["redirects"]:
            if host in hosts:
                raise AppModelError("django_apps[%s]: %s is a domain (or a www./alias redirect) of %s as well: "
                                    "keep each name in one app" % (app["name"], host, hosts[host]))
            hosts[host] = app["name"]
    return result


def app_claims(apps, root=DEFAULT_ROOT):
    """What each app takes on a host (the app_claims module's input), without its secrets."""
    return [{field: app[field] for field in ("name", "state", "user", "group", "home", "config_dir", "manage")}
            for app in normalize_apps(apps, root)]


def select_apps(apps, name=None, version=None):
    """The apps a day-two playbook works on (`-e deploy_app=NAME`, `-e deploy_version=REF`).

    All apps when `name` is empty, else the one named `name`. `version` (a branch,
    tag or commit) replaces the source version of the selected app, which must come
    from git or hg; with several apps it needs a name. Entries are returned as
    declared, for the roles to normalise.
    """
    entries = _list(apps, "django_apps")
    names = [normalize_app(app, index=index)["name"] for index, app in enumerate(entries)]
    if name:
        if name not in names:
            raise AppModelError("django_apps has no app named %r (it has %s)"
                                % (name, ", ".join(names) or "none"))
        entries = [entries[names.index(name)]]
    if version:
        if len(entries) != 1:
            raise AppModelError("deploy_version=%s names one commit: say which app with deploy_app=NAME (one of %s)"
                                % (version, ", ".join(names)))
        app = normalize_app(entries[0])
        kind = (app["source"] or {}).get("type")
        if kind not in ("git", "hg"):
            raise AppModelError("django_apps[%s]: deploy_version=%s needs a git or hg source, not %s"
                                % (app["name"], version, kind or "none"))
        entries = [dict(entries[0], source=dict(entries[0]["source"], version=str(version)))]
    return entries


def remove_app(apps, name, database=False):
    """The apps with `name` declared absent, for playbooks/remove.yml.

    Every role then removes what it made for that app and leaves the others as
    they are. Its database and login role are dropped too only with `database`
    (after a verified backup), as `drop_database` does for site.yml.
    """
    entries = select_apps(apps)
    select_apps(entries, name)  # an unknown name is an error
    result = []
    for index, app in enumerate(entries):
        if normalize_app(app, index=index)["name"] == name:
            app = dict(app, state="absent", drop_database=_check_bool(database, "remove_database"))
        result.append(app)
    return result


def _database_state(app, drop=True):
    """absent only for an absent app with drop_database (and, with `drop` false, not yet:
    site.yml drops it once the app is stopped and backed up)."""
    return "absent" if app["state"] == "absent" and app["drop_database"] and drop else "present"


def postgresql_databases(apps, encoding="UTF8", locale="C.UTF-8", drop=True):
    """One database per app, owned by the app's database user."""
    return [
        {"name": app["database"]["name"], "owner": app["database"]["user"],
         "encoding": encoding, "lc_collate": locale, "lc_ctype": locale,
         "state": _database_state(app, drop)}
        for app in normalize_apps(apps)
    ]


def postgresql_users(apps, drop=True):
    """One user per app (two login roles, see the postgresql role's `rotate`); password None
    means: generate and keep on the host."""
    return [
        {"name": app["database"]["user"], "password": app["database"]["password"],
         "db": app["database"]["name"], "state": _database_state(app, drop),
         # A new password goes to a second login role: the running release keeps connecting.
         "rotate": True}
        for app in normalize_apps(apps)
    ]


def parse_procfile(text):
    """The process types of a Procfile as [{name, command}], in file order.

    Lines are `name: command`; blank lines and comments are skipped, and so are the
    process types the stack runs itself (web) or does not run as programs (release).
    Names are lower-cased and must be valid app-model names.
    """
    processes = []
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, command = line.partition(":")
        name, command = name.strip().lower(), command.strip()
        if not sep or not command:
            raise AppModelError("Procfile line %d is not `name: command`: %r" % (number, line))
        if name in PROCFILE_SKIPPED:
            continue
        processes.append({"name": _check_name(name, "Procfile process type"), "command": command})
    return processes


def procfile_problem(text):
    """The first problem of a Procfile (the text) that would stop its processes from running
    under supervisord as written, as one line naming the line or process; empty when there is
    none. The same rules as supervisord_programs, which runs after the switch."""
    try:
        processes = parse_procfile(text)
    except AppModelError as exc:
        # The role says "Procfile: " before the problem.
        message = str(exc)
        return message[len("Procfile "):] if message.startswith("Procfile ") else message
    seen = set()
    for proc in processes:
        if proc["name"] in GUNICORN_SLOTS:
            return ("process %s: the programs <app>-blue and <app>-green run the app's gunicorn: rename it"
                    % proc["name"])
        if proc["name"] in seen:
            return "process %s is listed twice: give each process a name of its own" % proc["name"]
        seen.add(proc["name"])
        problem = checks.supervisord_program_problem(proc)
        if problem:
            return "process %s: %s" % (proc["name"], problem)
    return ""


def supervisord_programs(apps, procfiles=None):
    """The apps' extra long-running processes (e.g. a worker), one program each.

    `procfiles` maps an app name to the processes read from its release's Procfile
    (see parse_procfile); a process declared in `processes` wins over the Procfile
    entry of the same name. Commands run in the current release's project
    directory with the release's virtualenv first on PATH.
    """
    procfiles = procfiles or {}
    programs = []
    for app in normalize_apps(apps):
        declared = app["processes"]
        names = set(proc["name"] for proc in declared)
        extra = [proc for proc in (procfiles.get(app["name"]) or []) if proc["name"] not in names]
        for proc in declared + extra:
            if proc["name"] in GUNICORN_SLOTS:
                raise AppModelError("django_apps[%s]: a process may not be named %s (the programs %s-blue and "
                                    "%s-green run its gunicorn): rename it"
                                    % (app["name"], proc["name"], app["name"], app["name"]))
            programs.append({
                "name": "%s-%s" % (app["name"], proc["name"]),
                "command": proc["command"],
                "directory": proc.get("directory", app["project_path"]),
                "user": app["user"],
                "environment_file": app["env_file"],
                "environment": {"PATH": "%s/venv/bin:/usr/local/bin:/usr/bin:/bin" % app["current"]},
                "numprocs": proc.get("numprocs", 1),
                "stopsignal": proc.get("stopsignal", "TERM"),
                "stopwaitsecs": proc.get("stopwaitsecs", 10),
                "state": "absent" if app["state"] == "absent" else proc.get("state", "present"),
            })
    return programs


def gunicorn_apps(apps, address=None):
    """One gunicorn per app served by gunicorn.

    The app answers on its unix socket (`run_dir`/gunicorn.sock), and on
    `address`:port as well when web servers on other hosts reach it (`address`
    is then the app server's own address; a socket proxy forwards it to the unix
    socket). Its health check (path, Host header) proves each new generation
    before it takes traffic.
    """
    result = []
    for app in normalize_apps(apps):
        if app["server"] != "gunicorn":
            continue
        result.append({
            "name": app["name"],
            "user": app["user"],
            "group": app["group"],
            "directory": app["project_path"],
            "python": "%s/venv/bin/python" % app["current"],
            "wsgi": app["wsgi"],
            "bind": ["%s:%d" % (address, app["port"])] if address else [],
            "run_dir": app["run_dir"],
            "workers": app["workers"],
            "threads": app["threads"],
            "timeout": app["timeout"],
            "graceful_timeout": app["graceful_timeout"],
            "max_requests": app["max_requests"],
            "max_requests_jitter": app["max_requests_jitter"],
            "environment_file": app["env_file"],
            "log_dir": app["log_dir"],
            "health_check": {"path": app["health_check_path"],
                             "host": app["domains"][0] if app["domains"] else "localhost"},
            "state": app["state"],
        })
    return result


def gunicorn_slot_socket(app, slot):
    """The unix socket the gunicorn of `slot` binds; run_dir/gunicorn.sock links to the live one."""
    return "%s/gunicorn-%s.sock" % (app["run_dir"].rstrip("/"), slot)


def gunicorn_live_slot(link_target):
    """The slot whose socket `link_target` (what run_dir/gunicorn.sock links to) names, or ''."""
    match = re.match(r"^(?:.*/)?gunicorn-(%s)\.sock$" % "|".join(GUNICORN_SLOTS), link_target or "")
    return match.group(1) if match else ""


def gunicorn_slot_program(app, slot, directory=None, python=None, environment_file=None,
                          config_dir="/etc/gunicorn"):
    """The supervisord program that runs `app` (a gunicorn_apps entry) in `slot`.

    `directory`, `python` and `environment_file` name the generation it runs
    (the paths of one release, links resolved); they default to the app's own.
    gunicorn runs as `python -m gunicorn` with the app's configuration file and
    binds the slot's own socket; its master and workers stop as a group, after
    the graceful timeout.
    """
    if slot not in GUNICORN_SLOTS:
        raise AppModelError("gunicorn slot must be one of %s, got %r" % (", ".join(GUNICORN_SLOTS), slot))
    directory = directory or app["directory"]
    python = python or app["python"]
    environment_file = environment_file or app.get("environment_file")
    program = {
        "name": "%s-%s" % (app["name"], slot),
        "command": " ".join(shlex_quote(part) for part in (
            python, "-m", "gunicorn", "--config", "%s/%s.conf.py" % (config_dir.rstrip("/"), app["name"]),
            "--chdir", directory, "--bind", "unix:" + gunicorn_slot_socket(app, slot), app["wsgi"])),
        "directory": directory,
        "user": app["user"],
        # Running for a second is enough: the health check that follows asks it.
        "startsecs": 1,
        "stopsignal": "TERM",
        "stopwaitsecs": int(app.get("graceful_timeout", 30)) + 5,
        "stopasgroup": True,
        "killasgroup": True,
        "priority": 500,
        # The configuration file names the control socket after it.
        "environment": {"DJANGOSTACK_GUNICORN_SLOT": slot},
    }
    if environment_file:
        program["environment_file"] = environment_file
    return program


def mod_wsgi_apps(apps):
    """One mod_wsgi daemon process group per app served by mod_wsgi (apache_mod_wsgi role).

    The app runs as its own user with the current release's virtualenv and
    project directory; its entry script is written next to its home and reads
    the app's environment file. Every domain of the app is served (the first as
    the virtual host's name); an absent app is only named, for removal.
    """
    result = []
    for app in normalize_apps(apps):
        if app["server"] != "mod_wsgi":
            continue
        if app["state"] == "absent":
            result.append({"name": app["name"], "state": "absent"})
            continue
        if not app["domains"]:
            raise AppModelError("django_apps[%s].domains is empty: list the domain names the site "
                                "answers to (the first is canonical)" % app["name"])
        result.append({
            "name": app["name"],
            "state": app["state"],
            "user": app["user"],
            "group": app["group"],
            "domain": app["domains"][0],
            "aliases": app["domains"][1:],
            "script": app["wsgi_script"],
            "generate_script": True,
            "wsgi": app["wsgi"],
            "env_file": app["env_file"],
            "python_home": "%s/venv" % app["current"],
            "python_path": app["project_path"],
            # The check daemon process: the release before it goes live, through
            # this Apache (django_app points `next` at it).
            "next": {
                "python_home": "%s/venv" % app["next"],
                "python_path": (app["next"] if app["project_dir"] == "."
                                else "%s/%s" % (app["next"], app["project_dir"])),
                "env_file": app["next_env_file"],
            },
            "health_check": {"path": app["health_check_path"]},
            "processes": _check_int(app["workers"] if app["workers"] is not None else 2,
                                    "django_apps[%s].workers" % app["name"], 1),
            "threads": app["threads"],
            "maximum_requests": app["max_requests"],
            "request_timeout": app["timeout"],
            "graceful_timeout": app["graceful_timeout"],
            "static": {"url": app["static_url"], "path": "%s/%s/" % (app["current"], STATIC_DIR)},
            "media": {"url": app["media_url"], "path": app["media_root"] + "/"},
        })
    return result


def nginx_sites(apps, app_hosts=None, mod_wsgi_port=MOD_WSGI_PORT):
    """One nginx site per app with domains.

    `app_hosts` lists the app servers' addresses when they are other hosts (an
    upstream with one server per host on the app's port); empty means the apps
    run on the web server itself, behind their unix sockets. An app served by
    mod_wsgi is reached through Apache on `mod_wsgi_port` (loopback when local).
    """
    sites = []
    for app in normalize_apps(apps):
        if not app["domains"]:
            raise AppModelError("django_apps[%s].domains is empty: list the domain names the site "
                                "answers to (the first is canonical)" % app["name"])
        port = app["port"] if app["server"] == "gunicorn" else int(mod_wsgi_port)
        if app_hosts:
            upstream = ["%s:%d" % (host, port) for host in app_hosts]
        elif app["server"] == "gunicorn":
            upstream = ["unix:%s" % app["socket"]]
        else:
            upstream = ["127.0.0.1:%d" % port]
        tls = dict(app["tls"])
        site = {
            "name": app["name"],
            "server_names": app["domains"],
            "redirect_names": app["redirects"],
            "upstream": upstream,
            "static": {"url": app["static_url"], "path": "%s/%s/" % (app["current"], STATIC_DIR),
                       "fallback": "%s/%s/" % (app["previous"], STATIC_DIR)},
            "media": {"url": app["media_url"], "path": app["media_root"] + "/"},
            "tls": tls,
            "hsts_max_age": app["hsts"]["max_age"],
            "hsts_include_subdomains": app["hsts"]["include_subdomains"],
            "client_max_body_size": app["client_max_body_size"],
            "proxy_read_timeout": app["timeout"],
            "state": app["state"],
        }
        sites.append(site)
    return sites


def _flag(value):
    return "True" if value else "False"


def django_env(app, secret_key, database_host, database_password, cache_servers=None, database_login=None):
    """The environment a release runs with, as an ordered list of [name, value].

    `app` is a normalised entry; the secret key and the database password come
    from the host (generated there when not given), the database host and the
    cache servers from the inventory; `database_login` is the login role the
    password belongs to (the user's second one after a password change, see the
    postgresql role's `rotate`). Values are strings; the app's own `env` comes
    last and wins.
    """
    database = _database_location(app, database_host)
    env = [
        ("DJANGO_SETTINGS_MODULE", app["settings_module"]),
        ("SECRET_KEY", secret_key),
    ]
    if app.get("secret_key_fallbacks"):
        env.append(("SECRET_KEY_FALLBACKS", ",".join(app["secret_key_fallbacks"])))
    env += [
        ("DEBUG", _flag(app["debug"])),
        ("ALLOWED_HOSTS", ",".join(app["domains"])),
        ("CSRF_TRUSTED_ORIGINS", ",".join("https://%s" % d for d in app["domains"])),
        ("DATABASE_URL", "postgres://%s:%s@%s:%s/%s" % (
            quote(database_login or app["database"]["user"], safe=""), quote(str(database_password), safe=""),
            # An IPv6 address goes in brackets (RFC 3986).
            "[%s]" % database["host"] if ":" in str(database["host"]) else database["host"],
            database["port"], quote(database["name"], safe=""))),
    ]
    servers = _cache_locations(app, cache_servers)
    if servers is None:
        env.append(("CACHE_URL", "locmem://"))
    else:
        env.append(("CACHE_URL", "pymemcache://" + ",".join(servers)))
        env.append(("CACHE_KEY_PREFIX", app["cache"]["key_prefix"]))
    env += [
        ("STATIC_URL", app["static_url"]),
        ("STATIC_ROOT", "%s/%s" % (app["current"], STATIC_DIR)),
        ("MEDIA_URL", app["media_url"]),
        ("MEDIA_ROOT", app["media_root"]),
        ("SECURE_HSTS_SECONDS", str(app["hsts"]["max_age"])),
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", _flag(app["hsts"]["include_subdomains"])),
        ("SECURE_HSTS_PRELOAD", _flag(app["hsts"]["preload"])),
    ]
    email = app["email"]
    if email.get("host"):
        env += [
            ("EMAIL_HOST", email["host"]),
            ("EMAIL_PORT", str(email.get("port", 587))),
            ("EMAIL_HOST_USER", email.get("user", "")),
            ("EMAIL_HOST_PASSWORD", email.get("password", "")),
            ("EMAIL_USE_TLS", _flag(email.get("use_tls", True))),
            ("EMAIL_USE_SSL", _flag(email.get("use_ssl", False))),
        ]
    if email.get("from"):
        env += [("DEFAULT_FROM_EMAIL", email["from"]), ("SERVER_EMAIL", email.get("server_from", email["from"]))]
    own = app["env"]
    sources = dict(env)
    login = database_login or app["database"]["user"]
    sources.update(DATABASE_NAME=database["name"], DATABASE_USER=login, DATABASE_PASSWORD=str(database_password),
                   DATABASE_HOST=str(database["host"]), DATABASE_PORT=str(database["port"]))
    if servers is not None:
        sources["CACHE_LOCATION"] = ",".join(servers)
    # A literal of the app's own wins here too (DEBUG set by hand, DJANGO_DEBUG from it).
    sources.update((key, _flag(value) if isinstance(value, bool) else str(value))
                   for key, value in own.items() if not isinstance(value, dict))
    env = [(key, value) for key, value in env if key not in own]
    for key in sorted(own):
        value = own[key]
        if isinstance(value, dict):
            # A derived value under the name the project reads; empty when the
            # stack does not derive it for this app (EMAIL_HOST without email.host).
            value = sources.get(value["from"], "")
            value = own[key]["map"].get(value, value)
        env.append((key, _flag(value) if isinstance(value, bool) else str(value)))
    return [[key, value] for key, value in env]


# The files in which a project names its Python, the first found wins:
# .python-version (pyenv, uv, Heroku and others), runtime.txt (Heroku's older one).
PYTHON_VERSION_FILES = (".python-version", "runtime.txt")
PYTHON_VERSION_RE = re.compile(r"^(?:c?python-?)?(3\.[0-9]+)(?:\.[0-9]+)?(?:[abrc]+[0-9]*)?$", re.IGNORECASE)


def python_request(content, filename):
    """The X.Y a version file asks for: (version, problem); (None, '') when it asks for none."""
    for line in str(content).splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line == "system":
            return None, ""
        match = PYTHON_VERSION_RE.match(line)
        if not match:
            return None, "%s: %r is not a Python 3 version (e.g. 3.12, python-3.12.7)" % (filename, line[:40])
        return match.group(1), ""
    return None, ""


def _version_of(interpreter):
    match = re.search(r"python(3\.[0-9]+)$", interpreter)
    return match.group(1) if match else None


def choose_python(app, version_files, interpreters, system_version):
    """The interpreter a new release's virtualenv is made with.

    `version_files` lists [file name, content] of the release's version files
    (PYTHON_VERSION_FILES, the first present one counts), `interpreters` the
    python3.N programs (and the app's own `python` path) found on the host, in
    order of preference, `system_version` the X.Y of the host's python3. The
    app's `python`, when the inventory sets it, wins over the files. mod_wsgi
    embeds the host's Python, so an app it serves runs that one. Returns
    {python, version, source, problem}: problem is one line ('' when none).
    """
    name = app["name"]
    found = {}
    for path in interpreters:
        version = _version_of(path)
        if version and version not in found:
            found[version] = path
    has = ", ".join("%s (%s)" % (version, found[version])
                    for version in sorted(found, key=lambda v: [int(p) for p in v.split(".")])) or "none"
    choice = {"python": app["python"], "version": system_version, "source": "", "problem": ""}
    field = "django_apps[%s].python" % name
    if app.get("python_given") and app["python"] == "python3":
        return _mod_wsgi_python(app, dict(choice, source=field), system_version)
    if app["python"] != "python3":
        choice["source"] = field
        if app["python"].startswith("/"):
            choice["version"] = _version_of(app["python"]) or ""
            if app["python"] not in interpreters:
                choice["problem"] = "%s: %s does not exist on this host" % (field, app["python"])
            return _mod_wsgi_python(app, choice, system_version)
        asked = _version_of(app["python"]) or system_version
    else:
        asked = None
        for filename, content in version_files:
            if content is None:
                continue
            asked, problem = python_request(content, filename)
            if problem:
                return dict(choice, problem="django_apps[%s]: %s" % (name, problem))
            if asked:
                choice["source"] = filename
            break
        if not asked:
            return _mod_wsgi_python(app, choice, system_version)
    choice["version"] = asked
    if asked not in found:
        choice["problem"] = (
            "django_apps[%s]: %s asks for Python %s; this host has %s. Install Python %s on the host (as "
            "/usr/local/bin/python%s) or set %s to one it has" % (
                name, choice["source"], asked, has, asked, asked, field))
        return choice
    choice["python"] = found[asked]
    return _mod_wsgi_python(app, choice, system_version)


def _mod_wsgi_python(app, choice, system_version):
    if app["server"] == "mod_wsgi" and not choice["problem"] and choice["version"] \
            and choice["version"] != system_version:
        choice["problem"] = ("django_apps[%s]: %s asks for Python %s, but mod_wsgi runs the host's Python %s: "
                             "use server: gunicorn for this app, or the host's Python"
                             % (app["name"], choice["source"], choice["version"], system_version))
    return choice


def stack_requirements(app, packages):
    """What the stack itself needs in an app's virtualenv, as [[names that provide it], requirement].

    The WSGI server of the app's `server`, the driver of the database the
    stack deploys and the client of its cache. `packages` maps each need to
    {provided_by: [distribution names], requirement: what to install when none
    of them is installed}: the role's django_app_stack_requirements. The
    project's own requirements, installed first, win: a need any of whose
    distributions they installed is left alone.
    """
    needs = ["postgresql"]
    if app["server"] == "gunicorn":
        needs.insert(0, "gunicorn")
    if app.get("cache") is not None:
        needs.append("memcached")
    result = []
    for need in needs:
        entry = packages.get(need) if isinstance(packages, dict) else None
        if not entry:
            continue
        provided_by = _list(entry.get("provided_by"), "django_app_stack_requirements.%s.provided_by" % need)
        requirement = entry.get("requirement")
        if not provided_by or not isinstance(requirement, str) or not requirement.strip() \
                or requirement.lstrip().startswith("-"):
            raise AppModelError("django_app_stack_requirements.%s needs provided_by (distribution names) and a "
                                "requirement, e.g. {provided_by: [gunicorn], requirement: gunicorn}" % need)
        result.append([[str(p) for p in provided_by], requirement])
    return result


def _database_location(app, database_host):
    """Host, port and name of the app's database: its own host, else the inventory's database server."""
    database = app["database"]
    return {"host": database["host"] or database_host, "port": int(database["port"]), "name": database["name"]}


def _cache_locations(app, cache_servers):
    """The memcached servers the app uses (None: no shared cache)."""
    if app["cache"] is None:
        return None
    return list(app["cache"]["servers"] or cache_servers or ["127.0.0.1:11211"])


def settings_expect(app, database_host, cache_servers=None):
    """What the stack deploys for an app, as django_settings_check's `expect` option.

    The same sources as django_env: the domains nginx passes on, TLS ended by the
    web server in front, the static and media directories it serves, the cache
    servers and the database.
    """
    expect = {
        "domains": list(app["domains"]),
        "https": True,
        "behind_proxy": True,
        "static_root": "%s/%s" % (app["current"], STATIC_DIR),
        "media_root": app["media_root"],
        "database": _database_location(app, database_host),
    }
    servers = _cache_locations(app, cache_servers)
    if servers is not None:
        expect["cache_locations"] = servers
    return expect


def stale_releases(found, keep, protected=()):
    """The releases to remove on each host, as [host, path] pairs.

    `found` is the result list of a find of each host's releases directory
    (looped over the hosts: each has `item`, the host, and `files`). The newest
    `keep` releases by name stay, and so do the `protected` paths (what the
    current and previous links name).
    """
    keep = int(keep)
    protected = set(protected or ())
    pairs = []
    for result in found or []:
        paths = sorted((entry["path"] for entry in result.get("files") or []), reverse=True)
        pairs += [[result["item"], path] for path in paths[keep:] if path not in protected]
    return pairs


def tier_hosts(groups, me, tier):
    """The hosts of the inventory group `tier` (dbservers, cacheservers, appservers)
    that this host uses.

    A host that is in the group itself uses its own service; another host uses
    every host of the group; without such a group (a role used on its own) a host
    uses itself.
    """
    members = list((groups or {}).get(tier) or [])
    return [me] if not members or me in members else members


def app_peers(groups, me, hosts=None):
    """The app servers that run the same deployment of the apps as this host.

    Those are the hosts of `appservers` whose database server (see tier_hosts) is
    this host's: they share one database, so one of them migrates it, and one
    media store. In the order of `hosts` (the play's hosts) when given, then only
    those among them; else in the group's order. Hosts that are each their own
    database server (all-in-one hosts in one inventory) are each alone.
    """
    database = tier_hosts(groups, me, "dbservers")[0]
    members = list((groups or {}).get("appservers") or [])
    order = members if hosts is None else [host for host in hosts if host in members]
    return [host for host in order if tier_hosts(groups, host, "dbservers")[0] == database]


def _accounts(listing):
    """{'passwd': {name: (uid, gid)}, 'group': {name: gid}} of `getent passwd; echo --; getent group`."""
    passwd, _sep, group = (listing or "").partition("\n--\n")
    users, groups = {}, {}
    for line in passwd.splitlines():
        fields = line.split(":")
        if len(fields) >= 4 and fields[2].isdigit() and fields[3].isdigit():
            users[fields[0]] = (int(fields[2]), int(fields[3]))
    for line in group.splitlines():
        fields = line.split(":")
        if len(fields) >= 3 and fields[2].isdigit():
            groups[fields[0]] = int(fields[2])
    return {"passwd": users, "group": groups}


def shared_ids(hosts, hostvars, user, group=None, register="__django_app_accounts", low=100, high=999):
    """The [uid, gid] an app's user and group get on every host that shares its media store.

    `hosts` names the hosts in order (the migrating host first); each one's
    variable `register` holds the output of `getent passwd; echo --; getent
    group` there (hosts without it are left out). The ids the user has already
    (on the first host that has it) when no other user or group holds them on
    any of the hosts; else the highest id from `high` down to `low` that is
    neither a user id nor a group id of anyone else on any of the hosts.
    """
    group = group or user
    known = []
    for host in hosts or []:
        try:
            known.append((host, _accounts(hostvars[host][register]["stdout"])))
        except (KeyError, TypeError):
            continue
    uids = set()
    gids = set()
    for _host, accounts in known:
        uids.update(ids[0] for name, ids in accounts["passwd"].items() if name != user)
        gids.update(gid for name, gid in accounts["group"].items() if name != group)
    for _host, accounts in known:
        if user in accounts["passwd"]:
            uid, gid = accounts["passwd"][user]
            if uid not in uids and gid not in gids:
                return [uid, gid]
    for candidate in range(int(high), int(low) - 1, -1):
        if candidate not in uids and candidate not in gids:
            return [candidate, candidate]
    raise AppModelError("no id from %s to %s is free for user %s on every one of %s"
                        % (low, high, user, ", ".join(host for host, _accounts in known)))


def remote_clients(groups, me, clients, tier):
    """The hosts of the group `clients` that reach this tier over the network.

    Those are the clients that are not in `tier` themselves (a client in both uses
    its own service, see tier_hosts), without this host.
    """
    own = set((groups or {}).get(tier) or [])
    return [host for host in (groups or {}).get(clients) or [] if host not in own and host != me]


def host_addresses(hosts, hostvars, me, port=None, loopback="127.0.0.1"):
    """The addresses of inventory hosts as this host reaches them.

    This host itself is reached on loopback; another host by its default IPv4
    address (facts must have been gathered for it). With `port`, each address
    gets `:port`.
    """
    addresses = []
    for host in hosts or []:
        if host == me:
            address = loopback
        else:
            try:
                address = hostvars[host]["ansible_facts"]["default_ipv4"]["address"]
            except (KeyError, TypeError):
                address = None
            if not isinstance(address, str) or not address:
                raise AppModelError("no address is known for host %s: gather its facts first "
                                    "(a play on all hosts with gather_facts: true)" % host)
        addresses.append(address if port is None else "%s:%s" % (address, port))
    return addresses
