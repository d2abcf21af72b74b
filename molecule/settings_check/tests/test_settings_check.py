"""What djangostack.deploy.django_settings_check reports about real Django projects.

converge.yml installs the fixture project (files/project: settings modules that
are clean, that print, that cannot be imported, or that have one mistake named
by $MISTAKE) and one virtualenv per Django series the host's Python runs. Each
result is one ad-hoc run of the module on the host, as root, with the probe run
as the app user `probe`. Runs that tests share are made side by side, in a
thread pool: every run costs about two seconds, mostly CPU.
"""

import json
import shlex
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from playbooks import run_module

MODULE = "djangostack.deploy.django_settings_check"
PROJECT = "/srv/probe/project"
APP_USER = "probe"
CONVERGE = yaml.safe_load((Path(__file__).resolve().parents[1] / "converge.yml").read_text(encoding="utf-8"))
DJANGO = CONVERGE[0]["vars"]["settings_check_django"]  # release -> {series: version}
PYTHON = {"bookworm": "3.11.", "trixie": "3.13."}
WORKERS = 3
# A key as the app's environment gives it; it is nowhere in the project's files.
SECRET_KEY = "m-WWYJnqzofI3DzJq-p1lmJPra_riMFeMbGmkckyPnwNJUhekxDgK928_5N3zT4r"
EXPECT = {
    "domains": ["probe.test"],
    "https": True,
    "behind_proxy": True,
    "static_root": "/srv/probe/current/static",
    "media_root": "/srv/probe/shared/media",
    "cache_locations": ["127.0.0.1:11211"],
    "database": {"host": "127.0.0.1", "port": 5432, "name": "probe"},
}
LEVELS = ("debug", "info", "warning", "error", "critical")
LEVEL_OF_LETTER = {"D": "debug", "I": "info", "W": "warning", "E": "error", "C": "critical"}

# MISTAKE (files/project/probeproj/settings_one.py) -> the id it must give.
MISTAKES = {
    "debug_true": "djangostack.E001",
    "debug_string": "djangostack.E002",
    "session_cookie_secure_string": "djangostack.E002",
    "hsts_seconds_string": "djangostack.E003",
    "csrf_origins_string": "djangostack.E004",
    "allowed_hosts_star": "djangostack.W010",
    "allowed_hosts_empty_entry": "djangostack.W011",
    "allowed_hosts_other_domain": "djangostack.E012",
    "forwarded_host_with_star": "djangostack.E013",
    "proxy_header_none": "djangostack.E020",
    "proxy_header_wrong_form": "djangostack.E021",
    "csrf_origin_without_scheme": "djangostack.E022",
    "csrf_origins_empty": "djangostack.W023",
    "static_root_unset": "djangostack.E030",
    "static_root_other": "djangostack.E031",
    "media_root_other": "djangostack.E033",
    "cache_client_missing": "djangostack.E041",
    "cache_location_other": "djangostack.W042",
    "database_other_name": "djangostack.E051",
    "database_driver_missing": "djangostack.C092",
    "email_host_empty": "djangostack.E060",
    "email_console": "djangostack.W061",
    "obsolete_xss_filter": "djangostack.W070",
    "obsolete_staticfiles_storage": "djangostack.W070",
    "misspelled_hsts_seconds": "djangostack.W071",
    "misspelled_referrer_policy": "djangostack.W071",
    "secret_key_insecure_prefix": "djangostack.E080",
    "secret_key_short": "djangostack.W081",
    "secret_key_low_entropy": "djangostack.W082",
    "secret_key_in_source": "djangostack.E083",
    "hsts_zero": "security.W004",
}
# Settings that look like mistakes and are none for this project -> the id they must not give.
NO_FINDING = {
    # No installed model stores files: no upload can land in the working directory.
    "media_root_unset": "djangostack.W032",
}
# Our other findings at warning or above that a mistake may give too.
ALSO = {
    "debug_string": {"djangostack.E001"},  # "False" is true
    "forwarded_host_with_star": {"djangostack.W010"},
    "csrf_origins_empty": {"djangostack.E020"},  # without the proxy header Django sees http
    "cache_client_missing": {"djangostack.E093"},  # Django's cache check raises without the library
}
# Settings modules that cannot be imported -> what the one-line msg must name.
IMPORT_ERRORS = {
    "probeproj.settings_raises": "ImproperlyConfigured: DATABASE_URL is not set",
    "probeproj.settings_keyerror": "KeyError: 'PROBE_MISSING_VARIABLE'",
    "probeproj.settings_importerror": "ModuleNotFoundError: No module named 'probeproj_local_settings'",
}


@pytest.fixture(name="name", scope="module")
def fixture_name(host):
    """The host's inventory name."""
    return host.backend.get_hostname()


@pytest.fixture(name="release", scope="module")
def fixture_release(host):
    """The host's Debian release."""
    return host.system_info.codename


@pytest.fixture(name="venvs", scope="module")
def fixture_venvs(release):
    """{series: virtualenv} of the host, oldest first."""
    series = sorted(DJANGO[release], key=lambda text: tuple(map(int, text.split("."))))
    return {s: f"/opt/django-{s}" for s in series}


@pytest.fixture(name="newest", scope="module")
def fixture_newest(venvs):
    """The virtualenv of the newest Django on the host."""
    return list(venvs.values())[-1]


@pytest.fixture(name="mistakes", scope="module")
def fixture_mistakes(name, newest):
    """{mistake: result} of settings_one with each MISTAKE, with the host's newest Django."""
    return run_side_by_side(name, {mistake: args(newest, "probeproj.settings_one", env={"MISTAKE": mistake})
                                   for mistake in list(MISTAKES) + list(NO_FINDING)})


def args(virtualenv, settings_module, env=None, **options):
    """The module's arguments for the fixture project (`virtualenv` None: give `python` in options)."""
    return {"project_path": PROJECT, "settings_module": settings_module, "user": APP_USER,
            "env": {"SECRET_KEY": SECRET_KEY, **(env or {})}, "expect": EXPECT,
            **({"virtualenv": virtualenv} if virtualenv else {}), **options}


def run_side_by_side(name, jobs):
    """{key: result} of one module run per job; a run that gave no result is its exception."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {key: pool.submit(run_module, name, MODULE, job) for key, job in jobs.items()}
    return {key: future.exception() or future.result() for key, future in futures.items()}


def result_of(results, key):
    """The result under `key`, re-raising the error of a run that gave none."""
    if isinstance(results[key], BaseException):
        raise results[key]
    return results[key]


def rank(level):
    """0 (debug) .. 4 (critical)."""
    return LEVELS.index(level)


def level_of(finding_id):
    """The level an id stands for: its letter (djangostack.E001, security.W004)."""
    return LEVEL_OF_LETTER[finding_id.rsplit(".", 1)[-1][0]]


def ids(result, at_least="debug"):
    """The ids of the result's findings at `at_least` or above."""
    return [f["id"] for f in result.get("findings", []) if rank(f["level"]) >= rank(at_least)]


def show(result):
    """The part of a result an assertion message needs."""
    findings = [f"{f['id']} {f['level']} {f['message']}" for f in result.get("findings", [])]
    return f"\nmsg: {result.get('msg')}\nfailed: {result.get('failed')}\nfindings:\n  " + "\n  ".join(findings)


def assert_clean(result, series, release):
    """No finding at warning or above, with the Django of `series`, and no secret in the result."""
    assert not result.get("failed"), show(result)
    assert ids(result, "warning") == [], show(result)
    assert result["changed"] is False
    assert result["django_version"].startswith(f"{series}."), result["django_version"]
    assert result["python_version"].startswith(PYTHON[release]), result["python_version"]
    assert result["settings"]["SECRET_KEY"] == "********"
    assert SECRET_KEY not in json.dumps(result)


def test_clean_settings_give_no_finding_on_every_django(name, release, venvs):
    """Production-correct settings pass on every Django, Django's deploy checks included."""
    results = run_side_by_side(name, {series: args(venv, "probeproj.settings_clean") for series, venv in venvs.items()})
    for series in venvs:
        assert_clean(result_of(results, series), series, release)


def test_what_the_settings_print_does_not_disturb_the_result(name, release, venvs):
    """Output of the settings module, JSON-like or not, stays out of the result."""
    results = run_side_by_side(name, {series: args(venv, "probeproj.settings_prints") for series, venv in venvs.items()})
    for series in venvs:
        result = result_of(results, series)
        assert_clean(result, series, release)
        assert result["findings"] == [], show(result)
        assert "printed by the settings" not in json.dumps(result)
        assert "written to fd 1" not in json.dumps(result)


@pytest.mark.parametrize("settings_module", list(IMPORT_ERRORS))
def test_settings_that_cannot_be_imported_are_one_critical_finding(name, venvs, settings_module):
    """An exception at import is C090 and a one-line msg with its type and message."""
    results = run_side_by_side(name, {series: args(venv, settings_module) for series, venv in venvs.items()})
    for series in venvs:
        result = result_of(results, series)
        assert result["failed"] is True, f"Django {series}: {show(result)}"
        assert "djangostack.C090" in ids(result, "critical"), f"Django {series}: {show(result)}"
        assert IMPORT_ERRORS[settings_module] in result["msg"], f"Django {series}: {show(result)}"
        assert "Traceback" not in result["msg"] and "\n" not in result["msg"], result["msg"]


def test_settings_that_cannot_be_imported_fail_whatever_ignore_says(name, newest):
    """Nothing can be checked when the settings do not import: C090 cannot be ignored."""
    result = run_module(name, MODULE, args(newest, "probeproj.settings_raises", ignore=["djangostack.C090"]))
    assert result["failed"] is True, show(result)
    assert "djangostack.C090" in ids(result, "critical"), show(result)


def test_a_removed_cache_backend_is_found_on_every_django(name, venvs):
    """MemcachedCache, gone since Django 4.1, is E040 on every Django."""
    jobs = {series: args(venv, "probeproj.settings_one", env={"MISTAKE": "cache_backend_removed"})
            for series, venv in venvs.items()}
    results = run_side_by_side(name, jobs)
    for series in venvs:
        result = result_of(results, series)
        assert "djangostack.E040" in ids(result), f"Django {series}: {show(result)}"
        assert "djangostack.C090" not in ids(result), f"Django {series}: {show(result)}"
        assert result["failed"] is True, f"Django {series}: {show(result)}"


@pytest.mark.parametrize("setting", list(NO_FINDING))
def test_what_is_no_mistake_for_the_project_gives_no_finding(mistakes, setting):
    result = result_of(mistakes, setting)
    assert "findings" in result and NO_FINDING[setting] not in ids(result, "debug"), show(result)


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_one_mistake_gives_its_finding(mistakes, mistake):
    """Each mistake gives its id at its level, and fails the module when that is error or above."""
    result = result_of(mistakes, mistake)
    expected = MISTAKES[mistake]
    found = [f for f in result.get("findings", []) if f["id"] == expected]
    assert found, show(result)
    assert found[0]["level"] == level_of(expected), show(result)
    ours = expected.startswith("djangostack.")
    assert set(found[0]) == {"id", "level", "setting", "message", "hint", "source"}, found[0]
    assert found[0]["source"] == ("djangostack" if ours else "django")
    assert found[0]["message"] and (found[0]["hint"] or not ours), found[0]
    # No other finding of ours at warning or above: the checks do not overlap.
    others = {i for i in ids(result, "warning") if i.startswith("djangostack.")} - {expected}
    assert others <= ALSO.get(mistake, set()), show(result)
    # The default fail_level is error.
    assert result.get("failed", False) is any(rank(f["level"]) >= rank("error") for f in result["findings"]), show(result)
    if rank(level_of(expected)) >= rank("error"):
        assert expected in result["msg"], show(result)
    assert "\n" not in result["msg"], result["msg"]


@pytest.mark.parametrize(("mistake", "fail_level", "failed"), [
    ("allowed_hosts_star", "warning", True),  # djangostack.W010
    ("hsts_zero", "warning", True),  # Django's security.W004
    ("debug_true", "critical", False),  # djangostack.E001
])
def test_fail_level_decides_whether_a_finding_fails(name, newest, mistake, fail_level, failed):
    """fail_level moves the line between a finding that fails the module and one that does not."""
    result = run_module(name, MODULE, args(newest, "probeproj.settings_one", env={"MISTAKE": mistake},
                                           fail_level=fail_level))
    assert MISTAKES[mistake] in ids(result), show(result)
    assert result.get("failed", False) is failed, show(result)
    assert f"at {fail_level} or above" in result["msg"], show(result)
    if failed:
        assert MISTAKES[mistake] in result["msg"], show(result)


@pytest.mark.parametrize(("mistake", "ignored"), [
    ("debug_true", "djangostack.E001"),
    ("hsts_zero", "security.W004"),
])
def test_ignore_leaves_a_finding_out(name, newest, mistake, ignored):
    """An id in ignore is left out, ours or Django's; the other findings stay."""
    result = run_module(name, MODULE, args(newest, "probeproj.settings_one", env={"MISTAKE": mistake},
                                           ignore=[ignored]))
    assert ignored not in ids(result), show(result)
    assert not result.get("failed"), show(result)
    if mistake == "debug_true":
        assert "security.W018" in ids(result), show(result)  # Django's DEBUG check is still there


def test_silenced_system_checks_leave_djangos_finding_out(name, newest):
    """The project's SILENCED_SYSTEM_CHECKS is honoured."""
    result = run_module(name, MODULE, args(newest, "probeproj.settings_one", env={"MISTAKE": "hsts_zero_silenced"}))
    assert not result.get("failed"), show(result)
    assert "security.W004" not in ids(result), show(result)
    assert ids(result, "warning") == [], show(result)


def test_no_proxy_in_front_needs_no_proxy_header(name, newest):
    """E020 is for TLS that ends at a proxy: with expect.behind_proxy false there is none."""
    result = run_module(name, MODULE, args(newest, "probeproj.settings_one", env={"MISTAKE": "proxy_header_none"},
                                           expect=dict(EXPECT, behind_proxy=False)))
    assert ids(result, "warning") == [], show(result)
    assert not result.get("failed"), show(result)


def test_check_mode_gives_the_same_findings(name, newest):
    """--check runs the same checks, and nothing changes either way."""
    job = args(newest, "probeproj.settings_one", env={"MISTAKE": "debug_string"})
    results = {check: run_module(name, MODULE, job, check=check) for check in (False, True)}
    summary = {check: ([(f["id"], f["level"]) for f in result["findings"]], result.get("failed"), result["changed"])
               for check, result in results.items()}
    assert summary[True] == summary[False], summary
    assert ("djangostack.E002", "error") in summary[True][0], show(results[True])


def test_the_probe_runs_as_the_app_user_in_the_project_directory(host, name, newest):
    """The settings are imported as the app user (its own groups only), in project_path."""
    user = host.user(APP_USER)
    result = run_module(name, MODULE, args(newest, "probeproj.settings_whoami"))
    assert result["failed"] is True, show(result)
    assert f"uid={user.uid} gid={user.gid} groups={user.gid} cwd={PROJECT}" in result["msg"], show(result)


def with_env_file(host, name, path, content, job):
    """The module's result with `content` in the environment file `path` (root's, mode 0600) for the run."""
    host.check_output(f"umask 077 && printf %s {shlex.quote(content)} > {path}")
    try:
        return run_module(name, MODULE, dict(job, env_file=path))
    finally:
        host.run(f"rm -f {path}")


def test_an_environment_file_gives_the_settings_module_and_its_secrets_stay_out(host, name, release, venvs):
    """env_file gives DJANGO_SETTINGS_MODULE and the secrets; no secret is in the result."""
    series, newest = list(venvs.items())[-1]
    key, password = SECRET_KEY[::-1], "pw-" + SECRET_KEY[:20]
    content = (f"# the app's environment, as its processes read it\n"
               f"DJANGO_SETTINGS_MODULE=probeproj.settings_clean\n"
               f"export SECRET_KEY='{key}'\n"
               f"DATABASE_PASSWORD=\"{password}\"\n")
    result = with_env_file(host, name, "/root/settings-check.env", content,
                           {"project_path": PROJECT, "virtualenv": newest, "user": APP_USER, "expect": EXPECT})
    assert result["settings_module"] == "probeproj.settings_clean"
    assert not result.get("failed"), show(result)
    assert ids(result, "warning") == [], show(result)
    assert result["django_version"].startswith(f"{series}."), result["django_version"]
    assert result["python_version"].startswith(PYTHON[release]), result["python_version"]
    assert result["settings"]["SECRET_KEY"] == "********"
    assert result["settings"]["DATABASES"]["default"]["PASSWORD"] == "********"
    text = json.dumps(result)
    assert key not in text and password not in text


def test_a_key_read_from_a_file_stays_out_of_the_result(host, name, newest):
    """A key that Ansible never sees (read from a file the settings open) is redacted all the same."""
    key, path = SECRET_KEY[32:] + SECRET_KEY[:32], "/srv/probe/secret_key"
    host.check_output(f"umask 027 && printf %s {key} > {path} && chgrp {APP_USER} {path}")
    try:
        job = dict(args(newest, "probeproj.settings_clean"), env={"SECRET_KEY_FILE": path})
        result = run_module(name, MODULE, job)
    finally:
        host.run(f"rm -f {path}")
    assert not result.get("failed"), show(result)
    assert ids(result, "warning") == [], show(result)
    assert result["settings"]["SECRET_KEY"] == "********"
    assert key not in json.dumps(result)


def test_a_database_that_does_not_answer_is_a_finding_when_asked(name, newest):
    """check_database connects for real: nothing listens on 127.0.0.1:5432 here."""
    result = run_module(name, MODULE, args(newest, "probeproj.settings_clean", check_database=True,
                                           database_timeout=3))
    assert ids(result, "warning") == ["djangostack.E050"], show(result)
    assert "5432" in result["findings"][0]["message"], show(result)
    assert result["failed"] is True, show(result)


def test_a_python_without_django_is_a_critical_finding(name):
    """An interpreter without Django is C091."""
    result = run_module(name, MODULE, args(None, "probeproj.settings_clean", python="/usr/bin/python3"))
    assert result["failed"] is True, show(result)
    assert "djangostack.C091" in ids(result, "critical"), show(result)
    assert "django" in result["msg"], show(result)


def test_an_environment_file_in_the_project_is_no_key_in_the_code(host, name, newest):
    """The key in the env_file the module reads is no key in the code, wherever that file is."""
    # Projects that read BASE_DIR/.env keep it next to manage.py.
    content = f"SECRET_KEY={SECRET_KEY}\n"
    result = with_env_file(host, name, f"{PROJECT}/.env", content,
                           {"project_path": PROJECT, "virtualenv": newest, "settings_module": "probeproj.settings_clean",
                            "user": APP_USER, "expect": EXPECT})
    assert "djangostack.E083" not in ids(result), show(result)
    assert not result.get("failed"), show(result)
