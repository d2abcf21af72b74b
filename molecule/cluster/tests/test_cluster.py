"""What a user of a tiered inventory notices: one web server, two app servers, one data host.

playbooks/site.yml has run once on fresh hosts (converge) and again with nothing
to change (idempotence). The tests look at the tier from outside (this
controller, which is no host of the stack) and from its hosts; then new commits
roll through the app servers with deploy.yml, and rollback.yml takes them back,
while several clients keep requesting the site through the web server. The
repository the app servers deploy from is in /srv/git, which both see.
"""

import functools
import os
import re
import shlex
import socket
import time
import uuid
from pathlib import Path

import pytest
import testinfra
import yaml

import web
from load import Load, failures, request, summary
from playbooks import assert_refused, inventory, run_playbook

DOMAIN = "example.test"
PLAYBOOKS = "../../playbooks/"
GIT_REPO = "../site/git_repo.yml"
REPO = "/srv/git/example-repo"
MANAGE = "/usr/local/bin/example-manage"
FIRST = "djangostack example"
SECOND = "djangostack example, second edition"
CURL = f"curl -sk --max-time 20 --resolve {DOMAIN}:443:127.0.0.1"
APP_SERVERS = ("app1", "app2")
RELEASES = {"web1": "13", "app1": "12", "app2": "13", "data1": "12"}
# Concurrent clients during a playbook, each waiting this long between requests.
CLIENTS = 3
INTERVAL = 0.1


@functools.lru_cache(maxsize=None)
def addresses():
    """Each host's address, as the controller and the other hosts reach it."""
    return {name: variables["ansible_host"] for name, variables in inventory()["_meta"]["hostvars"].items()}


@functools.lru_cache(maxsize=None)
def node(name):
    """A host of the scenario, as testinfra reaches it."""
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")


def get(path, *options):
    """A request to the web server, made on it: web.Response."""
    return web.get(node("web1"), CURL, f"https://{DOMAIN}{path}", *(shlex.quote(option) for option in options))


def reachable_from_controller(name, port, timeout=3):
    try:
        socket.create_connection((addresses()[name], port), timeout=timeout).close()
    except OSError:
        return False
    return True


def reachable_from(source, name, port):
    """Whether a TCP connection from host `source` to host `name` on `port` is accepted."""
    probe = node(source).run(f"timeout 4 bash -c '</dev/tcp/{addresses()[name]}/{port}'")
    return probe.rc == 0


def live_release(name):
    return Path(node(name).file("/srv/example/current").linked_to).name


def releases(name):
    return sorted(node(name).file("/srv/example/releases").listdir())


def state():
    """The releases and the live release of the app servers and of the web server, the app servers' virtualenv."""
    found = {name: {"releases": releases(name), "live": live_release(name)} for name in APP_SERVERS + ("web1",)}
    for name in APP_SERVERS:
        found[name]["venv"] = node(name).file("/srv/example/current/venv").linked_to
    return found


def manage_shell(code):
    """Python run by `manage.py shell` on app1, in the live release: its last line of output."""
    out = node("app1").run(f"{MANAGE} shell -c {shlex.quote(code)}")
    assert out.rc == 0, out.stdout + out.stderr
    return out.stdout.strip().splitlines()[-1]


def under_load(playbook, extra_vars=None):
    """The playbook while CLIENTS clients request the home page through the web server.

    Returns (result, [load.Result], seconds); every client is bounded in count and time.
    """
    loads = [Load(addresses()["web1"], DOMAIN, interval=INTERVAL, limit=20000, max_seconds=900).start()
             for _client in range(CLIENTS)]
    started = time.monotonic()
    try:
        result = run_playbook(PLAYBOOKS + playbook, extra_vars)
    finally:
        seconds = time.monotonic() - started
        results = [result for load in loads for result in load.stop()]
    return result, results, seconds


def git_apps(version):
    """The example inventory's django_apps, from the repository the app servers share."""
    repo = Path(os.environ["MOLECULE_PROJECT_DIRECTORY"]) / "examples/inventory/group_vars/all.yml"
    apps = yaml.safe_load(repo.read_text())["django_apps"]
    apps[0]["source"] = {"type": "git", "repo": REPO, "version": version}
    return apps


def task_statuses(output, task):
    """For each run of the task named `task`: the status lines (e.g. 'changed: [app1]')."""
    sections = re.split(r"^TASK \[", output, flags=re.M)
    return [re.findall(r"^(ok|changed|skipping|failed|fatal): \[([^\]]+)\]", section, re.M)
            for section in sections if section.split("]", 1)[0].endswith(task)]


# ---------------------------------------------------------------- the hosts

def test_each_host_runs_its_debian_release_under_systemd_with_sshd():
    for name, release in RELEASES.items():
        host = node(name)
        assert host.system_info.release.split(".")[0] == release, name
        assert host.check_output("ps -o comm= -p 1") == "systemd", name
        assert host.service("ssh").is_enabled and host.service("ssh").is_running, name


def test_the_hosts_reach_each_other_by_name_and_the_debian_archive():
    assert node("app1").run("ping -c 1 -W 2 data1").rc == 0
    codename = node("web1").system_info.codename
    release = node("web1").run(f"curl -fsS --max-time 30 http://deb.debian.org/debian/dists/{codename}/Release")
    assert f"Codename: {codename}" in release.stdout, release.stderr


# ---------------------------------------------------------------- through the web server

def test_the_home_page_through_the_web_server_comes_from_the_database():
    response = get("/")
    assert response.status == 200, response.body[:500]
    assert "Hello from PostgreSQL" in response.body
    assert f"<h1>{FIRST}</h1>" in response.body
    from_outside = request(addresses()["web1"], DOMAIN)
    assert from_outside.status == 200, from_outside


def test_both_app_servers_run_the_app_behind_the_web_server():
    for name in APP_SERVERS:
        # One gunicorn slot serves, behind the socket link; the app server's own address
        # is a systemd socket that forwards to it.
        slots = [line for line in node(name).run("supervisorctl status").stdout.splitlines()
                 if line.startswith(("example-blue ", "example-green "))]
        assert len(slots) == 1 and " RUNNING " in slots[0], (name, slots)
        assert node(name).file("/srv/example/run/gunicorn.sock").linked_to.endswith(
            "/gunicorn-%s.sock" % slots[0].split()[0].split("-")[1]), name
        assert node(name).socket(f"tcp://{addresses()[name]}:8000").is_listening, name
        assert node(name).socket("tcp://0.0.0.0:8000").is_listening is False
    upstream = node("web1").file("/etc/nginx/sites-available/example.conf").content_string
    for name in APP_SERVERS:
        assert f"server {addresses()[name]}:8000" in upstream


def test_static_files_reach_the_web_server_and_are_served_with_cache_headers():
    response = get("/static/pages/site.css")
    assert response.status == 200
    assert response.body == node("app1").file("/srv/example/current/.static/pages/site.css").content_string
    assert any("public" in value for value in web.header(response.headers, "cache-control")), response.headers
    assert web.header(response.headers, "expires"), response.headers
    # The same release, by name, on the web server as on the app servers.
    assert live_release("web1") == live_release("app1") == live_release("app2")


def test_the_app_user_has_the_same_ids_on_both_app_servers():
    ids = {name: node(name).check_output("id example") for name in APP_SERVERS}
    assert ids["app1"] == ids["app2"], ids


SIGNED = "from django.core import signing; print(signing.dumps('signed on app1'))"


def test_what_one_app_server_signs_holds_on_the_other():
    """One SECRET_KEY for the tier: a value signed on app1 (a session, a reset link) is valid on app2."""
    token = node("app1").check_output(f"{MANAGE} shell -c {shlex.quote(SIGNED)}").strip().splitlines()[-1]
    check = f"from django.core import signing; print(signing.loads({token!r}))"
    assert node("app2").check_output(f"{MANAGE} shell -c {shlex.quote(check)}").strip().endswith("signed on app1")
    keys = {name: node(name).file("/etc/example/secret_key") for name in APP_SERVERS}
    assert all((key.user, key.mode) == ("root", 0o600) for key in keys.values())


def test_uploads_through_the_web_tier_are_one_store_served_back_by_the_web_server():
    jar = f"/tmp/cookies-{uuid.uuid4().hex}"
    web1 = node("web1")
    get("/", "-c", jar)
    token = web1.run(f"awk '$6 == \"csrftoken\" {{print $7}}' {jar}").stdout.strip()
    assert token, web1.file(jar).content_string
    uploads = {}
    for _upload in range(6):  # round-robin: both app servers take some
        name = f"upload-{uuid.uuid4().hex[:8]}.txt"
        uploads[name] = f"uploaded {uuid.uuid4().hex}"
        web1.run(f"printf %s {shlex.quote(uploads[name])} > /tmp/{name}")
        posted = get("/upload/", "-b", jar, "-H", f"X-CSRFToken: {token}", "-H", f"Referer: https://{DOMAIN}/",
                     "-F", f"file=@/tmp/{name}")
        assert posted.status in (302, 303), posted.body[:500]
    for name, content in uploads.items():
        for _read in range(3):
            response = get(f"/media/uploads/{name}")
            assert response.status == 200, name
            assert response.body == content
    for server in APP_SERVERS:
        log = node(server).file("/srv/example/shared/log/gunicorn-access.log").content_string
        assert "POST /upload/" in log, f"no upload reached {server}"
        stored = node(server).file("/srv/example/shared/media/uploads")
        assert set(uploads) <= set(stored.listdir()), server


# ---------------------------------------------------------------- the firewall

def test_from_outside_the_stack_only_ssh_and_the_web_server_answer():
    for name in RELEASES:
        assert reachable_from_controller(name, 22), name
    assert reachable_from_controller("web1", 443)
    assert reachable_from_controller("web1", 80)
    for name, port in (("app1", 8000), ("app2", 8000), ("data1", 5432), ("data1", 11211)):
        assert not reachable_from_controller(name, port), f"{name}:{port} answers the controller"


def test_each_tier_reaches_only_the_next_one():
    for name in APP_SERVERS:
        assert reachable_from("web1", name, 8000), f"web1 cannot reach {name}:8000"
        assert reachable_from(name, "data1", 5432), f"{name} cannot reach PostgreSQL"
        assert reachable_from(name, "data1", 11211), f"{name} cannot reach memcached"
    assert not reachable_from("web1", "data1", 5432)
    assert not reachable_from("web1", "data1", 11211)
    assert not reachable_from("data1", "app1", 8000)


def test_every_host_has_the_stacks_own_nftables_table():
    for name in RELEASES:
        table = node(name).run("nft list table inet djangostack")
        assert table.rc == 0, (name, table.stderr)
        assert "policy drop" in table.stdout, name


def test_an_app_server_whose_pg_dump_is_older_than_the_database_server_is_refused_first():
    result = run_playbook(PLAYBOOKS + "site.yml", host_vars={"postgresql_version": "17"})
    assert_refused(result, "app1", "django_app_snapshot: pg_dump on app1 (PostgreSQL 15, Debian's own) cannot dump "
                                   "the PostgreSQL 17 server on data1")
    assert all(host["changed"] == 0 for host in result.recap.values()), result.recap


# ---------------------------------------------------------------- rolling deploys

@pytest.fixture(name="repository", scope="module")
def fixture_repository():
    """The example's code as a git repository in /srv/git: the converged release, a new heading, then a
    migration and a new requirement."""
    node("app1").run(f"rm -rf {REPO}")
    # deploy.yml installs no package: git, which site.yml installs for a git source.
    installed = node("app2").run("DEBIAN_FRONTEND=noninteractive apt-get install -y -q git")
    assert installed.rc == 0, installed.stderr
    for change in ("none", "template", "greeting_migration"):
        made = run_playbook(GIT_REPO, {"repo": REPO, "change": change, "probe": False}, limit="app1")
        assert made.rc == 0, made
    return REPO


@pytest.fixture(name="rolled_out", scope="module")
def fixture_rolled_out(repository):
    """deploy.yml of the commit with a new heading, a migration and a new requirement, one app server at a time."""
    del repository
    before = state()
    result, results, seconds = under_load("deploy.yml", {"django_apps": git_apps("greeting_migration")})
    return {"result": result, "requests": results, "seconds": seconds, "before": before, "state": state(),
            "last": request(addresses()["web1"], DOMAIN)}


def test_a_rolling_deploy_drops_no_request_and_ends_on_the_new_release(rolled_out):
    assert rolled_out["result"].rc == 0, rolled_out["result"]
    requests = rolled_out["requests"]
    assert len(requests) >= 50, summary(requests)
    assert not failures(requests), summary(requests)
    assert {r.heading for r in requests} <= {FIRST, SECOND}, summary(requests)
    # Once deploy.yml has returned, every client gets the new release.
    assert rolled_out["last"].heading == SECOND, rolled_out["last"]
    after = rolled_out["state"]
    # A new requirement: each app server runs the release in a new virtualenv.
    for name in APP_SERVERS:
        assert after[name]["venv"] != rolled_out["before"][name]["venv"], name
    new = after["app1"]["live"]
    assert new not in rolled_out["before"]["app1"]["releases"]
    assert after["app2"]["live"] == new and after["web1"]["live"] == new, after


def test_the_migrations_of_a_release_run_once_on_the_first_app_server(rolled_out):
    output = rolled_out["result"].output
    runs = task_statuses(output, "Migrate the database")
    assert runs, output[-3000:]
    statuses = [status for run in runs for status in run]
    assert ("changed", "app1") in statuses, runs
    assert all(status == "skipping" for status, name in statuses if name == "app2"), runs
    assert manage_shell("from pages.models import Greeting; "
                        "print(Greeting.objects.filter(text='Hello from a migration').count())") == "1"
    assert manage_shell("from django.db.migrations.recorder import MigrationRecorder as M; "
                        "print(M.Migration.objects.filter(app='pages', name='0003_migration_greeting').count())") == "1"
    release = rolled_out["state"]["app1"]["live"]
    snapshot = f"/srv/example/releases/{release}/.djangostack-db-before-migrate.dump"
    assert node("app1").file(snapshot).exists
    assert not node("app2").file(snapshot).exists


@pytest.fixture(name="failed_rollout", scope="module")
def fixture_failed_rollout(rolled_out):
    """deploy.yml of a commit whose migration fails (on the first app server)."""
    del rolled_out
    made = run_playbook(GIT_REPO, {"repo": REPO, "change": "failing_migration", "base": "template",
                                   "probe": False}, limit="app1")
    assert made.rc == 0, made
    before = state()
    result, results, _seconds = under_load("deploy.yml", {"django_apps": git_apps("failing_migration")})
    return {"result": result, "requests": results, "before": before, "state": state()}


def test_a_release_whose_migration_fails_stops_the_rollout_before_the_second_app_server(failed_rollout):
    result = failed_rollout["result"]
    assert result.rc != 0, result
    assert "this migration fails on purpose" in result.output, result
    assert failed_rollout["state"] == failed_rollout["before"], "a host changed its releases"
    assert "app2" not in result.recap or result.recap["app2"]["changed"] == 0, result.recap
    requests = failed_rollout["requests"]
    assert not failures(requests), summary(requests)
    assert {r.heading for r in requests} == {SECOND}, summary(requests)


def test_the_snapshot_before_the_failed_migrations_is_kept_and_named_with_its_restore_command(failed_rollout):
    """Django commits each migration on its own: the database may hold some of the failed
    release's; the snapshot taken before them outlives the removed release."""
    output = " ".join(failed_rollout["result"].output.split())
    found = re.search(r"the snapshot taken before them is (/srv/example/snapshots/\S+-before-migrate\.dump) on app1, "
                      r"restore it with: /usr/local/bin/example-manage --python \S+ restore < (\S+)", output)
    assert found, failed_rollout["result"]
    assert found.group(1) == found.group(2)
    snapshot = node("app1").file(found.group(1))
    assert snapshot.user == "root" and snapshot.mode == 0o600
    listing = node("app1").run(f"pg_restore --list {shlex.quote(found.group(1))}")
    assert listing.rc == 0 and "TABLE DATA public pages_greeting" in listing.stdout, listing.stderr


@pytest.fixture(name="rolled_back", scope="module")
def fixture_rolled_back(failed_rollout):
    """rollback.yml across the tier."""
    before = failed_rollout["state"]
    result, results, seconds = under_load("rollback.yml", {"django_apps": git_apps("greeting_migration")})
    return {"result": result, "requests": results, "seconds": seconds, "before": before, "state": state(),
            "last": request(addresses()["web1"], DOMAIN)}


def test_a_rollback_takes_every_host_to_the_same_release_without_a_failed_request(rolled_back):
    assert rolled_back["result"].rc == 0, rolled_back["result"]
    before, after = rolled_back["before"], rolled_back["state"]
    target = [name for name in before["app1"]["releases"] if name < before["app1"]["live"]][-1]
    assert {after[name]["live"] for name in after} == {target}, after
    # Back across virtualenvs: the one the target release was built with.
    for name in APP_SERVERS:
        assert after[name]["venv"] != before[name]["venv"], name
    requests = rolled_back["requests"]
    assert not failures(requests), summary(requests)
    assert rolled_back["last"].heading == FIRST, rolled_back["last"]
    # The uploads of the earlier tests outlived a deploy and a rollback.
    uploads = node("app1").file("/srv/example/shared/media/uploads").listdir()
    assert uploads
    for name in uploads[:3]:
        assert get(f"/media/uploads/{name}").status == 200, name
