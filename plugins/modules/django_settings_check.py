#!/usr/bin/python
# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate a Django project's effective settings before a release goes live."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r"""
---
module: django_settings_check
short_description: Validate a Django project's effective settings before it goes live
version_added: 0.1.0
description:
  - Imports the settings of a Django project in a subprocess of the project's own
    Python (its virtualenv), as the app user and with the app's environment, runs
    Django's system checks with the deployment checks, and adds checks that Django
    does not make because it does not know the servers in front of the app or the
    services the stack deployed.
  - Each problem is a finding with a stable id (Django's, such as C(security.W004), or
    one of this module's, listed below), a level, the setting, a message and a hint. The
    module fails when a finding reaches O(fail_level); its RV(msg) is one line naming
    those findings.
  - "The module's findings; the letter of an id is its level (C(W) warning, C(E) error,
    C(C) critical). Types: C(djangostack.E001) C(DEBUG) is on; C(djangostack.E002) a
    True/False setting is a string; C(djangostack.E003) a number setting is a string;
    C(djangostack.E004) a list setting is a string."
  - "Hosts: C(djangostack.W010) C(ALLOWED_HOSTS) contains C(*); C(djangostack.W011) it has
    an empty entry; C(djangostack.E012) it does not cover a served domain;
    C(djangostack.E013) C(USE_X_FORWARDED_HOST) with C(*) in C(ALLOWED_HOSTS);
    C(djangostack.W014) C(ALLOWED_HOSTS) takes every host name of a hosting platform
    (C(.herokuapp.com), C(.fly.dev), C(.ngrok-free.app)...)."
  - "Proxy and CSRF: C(djangostack.E020) C(SECURE_PROXY_SSL_HEADER) is not set behind a TLS
    proxy; C(djangostack.E021) it has the wrong form; C(djangostack.E025) it is not the
    header and value the proxy sends (O(expect.proxy_header)); C(djangostack.E022) a
    C(CSRF_TRUSTED_ORIGINS) entry has no scheme; C(djangostack.W023) C(CSRF_TRUSTED_ORIGINS)
    does not cover a served domain whose requests Django sees as http;
    C(djangostack.E024) C(CSRF_TRUSTED_ORIGINS) trusts every app of a hosting platform
    (C(https://*.herokuapp.com)...)."
  - "Files: C(djangostack.E030) C(STATIC_ROOT) is not set; C(djangostack.E031) it is not
    where the web server serves from; C(djangostack.W032) C(MEDIA_ROOT) is not set while
    an installed model stores files under it; C(djangostack.E033) C(MEDIA_ROOT) is not where
    the web server serves from."
  - "Services: C(djangostack.E040) a cache backend cannot be imported; C(djangostack.E041) a
    cache backend's client library is missing; C(djangostack.W042) the default cache is not
    the deployed memcached; C(djangostack.E050) no connection to the database;
    C(djangostack.E051) the database is not the deployed one; C(djangostack.E060) SMTP
    without a host; C(djangostack.W061) a mail backend that delivers nothing."
  - "Names and the key: C(djangostack.W070) an obsolete setting; C(djangostack.W071) a
    misspelt setting; C(djangostack.E080) a C(django-insecure-) secret key;
    C(djangostack.W081) a short secret key; C(djangostack.W082) a secret key with low
    entropy; C(djangostack.E083) the secret key is in the project's files;
    C(djangostack.E084) the secret key differs between two imports of the settings
    (generated at import)."
  - "The probe: C(djangostack.C090) the settings module raises; C(djangostack.C091) Django
    cannot be imported; C(djangostack.C092) the apps cannot be set up (C(django.setup)
    raises); C(djangostack.E093) a system check raises; C(djangostack.E094) the probe timed
    out (the message names the stage, the findings of the stages before are reported)."
  - Findings whose id is in the project's C(SILENCED_SYSTEM_CHECKS) or in O(ignore)
    are left out.
  - Output the settings module prints while it is imported does not disturb the
    result. A settings module that raises is reported as finding
    C(djangostack.C090) with the exception, its message and the project file and
    line it came from.
  - Findings at warning level or above that do not reach O(fail_level) are shown as
    warnings.
  - The module changes nothing; it runs the same way in check mode.
  - The ids, what triggers each and how to fix it are listed in the collection's
    C(docs/settings_check.md).
options:
  project_path:
    description:
      - The project directory (the one with C(manage.py)). It is the working
        directory of the probe and comes first on C(sys.path).
    type: path
    required: true
  virtualenv:
    description: The project's virtualenv; its C(bin/python) imports the settings.
    type: path
  python:
    description:
      - The interpreter that imports the settings, when there is no O(virtualenv).
      - Defaults to C(python3) on the C(PATH).
    type: path
  settings_module:
    description:
      - The settings module, such as V(blog.settings).
      - Defaults to C(DJANGO_SETTINGS_MODULE) from O(env) or O(env_file).
    type: str
  env_file:
    description:
      - An environment file in shell syntax (C(NAME=value), quoted as C(sh) quotes,
        C(export) allowed), such as the one the app's processes read.
    type: path
  env:
    description:
      - More environment variables for the probe; they win over O(env_file).
      - The values of variables with sensitive names (C(SECRET_KEY), C(*_PASSWORD),
        C(*_TOKEN)...) and passwords in URLs are kept out of the module's output.
    type: dict
    default: {}
  user:
    description:
      - Run the probe as this user (with C(runuser); the module must then run as root).
      - Without it the probe runs as the user the module runs as.
    type: str
  fail_level:
    description: The module fails when a finding is at this level or above.
    type: str
    choices: [debug, info, warning, error, critical]
    default: error
  expect:
    description:
      - What the stack deploys, for the checks that compare the settings with it.
        A check whose expectation is not given is not made.
    type: dict
    default: {}
    suboptions:
      domains:
        description: The domains the web server passes to the app (C(ALLOWED_HOSTS), C(CSRF_TRUSTED_ORIGINS)).
        type: list
        elements: str
        default: []
      https:
        description:
          - Whether the site is served over HTTPS.
          - Not given, the site is taken to be served over HTTPS where another expectation
            needs to know (O(expect.behind_proxy)).
        type: bool
      behind_proxy:
        description:
          - Whether a proxy in front terminates TLS (then C(SECURE_PROXY_SSL_HEADER) is needed).
          - Not given, the checks of C(SECURE_PROXY_SSL_HEADER) against the proxy
            (C(djangostack.E020), C(djangostack.E025)) and of C(CSRF_TRUSTED_ORIGINS) for
            requests Django sees as http (C(djangostack.W023)) are not made.
        type: bool
      proxy_header:
        description:
          - The header and value the proxy in front sets on the requests that came over
            HTTPS, in the form of C(SECURE_PROXY_SSL_HEADER) (the header's name in the WSGI
            environment, then the value), for C(djangostack.E025).
          - "This collection's nginx (and Apache in front of mod_wsgi) sets
            C(X-Forwarded-Proto: https)."
          - Used only when O(expect.behind_proxy) is true.
        type: list
        elements: str
        default: [HTTP_X_FORWARDED_PROTO, https]
      static_root:
        description: The directory the web server serves C(STATIC_URL) from.
        type: str
      static_within:
        description:
          - A directory in which C(STATIC_ROOT) may lie as well (C(djangostack.E031) only for one
            outside it) - the release being checked, whose O(expect.static_root) the django_app
            role links to the project's own C(STATIC_ROOT). Links in it are resolved.
        type: str
      media_root:
        description: The directory the web server serves C(MEDIA_URL) from.
        type: str
      cache_locations:
        description: The deployed memcached servers, as C(host:port) or C(unix:/path).
        type: list
        elements: str
      database:
        description: The deployed database of C(DATABASES["default"]).
        type: dict
        suboptions:
          host:
            description: Its host.
            type: str
          port:
            description: Its port.
            type: int
          name:
            description: The database name.
            type: str
  check_database:
    description:
      - Open a real connection to C(DATABASES["default"]) (finding C(djangostack.E050) when
        it fails). The database driver must be installed in the project's environment.
      - When it connects, the system checks run with that database, as
        C(manage.py check --database default) does (Django's checks tagged C(database)
        included).
    type: bool
    default: false
  database_timeout:
    description:
      - Seconds to wait for the database connection, and the bound of every connection
        Django may open while the probe runs (an app's C(ready()), a system check).
    type: int
    default: 5
  ignore:
    description: Finding ids to leave out, in addition to the project's C(SILENCED_SYSTEM_CHECKS).
    type: list
    elements: str
    default: []
  search_source:
    description:
      - Look for the value of C(SECRET_KEY) in the files under O(project_path)
        (finding C(djangostack.E083)); O(env_file) is not searched.
    type: bool
    default: true
  search_exclude:
    description:
      - Files under O(project_path) that may contain the key (a settings file rendered
        on the host from a template), relative to O(project_path).
    type: list
    elements: str
    default: []
  timeout:
    description:
      - Seconds the probe may take before it is stopped.
      - Shortly before (5 seconds, less for a timeout under 50 seconds) the probe reports
        what it found so far and C(djangostack.E094) with the stage that did not finish.
    type: int
    default: 120
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: The module never changes anything; check mode runs the same checks.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
notes:
  - Django 4.2 and later on Python 3.8 and later; the Django of the project is used,
    whichever it is, and the checks that depend on a version (removed settings and
    cache backends, C(MAILERS) on Django 6.1) follow it.
  - Every connection to an alias of C(DATABASES) that Django opens in the probe waits
    O(database_timeout) seconds at most (C(connect_timeout) in C(OPTIONS) for PostgreSQL,
    with the read and write timeouts for MySQL). The system checks run without a database
    (Django's database checks, and Django 6.1's model checks that connect, are left out)
    unless O(check_database) connected, then with C(DATABASES["default"]).
seealso:
  - name: Django's deployment checklist
    description: The settings C(check --deploy) looks at.
    link: https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
author:
  - djangostack.deploy contributors (@djangostack)
"""

EXAMPLES = r"""
- name: Check the settings of the new release before it goes live
  djangostack.deploy.django_settings_check:
    project_path: /srv/blog/releases/20261121T101500Z
    virtualenv: /srv/blog/releases/20261121T101500Z/venv
    env_file: /etc/blog/env
    user: blog
    check_database: true
    expect:
      domains: [blog.example.org]
      behind_proxy: true
      static_root: /srv/blog/current/.static
      media_root: /srv/blog/shared/media
      cache_locations: ["127.0.0.1:11211"]
      database: {host: 127.0.0.1, port: 5432, name: blog}

- name: Report warnings too, without failing on a known one
  djangostack.deploy.django_settings_check:
    project_path: /srv/blog/current
    virtualenv: /srv/blog/current/venv
    settings_module: blog.settings
    env:
      DEBUG: "false"
    fail_level: warning
    ignore: [security.W021]
  register: blog_settings

- name: Show every finding
  ansible.builtin.debug:
    msg: "{{ item.id }} {{ item.level }}: {{ item.message }}"
  loop: "{{ blog_settings.findings }}"
  loop_control:
    label: "{{ item.id }}"
"""

RETURN = r"""
findings:
  description:
    - What is wrong with the settings, the worst first.
    - Empty when the settings are clean.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: A stable id, Django's (C(security.W004)) or this module's (C(djangostack.E012)).
      type: str
      sample: djangostack.E012
    level:
      description: One of C(critical), C(error), C(warning), C(info), C(debug).
      type: str
      sample: error
    setting:
      description: The setting concerned, when there is one.
      type: str
      sample: ALLOWED_HOSTS
    message:
      description: What is wrong.
      type: str
      sample: "ALLOWED_HOSTS ['blog.test'] does not cover blog.example.org: those requests get 400 Bad Request"
    hint:
      description: How to fix it.
      type: str
      sample: Add every domain the site serves to ALLOWED_HOSTS.
    source:
      description: C(django) for Django's system checks, C(djangostack) for this module's checks.
      type: str
      sample: djangostack
settings:
  description:
    - The effective values of the settings the checks looked at. Secrets are replaced
      by C(********) (C(SECRET_KEY), passwords, tokens, passwords in URLs).
    - Tuples are lists; paths and other objects are text.
  returned: when the settings could be imported
  type: dict
  sample: {"DEBUG": false, "ALLOWED_HOSTS": ["blog.example.org"], "SECRET_KEY": "********"}
django_version:
  description: The version of Django the project runs.
  returned: when Django could be imported
  type: str
  sample: 5.2.19
python_version:
  description: The version of the project's Python.
  returned: when the probe ran
  type: str
  sample: 3.11.2
settings_module:
  description: The settings module that was checked.
  returned: always
  type: str
  sample: blog.settings
msg:
  description: One line; on failure it names each finding at or above O(fail_level).
  returned: always
  type: str
  sample: "blog.settings (Django 5.2.19): 1 finding at error or above: djangostack.E001 DEBUG is True: ..."
"""

import inspect
import json
import os
import pwd
import re

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_text
from ansible_collections.djangostack.deploy.plugins.module_utils import django_probe
from ansible_collections.djangostack.deploy.plugins.module_utils.django_settings import (
    LEVELS,
    OBSOLETE,
    PROXY_HEADER,
    REDACTED,
    WATCHED,
    analyze,
    django_findings,
    failure,
    files_containing,
    level_rank,
    parse_env_file,
    plural,
    redact,
    secret_values,
    select,
    summary,
    timed_out,
)


def probe_command(module, python, user):
    """The argv that runs the probe with `python`, as `user` when one is given."""
    argv = [python, "-c", django_probe.BOOTSTRAP]
    if user:
        try:
            pwd.getpwnam(user)
        except KeyError:
            module.fail_json(msg="user %s does not exist" % user)
        if user != pwd.getpwuid(os.geteuid()).pw_name:
            if os.geteuid() != 0:
                module.fail_json(msg="the probe can run as %s only when the module runs as root (become: true)" % user)
            argv = [module.get_bin_path("runuser", required=True), "-u", user, "--"] + argv
    return [module.get_bin_path("timeout", required=True), "--kill-after=5", str(module.params["timeout"])] + argv


def environment(module):
    """The probe's environment from env_file and env, and the settings module."""
    env = {}
    path = module.params["env_file"]
    if path:
        try:
            with open(path, "rb") as handle:
                env.update(parse_env_file(to_text(handle.read(), errors="surrogate_or_strict")))
        except (IOError, OSError) as exc:
            module.fail_json(msg="env_file %s cannot be read: %s" % (path, exc.strerror or exc))
        except ValueError as exc:
            module.fail_json(msg="env_file %s: %s" % (path, exc))
    env.update((str(key), "" if value is None else str(value)) for key, value in module.params["env"].items())
    module.no_log_values.update(secret_values(env))
    settings_module = module.params["settings_module"] or env.get("DJANGO_SETTINGS_MODULE")
    if not settings_module:
        module.fail_json(msg="settings_module is not given and DJANGO_SETTINGS_MODULE is not in env or env_file")
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    return env, settings_module


def interpreter(module):
    """The project's python."""
    if module.params["virtualenv"]:
        python = os.path.join(module.params["virtualenv"], "bin", "python")
        if not os.access(python, os.X_OK):
            module.fail_json(msg="virtualenv %s has no bin/python" % module.params["virtualenv"])
        return python
    if module.params["python"]:
        if not os.access(module.params["python"], os.X_OK):
            module.fail_json(msg="python %s is not an executable file" % module.params["python"])
        return module.params["python"]
    return module.get_bin_path("python3", required=True)


def deadline(timeout):
    """When the probe writes what it has (seconds after it starts): before `timeout` stops it."""
    margin = max(1, min(5, timeout // 10))
    return timeout - margin if timeout > margin else timeout / 2.0


def run_probe(module, argv, env, request):
    """The probe's result; a probe that gives none fails the module with its last line of stderr."""
    data = json.dumps({"source": inspect.getsource(django_probe), "request": request})
    rc, out, err = module.run_command(argv, data=data, environ_update=env, cwd=request["project_path"])
    try:
        return json.loads(out)
    except ValueError:
        last = ([line for line in err.splitlines() if line.strip()] or [""])[-1].strip()
        if rc in (124, 137):
            module.fail_json(msg="the probe did not finish within %s" % plural(module.params["timeout"], "second"))
        module.fail_json(msg="the probe gave no result (exit status %d): %s" % (rc, last))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            project_path=dict(type="path", required=True),
            virtualenv=dict(type="path"),
            python=dict(type="path"),
            settings_module=dict(type="str"),
            env_file=dict(type="path"),
            # Values with sensitive names are kept out of the output (secret_values).
            env=dict(type="dict", default={}),
            user=dict(type="str"),
            fail_level=dict(type="str", choices=list(LEVELS), default="error"),
            expect=dict(type="dict", default={}, options=dict(
                domains=dict(type="list", elements="str", default=[]),
                https=dict(type="bool"),
                behind_proxy=dict(type="bool"),
                proxy_header=dict(type="list", elements="str", default=["HTTP_X_FORWARDED_PROTO", "https"]),
                static_root=dict(type="str"),
                static_within=dict(type="str"),
                media_root=dict(type="str"),
                cache_locations=dict(type="list", elements="str"),
                database=dict(type="dict", options=dict(
                    host=dict(type="str"),
                    port=dict(type="int"),
                    name=dict(type="str"),
                )),
            )),
            check_database=dict(type="bool", default=False),
            database_timeout=dict(type="int", default=5),
            ignore=dict(type="list", elements="str", default=[]),
            search_source=dict(type="bool", default=True),
            search_exclude=dict(type="list", elements="str", default=[]),
            timeout=dict(type="int", default=120),
        ),
        mutually_exclusive=[("virtualenv", "python")],
        supports_check_mode=True,
    )
    project_path = module.params["project_path"]
    if not os.path.isdir(project_path):
        module.fail_json(msg="project_path %s is not a directory" % project_path)
    header = module.params["expect"].get("proxy_header") or list(PROXY_HEADER)
    if len(header) != 2 or not re.match(r"^HTTP_[A-Z0-9_]+$", header[0]) or not header[1]:
        module.fail_json(msg="expect.proxy_header must be a header as Django reads it and its value, such as "
                             "[HTTP_X_FORWARDED_PROTO, https], not %s" % json.dumps(header))
    env, settings_module = environment(module)
    argv = probe_command(module, interpreter(module), module.params["user"])
    request = dict(project_path=project_path, settings_module=settings_module,
                   names=sorted(set(WATCHED) | set(OBSOLETE)), check_database=module.params["check_database"],
                   database_timeout=module.params["database_timeout"], deadline=deadline(module.params["timeout"]))
    probe = run_probe(module, argv, env, request)

    result = dict(changed=False, settings_module=settings_module, python_version=probe.get("python_version"))
    if probe.get("django_version"):
        result["django_version"] = probe["django_version"]
    where = "%s (Django %s)" % (settings_module, probe.get("django_version") or "?")
    if (probe.get("error") or probe.get("timed_out")) and probe.get("stage") in ("start", "django", "settings"):
        found = [timed_out(probe["timed_out"]) if probe.get("timed_out") else
                 failure(probe["stage"], probe["error"], settings_module)]
        failed, msg = summary(found, found[0]["level"], where)
        module.fail_json(msg=msg, findings=found, **result)

    settings = probe.get("settings") or {}
    found = []
    if probe.get("error"):
        found.append(failure(probe["stage"], probe["error"], settings_module))
    if probe.get("timed_out"):
        found.append(timed_out(probe["timed_out"]))
    key = settings.get("SECRET_KEY")
    secret_found_in = []
    if module.params["search_source"] and isinstance(key, str) and len(key) >= 8:
        excluded = set(os.path.normpath(path) for path in module.params["search_exclude"])
        if module.params["env_file"]:
            # The environment file is where the key belongs, even next to manage.py.
            excluded.add(os.path.relpath(os.path.realpath(module.params["env_file"]), os.path.realpath(project_path)))
        secret_found_in = [path for path in files_containing(project_path, key) if path not in excluded]
    found += django_findings(probe.get("checks") or [], set(WATCHED) | set(probe.get("known") or []))
    expect = dict(module.params["expect"])
    if expect.get("static_within"):
        # BASE_DIR is usually Path(__file__).resolve(): the release's real path.
        expect["static_within"] = os.path.realpath(expect["static_within"])
    found += analyze(probe, expect, secret_found_in)
    silenced = settings.get("SILENCED_SYSTEM_CHECKS") if isinstance(settings.get("SILENCED_SYSTEM_CHECKS"), list) else []
    found = select(found, silenced, module.params["ignore"])

    result["settings"] = dict((name, redact(value, name)) for name, value in sorted(settings.items()))
    if isinstance(key, str) and key:
        result["settings"]["SECRET_KEY"] = REDACTED
    failed, msg = summary(found, module.params["fail_level"], where)
    if failed:
        module.fail_json(msg=msg, findings=found, **result)
    for item in found:
        if level_rank(item["level"]) >= level_rank("warning"):
            module.warn("%s: %s %s" % (settings_module, item["id"], item["message"]))
    module.exit_json(msg=msg, findings=found, **result)


if __name__ == "__main__":
    main()
