"""What a user of the apache_mod_wsgi role notices on the host.

converge.yml makes three unix users (alice, bob, carol), each with a copy of a small
Django project in /srv/<user>/current and a virtualenv in it, and serves them with
Apache alone on ports 80 and 443: https://apps.test/django/<user>/, each app in its
own mod_wsgi daemon process group running as its user. Two more apps are left out
with a warning: dave, whose WSGI script does not exist, and erin, whose virtualenv
is of another Python than mod_wsgi's. Requests go from the host itself to
127.0.0.1 with curl --resolve.

Tests run in file order, each on every host (the `node` fixture); the runs that
change the hosts (an app removed, bad input, the "behind nginx" topology, then back
to Apache alone) run once, on all hosts at a time, when the first test needs them.
"""

import os
import re
import shlex
import time
import uuid

import pytest
import testinfra
from testinfra.utils.ansible_runner import AnsibleRunner

from playbooks import assert_refused, run_playbook
from web import get as curl_get, header

INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]
HOSTS = sorted(AnsibleRunner(INVENTORY).get_hosts("all"))
USERS = ["alice", "bob", "carol"]
# processes, threads (converge.yml)
SIZE = {"alice": (2, 15), "bob": (2, 15), "carol": (1, 3)}
RESOLVE = " ".join(f"--resolve {name}:{port}:127.0.0.1"
                   for name in ("apps.test", "www.apps.test", "unknown.test") for port in (80, 443))
CURL = f"curl -sS -k --max-time 10 {RESOLVE}"
CONF = "/etc/apache2/djangostack"


@pytest.fixture(name="node", params=HOSTS)
def fixture_node(request):
    """Each host in turn, test by test (function scope: pytest keeps the file's order)."""
    node = testinfra.get_host(f"ansible://{request.param}", ansible_inventory=INVENTORY)
    node.name = request.param
    return node


def journal(node):
    return node.run("journalctl -u apache2 --no-pager -n 20; tail -n 30 /var/log/apache2/*error.log").stdout


def get(node, url, *options):
    """curl URL on the host: Response(status, headers, body)."""
    return curl_get(node, CURL, url, *options, logs=journal)


def page(node, user, base="https://apps.test", *options):
    """The app's page as a dict (owner, greeting, pid, uid, secure, remote, script_name)."""
    response = get(node, f"{base}/django/{user}/", *options)
    assert response.status == 200, f"{user}: {response}\n{journal(node)}"
    return dict(line.split("=", 1) for line in response.body.splitlines())


def daemons(node):
    """{app: [(pid, user, threads)]} of the mod_wsgi daemon processes."""
    found = {}
    for line in node.check_output("ps -eo pid=,user=,nlwp=,args=").splitlines():
        pid, user, threads, args = line.split(None, 3)
        match = re.match(r"\(wsgi:([^)]+)\)", args)
        if match:
            found.setdefault(match.group(1), []).append((int(pid), user, int(threads)))
    return found


def pids(node, app):
    return sorted(pid for pid, _user, _threads in daemons(node).get(app, []))


def fingerprint(node):
    """sha256 of every file and link target under /etc/apache2, by path."""
    out = node.check_output(
        "cd /etc/apache2 && find . -type f -exec sha256sum {} + && find . -type l -printf '%l  %p\\n'")
    return dict(reversed(line.split("  ", 1)) for line in out.splitlines())


def generations(nodes):
    """How many configurations each Apache has loaded (its error log says so each time)."""
    return {name: int(node.check_output("grep -c 'resuming normal operations' /var/log/apache2/error.log"))
            for name, node in nodes.items()}


def converge(extra_vars):
    """converge.yml on every host at a time; returns once each Apache runs the new
    configuration (a graceful reload goes on for about a second after the run)."""
    nodes = all_nodes()
    before = generations(nodes)
    result = run_playbook("converge.yml", extra_vars)
    deadline = time.time() + 30
    while result.rc == 0 and time.time() < deadline:
        after = generations(nodes)
        if all(after[name] > before[name] for name in nodes):
            break
        time.sleep(0.5)
    return result


def all_nodes():
    return {name: testinfra.get_host(f"ansible://{name}", ansible_inventory=INVENTORY) for name in HOSTS}


def listening(node):
    """The TCP addresses apache2 listens on."""
    return sorted(node.check_output("ss -Hltnp | awk '/\"apache2\"/ {print $4}'").split())


# ---------------------------------------------------------------- Apache alone, four apps


def test_apache_and_mod_wsgi_are_debians_packages_enabled_and_running(node):
    for package in ("apache2", "libapache2-mod-wsgi-py3"):
        assert node.package(package).is_installed
    service = node.service("apache2")
    assert service.is_enabled and service.is_running, journal(node)
    assert node.run("apache2ctl -t").rc == 0, journal(node)
    modules = node.check_output("apache2ctl -M 2>/dev/null")
    for module in ("wsgi_module", "mpm_event_module", "ssl_module", "headers_module", "remoteip_module"):
        assert module in modules
    assert "mpm_prefork_module" not in modules and "mpm_worker_module" not in modules


@pytest.mark.parametrize("user", USERS)
def test_each_app_answers_under_its_prefix_from_a_process_of_its_own_user(node, user):
    app = page(node, user)
    assert app["owner"] == user
    # The generated script read /etc/<user>/env with shell quoting (a # inside quotes).
    assert app["greeting"] == f"hello from {user} # it's not a comment"
    assert app["script_name"] == f"/django/{user}"
    assert app["secure"] == "True", "X-Forwarded-Proto https reaches Django"
    assert int(app["uid"]) == node.user(user).uid
    owner, args = node.check_output(f"ps -o user=,args= -p {app['pid']}").split(None, 1)
    assert owner == user
    assert args.startswith(f"(wsgi:{user})")


def test_each_app_has_its_daemon_processes_with_the_configured_size(node):
    found = daemons(node)
    assert sorted(found) == USERS, found
    for app, (processes, threads) in SIZE.items():
        assert len(found[app]) == processes, found[app]
        for _pid, user, lightweight in found[app]:
            assert user == app
            # The request threads, and mod_wsgi's own (monitor, deadlock, reaper...).
            assert lightweight >= threads, found[app]
    # Daemon mode only: Apache's own processes run no Python.
    assert "WSGIRestrictEmbedded On" in node.file("/etc/apache2/conf-available/djangostack.conf").content_string


def test_each_app_has_its_own_files(node):
    daemon = node.file(f"{CONF}/apps/alice.conf").content_string
    assert "WSGIDaemonProcess alice" in daemon
    for option in ("user=alice", "group=alice", "processes=2", "threads=15", "maximum-requests=1000",
                   "inactivity-timeout=300", "request-timeout=60", "graceful-timeout=15",
                   "display-name=(wsgi:alice)", "python-home=/srv/alice/current/venv",
                   "python-path=/srv/alice/current"):
        assert option in daemon, option
    carol = node.file(f"{CONF}/apps/carol.conf").content_string
    assert "deadlock-timeout=60" in carol and "maximum-requests" not in carol
    mount = node.file(f"{CONF}/mounts/apps.test/alice.conf").content_string
    assert "WSGIScriptAlias /django/alice /srv/alice/current/app.wsgi application-group=%{GLOBAL}" in mount
    # The process group is chosen where the script is; each process loads the app when it starts.
    assert "WSGIImportScript /srv/alice/current/app.wsgi process-group=alice application-group=%{GLOBAL}" in daemon
    assert re.search(r'<Files "app.wsgi">\s+Require all granted\s+WSGIProcessGroup alice\s+WSGIRestrictProcess alice\s',
                     daemon), daemon
    # Static and media aliases first, so that the app's alias does not take them.
    assert mount.index("Alias /django/alice/static/") < mount.index("WSGIScriptAlias")
    script = node.file("/srv/alice/current/app.wsgi")
    assert (script.user, script.group, script.mode) == ("root", "alice", 0o640)
    assert node.file("/etc/apache2/sites-enabled/djangostack-apps.test.conf").is_symlink
    for site in ("000-default.conf", "default-ssl.conf"):
        assert not node.file(f"/etc/apache2/sites-enabled/{site}").exists
    assert not node.file("/etc/apache2/conf-enabled/security.conf").exists


def test_static_files_come_from_disk_with_cache_headers_and_no_listing(node):
    status, headers, body = get(node, f"https://apps.test/django/alice/static/app.css?{uuid.uuid4().hex}")
    assert status == 200
    assert body == node.file("/srv/alice/current/static/app.css").content_string
    assert header(headers, "content-type") == ["text/css"]
    cache_control = ", ".join(header(headers, "cache-control"))
    assert "max-age=2592000" in cache_control and "public" in cache_control
    assert len(header(headers, "expires")) == 1
    for url in ("https://apps.test/django/alice/static/", "https://apps.test/django/bob/static/"):
        listing = get(node, url)
        assert listing.status in (403, 404), listing
        assert "Index of" not in listing.body and "app.css" not in listing.body


def test_media_files_are_served_inert(node):
    status, headers, body = get(node, "https://apps.test/django/alice/media/note.txt")
    assert (status, body) == (200, "an upload\n")
    assert header(headers, "x-content-type-options") == ["nosniff"]
    assert header(headers, "content-security-policy") == ["default-src 'none'; sandbox"]
    assert "max-age=604800" in ", ".join(header(headers, "cache-control"))


def test_no_version_is_shown_and_trace_is_refused(node):
    status, headers, body = get(node, "https://apps.test/no-such-page")
    assert status == 404
    assert header(headers, "server") == ["Apache"]
    assert "Apache/" not in body and "Server at" not in body
    assert get(node, "https://apps.test/django/alice/", "-X TRACE").status == 405


@pytest.mark.parametrize("url", ["http://apps.test/django/alice/?q=1", "http://www.apps.test/django/alice/?q=1"])
def test_http_redirects_to_https(node, url):
    response = get(node, url)
    assert response.status == 301
    assert header(response.headers, "location") == ["https://apps.test/django/alice/?q=1"]


def test_https_sets_hsts_once_and_the_scheme_cannot_be_faked(node):
    response = get(node, "https://apps.test/django/bob/", "-H 'X-Forwarded-Proto: http'")
    assert response.status == 200
    assert header(response.headers, "strict-transport-security") == ["max-age=31536000"]
    assert "secure=True" in response.body


def test_an_unknown_host_is_refused(node):
    for url in ("http://unknown.test/django/alice/", "https://unknown.test/django/alice/"):
        assert get(node, url).status == 403
    served = node.check_output("openssl s_client -connect 127.0.0.1:443 -servername unknown.test </dev/null"
                               " 2>/dev/null | openssl x509 -noout -subject")
    assert "default.invalid" in served
    names = node.check_output("openssl s_client -connect 127.0.0.1:443 -servername apps.test </dev/null"
                              " 2>/dev/null | openssl x509 -noout -ext subjectAltName")
    assert "DNS:apps.test" in names and "DNS:www.apps.test" in names
    key = node.file(f"{CONF}/tls/apps.test.key")
    assert (key.user, key.group, key.mode) == ("root", "root", 0o600)


@pytest.mark.parametrize(("option", "accepted"), [("-tls1_1 -cipher DEFAULT@SECLEVEL=0", False),
                                                  ("-tls1_2", True), ("-tls1_3", True)])
def test_only_tls_1_2_and_1_3_are_accepted(node, option, accepted):
    cmd = node.run(f"openssl s_client -connect 127.0.0.1:443 -servername apps.test {option} </dev/null")
    assert (cmd.rc == 0) == accepted, cmd.stderr


def test_apache_listens_on_80_and_443(node):
    assert {address.rsplit(":", 1)[1] for address in listening(node)} == {"80", "443"}


def test_touching_a_script_restarts_only_that_apps_processes(node):
    before = {app: pids(node, app) for app in USERS}
    served_before = int(page(node, "alice")["pid"])
    node.check_output("touch /srv/alice/current/app.wsgi")
    deadline = time.time() + 20
    served = served_before
    while served in before["alice"] and time.time() < deadline:
        served = int(page(node, "alice")["pid"])
        time.sleep(0.2)
    assert served not in before["alice"], "alice was not restarted"
    assert {app: pids(node, app) for app in ("bob", "carol")} == {app: before[app] for app in ("bob", "carol")}


@pytest.mark.parametrize("copy", ["0", "1"], ids=["mount-namespace", "path-rewrite"])
def test_the_check_command_refuses_a_broken_file_and_leaves_etc_apache2_alone(node, copy):
    env = f"DJANGOSTACK_APACHE_CHECK_COPY={copy}"
    live = f"{CONF}/apps/bob.conf"
    before = fingerprint(node)
    node.check_output(f"cp {live} /tmp/good.conf && echo 'NoSuchDirective on' > /tmp/bad.conf")
    assert node.run(f"{env} djangostack-apache-check /tmp/good.conf {live}").rc == 0
    broken = node.run(f"{env} djangostack-apache-check /tmp/bad.conf {live}")
    assert broken.rc != 0 and "Invalid command 'NoSuchDirective'" in broken.stderr, broken
    new = node.run(f"{env} djangostack-apache-check /tmp/bad.conf /etc/apache2/sites-available/new.conf"
                   " /etc/apache2/sites-enabled/new.conf")
    assert new.rc != 0, new
    assert fingerprint(node) == before
    assert node.run("ls /tmp | grep djangostack-apache-check").rc == 1, "temporary copy left behind"


# ---------------------------------------------------------------- carol removed


@pytest.fixture(name="removal", scope="module")
def fixture_removal():
    """converge.yml with carol absent, on every host at a time, while each host asks
    alice and bob for their page twice a second."""
    nodes = all_nodes()
    before = {}
    for name, node in nodes.items():
        before[name] = {"files": fingerprint(node), "daemons": daemons(node)}
        node.check_output(
            "rm -f /tmp/requests.log; setsid sh -c 'while :; do for u in alice bob; do"
            f" {CURL} -o /dev/null -w \"$u %{{http_code}} %{{time_total}}s\\n\" https://apps.test/django/$u/"
            " >> /tmp/requests.log 2>&1; done; sleep 0.5; done' </dev/null >/dev/null 2>&1 &"
            " echo $! > /tmp/requests.pid")
    result = converge({"demo_absent": ["carol"]})
    for node in nodes.values():
        node.check_output("kill -- -$(cat /tmp/requests.pid) || kill $(cat /tmp/requests.pid)")
    return {"result": result, "before": before}


def test_removing_an_app_removes_its_two_files_and_its_processes(node, removal):
    assert removal["result"].rc == 0, removal["result"]
    before = removal["before"][node.name]["files"]
    after = fingerprint(node)
    gone = {"./djangostack/apps/carol.conf", "./djangostack/mounts/apps.test/carol.conf"}
    assert set(before) - set(after) == gone
    assert after == {path: digest for path, digest in before.items() if path not in gone}
    assert "carol" not in daemons(node)
    assert get(node, "https://apps.test/django/carol/").status == 404
    assert node.run("apache2ctl -t").rc == 0, journal(node)


def test_the_other_apps_kept_serving_during_the_removal(node, removal):
    requests = node.file("/tmp/requests.log").content_string.split("\n")[:-1]
    assert len(requests) > 10, requests
    failed = [line for line in requests if line.split()[1:2] != ["200"]]
    assert not failed, f"{len(failed)} of {len(requests)} requests failed: {failed}\n{journal(node)}"
    # A graceful reload starts every app's daemon processes again (mod_wsgi ties
    # them to Apache's configuration generation), with the same users and sizes.
    found = daemons(node)
    for app in ("alice", "bob"):
        assert [(user, len(found[app])) for _pid, user, _n in found[app][:1]] == [(app, SIZE[app][0])]
        assert page(node, app)["owner"] == app


# ---------------------------------------------------------------- bad input

BAD_INPUT = [
    pytest.param({"python_path": "/srv/alice/it's my project"},
                 "apache_mod_wsgi_apps: app alice: python_path must be an absolute path without spaces, quotes",
                 id="python-path-with-a-quote-and-a-space"),
    pytest.param({"processes": 0},
                 "apache_mod_wsgi_apps: app alice: processes and threads must be 1 or more",
                 id="no-processes"),
    pytest.param({"processes": "many"},
                 "processes",
                 id="processes-not-a-number"),
]


ALICE = {"name": "alice", "user": "alice", "group": "alice", "domain": "apps.test",
         "url_prefix": "/django/alice", "script": "/srv/alice/current/app.wsgi",
         "wsgi": "hello.wsgi:application", "python_home": "/srv/alice/current/venv",
         "python_path": "/srv/alice/current"}


def assert_bad_input_refused(apps, message):
    nodes = all_nodes()
    before = {name: fingerprint(node) for name, node in nodes.items()}
    result = run_playbook("bad_input.yml", {"apache_mod_wsgi_apps": apps})
    for name, node in nodes.items():
        assert_refused(result, name, message)
        assert fingerprint(node) == before[name]
        assert page(node, "alice")["owner"] == "alice"


@pytest.mark.parametrize(("fields", "message"), BAD_INPUT)
def test_bad_input_fails_before_any_change_with_one_line(fields, message):
    assert_bad_input_refused([dict(ALICE, **fields)], message)


def test_an_app_named_like_the_check_daemon_process_group_of_another_is_refused():
    clash = dict(ALICE, name="alice-next", url_prefix="/django/alice-next")
    assert_bad_input_refused([ALICE, clash], "apache_mod_wsgi_apps: app alice-next: the name is that of the check "
                                             "daemon process group of app alice: rename it")


# ---------------------------------------------------------------- behind nginx


# What a run interrupted during Apache's first installation leaves behind, and a
# policy of the administrator's.
LEFT_POLICY = "#!/bin/sh\n# djangostack.deploy.apache_mod_wsgi: installing apache2\nexit 101\n"
OWN_POLICY = "#!/bin/sh\n# the administrator's own\nexit 0\n"


@pytest.fixture(name="behind", scope="module")
def fixture_behind(removal):
    """converge.yml with apache_mod_wsgi_front: false (carol stays removed), with the role's
    /usr/sbin/policy-rc.d left on the first host as by an interrupted first installation, and
    one of the administrator's on the second."""
    del removal
    nodes = all_nodes()
    first, second = sorted(nodes)
    for name, content in ((first, LEFT_POLICY), (second, OWN_POLICY)):
        nodes[name].check_output(f"printf %s {shlex.quote(content)} > /usr/sbin/policy-rc.d && "
                                 "chmod 755 /usr/sbin/policy-rc.d")
    result = converge({"demo_absent": ["carol"], "apache_mod_wsgi_front": False})
    result.policy_left = {name: node.file("/usr/sbin/policy-rc.d").exists for name, node in nodes.items()}
    nodes[second].check_output("rm -f /usr/sbin/policy-rc.d")
    return result


def test_a_policy_rc_d_left_by_an_interrupted_installation_is_removed_and_the_administrators_kept(behind):
    first, second = sorted(behind.policy_left)
    assert behind.policy_left == {first: False, second: True}


def test_behind_nginx_apache_listens_on_127_0_0_1_9000_only(node, behind):
    assert behind.rc == 0, behind
    assert listening(node) == ["127.0.0.1:9000"]
    for port in (80, 443):
        assert node.run(f"ss -Hltn 'sport = :{port}' | grep -q .").rc == 1, f"something listens on {port}"
    address = node.check_output("ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1")
    assert node.run(f"curl -sS --max-time 5 http://{address}:9000/").rc == 7, "reachable from outside"


def test_behind_nginx_the_forwarded_headers_reach_the_app(node, behind):
    assert behind.rc == 0, behind
    base = "http://127.0.0.1:9000"
    forwarded = page(node, "alice", base, "-H 'Host: apps.test'", "-H 'X-Forwarded-Proto: https'",
                     "-H 'X-Forwarded-For: 203.0.113.7'")
    assert (forwarded["secure"], forwarded["remote"]) == ("True", "203.0.113.7")
    plain = page(node, "bob", base, "-H 'Host: apps.test'")
    assert (plain["owner"], plain["secure"], plain["remote"]) == ("bob", "False", "127.0.0.1")
    # nginx serves the static files: here they are the app's URLs (Django's 404).
    static = get(node, f"{base}/django/alice/static/app.css", "-H 'Host: apps.test'")
    assert static.status == 404 and "color" not in static.body
    assert get(node, f"{base}/django/alice/", "-H 'Host: unknown.test'").status == 403


# ---------------------------------------------------------------- back to Apache alone


@pytest.fixture(name="restore", scope="module")
def fixture_restore(behind):
    """converge.yml as at first: Apache alone, carol served again."""
    del behind
    return converge({})


def test_back_to_apache_alone_every_app_serves_again(node, restore):
    assert restore.rc == 0, restore
    assert {address.rsplit(":", 1)[1] for address in listening(node)} == {"80", "443"}
    for user in USERS:
        assert page(node, user)["owner"] == user
    assert sorted(daemons(node)) == USERS


def test_an_app_that_cannot_run_is_left_out_with_a_warning(node, restore):
    result = restore
    assert result.rc == 0, result
    text = " ".join(result.output.split())
    assert (f"[WARNING]: {node.name}: apache_mod_wsgi_apps: app dave is left out (not served, its files removed)"
            " because the WSGI script /srv/dave/current/missing.wsgi does not exist") in text, result
    python = node.check_output("python3 -c 'import sys; print(\"%d.%d\" % sys.version_info[:2])'")
    assert (f"[WARNING]: {node.name}: apache_mod_wsgi_apps: app erin is left out (not served, its files removed)"
            f" because the Python of /srv/erin/venv is 3.99 but mod_wsgi runs Python {python}") in text, result
    for user in USERS:
        assert f"app {user} is left out" not in text
        assert page(node, user)["owner"] == user
    for app in ("dave", "erin"):
        assert not node.file(f"{CONF}/apps/{app}.conf").exists
        assert not node.file(f"{CONF}/mounts/apps.test/{app}.conf").exists
        assert get(node, f"https://apps.test/django/{app}/").status == 404
    assert not node.file("/srv/erin/app.wsgi").exists
