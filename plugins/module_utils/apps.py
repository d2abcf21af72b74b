# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The app model (`django_apps`) and its projections into each role's inputs.

An app is declared once; these pure functions turn the list into what the
postgresql, supervisord, ... roles take as their own variables. They are used by
the collection's filter plugins and tested without a host.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

import re

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
DEFAULT_ROOT = "/srv"


class AppModelError(ValueError):
    """An app entry that cannot be deployed, with a message naming the field."""


def _check_name(value, what):
    if not isinstance(value, str) or not NAME_RE.match(value):
        raise AppModelError(
            "%s %r must start with a lowercase letter and contain only lowercase letters, "
            "digits and underscores (at most 31 characters)" % (what, value))
    return value


def normalize_app(app, root=DEFAULT_ROOT):
    """One app entry with every derived field filled in."""
    if not isinstance(app, dict):
        raise AppModelError("each django_apps entry must be a dict, got %r" % (app,))
    name = _check_name(app.get("name"), "django_apps[].name")
    home = app.get("home") or "%s/%s" % (root.rstrip("/"), name)
    database = dict(app.get("database") or {})
    database.setdefault("name", name)
    database.setdefault("user", name)
    _check_name(database["name"], "django_apps[%s].database.name" % name)
    _check_name(database["user"], "django_apps[%s].database.user" % name)
    database.setdefault("password", None)
    database.setdefault("host", None)
    database.setdefault("port", 5432)
    processes = []
    for proc in app.get("processes") or []:
        if not isinstance(proc, dict) or not proc.get("name") or not proc.get("command"):
            raise AppModelError(
                "django_apps[%s].processes entries need a name and a command, got %r" % (name, proc))
        processes.append(dict(proc, name=_check_name(proc["name"], "django_apps[%s].processes[].name" % name)))
    return dict(
        app,
        name=name,
        user=app.get("user") or name,
        group=app.get("group") or app.get("user") or name,
        home=home,
        current=home + "/current",
        env_file=app.get("env_file") or "/etc/%s/env" % name,
        database=database,
        processes=processes,
        state=app.get("state", "present"),
    )


def normalize_apps(apps, root=DEFAULT_ROOT):
    """All apps, normalised; names must be unique."""
    result = [normalize_app(app, root) for app in (apps or [])]
    seen = set()
    for app in result:
        if app["name"] in seen:
            raise AppModelError("django_apps has two apps named %r" % app["name"])
        seen.add(app["name"])
    return result


def postgresql_databases(apps, encoding="UTF8", locale="C.UTF-8"):
    """One database per app, owned by the app's database user."""
    return [
        {"name": app["database"]["name"], "owner": app["database"]["user"],
         "encoding": encoding, "lc_collate": locale, "lc_ctype": locale,
         "state": app["state"]}
        for app in normalize_apps(apps)
    ]


def postgresql_users(apps):
    """One login role per app; password None means: generate and keep on the host."""
    return [
        {"name": app["database"]["user"], "password": app["database"]["password"],
         "db": app["database"]["name"], "state": app["state"]}
        for app in normalize_apps(apps)
    ]


def supervisord_programs(apps):
    """The apps' extra long-running processes (e.g. a worker), one program each."""
    programs = []
    for app in normalize_apps(apps):
        for proc in app["processes"]:
            programs.append({
                "name": "%s-%s" % (app["name"], proc["name"]),
                "command": proc["command"],
                "directory": proc.get("directory", app["current"]),
                "user": app["user"],
                "environment_file": app["env_file"],
                "numprocs": proc.get("numprocs", 1),
                "stopsignal": proc.get("stopsignal", "TERM"),
                "stopwaitsecs": proc.get("stopwaitsecs", 10),
                "state": "absent" if app["state"] == "absent" else proc.get("state", "present"),
            })
    return programs
