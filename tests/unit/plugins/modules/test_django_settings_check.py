"""The django_settings_check module: main() with a canned probe instead of the app's Python.

run_command is replaced by a fake that records what the module sends (argv, the data on
stdin, the environment) and answers with a probe result; one test runs the real probe.
"""

import inspect
import json
import os
import re
import sys
import types

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
