"""The day-two playbooks on the converged site, while clients keep asking for the home page.

They run after test_site.py (its last commits are in each host's git repository,
tagged by change: template, insecure_settings, unhealthy). The clients are on
this controller: CLIENTS of them at once send HTTPS requests to each host's nginx
during a playbook, and one more keeps a 10 s request in flight
(molecule/shared/load.py); a failed request is one whose status is not below 400
or that got no answer at all. Each fixture runs its playbook on
every host once and notes what the hosts look like right after it (`state`):
the tests of the first host run every fixture before those of the second.
"""

import hashlib
import json
import os
import re
import secrets
import shlex
import signal
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import testhosts

from load import Load, failures, latency, summary
from playbooks import inventory, run_playbook, start_playbook
from site_common import (DOMAIN, MANAGE, REPO, daemon_processes, git_source_apps, gunicorn_master,
                         host_addresses, hosts, record_time)

PLAYBOOKS = "../../playbooks/"
OLD = "djangostack example, second edition"
NEW = "djangostack example, third edition"
MARK = "added after the third edition went live"


CLIENTS = 3
SLOW = "/slow/?seconds=10"


def under_load(playbook, extra_vars=None, label=None, clients=CLIENTS, slow=True, interval=0.2, **options):
    """The playbook while each host gets requests from `clients` clients at once (each a request
    every `interval` seconds) and (with slow) from one more whose requests take 10 s each (one is always in
    flight): (result, {host: {"fast": [Result], "slow": [Result]}}, seconds). The slow request
    still in flight when the playbook ends is left out. With a label, the figures (requests,
    failures, p50, p99 and max latency) go to build/reports/site-load.json. With a limit (a
    host's name), only that host gets requests: the other one is not part of the run."""
    loads = {name: {"fast": [Load(address, DOMAIN, interval=interval).start() for _client in range(clients)],
                    "slow": [Load(address, DOMAIN, path=SLOW, interval=0, timeout=30).start()] if slow else []}
             for name, address in host_addresses().items() if options.get("limit") in (None, name)}
    started = time.monotonic()
    try:
        result = run_playbook(PLAYBOOKS + playbook, extra_vars, **options)
    finally:
        seconds = time.monotonic() - started
        requests = {name: {kind: [item for load in group for item in load.stop(wait=kind == "fast")]
                           for kind, group in kinds.items()}
                    for name, kinds in loads.items()}
    if label:
        record_load(label, requests, seconds)
    return result, requests, seconds


def record_load(label, requests, seconds):
    """Keep the figures of one playbook under load in build/reports/site-load.json (reported, never asserted)."""
    path = REPO / "build" / "reports" / "site-load.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    found = json.loads(path.read_text()) if path.exists() else {}
    for name, kinds in requests.items():
        p50, p99, most = latency(kinds["fast"])
        found[f"{label} ({name})"] = {
            "seconds": round(seconds, 1), "requests": len(kinds["fast"]), "failed": len(failures(kinds["fast"])),
            "p50_ms": round(p50 * 1000), "p99_ms": round(p99 * 1000), "max_ms": round(most * 1000),
            "slow_requests": len(kinds["slow"]), "slow_failed": len(failures(kinds["slow"]))}
    path.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n")


def assert_served_throughout(requests, headings):
    """No failed request, only the given headings, no request waiting 2 s or more, and every slow one answered."""
    fast, slow = requests["fast"], requests["slow"]
    assert len(fast) >= 20, summary(fast)
    assert not failures(fast), summary(fast)
    assert {result.heading for result in fast} <= set(headings), summary(fast)
    assert latency(fast)[2] < 2.0, f"a request waited {latency(fast)[2]:.1f} s: {summary(fast)}"
    assert not failures(slow), f"a request in flight failed: {summary(slow)}"


GREETINGS = f"from pages.models import Greeting; print(Greeting.objects.filter(text={MARK!r}).count())"


def state():
    """What each host looks like now: its releases, the live one and its commit, the marked greetings."""
    found = {}
    for name, node in hosts().items():
        marker = json.loads(node.file("/srv/example/current/.djangostack-release.json").content_string)
        greetings = node.run(f"{MANAGE} shell -c {shlex.quote(GREETINGS)}").stdout.strip().splitlines()
        found[name] = {
            "releases": sorted(node.file("/srv/example/releases").listdir()),
            "live": Path(node.file("/srv/example/current").linked_to).name,
            "revision": marker["revision"],
            "greetings": greetings[-1] if greetings else None,
            # One generation of the app: the supervisord programs of its gunicorn slots,
            # its gunicorn processes (master and workers) and the memory of all its processes.
            "slots": sorted(line.split()[0] for line in node.run("supervisorctl status").stdout.splitlines()
                            if re.match(r"example-(blue|green) ", line)),
            "gunicorn_processes": len(node.run("pgrep -u example -f -- '-m gunicorn'").stdout.split()),
            "rss_kb": sum(int(kb) for kb in node.run("ps -u example -o rss=").stdout.split()),
        }
    return found


def example_apps(version):
    apps = git_source_apps()
    apps[0]["source"]["version"] = version
    return apps


# Where the deploy of insecure settings runs (the settings gate is the same under both servers).
GATE_HOST = "bookworm"


@pytest.fixture(name="bad_deploys", scope="module")
def fixture_bad_deploys():
    """deploy.yml of the commit with DEBUG on, then of the one whose health check fails only
    through the server that would serve it (gunicorn, mod_wsgi). (A failing migration: the
    cluster scenario.)"""
    # Both hosts in one batch: a batch in which every host fails ends the play. The settings
    # gate comes before anything that depends on the server: the insecure settings on one host.
    before = state()
    runs = {"insecure_settings": under_load("deploy.yml", {"django_apps": git_source_apps(), "deploy_app": "example",
                                                           "deploy_version": "insecure_settings", "deploy_batch": 2},
                                            limit=GATE_HOST, label="deploy.yml of insecure_settings")}
    runs["unhealthy"] = under_load("deploy.yml", {"django_apps": git_source_apps(), "deploy_app": "example",
                                                  "deploy_version": "unhealthy", "deploy_batch": 2},
                                   label="deploy.yml of a release unhealthy under its server")
    return {"runs": runs, "before": before, "state": state()}


# What the third edition changes besides its heading: a requirement (a new
# virtualenv) and a value of the environment.
REQUIREMENT = "six==1.16.0"
NOTE = {"DEPLOY_NOTE": "the third edition"}


def third_edition_apps(secret_key, fallbacks):
    """The example with a value more in its environment, a rotated SECRET_KEY (a new one, the
    keys each host generated as fallbacks) and, where the host has one, another Python."""
    apps = git_source_apps()
    apps[0]["env"] = {**apps[0]["env"], **NOTE}
    apps[0]["secret_key"] = secret_key
    apps[0]["secret_key_fallbacks"] = sorted(fallbacks)
    apps[0]["python"] = "{{ example_test_python | default('python3') }}"
    return apps


# Another CPython than Debian's for the gunicorn host's third edition (mod_wsgi runs
# Debian's only), and an older one for a project whose runtime.txt asks for it: the
# controller's pyenv builds, copied to the host as an administrator installs one
# (its libpython found through ld.so.conf). Without one on the controller, the
# interpreter stays.
OTHER_PYTHON = sorted(Path("/root/.pyenv/versions").glob("3.12.*"))
OTHER_PYTHON_HOME = "/opt/djangostack-test-python3.12"
OLD_PYTHON = sorted(Path("/root/.pyenv/versions").glob("3.10.*"))


def install_python(name, builds, home, link=False):
    """The newest of `builds` into the test host `name` at `home` (and as /usr/local/bin/python3.N
    with `link`): its python, or None without a build on the controller."""
    if not builds:
        return None
    version = builds[-1].name.rsplit(".", 1)[0]
    record = next(host for host in testhosts.host_records()
                  if host["scenario"] == "site" and host["name"] == name)
    root = Path(record["dir"]) / "root"
    target = root / home.lstrip("/")
    if not target.exists():
        shutil.copytree(builds[-1], target, symlinks=True)
        (root / f"etc/ld.so.conf.d/djangostack-test-python{version}.conf").write_text(f"{home}/lib\n")
    node = hosts()[name]
    assert node.run("ldconfig").rc == 0
    python = f"{home}/bin/python{version}"
    if link:
        assert node.run(f"ln -sfn {python} /usr/local/bin/python{version}").rc == 0
    found = node.run(f"runuser -u nobody -- {python} -c 'import platform, ssl; print(platform.python_version())'")
    assert found.rc == 0 and found.stdout.startswith(version + "."), found
    return python


def install_other_python(name):
    """OTHER_PYTHON into the test host `name`: {name: {"example_test_python": its python}} or {}."""
    python = install_python(name, OTHER_PYTHON, OTHER_PYTHON_HOME)
    return {name: {"example_test_python": python}} if python else {}


def gunicorn_hosts():
    return [name for name, node in hosts().items() if node.file("/etc/gunicorn/example.conf.py").exists]


# A value signed with the SECRET_KEY, as sessions and password reset links are;
# and what the live release's key is (its hash).
SIGN = "from django.core import signing; print(signing.dumps('signed before the rotation', salt='test'))"
UNSIGN = ("import hashlib, sys; from django.conf import settings; from django.core import signing; "
          "print(signing.loads(sys.stdin.read().strip(), salt='test')); "
          "print(hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest())")


@pytest.fixture(name="good_deploy", scope="module")
def fixture_good_deploy(bad_deploys):
    """The third edition by deploy.yml: a new heading on top of the template commit, a new
    requirement, a new value in the environment and a rotated SECRET_KEY (the old one a
    fallback: what it signed holds)."""
    del bad_deploys
    made = run_playbook("git_repo.yml", {"change": "third_edition", "base": "template", "requirement": REQUIREMENT})
    assert made.rc == 0, made
    before = state()
    old_keys = {name: node.file("/etc/example/secret_key").content_string.strip() for name, node in hosts().items()}
    signed = {name: node.check_output(f"{MANAGE} shell -c {shlex.quote(SIGN)}").splitlines()[-1]
              for name, node in hosts().items()}
    new_key = secrets.token_urlsafe(50)
    # In an inventory file of root's, not on the command line.
    other_python = {}
    for name in gunicorn_hosts():
        other_python.update(install_other_python(name))
    deployed = under_load("deploy.yml", {"deploy_app": "example", "deploy_version": "third_edition", "deploy_batch": 2},
                          host_vars={"django_apps": third_edition_apps(new_key, old_keys.values())},
                          host_extra=other_python,
                          label="deploy.yml: code, requirements and environment (SECRET_KEY rotated) changed")
    record_time("deploy.yml: code, requirements and environment changed, 2 hosts at once", deployed[2])
    unsigned = {name: node.run(f"echo {shlex.quote(signed[name])} | {MANAGE} shell -c {shlex.quote(UNSIGN)}")
                for name, node in hosts().items()}
    return {"run": deployed, "before": before, "state": state(), "served": served_generation(),
            "unsigned": unsigned, "key_hash": hashlib.sha256(new_key.encode()).hexdigest(),
            "other_python": other_python}


SIX = "import os, six; print(six.__version__, os.environ.get('DEPLOY_NOTE', '-'))"


def served_generation():
    """On each host: what the live release's python imports (six) and its environment holds,
    and what the gunicorn that serves was started with (its virtualenv and DEPLOY_NOTE)."""
    found = {}
    for name, node in hosts().items():
        shell = node.run(f"{MANAGE} shell -c {shlex.quote(SIX)}")
        health = node.run(f"curl -sk --max-time 20 --resolve {DOMAIN}:443:127.0.0.1 https://{DOMAIN}/health/")
        found[name] = {"manage": shell.stdout.strip().splitlines()[-1] if shell.rc == 0 else f"rc={shell.rc}",
                       "env": node.file("/etc/example/env").linked_to,
                       # The Python that serves, as the app reports it through nginx.
                       "python": json.loads(health.stdout)["python"] if health.rc == 0 else f"rc={health.rc}",
                       "system_python": node.check_output("python3 -c 'import platform; "
                                                          "print(platform.python_version())'")}
        if node.file("/etc/gunicorn/example.conf.py").exists:
            master = gunicorn_master(node)
            environ = node.check_output(f"tr '\\0' '\\n' < /proc/{master}/environ")
            found[name]["gunicorn"] = {
                "venv": node.check_output(f"tr '\\0' ' ' < /proc/{master}/cmdline").split()[0],
                "note": next((line.split("=", 1)[1] for line in environ.splitlines()
                              if line.startswith("DEPLOY_NOTE=")), "-")}
    return found


@pytest.fixture(name="managed", scope="module")
def fixture_managed(good_deploy):
    """manage.yml: a greeting added through a management command, on every host (each has its database)."""
    del good_deploy
    command = f"shell -c \"from pages.models import Greeting; print(Greeting.objects.create(text='{MARK}').text.upper())\""
    extra_vars = {"django_apps": git_source_apps(), "manage_app": "example", "manage_command": command, "manage_every_host": True}
    return run_playbook(PLAYBOOKS + "manage.yml", extra_vars)


@pytest.fixture(name="rollback", scope="module")
def fixture_rollback(managed):
    """rollback.yml to the release before, with the database snapshot of the third edition, on
    both hosts at once (each restores its own database: it is its own app server that migrates)."""
    before = state()
    run = under_load("rollback.yml", {"django_apps": git_source_apps(), "rollback_app": "example",
                                      "rollback_database": True, "rollback_batch": 2},
                     label="rollback.yml across virtualenvs")
    runs = {name: run for name in host_addresses()}
    return {"runs": runs, "before": before, "state": state(), "managed": managed, "served": served_generation()}


STABLE = ("releases", "live", "revision", "greetings", "slots", "gunicorn_processes")


def stable(found):
    """What a failed deploy must leave as it was (memory aside)."""
    return {key: found[key] for key in STABLE}


def test_deploys_that_fail_before_the_switch_drop_no_request(name, server, bad_deploys):
    failed_at = {"insecure_settings": "Check the settings of example",
                 "unhealthy": f"Check the new release through {server} of example"}
    reason = {"insecure_settings": "djangostack.E001 DEBUG is True",
              "unhealthy": {"gunicorn": "failed its health check through gunicorn (unix:/srv/example/run/gunicorn-",
                            "mod_wsgi": "failed its health check through mod_wsgi (daemon process group example-next,"
                            }[server]}
    for change, (result, requests, _seconds) in bad_deploys["runs"].items():
        if name not in result.recap:
            continue
        assert_served_throughout(requests[name], [OLD])
        assert result.rc != 0 and result.recap[name]["failed"] == 1, result
        output = " ".join(result.output.split())
        assert f'failed at "{failed_at[change]}"' in output, result
        assert reason[change] in output and "keeps serving" in output, result
        if change == "unhealthy":
            assert "GET /health/ got 500" in output and f"broken under {server}" in output, result
    before, after = bad_deploys["before"][name], bad_deploys["state"][name]
    assert stable(after) == stable(before), "a failed release was not removed or the live one changed"
    assert len(after["slots"]) == 1 or after["slots"] == [], after


def test_deploy_playbook_puts_a_new_commit_live_without_a_failed_request(host, name, good_deploy):
    result, requests, _seconds = good_deploy["run"]
    assert result.rc == 0, result
    assert_served_throughout(requests[name], [OLD, NEW])
    assert requests[name]["fast"][-1].heading == NEW, summary(requests[name]["fast"])
    # Only the app tier: no Debian package is looked at.
    installs = re.findall(r"TASK \[djangostack\.deploy\.django_app : Install the packages the apps need\][^\n]*\n(\w+)",
                          result.output)
    assert installs and set(installs) == {"skipping"}, installs
    before, after = good_deploy["before"][name], good_deploy["state"][name]
    commit = host.run("git -C /root/example-repo rev-parse third_edition^{commit}").stdout.strip()
    assert after["revision"] == f"git:{commit}"
    assert after["live"] not in before["releases"] and after["live"] == after["releases"][-1]


def test_the_new_release_runs_its_own_virtualenv_and_environment(host, name, good_deploy):
    served = good_deploy["served"][name]
    assert served["manage"] == "1.16.0 the third edition", served
    live = good_deploy["state"][name]["live"]
    venv = host.file(f"/srv/example/releases/{live}/venv").linked_to
    old_venv = host.file(f"/srv/example/releases/{good_deploy['before'][name]['live']}/venv").linked_to
    assert venv != old_venv, "the new requirement did not make a new virtualenv"
    if "gunicorn" in served:
        assert served["gunicorn"] == {"venv": f"{venv}/bin/python", "note": "the third edition"}, served
    env = host.file(f"/etc/example/env.d/{live}")
    assert (env.user, env.group, env.mode) == ("root", "example", 0o640)
    assert served["env"] == env.path


def test_the_new_release_runs_on_another_python_where_it_asks_for_one(name, good_deploy):
    served = good_deploy["served"][name]
    if name not in good_deploy["other_python"]:
        assert served["python"] == served["system_python"], served
        if name in gunicorn_hosts():
            pytest.skip("no other CPython (pyenv 3.12) on this controller to give the host")
        return
    assert served["python"].startswith("3.12.") and served["python"] != served["system_python"], served
    assert served["gunicorn"]["venv"].startswith("/srv/example/"), served


def test_a_rotated_secret_key_keeps_what_the_old_one_signed(name, good_deploy):
    unsigned = good_deploy["unsigned"][name]
    assert unsigned.rc == 0, unsigned.stderr
    assert unsigned.stdout.split()[-5:] == ["signed", "before", "the", "rotation", good_deploy["key_hash"]], \
        "the old key's signature did not hold, or the live release does not run the new key"


def test_after_the_switch_one_generation_runs_in_as_much_memory(name, good_deploy):
    before, after = good_deploy["before"][name], good_deploy["state"][name]
    assert len(after["slots"]) == len(before["slots"]) <= 1, (before["slots"], after["slots"])
    assert after["gunicorn_processes"] == before["gunicorn_processes"], (before, after)
    assert after["rss_kb"] < 1.25 * before["rss_kb"], (before["rss_kb"], after["rss_kb"])


def test_the_release_keeps_a_private_snapshot_of_the_database_before_its_migrations(host, name, good_deploy):
    snapshot = host.file(f"/srv/example/releases/{good_deploy['state'][name]['live']}"
                         "/.djangostack-db-before-migrate.dump")
    assert (snapshot.user, snapshot.mode) == ("root", 0o600)
    listed = host.run(f"pg_restore --list {snapshot.path}")
    assert listed.rc == 0 and "TABLE DATA public pages_greeting" in listed.stdout, listed


def test_manage_runs_a_command_as_the_app_user_and_shows_its_output(name, rollback):
    managed = rollback["managed"]
    assert managed.rc == 0, managed
    assert managed.recap[name]["failed"] == 0, managed
    # What the command printed (not the command line, which has the text in lower case).
    assert MARK.upper() in managed.output, managed
    assert rollback["before"][name]["greetings"] == "1"


def test_rollback_goes_back_by_name_and_restores_the_snapshot_without_a_failed_request(name, rollback):
    result, requests, _seconds = rollback["runs"][name]
    assert result.rc == 0, result
    assert_served_throughout(requests[name], [OLD, NEW])
    assert requests[name]["fast"][-1].heading == OLD, summary(requests[name]["fast"])
    before, after = rollback["before"][name], rollback["state"][name]
    # Code, virtualenv and environment of the release before: no six, no DEPLOY_NOTE.
    served = rollback["served"][name]
    assert served["manage"].startswith("rc=") and served.get("gunicorn", {}).get("note", "-") == "-", served
    # And its Python (the third edition ran on another one on the gunicorn host).
    assert served["python"] == served["system_python"], served
    assert len(after["slots"]) == len(before["slots"]) and after["gunicorn_processes"] == before["gunicorn_processes"]
    earlier = [release for release in before["releases"] if release < before["live"]]
    assert after["live"] == earlier[-1], "not the release before the live one"
    assert after["greetings"] == "0", "the greeting added after the deploy is still there"


def test_rollback_to_a_release_that_does_not_exist_changes_nothing(name, rollback):
    del rollback
    result = run_playbook(PLAYBOOKS + "rollback.yml", {"django_apps": git_source_apps(), "rollback_app": "example",
                                                       "rollback_release": "20000101T000000Z"}, limit=name)
    assert result.rc != 0
    assert "example: no release 20000101T000000Z (there are " in " ".join(result.output.split()), result
    assert result.recap[name]["changed"] == 0, result


DATA = f"{MANAGE} dumpdata pages.greeting pages.upload --indent 1 | sha256sum"


def first_app_server():
    return inventory()["appservers"]["hosts"][0]


MEDIA = "/srv/example/shared/media/uploads/kept-by-the-backup.txt"


@pytest.fixture(name="backup_restore", scope="module")
def fixture_backup_restore(rollback):
    """backup.yml, then every greeting and a media file destroyed, then restore.yml, on the first app server."""
    del rollback
    first = first_app_server()
    node = hosts()[first]
    node.check_output(f"runuser -u example -- sh -c 'mkdir -p {Path(MEDIA).parent} && echo before > {MEDIA}'")
    found = {"first": first, "before": node.check_output(DATA)}
    dest = Path(tempfile.mkdtemp(prefix="djangostack-backups-"))
    found["backup"] = run_playbook(PLAYBOOKS + "backup.yml", {"django_apps": git_source_apps(), "backup_dest": str(dest)})
    found["backups"] = {path.name: sorted(item.name for item in path.iterdir())
                        for path in (dest / "example").iterdir()} if (dest / "example").is_dir() else {}
    found["modes"] = [item.stat().st_mode & 0o777 for item in dest.rglob("*")]
    node.check_output(f"{MANAGE} shell -c 'from pages.models import Greeting; Greeting.objects.all().delete()'")
    node.check_output(f"rm {MEDIA}")
    found["destroyed"] = node.check_output(DATA)
    # A backup while the database is down fails with one line and keeps the one before.
    on_host = "/var/backups/djangostack/example"
    found["kept_before"] = node.check_output(f"ls {on_host}")
    node.check_output("systemctl stop postgresql")
    try:
        found["failed_backup"] = run_playbook(PLAYBOOKS + "backup.yml",
                                              {"django_apps": git_source_apps(), "backup_dest": str(dest)}, limit=first)
        found["kept_after"] = node.check_output(f"ls {on_host}")
    finally:
        node.check_output("systemctl start postgresql && until pg_isready -q -h 127.0.0.1; do sleep 0.5; done")
    # A backup whose media archive was cut short (its checksums made for it, as a backup taken
    # before backups were verified could be): refused before anything changes.
    made = dest / "example" / sorted(found["backups"])[-1]
    broken = dest / "example" / "20000101T000000Z"
    shutil.copytree(made, broken)
    archive = (broken / "media.tar.gz").read_bytes()
    (broken / "media.tar.gz").write_bytes(archive[:len(archive) // 2])
    sums = subprocess.run(["sha256sum", "database.dump", "media.tar.gz"], cwd=broken, capture_output=True,
                          text=True, check=True).stdout
    (broken / "SHA256SUMS").write_text(sums)
    found["broken_restore"] = run_playbook(PLAYBOOKS + "restore.yml", {"django_apps": git_source_apps(),
                                                                       "restore_src": str(dest), "restore_backup": broken.name},
                                           limit=first)
    found["after_broken"] = node.check_output(DATA)
    found["restore"] = run_playbook(PLAYBOOKS + "restore.yml", {"django_apps": git_source_apps(), "restore_src": str(dest),
                                                                "restore_backup": sorted(found["backups"])[-1]},
                                    limit=first)
    found["after"] = node.check_output(DATA)
    found["media"] = (node.file(MEDIA).content_string, node.file(MEDIA).user) if node.file(MEDIA).exists else None
    return found


def test_backup_and_restore_bring_the_data_back_byte_identical(host, name, backup_restore):
    found = backup_restore
    if name != found["first"]:
        # backup.yml runs on the first app server only.
        assert not host.file("/var/backups/djangostack/example").exists
        return
    assert found["backup"].rc == 0, found["backup"]
    assert list(found["backups"].values()) == [["SHA256SUMS", "backup.json", "database.dump", "media.tar.gz"]], \
        found["backups"]
    assert found["modes"] and all(mode & 0o077 == 0 for mode in found["modes"]), "a backup file is readable by others"
    # What the verified backup holds, as its run said.
    name_made = sorted(found["backups"])[-1]
    summary_line = re.search(rf"example: backup {name_made} on {name}: database [^(]+\((\d+) objects in the dump\), "
                             r"media (\d+) files", " ".join(found["backup"].output.split()))
    assert summary_line and int(summary_line[1]) > 10 and int(summary_line[2]) >= 1, found["backup"]
    # The backup while the database was down: one line, nothing kept of it, the one before untouched.
    failed = found["failed_backup"]
    assert failed.rc != 0 and failed.recap[name]["failed"] == 1, failed
    assert re.search(r"example: the backup \S+ failed and was removed \(the earlier backups are kept\): \S",
                     " ".join(failed.output.split())), failed
    assert found["kept_after"] == found["kept_before"] == name_made, (found["kept_before"], found["kept_after"])
    assert found["destroyed"] != found["before"]
    broken = found["broken_restore"]
    assert broken.rc != 0 and "example: backup 20000101T000000Z cannot be restored, nothing was changed: " in \
        " ".join(broken.output.split()), broken
    assert found["after_broken"] == found["destroyed"], "a backup that cannot be restored changed the data"
    assert found["restore"].rc == 0, found["restore"]
    # The database as it was before the restore, kept and named.
    safety = re.search(r"example: the database as it was before this restore is in (\S+\.dump) on ",
                       " ".join(found["restore"].output.split()))
    assert safety, found["restore"]
    kept = host.file(safety[1])
    assert kept.exists and (kept.user, kept.mode) == ("root", 0o600) and kept.size > 0
    assert found["after"] == found["before"]
    assert found["media"] == ("before\n", "example")
    on_host = host.file(f"/var/backups/djangostack/example/{sorted(found['backups'])[-1]}/database.dump")
    assert (on_host.user, on_host.mode) == ("root", 0o600)


def example_processes(host, server):
    worker = int(host.check_output("supervisorctl pid example-worker"))
    if server == "mod_wsgi":
        return sorted(pid for pid, _user, _threads in daemon_processes(host)) + [worker]
    return [gunicorn_master(host), worker]


# The host of the removal tests: the example runs under mod_wsgi there, the projects
# next to it under gunicorn, so that both servers see a neighbour come and go (once is
# enough: it takes new releases and a removal, minutes on both hosts).
REMOVAL_HOST = "trixie"
PROJECTS = Path(__file__).resolve().parent.parent / "files" / "projects"
OLD_PYTHON_HOME = "/opt/djangostack-test-python3.10"


def foreign_apps(old_python=True):
    """Two projects that are not the example, declared as their users would, with inventory only
    (and, for the tutorial, the settings override a tutorial project needs for production):

    - mysite: `django-admin startproject` of Django 5.1 with a tutorial's edits (a home page, a
      template and a stylesheet in static/, STATIC_ROOT = BASE_DIR / "staticfiles", the key
      read from DJANGO_SECRET_KEY), nothing but Django in its requirements: the stack adds
      gunicorn, the PostgreSQL driver and the memcached client; its production settings read
      the database and the cache under names of their own (env `from`).
    - shop: a Django 4.2 project whose runtime.txt asks for Python 3.10, with its own pins of
      gunicorn and psycopg2-binary (the stack adds nothing), DEBUG read from DJANGO_DEBUG as
      "1" (env `map`), no cache. Without a Python 3.10 to give the host, the inventory's
      `python: python3` overrides runtime.txt.
    """
    derived = {"DJANGO_SECRET_KEY": "SECRET_KEY", "DJANGO_ALLOWED_HOSTS": "ALLOWED_HOSTS",
               "POSTGRES_DB": "DATABASE_NAME", "POSTGRES_USER": "DATABASE_USER",
               "POSTGRES_PASSWORD": "DATABASE_PASSWORD", "POSTGRES_HOST": "DATABASE_HOST",
               "POSTGRES_PORT": "DATABASE_PORT", "MEMCACHED_SERVERS": "CACHE_LOCATION"}
    return [
        {"name": "mysite", "domains": ["tutorial.test"], "server": "gunicorn",
         "source": {"type": "local", "path": str(PROJECTS / "tutorial")},
         "settings_module": "mysite.production",
         "settings_template": {"src": str(PROJECTS / "tutorial-production.py"), "dest": "mysite/production.py"},
         "env": {name: {"from": source} for name, source in derived.items()}},
        {"name": "shop", "domains": ["legacy.test"], "server": "gunicorn", "cache": False,
         "source": {"type": "local", "path": str(PROJECTS / "legacy")},
         "env": {"DJANGO_DEBUG": {"from": "DEBUG", "map": {"True": "1", "False": "0"}}},
         **({} if old_python else {"python": "python3"})},
    ]


VENV_PACKAGES = ("import json, importlib.metadata as m; print(json.dumps({d.metadata['Name'].lower(): d.version "
                 "for d in m.distributions()}))")


@pytest.fixture(name="removal", scope="module")
def fixture_removal(backup_restore):
    """The two foreign projects next to the example and a new database password for the
    example (site.yml), then remove.yml of one of them, on REMOVAL_HOST.

    Few clients per host: mod_wsgi restarts a daemon process after its maximum-requests,
    which would change the process ids this compares across remove.yml.
    """
    del backup_restore
    old_python = install_python(REMOVAL_HOST, OLD_PYTHON, OLD_PYTHON_HOME, link=True)
    # Declared in the inventory (not with -e, which remove.yml could not override).
    # And a new database password for the example (given now; it was generated on the host):
    # a new release, whose processes take over while the running ones keep connecting.
    live_example = example_apps("template")
    password = secrets.token_urlsafe(24)
    live_example[0]["database"] = {**live_example[0].get("database", {}), "password": password}
    apps = live_example + foreign_apps(old_python)
    added = under_load("site.yml", host_vars={"django_apps": apps}, clients=2, interval=0.2, limit=REMOVAL_HOST,
                       label="site.yml: two foreign projects, and a new database password for the example")
    record_time(f"site.yml: two foreign projects and a new database password, on {REMOVAL_HOST}", added[2])
    assert added[0].rc == 0, added[0]
    assert password not in added[0].output, "the database password was logged"
    found = {"added": added, "old_python": old_python, "pages": {}, "static": {}, "packages": {},
             "before": {}, "after": {}, "login": {}, "apps": apps}
    node = hosts()[REMOVAL_HOST]
    for domain, path in (("tutorial.test", "/"), ("legacy.test", "/"), ("tutorial.test", "/static/css/site.css")):
        found["pages"][domain + path] = node.run(
            f"curl -sk -D - --max-time 20 --resolve {domain}:443:127.0.0.1 https://{domain}{path}").stdout
    for app in ("mysite", "shop"):
        # As it is now: testinfra reads a file when asked, and shop is removed below.
        static = node.file(f"/srv/{app}/current/.static")
        found["static"][app] = {"link": static.linked_to if static.is_symlink else None,
                                "directory": static.is_directory}
        found["packages"][app] = json.loads(node.check_output(
            f"runuser -u {app} -- /srv/{app}/current/venv/bin/python -c {shlex.quote(VENV_PACKAGES)}"))
    found["before"][REMOVAL_HOST] = example_processes(node, "mod_wsgi")
    found["login"][REMOVAL_HOST] = node.run(f"{MANAGE} shell -c {shlex.quote(SESSION_USER)}").stdout.split()[-1:]
    found["run"] = under_load("remove.yml", {"remove_app": "shop", "remove_database": True}, limit=REMOVAL_HOST,
                              host_vars={"django_apps": apps}, clients=1, slow=False, interval=0.2)
    record_time(f"remove.yml of one of three apps, on {REMOVAL_HOST}", found["run"][2])
    found["after"][REMOVAL_HOST] = example_processes(node, "mod_wsgi")
    return found


SESSION_USER = ("from django.db import connection; cursor = connection.cursor(); "
                "cursor.execute('select session_user'); print(cursor.fetchone()[0])")


def test_a_new_database_password_fails_no_request(name, removal):
    """The postgresql role gives it to the user's second login role: the release that served
    kept connecting with the password before until the new one took over."""
    if name != REMOVAL_HOST:
        pytest.skip(f"the removal tests run on {REMOVAL_HOST}")
    _result, requests, _seconds = removal["added"]
    assert_served_throughout(requests[name], [OLD])
    assert removal["login"][name] == ["example_alt"], removal["login"][name]


def response(raw):
    """curl -D - output: (status, lower-case headers, body)."""
    head, _sep, body = raw.replace("\r\n", "\n").partition("\n\n")
    lines = head.split("\n")
    status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else 0
    fields = [line.split(":", 1) for line in lines[1:] if ":" in line]
    return status, {key.strip().lower(): value.strip() for key, value in fields}, body


def test_projects_written_by_others_serve_over_https_with_their_static_files_from_nginx(host, name, removal):
    if name != REMOVAL_HOST:
        pytest.skip(f"the foreign projects run on {REMOVAL_HOST}")
    pages = removal["pages"]
    status, _headers, body = response(pages["tutorial.test/"])
    python = host.check_output("python3 -c 'import platform; print(platform.python_version())'")
    assert status == 200 and "My tutorial site" in body, pages["tutorial.test/"]
    # The database and memcached answer, through the names its settings read.
    assert re.search(r"0 users, visit [1-9][0-9]*, Python " + re.escape(python), body), body
    status, headers, body = response(pages["tutorial.test/static/css/site.css"])
    # Django does not serve static files with DEBUG off: nginx does.
    assert status == 200 and "public" in headers.get("cache-control", ""), pages["tutorial.test/static/css/site.css"]
    # The project's own STATIC_ROOT (BASE_DIR / "staticfiles"), where nginx serves the release's .static.
    link = removal["static"]["mysite"]["link"]
    assert link and link.endswith("/staticfiles"), removal["static"]
    assert body == host.file(link + "/css/site.css").content_string
    assert host.file(link + "/admin/css/base.css").exists
    status, _headers, body = response(pages["legacy.test/"])
    assert status == 200 and "shop: 0 users, Django 4.2.30, Python " in body, pages["legacy.test/"]
    if removal["old_python"]:
        assert "Python 3.10." in body, body
    # shop reads STATIC_ROOT from its environment: collectstatic filled the .static directory itself.
    assert removal["static"]["shop"] == {"link": None, "directory": True}, removal["static"]


def test_the_stack_adds_what_it_needs_to_a_project_and_leaves_the_projects_own_pins(name, removal):
    if name != REMOVAL_HOST:
        pytest.skip(f"the foreign projects run on {REMOVAL_HOST}")
    mysite, shop = removal["packages"]["mysite"], removal["packages"]["shop"]
    assert mysite["django"] == "5.1.15", mysite
    assert {"gunicorn", "psycopg", "pymemcache"} <= set(mysite), mysite
    assert (shop["django"], shop["gunicorn"], shop["psycopg2-binary"]) == ("4.2.30", "22.0.0", "2.9.9"), shop
    assert not {"psycopg", "pymemcache"} & set(shop), shop


def test_remove_takes_one_app_away_and_leaves_the_others_running(host, name, removal):
    if name != REMOVAL_HOST:
        pytest.skip(f"the removal tests run on {REMOVAL_HOST}")
    removed, requests, _seconds = removal["run"]
    assert removed.rc == 0, removed
    assert_served_throughout(requests[name], [OLD])
    assert removal["after"][name] == removal["before"][name], "the example's processes were restarted"
    for path in ("/srv/shop", "/etc/shop", "/usr/local/bin/shop-manage", "/etc/nginx/sites-enabled/shop.conf"):
        assert not host.file(path).exists, path
    assert not host.user("shop").exists
    databases = host.check_output("runuser -u postgres -- psql -tAc 'select datname from pg_database'")
    assert "shop" not in databases.split(), databases
    assert "shop" not in host.check_output("supervisorctl status")
    assert host.run("curl -sk -o /dev/null -w '%{http_code}' --resolve tutorial.test:443:127.0.0.1 "
                    "https://tutorial.test/").stdout == "200", "the other project stopped serving"
    # The database was dropped only after a verified backup of the app, which stays.
    sums = host.run("ls /var/backups/djangostack/shop/*/SHA256SUMS").stdout.split()
    assert len(sums) == 1, sums
    assert host.run(f"cd {shlex.quote(str(Path(sums[0]).parent))} && sha256sum --check --quiet SHA256SUMS && "
                    "pg_restore --list database.dump | grep -q 'TABLE DATA public auth_user'").rc == 0


@pytest.fixture(name="checked", scope="module")
def fixture_checked(removal):
    """check.yml on the stack, for real and in --check mode."""
    del removal
    return [run_playbook(PLAYBOOKS + "check.yml", {"django_apps": git_source_apps()}, check=check)
            for check in (False, True)]


def test_check_reports_a_healthy_stack_and_changes_nothing(name, checked):
    for result in checked:
        assert result.rc == 0, result
        assert result.recap[name]["changed"] == 0, result
        output = " ".join(result.output.split())
        assert "example: " in output and "; fine" in output, result
        assert f"{DOMAIN}: HTTP/1.1 200 OK, certificate valid" in output, result


@pytest.fixture(name="interrupted", scope="module")
def fixture_interrupted(removal, checked):
    """deploy.yml of a new release (a changed env value) on REMOVAL_HOST (mod_wsgi), killed with its
    process group (SIGKILL, as a lost terminal would) once `current` names the new release, then
    deploy.yml again."""
    del checked
    node = hosts()[REMOVAL_HOST]
    apps = [dict(app) for app in removal["apps"] if app["name"] == "example"]
    apps[0]["env"] = {**apps[0].get("env", {}), "DEPLOY_NOTE": "interrupted"}
    before = node.file("/srv/example/current").linked_to
    proc = start_playbook(PLAYBOOKS + "deploy.yml", {"django_apps": apps}, limit=REMOVAL_HOST)
    deadline = time.monotonic() + 600
    while node.file("/srv/example/current").linked_to == before and proc.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    found = {"killed": proc.communicate()[0], "after": node.file("/srv/example/current").linked_to,
             "pending": node.file("/srv/example/.reload-pending").exists,
             "lock": node.file("/run/lock/djangostack/example.lock").exists,
             "switched": int(node.check_output("stat -c %Y /srv/example/current"))}
    found["rerun"] = run_playbook(PLAYBOOKS + "deploy.yml", {"django_apps": apps}, limit=REMOVAL_HOST)
    now = int(node.check_output("date +%s"))
    found["started"] = [now - int(node.check_output(f"ps -o etimes= -p {pid}")) for pid in example_processes(
        node, "mod_wsgi")]
    found["pending_after"] = node.file("/srv/example/.reload-pending").exists
    return found


def test_a_deploy_killed_between_the_switch_and_the_restart_converges_on_the_next_run(name, interrupted):
    if name != REMOVAL_HOST:
        pytest.skip(f"the interrupted deploy runs on {REMOVAL_HOST}")
    found = interrupted
    assert found["after"] != "" and found["pending"], f"not killed between the switch and the restart: {found}"
    assert found["lock"], "the killed run left no lock"
    rerun = found["rerun"]
    assert rerun.rc == 0, rerun
    output = " ".join(rerun.output.split())
    assert f"example: took over the lock on {REMOVAL_HOST} left by deploy.yml" in output, rerun
    # Every daemon process and the worker started after the switch: they run the new release.
    assert found["started"] and min(found["started"]) >= found["switched"], found
    assert not found["pending_after"]
