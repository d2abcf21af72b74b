# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The probe: imports a Django project's settings in the app's own Python.

djangostack.deploy.django_settings_check sends the source of this file to the
app's interpreter (``python -c BOOTSTRAP``, the source and a request as JSON on
stdin) and runs it as the app user, so it sees exactly what the app sees. It
uses only the standard library and Django, and runs on every Python Django
4.2 and later runs on.

The protocol channel is a copy of the original stdout; before the settings are
imported, file descriptor 1 and ``sys.stdout`` are pointed at stderr, so what the
project prints while it is imported cannot mix with the result. The result is
one JSON document on that channel:

- ``stage``: ``done``, or where it stopped: ``start``, ``django`` (its import),
  ``settings`` (their import), ``secret key`` (the second import), ``setup``,
  ``models``, ``database`` (the connection), ``system checks``, ``<tag> checks`` (the
  checks of one tag, when they run tag by tag);
- ``timed_out``: ``{stage, seconds}`` when the probe was still in that stage at the
  request's ``deadline``: the result then has what the stages before gave;
- ``error``: ``{type, message, location}`` when it stopped;
- ``django_version``, ``python_version``, ``settings_module``;
- ``settings``: the requested settings, as JSON values (tuples as lists, paths
  and other objects as strings), with ``types``: their Python type names;
- ``explicit``: the names the settings module set itself; ``known``: the names
  of Django's global settings;
- ``checks``: Django's system checks with deployment checks, silenced ones left
  out, each ``{id, level, msg, hint, obj}``; ``checks_errors``: the tags whose
  checks raised, with the exception;
- ``caches``: per alias, whether its backend imports and its client library is
  installed; ``database``: the result of a connection attempt when requested;
- ``bounded``: the database aliases whose connections got a timeout (the request's
  ``database_timeout``) before Django could connect;
- ``secret_key_stable``: whether a second import of the settings in a fresh
  interpreter gives the same ``SECRET_KEY`` (their digests compared), None when unknown;
- ``file_fields``: the file fields of the installed models that keep their files
  under ``MEDIA_ROOT`` (``app.Model.field``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
import traceback

# How the module starts the probe: the interpreter gets this with -c.
BOOTSTRAP = (
    "import json,sys;"
    "d=json.loads(sys.stdin.read());"
    "g={'__name__':'djangostack_probe'};"
    "exec(compile(d['source'],'djangostack_probe.py','exec'),g);"
    "g['main'](d['request'])"
)

# A second import of the settings, in a fresh interpreter: it writes the SHA-256 of SECRET_KEY
# (never the key) on the copy of its stdout, as the probe does with its result.
SECOND_IMPORT = (
    "import hashlib,os,sys\n"
    "channel=os.fdopen(os.dup(1),'w');os.dup2(2,1);sys.stdout=sys.stderr\n"
    "sys.path.insert(0,os.getcwd())\n"
    "from django.conf import settings\n"
    "key=settings.SECRET_KEY\n"
    "channel.write(hashlib.sha256(key.encode('utf-8','surrogatepass')).hexdigest() if isinstance(key,str) else '')\n"
    "channel.flush();os._exit(0)\n"
)

# The processes the probe started and waits for.
CHILDREN = []

# The client library each cache backend needs, by backend path.
CACHE_CLIENTS = {
    "django.core.cache.backends.memcached.PyMemcacheCache": "pymemcache",
    "django.core.cache.backends.memcached.PyLibMCCache": "pylibmc",
    "django.core.cache.backends.memcached.MemcachedCache": "memcache",
    "django.core.cache.backends.redis.RedisCache": "redis",
}


def jsonable(value, depth=0):
    """A JSON value for a settings value: containers kept, anything else as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if depth > 6:
        return repr(value)
    if isinstance(value, dict):
        return dict((str(key), jsonable(item, depth + 1)) for key, item in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [jsonable(item, depth + 1) for item in items]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "__fspath__"):
        return os.fspath(value)
    return repr(value)


def error_of(exc, project_path):
    """Type, message and the project file and line an exception was raised from."""
    location = None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        filename = frame.filename
        if os.path.isabs(filename) and filename.startswith(os.path.abspath(project_path) + os.sep):
            location = "%s:%d" % (os.path.relpath(filename, project_path), frame.lineno)
            break
    if isinstance(exc, KeyError) and exc.args:
        message = repr(exc.args[0])
    else:
        message = str(exc)
    return {"type": type(exc).__name__, "message": message, "location": location}


def level_name(level):
    """Django's numeric check level as a name."""
    for name, floor in (("critical", 50), ("error", 40), ("warning", 30), ("info", 20)):
        if level >= floor:
            return name
    return "debug"


def _message(message):
    return {
        "id": message.id or "",
        "level": level_name(message.level),
        "msg": str(message.msg),
        "hint": str(message.hint) if message.hint else "",
        "obj": "" if message.obj is None else str(message.obj),
    }


def _collect(runs):
    """The messages of several runs of the checks, silenced ones and repeats left out."""
    found, seen = [], set()
    for run in runs:
        for message in run:
            entry = _message(message)
            key = (entry["id"], entry["msg"], entry["obj"])
            if message.is_silenced() or key in seen:
                continue
            seen.add(key)
            found.append(entry)
    return found


def run_checks(project_path, databases, result):
    """Django's system checks with the deployment checks, silenced ones left out.

    Sets result["checks"] (messages) and result["checks_errors"]. When a check raises, the
    checks run again tag by tag, so one broken check costs only its own tag; what the tags
    before gave is in the result as soon as they are done. `databases` are the aliases the
    checks may connect to (as `manage.py check --database`): none unless the probe was asked
    to connect, and then the checks tagged database run too.
    """
    from django.core import checks

    result["stage"] = "system checks"
    try:
        runs, errors = [checks.run_checks(include_deployment_checks=True, databases=databases)], []
    except Exception:  # pylint: disable=broad-except
        runs, errors = [], []
        for tag in sorted(checks.registry.registry.tags_available(deployment_checks=True)):
            if tag == checks.Tags.database and not databases:
                continue
            result["stage"] = "%s checks" % tag
            try:
                runs.append(checks.run_checks(tags=[tag], include_deployment_checks=True, databases=databases))
            except Exception as exc:  # pylint: disable=broad-except
                errors.append(dict(error_of(exc, project_path), tag=tag))
            result["checks"], result["checks_errors"] = _collect(runs), list(errors)
    result["checks"], result["checks_errors"] = _collect(runs), errors


def same_key_again(key, timeout):
    """Whether a second import of the settings, in a fresh interpreter, gives the same SECRET_KEY.

    Compares SHA-256 digests; None when the second import gave none (it raised, or took
    longer than `timeout` seconds) or the key is not a string.
    """
    if not isinstance(key, str) or not key:
        return None
    # The probe runs as a script in the app's virtualenv, where no AnsibleModule (and
    # so no run_command) exists; it waits for this child itself, with a deadline.
    try:
        child = subprocess.Popen(  # pylint: disable=consider-using-with,ansible-bad-function
            [sys.executable, "-c", SECOND_IMPORT], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return None
    CHILDREN.append(child)  # a probe stopped at its deadline stops it too
    try:
        out = child.communicate(timeout=timeout)[0]
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return None
    finally:
        CHILDREN.remove(child)
    digest = out.decode("ascii", "replace").strip()
    if len(digest) != 64:
        return None
    return digest == hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def inspect_caches(settings):
    """Per cache alias: whether its backend imports, and whether its client library is installed."""
    import importlib

    from django.utils.module_loading import import_string

    found = {}
    for alias, config in (getattr(settings, "CACHES", None) or {}).items():
        backend = str((config or {}).get("BACKEND", ""))
        entry = {"backend": backend, "importable": True, "error": "", "client": CACHE_CLIENTS.get(backend)}
        try:
            import_string(backend)
        except Exception as exc:  # pylint: disable=broad-except
            entry.update(importable=False, error="%s: %s" % (type(exc).__name__, exc))
        if entry["client"]:
            try:
                entry["client_installed"] = importlib.util.find_spec(entry["client"]) is not None
            except (ImportError, ValueError):
                entry["client_installed"] = False
        found[str(alias)] = entry
    return found


def file_fields():
    """The file fields of the installed models that keep their files under MEDIA_ROOT, as app.Model.field.

    FileField, ImageField and their subclasses whose storage is a FileSystemStorage without a
    location of its own (Django's default storage is one). A storage that cannot be looked
    at counts as one that uses MEDIA_ROOT.
    """
    from django.apps import apps
    from django.core.files.storage import FileSystemStorage
    from django.db.models import FileField

    found = set()
    for model in apps.get_models():
        for field in model._meta.fields:  # pylint: disable=protected-access
            if not isinstance(field, FileField):
                continue
            try:
                storage = field.storage
                uses_media_root = isinstance(storage, FileSystemStorage) and getattr(storage, "_location", None) is None
            except Exception:  # pylint: disable=broad-except  # a storage backend that cannot be set up here
                uses_media_root = True
            if uses_media_root:
                found.add("%s.%s" % (model._meta.label, field.name))  # pylint: disable=protected-access
    return sorted(found)


# The connection options that bound each wait of a database driver, by a word of the ENGINE:
# libpq's (psycopg, psycopg2) connect_timeout covers the whole start of a connection;
# mysqlclient and PyMySQL also bound each read and write.
CONNECT_BOUNDS = (
    ("postgresql", ("connect_timeout",)),
    ("postgis", ("connect_timeout",)),
    ("mysql", ("connect_timeout", "read_timeout", "write_timeout")),
)


def _bounded(value, seconds):
    """`seconds`, or `value` when it is a number of seconds that is smaller (and not 0, no bound)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return seconds
    return value if 0 < number <= seconds else seconds


def bound_connections(databases, seconds):
    """Bound every connection Django may open to `databases` (DATABASES) to `seconds`, in place.

    Sets the connect timeout of each alias's driver (and its read and write timeouts where
    it has them) in OPTIONS, keeping a smaller one the project set, and the timeout of a
    psycopg pool (OPTIONS["pool"]), so that neither the apps' ready(), nor Django's checks,
    nor the probe's own connection can wait for a server that accepts and never answers.
    Returns the aliases bounded. Engines not known here are bounded by the probe's deadline
    only.
    """
    bounded = []
    for alias, config in (databases or {}).items():
        if not isinstance(config, dict):
            continue
        engine = str(config.get("ENGINE", "")).lower()
        keys = next((keys for word, keys in CONNECT_BOUNDS if word in engine), None)
        if keys is None:
            continue
        if config.get("OPTIONS") is None:
            config["OPTIONS"] = {}
        options = config["OPTIONS"]
        if not isinstance(options, dict):
            continue
        for key in keys:
            options[key] = _bounded(options.get(key), seconds)
        if "mysql" not in engine and options.get("pool"):
            pool = dict(options["pool"]) if isinstance(options["pool"], dict) else {}
            pool["timeout"] = _bounded(pool.get("timeout"), seconds)
            options["pool"] = pool
        bounded.append(str(alias))
    return bounded


def connect(timeout):
    """Open and close a connection to DATABASES["default"], within `timeout` seconds."""
    import signal

    from django.db import connections

    def expired(signum, frame):
        raise TimeoutError("no connection within %d second%s" % (timeout, "" if timeout == 1 else "s"))

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(timeout + 1)
    try:
        connection = connections["default"]
        connection.ensure_connection()
        connection.close()
        return {"ok": True, "error": ""}
    except Exception as exc:  # pylint: disable=broad-except
        return {"ok": False, "error": "%s: %s" % (type(exc).__name__, " ".join(str(exc).split()))}
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def probe(request, result):
    """Fill `result` step by step; an exception leaves the stage it happened in."""
    project_path = request["project_path"]
    os.chdir(project_path)
    sys.path.insert(0, project_path)
    os.environ["DJANGO_SETTINGS_MODULE"] = request["settings_module"]
    result["settings_module"] = request["settings_module"]

    result["stage"] = "django"
    import django

    result["django_version"] = django.get_version()

    result["stage"] = "settings"
    from django.conf import global_settings, settings

    installed = settings.INSTALLED_APPS  # the settings module is imported here
    result["installed_apps"] = jsonable(installed)
    wrapped = getattr(settings, "_wrapped", None)
    result["explicit"] = sorted(getattr(wrapped, "_explicit_settings", ()))
    result["known"] = sorted(name for name in dir(global_settings) if name.isupper())
    values, types = {}, {}
    for name in request.get("names", ()):
        try:
            value = getattr(settings, name)
        except AttributeError:
            continue
        except Exception as exc:  # pylint: disable=broad-except  # a lazy setting that raises
            values[name], types[name] = "<%s: %s>" % (type(exc).__name__, exc), "error"
            continue
        values[name] = jsonable(value)
        types[name] = type(value).__name__
    result["settings"], result["types"] = values, types
    result["caches"] = inspect_caches(settings)

    # From here on Django may connect: every connection waits `timeout` seconds at most.
    timeout = int(request.get("database_timeout", 5))
    result["bounded"] = bound_connections(getattr(settings, "DATABASES", None), timeout)

    result["stage"] = "secret key"
    result["secret_key_stable"] = same_key_again(values.get("SECRET_KEY") if types.get("SECRET_KEY") == "str" else None, 30)

    result["stage"] = "setup"
    django.setup()

    result["stage"] = "models"
    try:
        result["file_fields"] = file_fields()
    except Exception:  # pylint: disable=broad-except  # then W032 is made as if there were some
        result["file_fields"] = None

    databases = []
    if request.get("check_database"):
        result["stage"] = "database"
        result["database"] = connect(timeout)
        if result["database"]["ok"]:
            databases = ["default"]
    run_checks(project_path, databases, result)
    result["stage"] = "done"


class Channel:
    """The protocol channel: one result, written once, by the probe or by its watchdog."""

    def __init__(self, stream):
        self.stream = stream
        self.lock = threading.Lock()

    def finish(self, result, extra=None):
        """Write `result` (with `extra`) and end the process; whoever comes second never gets the lock."""
        self.lock.acquire()  # pylint: disable=consider-using-with  # held until os._exit
        for _attempt in range(5):  # the probe may change `result` meanwhile
            try:
                text = json.dumps(dict(result, **(extra or {})))
                break
            except RuntimeError:
                time.sleep(0.01)
        else:
            text = json.dumps(dict(extra or {}, stage=result.get("stage")))
        for child in list(CHILDREN):
            try:
                child.kill()
            except OSError:
                pass
        self.stream.write(text)
        self.stream.flush()
        sys.stderr.flush()
        os._exit(0)  # pylint: disable=protected-access  # threads the project started must not keep it alive


def watchdog(channel, result, seconds, started):
    """After `seconds`, write what `result` has so far, with the stage that has not finished, and stop."""
    def expire():
        channel.finish(result, {"timed_out": {"stage": result.get("stage"),
                                              "seconds": int(round(time.time() - started))}})

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    return timer


def main(request):
    """Run the probe and write the result on the protocol channel; exit 0 unless that fails.

    With request["deadline"] (seconds), a probe that has not finished by then writes what it
    has, with ``timed_out``, before the module's timeout stops it.
    """
    started = time.time()
    channel = Channel(os.fdopen(os.dup(1), "w"))
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    result = {"python_version": "%d.%d.%d" % sys.version_info[:3], "stage": "start"}
    if request.get("deadline"):
        watchdog(channel, result, float(request["deadline"]), started)
    # libpq reads this for a connection made before the settings are bounded (at their import).
    os.environ.setdefault("PGCONNECT_TIMEOUT", str(int(request.get("database_timeout", 5))))
    try:
        probe(request, result)
    except BaseException as exc:  # pylint: disable=broad-except  # SystemExit at import included
        result["error"] = error_of(exc, request["project_path"])
    channel.finish(result)
