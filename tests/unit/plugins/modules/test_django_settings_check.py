"""The django_settings_check module: main() with a canned probe instead of the app's Python.

run_command is replaced by a fake that records what the module sends (argv, the data on
stdin, the environment) and answers with a probe result. Some tests run the real probe:
with this Python and a project module named django, or with a real Django project in a
virtualenv of its own (built once into .cache/unit, from PyPI; those tests are skipped when
it cannot be built).
"""

import glob
import inspect
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

import pytest
import yaml
from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.djangostack.deploy.plugins.module_utils import django_probe
from ansible_collections.djangostack.deploy.plugins.module_utils.django_settings import CATALOGUE
from ansible_collections.djangostack.deploy.plugins.modules import django_settings_check

KEY = "ad16aq+cdyzfg#e64$afvsod-7x(=5@^bm3#d-4k#tijbgs(-u$7p!oxh77)3d#m"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
EXPECT = {"domains": ["blog.example.test"], "static_root": "/srv/blog/current/static",
          "media_root": "/srv/blog/shared/media", "database": {"host": "10.0.0.5", "port": 5432, "name": "blog"}}


class Exit(Exception):
    """exit_json was called."""


class Fail(Exception):
    """fail_json was called."""


class FakeProbe:
    """run_command's stand-in: records each call and answers (rc, out, err)."""

    def __init__(self, result=None, rc=0, out=None, err=""):
        self.answer = (rc, json.dumps(result) if out is None else out, err)
        self.calls = []

    def __call__(self, _module, args, data=None, environ_update=None, cwd=None, **_kwargs):
        self.calls.append({"argv": args, "data": data, "env": environ_update, "cwd": cwd})
        return self.answer

    @property
    def request(self):
        """The request the module sent with the probe's source."""
        return json.loads(self.calls[0]["data"])["request"]


def probe_result(**settings):
    """What the probe returns for clean settings of blog.example.test, with `settings` changed."""
    values = {
        "DEBUG": False, "SECRET_KEY": KEY, "ALLOWED_HOSTS": ["blog.example.test"],
        "CSRF_TRUSTED_ORIGINS": ["https://blog.example.test"],
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "STATIC_ROOT": "/srv/blog/current/static", "MEDIA_ROOT": "/srv/blog/shared/media",
        "EMAIL_BACKEND": SMTP, "EMAIL_HOST": "smtp.example.test", "EMAIL_HOST_PASSWORD": "mail-secret",
        "DATABASES": {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "blog", "USER": "blog",
                                  "PASSWORD": "db-secret", "HOST": "10.0.0.5", "PORT": "5432"}},
        "SILENCED_SYSTEM_CHECKS": [],
    }
    values.update(settings)
    return {
        "stage": "done", "python_version": "3.11.2", "django_version": "5.2.19", "settings_module": "blog.settings",
        "settings": values, "types": dict((name, type(value).__name__) for name, value in values.items()),
        "explicit": sorted(values), "known": sorted(values), "checks": [], "checks_errors": [],
        "caches": {},
    }


@pytest.fixture(name="project")
def fixture_project(tmp_path):
    """An empty project directory."""
    path = tmp_path / "project"
    path.mkdir()
    return path


@pytest.fixture(name="venv")
def fixture_venv(tmp_path):
    """A virtualenv with an executable bin/python (never run: run_command is faked)."""
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    return tmp_path / "venv"


def run(monkeypatch, fake, check_mode=False, **params):
    """main() with `params`; (Exit or Fail, the result). Warnings land in result["_warnings"]."""
    args = dict(params, _ansible_check_mode=check_mode, _ansible_remote_tmp="/tmp", _ansible_keep_remote_files=False)
    monkeypatch.setattr(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args})))
    monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy", raising=False)
    warnings = []

    def exit_json(_module, **result):
        raise Exit(dict(result, _warnings=warnings))

    def fail_json(_module, **result):
        raise Fail(dict(result, _warnings=warnings))

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda _module, warning: warnings.append(warning))
    if fake is not None:
        def run_command(module, *args, **kwargs):
            return fake(module, *args, **kwargs)

        monkeypatch.setattr(basic.AnsibleModule, "run_command", run_command)
        monkeypatch.setattr(basic.AnsibleModule, "get_bin_path",
                            lambda _module, name, required=False, opt_dirs=None: "/usr/bin/" + name)
    with pytest.raises((Exit, Fail)) as info:
        django_settings_check.main()
    return info.type, info.value.args[0]


def standard(project, venv, **params):
    """The parameters of most tests: the project, its virtualenv, blog.settings."""
    standard_params = {"project_path": str(project), "virtualenv": str(venv), "settings_module": "blog.settings"}
    standard_params.update(params)
    return standard_params


def fake_users(monkeypatch, euid, me):
    """The module runs with `euid` as the user `me`; only `me` and blog exist."""
    names = {me, "blog"}

    def getpwnam(name):
        if name not in names:
            raise KeyError("getpwnam(): name not found: %r" % name)
        return types.SimpleNamespace(pw_name=name)

    monkeypatch.setattr(django_settings_check, "pwd", types.SimpleNamespace(
        getpwnam=getpwnam, getpwuid=lambda uid: types.SimpleNamespace(pw_name=me if uid == euid else "other")))
    monkeypatch.setattr(django_settings_check.os, "geteuid", lambda: euid)


def test_clean_settings_pass_with_the_secrets_redacted(monkeypatch, project, venv):
    fake = FakeProbe(probe_result())
    kind, result = run(monkeypatch, fake, **standard(project, venv, expect=EXPECT))
    assert kind is Exit, result["msg"]
    assert result["changed"] is False
    assert result["findings"] == []
    assert result["msg"] == "blog.settings (Django 5.2.19): no finding at error or above"
    assert (result["settings_module"], result["django_version"], result["python_version"]) == (
        "blog.settings", "5.2.19", "3.11.2")
    assert result["settings"]["SECRET_KEY"] == "********"
    assert result["settings"]["EMAIL_HOST_PASSWORD"] == "********"
    assert result["settings"]["DATABASES"]["default"]["PASSWORD"] == "********"
    assert result["settings"]["ALLOWED_HOSTS"] == ["blog.example.test"]
    text = json.dumps(result)
    for secret in (KEY, "mail-secret", "db-secret"):
        assert secret not in text


def test_a_finding_at_error_fails_with_one_line_naming_it(monkeypatch, project, venv):
    fake = FakeProbe(probe_result(DEBUG=True))
    kind, result = run(monkeypatch, fake, **standard(project, venv, expect=EXPECT))
    assert kind is Fail
    assert "\n" not in result["msg"]
    assert result["msg"].startswith("blog.settings (Django 5.2.19): 1 finding at error or above: "
                                    "djangostack.E001 DEBUG is True")
    assert [f["id"] for f in result["findings"]] == ["djangostack.E001"]
    assert result["settings"]["SECRET_KEY"] == "********"
    assert KEY not in json.dumps(result)


@pytest.mark.parametrize("fail_level, kind", [("error", Exit), ("warning", Fail)])
def test_fail_level_decides_whether_a_warning_fails(monkeypatch, project, venv, fail_level, kind):
    fake = FakeProbe(probe_result(ALLOWED_HOSTS=["*"]))
    got, result = run(monkeypatch, fake, **standard(project, venv, expect=EXPECT, fail_level=fail_level))
    assert got is kind, result["msg"]
    assert [f["id"] for f in result["findings"]] == ["djangostack.W010"]
    if kind is Exit:
        assert result["msg"] == ("blog.settings (Django 5.2.19): no finding at error or above "
                                 "(1 below it: djangostack.W010)")
        assert result["_warnings"] == ["blog.settings: djangostack.W010 ALLOWED_HOSTS contains \"*\": any Host "
                                       "header is accepted"]
    else:
        assert result["msg"].startswith("blog.settings (Django 5.2.19): 1 finding at warning or above: "
                                        "djangostack.W010 ")


@pytest.mark.parametrize("ignore, silenced, kept", [
    ([], [], ["djangostack.E001", "security.W004"]),
    (["djangostack.E001"], [], ["security.W004"]),
    ([], ["security.W004", "djangostack.E001"], []),
    (["security.W004"], ["djangostack.E001"], []),
])
def test_ignore_and_silenced_system_checks_drop_ids(monkeypatch, project, venv, ignore, silenced, kept):
    result = probe_result(DEBUG=True, SILENCED_SYSTEM_CHECKS=silenced)
    result["checks"] = [{"id": "security.W004", "level": "warning", "msg": "You have not set a value for the "
                         "SECURE_HSTS_SECONDS setting.", "hint": "", "obj": ""}]
    _kind, got = run(monkeypatch, FakeProbe(result), **standard(project, venv, expect=EXPECT, ignore=ignore))
    assert [f["id"] for f in got["findings"]] == kept


def test_django_s_findings_come_with_their_source_and_setting(monkeypatch, project, venv):
    result = probe_result()
    result["checks"] = [{"id": "security.W004", "level": "warning", "msg": "You have not set a value for the "
                         "SECURE_HSTS_SECONDS setting.", "hint": "Set it.", "obj": ""}]
    _kind, got = run(monkeypatch, FakeProbe(result), **standard(project, venv, expect=EXPECT))
    assert got["findings"] == [{"id": "security.W004", "level": "warning", "setting": "SECURE_HSTS_SECONDS",
                                "message": "You have not set a value for the SECURE_HSTS_SECONDS setting.",
                                "hint": "Set it.", "source": "django"}]


@pytest.mark.parametrize("expect, settings, found", [
    # No expect at all: the proxy and origin checks have no expectation, so they are not made.
    (None, {"SECURE_PROXY_SSL_HEADER": None}, []),
    ({}, {"SECURE_PROXY_SSL_HEADER": None}, []),
    (EXPECT, {"SECURE_PROXY_SSL_HEADER": None}, []),
    (dict(EXPECT, behind_proxy=True), {"SECURE_PROXY_SSL_HEADER": None}, ["djangostack.E020"]),
    (dict(EXPECT, behind_proxy=True, https=False), {"SECURE_PROXY_SSL_HEADER": None}, []),
    # The site's own origin needs no entry in CSRF_TRUSTED_ORIGINS when Django sees https.
    (dict(EXPECT, https=True, behind_proxy=True), {"CSRF_TRUSTED_ORIGINS": []}, []),
    (dict(EXPECT, https=True, behind_proxy=True), {"CSRF_TRUSTED_ORIGINS": [], "SECURE_PROXY_SSL_HEADER": None},
     ["djangostack.E020", "djangostack.W023"]),
])
def test_a_check_whose_expectation_is_not_given_is_not_made(monkeypatch, project, venv, expect, settings, found):
    params = standard(project, venv) if expect is None else standard(project, venv, expect=expect)
    _kind, result = run(monkeypatch, FakeProbe(probe_result(**settings)), **params)
    assert [f["id"] for f in result["findings"]] == found, result["msg"]


@pytest.mark.parametrize("expect, header, found", [
    (dict(EXPECT, behind_proxy=True), ["HTTP_X_FORWARDED_PROTOCOL", "https"], ["djangostack.E025"]),
    (dict(EXPECT, behind_proxy=True), ["HTTP_X_FORWARDED_PROTO", "https"], []),
    (dict(EXPECT, behind_proxy=True, proxy_header=["HTTP_X_FORWARDED_SSL", "on"]), ["HTTP_X_FORWARDED_SSL", "on"], []),
    (dict(EXPECT, behind_proxy=True, proxy_header=["HTTP_X_FORWARDED_SSL", "on"]), ["HTTP_X_FORWARDED_PROTO", "https"],
     ["djangostack.E025"]),
    (EXPECT, ["HTTP_X_FORWARDED_PROTOCOL", "https"], []),
])
def test_the_proxy_header_is_compared_with_what_the_proxy_sends(monkeypatch, project, venv, expect, header, found):
    _kind, result = run(monkeypatch, FakeProbe(probe_result(SECURE_PROXY_SSL_HEADER=header)),
                        **standard(project, venv, expect=expect))
    assert [f["id"] for f in result["findings"]] == found, result["msg"]


@pytest.mark.parametrize("header", [["X-Forwarded-Proto", "https"], ["HTTP_X_FORWARDED_PROTO"], ["HTTP_X_A", ""]])
def test_a_proxy_header_that_django_cannot_read_is_refused(monkeypatch, project, venv, header):
    fake = FakeProbe(probe_result())
    kind, result = run(monkeypatch, fake, **standard(project, venv, expect=dict(EXPECT, proxy_header=header)))
    assert kind is Fail
    assert result["msg"].startswith("expect.proxy_header must be a header as Django reads it and its value")
    assert fake.calls == []


def test_a_key_generated_at_import_is_e084_and_never_shown(monkeypatch, project, venv):
    result = probe_result()
    result["secret_key_stable"] = False
    kind, got = run(monkeypatch, FakeProbe(result), **standard(project, venv, expect=EXPECT))
    assert kind is Fail
    assert [f["id"] for f in got["findings"]] == ["djangostack.E084"]
    assert "djangostack.E084 SECRET_KEY differs between two imports of the settings" in got["msg"]
    assert KEY not in json.dumps(got)


def test_a_probe_without_a_result_fails_with_the_last_line_of_stderr(monkeypatch, project, venv):
    fake = FakeProbe(rc=1, out="loading blog settings\n", err="Traceback (most recent call last):\n"
                     "  File \"<string>\", line 1\nSyntaxError: invalid syntax\n\n")
    kind, result = run(monkeypatch, fake, **standard(project, venv))
    assert kind is Fail
    assert result["msg"] == "the probe gave no result (exit status 1): SyntaxError: invalid syntax"


@pytest.mark.parametrize("rc, timeout, msg", [
    (124, 30, "the probe did not finish within 30 seconds"),
    (137, 30, "the probe did not finish within 30 seconds"),
    (124, 1, "the probe did not finish within 1 second"),
])
def test_a_probe_that_takes_too_long_is_stopped(monkeypatch, project, venv, rc, timeout, msg):
    fake = FakeProbe(rc=rc, out="", err="")
    kind, result = run(monkeypatch, fake, **standard(project, venv, timeout=timeout))
    assert kind is Fail
    assert result["msg"] == msg
    assert fake.calls[0]["argv"][:3] == ["/usr/bin/timeout", "--kill-after=5", str(timeout)]


@pytest.mark.parametrize("timeout, deadline", [(120, 115), (60, 55), (20, 18), (10, 9), (4, 3), (1, 0.5)])
def test_the_probe_reports_before_the_timeout_stops_it(monkeypatch, project, venv, timeout, deadline):
    fake = FakeProbe(probe_result())
    run(monkeypatch, fake, **standard(project, venv, timeout=timeout))
    assert fake.request["deadline"] == deadline
    assert fake.calls[0]["argv"][:3] == ["/usr/bin/timeout", "--kill-after=5", str(timeout)]


@pytest.mark.parametrize("stage, found", [
    ("system checks", ["djangostack.E001", "djangostack.E094"]),
    ("database checks", ["djangostack.E001", "djangostack.E094"]),
    ("database", ["djangostack.E001", "djangostack.E094"]),
    ("secret key", ["djangostack.E001", "djangostack.E094"]),
])
def test_a_probe_that_timed_out_reports_what_it_found_and_the_stage(monkeypatch, project, venv, stage, found):
    result = probe_result(DEBUG=True)
    result.update(stage=stage, timed_out={"stage": stage, "seconds": 115})
    del result["checks"], result["checks_errors"]
    kind, got = run(monkeypatch, FakeProbe(result), **standard(project, venv, expect=EXPECT))
    assert kind is Fail
    assert [f["id"] for f in got["findings"]] == found
    assert "djangostack.E094 the probe timed out after 115 s in stage %r" % stage in got["msg"]
    assert "\n" not in got["msg"]
    assert got["settings"]["SECRET_KEY"] == "********"


@pytest.mark.parametrize("stage", ["start", "django", "settings"])
def test_a_probe_that_timed_out_before_the_settings_fails_with_e094_alone(monkeypatch, project, venv, stage):
    fake = FakeProbe({"stage": stage, "python_version": "3.11.2", "timed_out": {"stage": stage, "seconds": 9}})
    kind, result = run(monkeypatch, fake, **standard(project, venv, fail_level="critical", ignore=["djangostack.E094"]))
    assert kind is Fail
    assert [f["id"] for f in result["findings"]] == ["djangostack.E094"]
    assert result["msg"] == ("blog.settings (Django ?): 1 finding at error or above: djangostack.E094 the probe "
                             "timed out after 9 s in stage %r" % stage)


def test_settings_that_raise_fail_with_c090(monkeypatch, project, venv):
    fake = FakeProbe({"stage": "settings", "python_version": "3.11.2", "django_version": "5.2.19",
                      "settings_module": "blog.settings",
                      "error": {"type": "KeyError", "message": "'SECRET_KEY'", "location": "blog/settings.py:12"}})
    kind, result = run(monkeypatch, fake, **standard(project, venv, fail_level="critical"))
    assert kind is Fail
    assert [f["id"] for f in result["findings"]] == ["djangostack.C090"]
    assert result["msg"] == (
        "blog.settings (Django 5.2.19): 1 finding at critical or above: djangostack.C090 the settings module "
        "blog.settings cannot be imported: KeyError: 'SECRET_KEY' (a variable of the environment or a key that is "
        "not set) at blog/settings.py:12")
    assert "settings" not in result


def test_a_failed_setup_is_c092_with_the_other_findings(monkeypatch, project, venv):
    result = probe_result(DEBUG=True)
    result.update(stage="setup", error={"type": "ImportError", "message": "cannot import name 'x' from 'blog.apps'",
                                        "location": "blog/apps.py:3"})
    kind, got = run(monkeypatch, FakeProbe(result), **standard(project, venv, expect=EXPECT))
    assert kind is Fail
    assert [f["id"] for f in got["findings"]] == ["djangostack.C092", "djangostack.E001"]
    assert got["settings"]["SECRET_KEY"] == "********"


def test_env_file_is_read_and_env_wins(monkeypatch, project, venv, tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("# blog\nexport DJANGO_SETTINGS_MODULE=blog.settings\nDEBUG='true'\n"
                        "SECRET_KEY='%s'\nDATABASE_URL=\"postgres://blog:db-secret@10.0.0.5:5432/blog\"\n" % KEY)
    fake = FakeProbe(probe_result())
    kind, result = run(monkeypatch, fake, project_path=str(project), virtualenv=str(venv), env_file=str(env_file),
                       env={"DEBUG": "false", "EXTRA": 3})
    assert kind is Exit, result["msg"]
    assert fake.calls[0]["env"] == {"DJANGO_SETTINGS_MODULE": "blog.settings", "DEBUG": "false", "SECRET_KEY": KEY,
                                    "DATABASE_URL": "postgres://blog:db-secret@10.0.0.5:5432/blog", "EXTRA": "3"}
    assert result["settings_module"] == "blog.settings"
    assert fake.request["settings_module"] == "blog.settings"


def test_the_settings_module_option_wins_over_the_environment(monkeypatch, project, venv, tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("DJANGO_SETTINGS_MODULE=blog.settings\n")
    fake = FakeProbe(probe_result())
    run(monkeypatch, fake, **standard(project, venv, settings_module="blog.production", env_file=str(env_file)))
    assert fake.calls[0]["env"]["DJANGO_SETTINGS_MODULE"] == "blog.production"
    assert fake.request["settings_module"] == "blog.production"


@pytest.mark.parametrize("content, message", [
    (None, r"^env_file .*/env cannot be read: No such file or directory$"),
    ("A=1\nB='open\n", r"^env_file .*/env: line 2: No closing quotation$"),
])
def test_a_bad_env_file_fails_with_one_line(monkeypatch, project, venv, tmp_path, content, message):
    if content is not None:
        (tmp_path / "env").write_text(content)
    fake = FakeProbe(probe_result())
    kind, result = run(monkeypatch, fake, **standard(project, venv, env_file=str(tmp_path / "env")))
    assert kind is Fail
    assert re.search(message, result["msg"]), result["msg"]
    assert fake.calls == []


def test_without_a_settings_module_the_module_says_so(monkeypatch, project, venv):
    fake = FakeProbe(probe_result())
    kind, result = run(monkeypatch, fake, project_path=str(project), virtualenv=str(venv), env={"DEBUG": "false"})
    assert kind is Fail
    assert result["msg"] == "settings_module is not given and DJANGO_SETTINGS_MODULE is not in env or env_file"
    assert fake.calls == []


def test_a_project_path_that_is_no_directory_fails(monkeypatch, tmp_path, venv):
    kind, result = run(monkeypatch, FakeProbe(probe_result()), **standard(tmp_path / "missing", venv))
    assert kind is Fail
    assert result["msg"] == "project_path %s is not a directory" % (tmp_path / "missing")


def test_another_user_needs_root(monkeypatch, project, venv):
    fake_users(monkeypatch, euid=1000, me="deploy")
    fake = FakeProbe(probe_result())
    kind, result = run(monkeypatch, fake, **standard(project, venv, user="blog"))
    assert kind is Fail
    assert result["msg"] == "the probe can run as blog only when the module runs as root (become: true)"
    assert fake.calls == []


def test_a_user_that_does_not_exist_fails(monkeypatch, project, venv):
    fake_users(monkeypatch, euid=0, me="root")
    kind, result = run(monkeypatch, FakeProbe(probe_result()), **standard(project, venv, user="ghost"))
    assert kind is Fail
    assert result["msg"] == "user ghost does not exist"


@pytest.mark.parametrize("euid, me, user, prefix", [
    (0, "root", "blog", ["/usr/bin/runuser", "-u", "blog", "--"]),
    (1000, "blog", "blog", []),
    (0, "root", None, []),
])
def test_runuser_is_used_only_to_become_another_user(monkeypatch, project, venv, euid, me, user, prefix):
    fake_users(monkeypatch, euid=euid, me=me)
    fake = FakeProbe(probe_result())
    params = standard(project, venv, user=user) if user else standard(project, venv)
    kind, _result = run(monkeypatch, fake, **params)
    assert kind is Exit
    assert fake.calls[0]["argv"] == ["/usr/bin/timeout", "--kill-after=5", "120"] + prefix + [
        str(venv / "bin" / "python"), "-c", django_probe.BOOTSTRAP]


def test_a_virtualenv_without_python_fails(monkeypatch, project, tmp_path):
    (tmp_path / "empty-venv" / "bin").mkdir(parents=True)
    fake = FakeProbe(probe_result())
    kind, result = run(monkeypatch, fake, **standard(project, tmp_path / "empty-venv"))
    assert kind is Fail
    assert result["msg"] == "virtualenv %s has no bin/python" % (tmp_path / "empty-venv")
    assert fake.calls == []


def test_check_mode_gives_the_same_result(monkeypatch, project, venv):
    results = []
    for check_mode in (False, True):
        fake = FakeProbe(probe_result(ALLOWED_HOSTS=["*"], DEBUG=True))
        results.append(run(monkeypatch, fake, check_mode=check_mode, **standard(project, venv, expect=EXPECT)))
        assert len(fake.calls) == 1
    assert results[0] == results[1]
    assert results[0][0] is Fail


@pytest.mark.parametrize("params, kind, found", [
    ({}, Fail, ["djangostack.E083"]),
    ({"search_exclude": ["blog/settings.py"]}, Exit, []),
    ({"search_exclude": ["./blog/settings.py"]}, Exit, []),
    ({"search_exclude": ["blog/local.py"]}, Fail, ["djangostack.E083"]),
    ({"search_source": False}, Exit, []),
])
def test_the_key_is_looked_for_in_the_project(monkeypatch, project, venv, params, kind, found):
    (project / "blog").mkdir()
    (project / "blog" / "settings.py").write_text("SECRET_KEY = %r\n" % KEY)
    (project / "blog" / "urls.py").write_text("urlpatterns = []\n")
    got, result = run(monkeypatch, FakeProbe(probe_result()), **standard(project, venv, expect=EXPECT, **params))
    assert got is kind
    assert [f["id"] for f in result["findings"]] == found
    if found:
        assert "djangostack.E083 SECRET_KEY is written in the project's files: blog/settings.py" in result["msg"]
    assert KEY not in json.dumps(result)


def test_the_probe_gets_its_source_and_the_request(monkeypatch, project, venv):
    fake = FakeProbe(probe_result())
    run(monkeypatch, fake, **standard(project, venv, check_database=True, database_timeout=3))
    call = fake.calls[0]
    assert call["argv"][-2:] == ["-c", django_probe.BOOTSTRAP]
    assert call["cwd"] == str(project)
    data = json.loads(call["data"])
    assert data["source"] == inspect.getsource(django_probe)
    request = data["request"]
    assert {key: request[key] for key in ("project_path", "settings_module", "check_database", "database_timeout")} \
        == {"project_path": str(project), "settings_module": "blog.settings", "check_database": True,
            "database_timeout": 3}
    assert request["names"] == sorted(request["names"])
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASES", "MAILERS", "STATICFILES_STORAGE",
            "REFERRER_POLICY"} <= set(request["names"])


@pytest.mark.parametrize("check_id", sorted(CATALOGUE))
def test_the_module_documentation_lists_every_finding(check_id):
    description = " ".join(yaml.safe_load(django_settings_check.DOCUMENTATION)["description"])
    assert "C(%s)" % check_id in description


def test_the_real_probe_reports_what_the_project_raises(monkeypatch, project):
    """The probe's source run by this Python: a project module named django stops it at stage django.

    The module prints first: that output must not spoil the result.
    """
    (project / "django.py").write_text("print('noise on stdout')\nraise ImportError('this is not Django')\n")
    python = os.path.realpath(sys.executable)
    kind, result = run(monkeypatch, None, project_path=str(project), python=python, settings_module="blog.settings",
                       timeout=60)
    assert kind is Fail, result["msg"]
    assert [f["id"] for f in result["findings"]] == ["djangostack.C091"]
    assert result["msg"] == ("blog.settings (Django ?): 1 finding at critical or above: djangostack.C091 Django "
                             "cannot be imported: ImportError: this is not Django at django.py:2")


def test_the_real_probe_reports_a_stage_that_hangs_before_its_timeout(monkeypatch, project):
    """A project module named django that never finishes its import: the probe's deadline, then E094."""
    (project / "django.py").write_text("import time\n\nprint('importing')\ntime.sleep(60)\n")
    python = os.path.realpath(sys.executable)
    started = time.monotonic()
    kind, result = run(monkeypatch, None, project_path=str(project), python=python, settings_module="blog.settings",
                       timeout=3)
    assert time.monotonic() - started < 3
    assert kind is Fail, result["msg"]
    assert [f["id"] for f in result["findings"]] == ["djangostack.E094"]
    assert result["msg"] == ("blog.settings (Django ?): 1 finding at error or above: djangostack.E094 the probe "
                             "timed out after 2 s in stage 'django'")


# ---------------------------------------------------------------- a real Django project

# The newest Django (6.1: its model checks connect to every database) on a Python that runs it, else 5.2.
DJANGO_ON = ((3, 12), ["Django==6.1.3", "psycopg[binary]==3.3.9"])
DJANGO_ELSE = ["Django==5.2.19", "psycopg[binary]==3.3.9"]
CACHE = Path(__file__).resolve().parents[4] / ".cache" / "unit"
PROJECT_FILES = {
    "manage.py": "",
    "blog/__init__.py": "",
    "blog/settings.py": """\
import os
import secrets

DEBUG = True  # a finding of the settings themselves: djangostack.E001
SECRET_KEY = os.environ.get("BLOG_SECRET_KEY") or secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["blog.example.test"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "shop"] + os.environ.get("BLOG_APPS", "").split()
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": os.environ["BLOG_DB_HOST"],
                         "PORT": os.environ["BLOG_DB_PORT"], "NAME": "blog", "USER": "blog",
                         "PASSWORD": os.environ["BLOG_DB_PASSWORD"]}}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STATIC_ROOT = "/srv/blog/current/static"
MEDIA_ROOT = os.environ.get("BLOG_MEDIA_ROOT", "")
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
""",
    "shop/__init__.py": "",
    "shop/models.py": """\
import os

from django.db import models
from django.db.models import F


class Item(models.Model):
    price = models.IntegerField()
    quantity = models.IntegerField()
    # A virtual column: whether the database has them, Django 6.1 asks the server.
    total = models.GeneratedField(expression=F("price") * F("quantity"), output_field=models.IntegerField(),
                                  db_persist=False)
    if os.environ.get("BLOG_UPLOADS"):
        leaflet = models.FileField(upload_to="leaflets/")
""",
    # An app whose system check waits for a service that accepts and never answers.
    "stuck/__init__.py": "",
    "stuck/apps.py": """\
import os
import socket

from django.apps import AppConfig
from django.core import checks


def check_the_service(**kwargs):
    with socket.create_connection((os.environ["BLOG_DB_HOST"], int(os.environ["BLOG_DB_PORT"]))) as conn:
        conn.recv(1)
    return []


class StuckConfig(AppConfig):
    name = "stuck"

    def ready(self):
        checks.register(check_the_service)
""",
}


def pythons():
    """Interpreters of this host, the newest first: on the PATH, then pyenv's."""
    names = [shutil.which("python3.%d" % minor) for minor in range(14, 7, -1)]
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found = [name for name in names if name] + sorted(glob.glob(os.path.join(root, "versions", "3.*", "bin", "python3")),
                                                      reverse=True)
    return found + [sys.executable]


def version_of(python):
    """(major, minor) of an interpreter, None when it does not run (a pyenv shim of a version not selected)."""
    try:
        done = subprocess.run([python, "-c", "import sys; print('%d %d' % sys.version_info[:2])"], capture_output=True,
                              text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    words = done.stdout.split()
    return (int(words[0]), int(words[1])) if done.returncode == 0 and len(words) == 2 else None


@pytest.fixture(name="django_venv", scope="session")
def fixture_django_venv():
    """A virtualenv with Django and psycopg, kept in .cache/unit between runs."""
    found = [(version, python) for version, python in ((version_of(p), p) for p in pythons()) if version]
    version, python = max(found) if found else (sys.version_info[:2], sys.executable)
    requirements = DJANGO_ON[1] if version >= DJANGO_ON[0] else DJANGO_ELSE
    target = CACHE / ("py%d.%d-" % version + "-".join(re.sub(r"\[.*\]|==", "", r) for r in requirements))
    if (target / "installed").is_file():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="venv-", dir=str(CACHE)))
    try:
        subprocess.run([python, "-m", "venv", str(building)], check=True, capture_output=True, timeout=300)
        done = subprocess.run([str(building / "bin" / "python"), "-m", "pip", "install", "--quiet",
                               "--disable-pip-version-check"] + requirements, capture_output=True, text=True, timeout=600,
                              check=False)
        if done.returncode != 0:
            pytest.skip("cannot install %s: %s" % (" ".join(requirements), (done.stderr.strip().splitlines() or [""])[-1]))
        (building / "installed").write_text("\n".join(requirements) + "\n")
        try:
            building.rename(target)  # only its bin/python is used, which does not mind the move
        except OSError:  # another run built it meanwhile
            pass
    finally:
        shutil.rmtree(str(building), ignore_errors=True)
    return target


@pytest.fixture(name="silent_server")
def fixture_silent_server():
    """(host, port) of a listener on 127.0.0.1 that accepts connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    accepted, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except socket.timeout:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()
    stop.set()
    thread.join(5)
    for conn in accepted:
        conn.close()
    listener.close()


@pytest.fixture(name="blog")
def fixture_blog(tmp_path):
    """The Django project of PROJECT_FILES."""
    root = tmp_path / "blog"
    for name, text in PROJECT_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def run_blog(monkeypatch, blog, django_venv, server, env=None, **params):
    """The module's result for the blog project with its database at `server`, and the seconds it took."""
    blog_env = {"BLOG_DB_HOST": server[0], "BLOG_DB_PORT": str(server[1]), "BLOG_DB_PASSWORD": "db-secret",
                "BLOG_SECRET_KEY": KEY}
    blog_env.update(env or {})
    started = time.monotonic()
    kind, result = run(monkeypatch, None, project_path=str(blog), python=str(django_venv / "bin" / "python"),
                       settings_module="blog.settings", env=blog_env, **params)
    return kind, result, time.monotonic() - started


def found_ids(result):
    """The ids of a result's findings."""
    return [f["id"] for f in result.get("findings", [])]


@pytest.mark.parametrize("params, env, within, present, absent, words", [
    # Django 6.1's model checks connect to every database: without check_database the checks
    # must run without one, and nothing waits for the server that never answers.
    ({"check_database": False, "database_timeout": 2, "timeout": 30}, {}, 10,
     ["djangostack.E001"], ["djangostack.E050", "djangostack.E094", "djangostack.E093", "djangostack.C092"], None),
    # The probe's own connection waits database_timeout seconds (psycopg's least is 2), then E050.
    ({"check_database": True, "database_timeout": 2, "timeout": 30}, {}, 10,
     ["djangostack.E001", "djangostack.E050"], ["djangostack.E094", "djangostack.E093"], "timeout"),
    # A connection that outlasts the probe: at its deadline (a second before the timeout) it reports the
    # stage, with what it found; E094 comes only from the probe, never from a probe the timeout stopped.
    ({"check_database": True, "database_timeout": 60, "timeout": 5}, {}, 7,
     ["djangostack.E001", "djangostack.E094"], ["djangostack.E050"], "in stage 'database'"),
    # A check of the project's own that waits for the server: the same, in the stage of the checks.
    ({"check_database": False, "database_timeout": 2, "timeout": 5}, {"BLOG_APPS": "stuck"}, 7,
     ["djangostack.E001", "djangostack.E094"], ["djangostack.E050"], "in stage 'system checks'"),
])
def test_a_database_that_accepts_and_never_answers_hangs_nothing(monkeypatch, blog, django_venv, silent_server,
                                                                 params, env, within, present, absent, words):
    kind, result, took = run_blog(monkeypatch, blog, django_venv, silent_server, env=env, **params)
    assert took < within, "%.1f s: %s" % (took, result["msg"])
    assert kind is Fail, result["msg"]
    assert set(present) <= set(found_ids(result)), result["msg"]
    assert not set(absent) & set(found_ids(result)), result["msg"]
    if words:
        assert words in result["msg"], result["msg"]
    assert "\n" not in result["msg"]
    text = json.dumps(result)
    assert KEY not in text and "db-secret" not in text
    # The settings returned are the project's, without the bounds the probe added.
    assert "OPTIONS" not in result["settings"]["DATABASES"]["default"] or \
        "connect_timeout" not in result["settings"]["DATABASES"]["default"]["OPTIONS"]


@pytest.mark.parametrize("env, present, absent", [
    # The key from the environment: the same in each import.
    ({}, [], ["djangostack.E084"]),
    # No key in the environment: the settings generate one at each import.
    ({"BLOG_SECRET_KEY": ""}, ["djangostack.E084"], []),
    # MEDIA_ROOT unset: a finding only for a project with a file field.
    ({"BLOG_UPLOADS": "1"}, ["djangostack.W032"], []),
    ({}, [], ["djangostack.W032"]),
    ({"BLOG_UPLOADS": "1", "BLOG_MEDIA_ROOT": "/srv/blog/shared/media"}, [], ["djangostack.W032"]),
])
def test_a_real_project_s_key_and_uploads(monkeypatch, blog, django_venv, silent_server, env, present, absent):
    _kind, result, _took = run_blog(monkeypatch, blog, django_venv, silent_server, env=env, timeout=30)
    assert set(present) <= set(found_ids(result)), result["msg"]
    assert not set(absent) & set(found_ids(result)), result["msg"]
    if "djangostack.W032" in present:
        assert "uploads to shop.Item.leaflet land" in json.dumps(result["findings"])
    assert KEY not in json.dumps(result)
