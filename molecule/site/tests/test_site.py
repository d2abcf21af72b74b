"""What a user of the whole stack notices: playbooks/site.yml with the example inventory.

Each host runs the whole stack (it is in dbservers, cacheservers, appservers and
webservers) and serves the bundled example project as https://example.test/,
under gunicorn, or under Apache and mod_wsgi where the host's variables say
example_server: mod_wsgi (host_vars/). Requests go through nginx on the host
itself (curl --resolve to 127.0.0.1). Tests run per host in file order; the last
ones deploy a new commit and make the failing ones test_site_operations.py deploys.
"""

import hashlib
import json
import re
import shlex
import threading
import time
import uuid
from pathlib import Path

import pytest

from playbooks import run_playbook
from site_common import (DOMAIN, MANAGE, SITE, daemon_processes, example_apps, git_source_apps, gunicorn_master,
                         gunicorn_program, hosts, record_time)

ACCESS_LOGS = {"gunicorn": "/srv/example/shared/log/gunicorn-access.log",
               "mod_wsgi": f"/var/log/apache2/djangostack-{DOMAIN}.access.log"}


def only_under(wanted, server):
    if server != wanted:
        pytest.skip(f"the app runs under {server} on this host")


def curl(host, url, *options, resolve_host=DOMAIN):
    """curl on the host through its nginx: (status, headers, body)."""
    port = "443" if url.startswith("https:") else "80"
    cmd = ["curl", "-sk", "--max-time", "20", "-D", "-", "--resolve", f"{resolve_host}:{port}:127.0.0.1",
           *options, url]
    result = host.run(" ".join(shlex.quote(c) for c in cmd))
    assert result.rc == 0, f"{cmd}: rc={result.rc} {result.stderr}"
    head, _sep, body = result.stdout.replace("\r\n", "\n").partition("\n\n")
    while head.startswith("HTTP/") and " 100 " in head.split("\n", 1)[0]:
        head, _sep, body = body.partition("\n\n")
    lines = head.split("\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        key, _sep, value = line.partition(":")
        key = key.strip().lower()
        headers[key] = ", ".join(filter(None, (headers.get(key), value.strip())))
    return status, headers, body


def wait_for_home(host, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        result = host.run(f"curl -sk --max-time 5 -o /dev/null -w '%{{http_code}}' "
                          f"--resolve {DOMAIN}:443:127.0.0.1 https://{DOMAIN}/")
        if result.stdout.strip() == "200":
            return
        if time.monotonic() > deadline:
            log = host.run("journalctl --no-pager -n 40 -u supervisor -u nginx -u apache2; "
                           "tail -n 40 /var/log/supervisor/example*.log /srv/example/shared/log/*.log "
                           "/var/log/apache2/*error.log")
            pytest.fail(f"https://{DOMAIN}/ did not answer 200 within {timeout}s:\n{log.stdout}")
        time.sleep(1)


def test_home_page_over_https_comes_from_the_database(host):
    status, headers, body = curl(host, f"https://{DOMAIN}/")
    assert status == 200, body[:500]
    assert "Hello from PostgreSQL" in body
    assert "<h1>djangostack" in body
    assert headers["server"] == "nginx", headers
    assert headers["strict-transport-security"].startswith("max-age=31536000"), headers


def test_http_redirects_to_https(host):
    status, headers, _body = curl(host, f"http://{DOMAIN}/some/path?x=1")
    assert status == 301
    assert headers["location"] == f"https://{DOMAIN}/some/path?x=1"


def test_www_redirects_to_the_canonical_domain(host):
    for url in (f"https://www.{DOMAIN}/a", f"http://www.{DOMAIN}/a"):
        status, headers, _body = curl(host, url, resolve_host=f"www.{DOMAIN}")
        assert status == 301, url
        assert headers["location"] == f"https://{DOMAIN}/a", url


def test_an_unknown_host_gets_no_site(host):
    http = host.run("curl -s --max-time 10 -H 'Host: unknown.test' http://127.0.0.1/")
    assert http.rc == 52, http  # empty reply: nginx closed the connection (444)
    https = host.run("curl -sk --max-time 10 --resolve unknown.test:443:127.0.0.1 https://unknown.test/")
    assert https.rc != 0 and https.stdout == "", https  # TLS handshake rejected


def test_static_files_come_from_nginx_with_cache_headers(host, server):
    status, headers, body = curl(host, f"https://{DOMAIN}/static/pages/site.css")
    assert status == 200
    assert body == host.file("/srv/example/current/.static/pages/site.css").content_string
    assert "public" in headers["cache-control"] and "max-age=" in headers["cache-control"], headers
    assert "expires" in headers
    assert "site.css" not in host.file(ACCESS_LOGS[server]).content_string, f"the request reached {server}"


def test_a_media_upload_is_served_back(host):
    jar = f"/tmp/cookies-{uuid.uuid4().hex}"
    curl(host, f"https://{DOMAIN}/", "-c", jar)
    token = host.run(f"awk '$6 == \"csrftoken\" {{print $7}}' {jar}").stdout.strip()
    assert token, host.file(jar).content_string
    name = f"upload-{uuid.uuid4().hex[:8]}.txt"
    content = f"uploaded {uuid.uuid4().hex}"
    host.run(f"printf %s {shlex.quote(content)} > /tmp/{name}")
    status, headers, body = curl(host, f"https://{DOMAIN}/upload/", "-b", jar, "-H", f"X-CSRFToken: {token}",
                                 "-H", f"Referer: https://{DOMAIN}/", "-F", f"file=@/tmp/{name}")
    assert status in (302, 303), body[:500]
    status, headers, body = curl(host, f"https://{DOMAIN}/media/uploads/{name}")
    assert status == 200
    assert body == content
    assert "expires" in headers
    uploaded = host.file(f"/srv/example/shared/media/uploads/{name}")
    assert uploaded.user == "example"


def test_the_release_passes_djangos_deploy_checks(host):
    result = host.run(f"{MANAGE} check --deploy --fail-level WARNING")
    assert result.rc == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture(name="settings_check", scope="module")
def fixture_settings_check():
    """django_app's check entry point, failing at warning level, once for every host."""
    # The example inventory's local source is relative to playbooks/; a check does not read it.
    return run_playbook("settings_check.yml", {"django_app_settings_fail_level": "warning",
                                               "django_apps": git_source_apps()}, verbose=True)


def test_the_deployed_settings_have_no_finding_at_warning_level(name, settings_check):
    assert settings_check.rc == 0, settings_check
    assert settings_check.recap[name]["failed"] == 0, settings_check
    assert settings_check.recap[name]["changed"] == 0, settings_check
    output = " ".join(settings_check.output.split())
    assert "example.settings (Django 5.2.19): no finding at warning or above" in output, settings_check


def test_the_health_endpoint_sees_database_and_cache(host):
    status, _headers, body = curl(host, f"https://{DOMAIN}/health/")
    assert status == 200, body
    found = json.loads(body)
    assert {key: found[key] for key in ("status", "database", "cache")} == {"status": "ok", "database": "ok", "cache": "ok"}
    # The versions the serving process runs: Debian's python in the release's virtualenv.
    python = host.check_output("/srv/example/current/venv/bin/python -c 'import platform; print(platform.python_version())'")
    assert (found["python"], found["django"]) == (python, "5.2.19"), found


def test_the_page_is_cached_in_memcached(host):
    curl(host, f"https://{DOMAIN}/")
    probe = ("import socket; s = socket.create_connection(('127.0.0.1', 11211)); "
             "s.sendall(b'get example:1:home\\r\\n'); print(s.recv(65536).decode(errors='replace'))")
    result = host.run(f"python3 -c {shlex.quote(probe)}")
    assert result.stdout.startswith("VALUE example:1:home "), result.stdout[:200]


def test_the_app_connects_to_postgresql_as_its_own_role_with_a_password(host):
    script = ("from django.db import connection; connection.ensure_connection(); "
              "s = connection.settings_dict; "
              "print(s['USER'], s['HOST'], bool(s['PASSWORD']), connection.cursor().connection.info.user)")
    result = host.run(f"{MANAGE} shell -c {shlex.quote(script)}")
    assert result.rc == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["example", "127.0.0.1", "True", "example"]
    # The same role without its password is refused.
    refused = host.run("runuser -u example -- env PGPASSWORD= psql -w -h 127.0.0.1 -U example -d example -c 'select 1'")
    assert refused.rc != 0 and "password" in refused.stderr, refused
    # The running app holds connections as that role over TCP (scram-sha-256 in pg_hba.conf).
    curl(host, f"https://{DOMAIN}/health/")
    users = host.run("runuser -u postgres -- psql -tAc \"select usename from pg_stat_activity "
                     "where datname = 'example' and client_addr is not null\"").stdout.split()
    assert "example" in users, users


def test_the_environment_file_is_private(host):
    # The live release's own environment file.
    link = host.file("/etc/example/env")
    live = Path(host.file("/srv/example/current").linked_to).name
    assert link.is_symlink and link.linked_to == f"/etc/example/env.d/{live}"
    env = host.file(link.linked_to)
    assert (env.user, env.group, env.mode) == ("root", "example", 0o640)
    assert host.file("/etc/example/secret_key").mode == 0o600
    content = env.content_string
    for key in ("SECRET_KEY", "DATABASE_URL", "CACHE_URL", "ALLOWED_HOSTS"):
        assert re.search(rf"^{key}=", content, re.M), key
    assert "DEBUG=False" in content


def test_cron_runs_a_management_command_as_the_app_user(host):
    cron = host.file("/etc/cron.d/djangostack-example")
    assert cron.user == "root" and cron.mode == 0o644
    line = next(line for line in cron.content_string.splitlines() if "record_heartbeat" in line)
    fields = line.split(None, 6)
    assert fields[:6] == ["*/5", "*", "*", "*", "*", "example"], line
    result = host.run(f"runuser -u example -- sh -c {shlex.quote(fields[6])}")
    assert result.rc == 0, result
    assert "heartbeats in total" in host.file("/srv/example/shared/log/cron-heartbeat.log").content_string
    assert host.service("cron").is_running


def test_the_apps_mail_reaches_the_mail_server_the_stack_installed(host):
    # The example's email.host is localhost: the stack installed a mail server
    # (Recommends are off, so nothing else would have), listening on loopback only.
    assert host.package("exim4-daemon-light").is_installed
    listening = {str(s) for s in host.socket.get_listening_sockets() if s.endswith(":25")}
    assert listening and all("127.0.0.1" in s or "::1" in s for s in listening), listening

    def received():
        return host.run("grep -c '<= noreply@example.test' /var/log/exim4/mainlog").stdout.strip() or "0"
    before = int(received())
    result = host.run(f"{MANAGE} sendtestemail root@localhost")
    assert result.rc == 0, result.stderr
    deadline = time.monotonic() + 30
    while int(received()) <= before:
        assert time.monotonic() < deadline, host.run("tail -n 20 /var/log/exim4/mainlog").stdout
        time.sleep(1)


def test_the_logs_the_roles_write_are_rotated(host, server):
    # logrotate is installed on purpose and reads every rotation the stack ships.
    result = host.run("logrotate --debug /etc/logrotate.conf")
    assert result.rc == 0, result.stderr
    rotated = ["/var/log/nginx/*.log", "/var/log/postgresql/*.log"] + (
        ["/var/log/apache2/*.log"] if server == "mod_wsgi" else ["/srv/example/shared/log/gunicorn-access.log"])
    for pattern in rotated:
        assert pattern in result.stdout + result.stderr, pattern


def test_the_procfile_worker_runs_under_supervisord(host):
    out = host.run("supervisorctl status example-worker").stdout
    assert " RUNNING " in out, out
    pid = host.run("supervisorctl pid example-worker").stdout.strip()
    assert host.run(f"ps -o user= -p {pid}").stdout.strip() == "example"


def test_gunicorn_listens_on_its_socket_only(host, server):
    only_under("gunicorn", server)
    # The link to the socket of the slot that serves, and only that slot runs.
    sock = host.file("/srv/example/run/gunicorn.sock")
    assert sock.is_symlink and sock.is_socket
    program = gunicorn_program(host)
    status = host.check_output("supervisorctl status")
    assert [line.split()[0] for line in status.splitlines() if re.match(r"example-(blue|green) ", line)] == [program], status
    assert (host.file("/srv/example/run").group, host.file("/srv/example/run").mode) == ("www-data", 0o750)
    listening = host.run("ss -Htlnp").stdout
    assert "gunicorn" not in listening and "python" not in listening, listening
    for service, port in (("postgres", 5432), ("memcached", 11211)):
        lines = [line for line in listening.splitlines() if f":{port} " in line]
        assert lines and all(("127.0.0.1:" in line or "[::1]:" in line) for line in lines), (service, lines)


def test_apache_listens_on_loopback_only_behind_nginx(host, server):
    only_under("mod_wsgi", server)
    listening = host.run("ss -Htlnp").stdout.splitlines()
    apache = [line.split()[3] for line in listening if '"apache2"' in line]
    assert apache == ["127.0.0.1:9000"], listening
    assert not host.socket("tcp://0.0.0.0:9000").is_listening
    web = sorted(set(line.split()[3].rsplit(":", 1)[1] for line in listening if '"nginx"' in line))
    assert web == ["443", "80"], listening
    # Apache answers only through its loopback address, with the app's own response.
    direct = host.run(f"curl -s --max-time 10 -o /dev/null -w '%{{http_code}}' -H 'Host: {DOMAIN}' "
                      "-H 'X-Forwarded-Proto: https' http://127.0.0.1:9000/health/")
    assert direct.stdout == "200", direct
    assert not host.file("/srv/example/run/gunicorn.sock").exists


def test_the_mod_wsgi_daemon_processes_run_as_the_app_user(host, server):
    only_under("mod_wsgi", server)
    processes = daemon_processes(host)
    # The example's defaults: 2 processes of 15 request threads (and mod_wsgi's own).
    assert len(processes) == 2, processes
    assert all(user == "example" and threads >= 15 for _pid, user, threads in processes), processes
    config = host.file("/etc/apache2/djangostack/apps/example.conf").content_string
    assert "processes=2 threads=15" in config
    assert "python-home=/srv/example/current/venv" in config
    assert host.run("pgrep -u example -f '^gunicorn|-m gunicorn'").rc == 1, "gunicorn runs as well"


# ps cuts display names to 17 characters: example-next has a short one of its own.
CHECK_DAEMON = f"(wsgi:examp~{hashlib.sha1(b'example-next').hexdigest()[:4]})"


def check_daemon_rss(host):
    """The resident memory (KiB) of the app's one check daemon process."""
    lines = [line.split(None, 2) for line in host.run("ps -eo rss=,pid=,args=").stdout.splitlines()]
    found = [int(rss) for rss, _pid, args in lines if args.startswith(CHECK_DAEMON)]
    assert len(found) == 1, lines
    return found[0]


def test_the_check_daemon_process_takes_only_requests_of_the_host_itself(host, server):
    """The release to check runs in a daemon process of its own (example-next), which only a
    request from the host with X-Djangostack-Next reaches: nginx clears that header."""
    only_under("mod_wsgi", server)
    config = host.file("/etc/apache2/djangostack/apps/example.conf").content_string
    assert "WSGIDaemonProcess example-next" in config and "python-home=/srv/example/next/venv" in config
    assert host.file("/srv/example/next").linked_to == host.file("/srv/example/current").linked_to
    assert host.file("/etc/example/env.next").linked_to == host.file("/etc/example/env").linked_to
    restart = "/usr/local/sbin/djangostack-wsgi-restart example-next 30"
    assert host.run(restart).rc == 0
    empty = check_daemon_rss(host)
    for _request in range(5):
        status, _headers, _body = curl(host, f"https://{DOMAIN}/health/", "-H", "X-Djangostack-Next: 1")
        assert status == 200
    assert check_daemon_rss(host) < empty + 10_000, "a request through nginx reached the check daemon process"
    direct = host.run(f"curl -s --max-time 20 -o /dev/null -w '%{{http_code}}' -H 'Host: {DOMAIN}' "
                      "-H 'X-Forwarded-Proto: https' -H 'X-Djangostack-Next: 1' http://127.0.0.1:9000/health/")
    assert direct.stdout == "200", direct
    assert check_daemon_rss(host) > empty + 20_000, "the host's own request did not load the app there"
    assert host.run(restart).rc == 0


def test_the_superuser_exists(host):
    script = "from django.contrib.auth.models import User; print(User.objects.filter(username='admin', is_superuser=True).count())"
    assert host.run(f"{MANAGE} shell -c {shlex.quote(script)}").stdout.strip().splitlines()[-1] == "1"
    assert host.file("/etc/example/superuser_password").mode == 0o600


def test_gunicorn_comes_back_after_kill_9(host, server):
    only_under("gunicorn", server)
    before = gunicorn_master(host)
    program = gunicorn_program(host)
    host.run(f"kill -9 {before}")
    deadline = time.monotonic() + 30
    while True:
        out = host.run(f"supervisorctl pid {program}").stdout.strip()
        if out.isdigit() and int(out) not in (0, before):
            break
        assert time.monotonic() < deadline, out
        time.sleep(0.5)
    wait_for_home(host)


def test_mod_wsgi_daemon_processes_come_back_after_kill_9(host, server):
    only_under("mod_wsgi", server)
    before = [pid for pid, _user, _threads in daemon_processes(host)]
    host.run(f"kill -9 {before[0]}")
    deadline = time.monotonic() + 30
    while True:
        after = [pid for pid, _user, _threads in daemon_processes(host)]
        if len(after) == 2 and before[0] not in after:
            break
        assert time.monotonic() < deadline, (before, after)
        time.sleep(0.5)
    assert before[1] in after, "the other daemon process was restarted too"
    wait_for_home(host)


def test_services_are_enabled_and_come_back_after_a_restart(host, server):
    services = ("postgresql", "memcached", "supervisor", "nginx", "cron") + (
        ("apache2",) if server == "mod_wsgi" else ())
    for service in services:
        assert host.service(service).is_enabled, service
    result = host.run("systemctl restart " + " ".join(services))
    assert result.rc == 0, result.stderr
    wait_for_home(host)
    status, _headers, body = curl(host, f"https://{DOMAIN}/")
    assert status == 200 and "Hello from PostgreSQL" in body


# Input that only a role of another tier, or the host itself, refuses: each must stop
# site.yml in its first play, on every host, before anything changes. (The model's own
# rules, and the roles' on their own, are the unit tests' table,
# tests/unit/plugins/module_utils/test_bad_input.py.)
BAD_INPUTS = {
    "an account of the system": ({"apps": {"user": "games_app", "name": "games_app"}, "account": "games_app"},
                                 "django_apps[games_app].user games_app is an account of this host the "
                                 "collection did not create"),
    "a home that is another program's": ({"apps": {"home": "/var/www/html"}},
                                         "django_apps[example].home /var/www/html holds files that are not an app's"),
    "memcached on every interface": ({"vars": {"memcached_listen": ["::0"]}},
                                     "memcached_listen: ::0 is every interface"),
    "pg_hba half the internet": ({"vars": {"postgresql_hba_entries": [
        {"type": "host", "database": "all", "user": "all", "address": "0.0.0.0/1", "method": "scram-sha-256"}]}},
        "address 0.0.0.0/1 admits more than a private network"),
    "a worker command supervisord would cut": (
        {"apps": {"processes": [{"name": "mailer", "command": "python -m smtpd ; rm -rf /srv"}]}},
        "program example-mailer: command has ; or # after a space"),
    "nginx setting of the wrong type": ({"vars": {"nginx_worker_connections": "lots"}},
                                        "nginx_worker_connections"),
    "gunicorn setting that is code": ({"vars": {"gunicorn_extra_settings": {"import os; os.system('id') #": 1}}},
                                      "is not a gunicorn setting name"),
}
# What a refused run must leave as it was (a cron job writes to shared/log meanwhile), and
# PostgreSQL's databases and login roles with their passwords (its files change on their own).
WATCHED = "/etc /srv /usr/local/bin /var/www"
ROLES = "runuser -u postgres -- psql -tAc 'select datname from pg_database union all select rolname || rolpassword " \
        "from pg_authid where rolpassword is not null order by 1'"


@pytest.fixture(name="bad_inputs", scope="module")
def fixture_bad_inputs():
    """site.yml with each bad input of BAD_INPUTS on both hosts at once, and what changed on them."""
    nodes = hosts()
    roles = {}
    for name, node in nodes.items():
        node.run("useradd --system --no-create-home --comment 'not an app' games_app")
        node.run("touch /run/bad-input-start")
        roles[name] = node.check_output(ROLES)
    results = {}
    for case, (change, _message) in BAD_INPUTS.items():
        apps = example_apps()
        apps[0].update(change.get("apps", {}))
        results[case] = run_playbook(SITE, {"django_apps": apps, **change.get("vars", {})})
    # The log directory itself too: a new log file there changes its time.
    touched = {name: node.run(f"find {WATCHED} -newer /run/bad-input-start -not -path '*/shared/log' "
                              "-not -path '*/shared/log/*' 2>/dev/null").stdout.split()
               + (["PostgreSQL's databases or roles"] if node.check_output(ROLES) != roles[name] else [])
               for name, node in nodes.items()}
    for node in nodes.values():
        node.run("userdel games_app")
    return results, touched


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_stops_every_host_in_the_first_play_before_anything_changes(name, case, bad_inputs):
    results, touched = bad_inputs
    result, message = results[case], BAD_INPUTS[case][1]
    assert result.rc != 0, result
    assert message in result.output, result
    # Refused in the first play: no host got to the second (the firewall).
    assert "PLAY [Host firewall]" not in result.output, result
    assert result.recap[name]["changed"] == 0, result
    assert touched[name] == [], f"changed on {name} by the refused runs: {touched[name]}"


@pytest.fixture(name="dry_run", scope="module")
def fixture_dry_run():
    """A --check --diff run at -v on the converged hosts, once for every host (both at once)."""
    started = time.monotonic()
    result = run_playbook(SITE, check=True, verbose=True)
    record_time("site.yml --check --diff -v, nothing to change, 2 hosts at once", time.monotonic() - started)
    return result


def test_a_dry_run_on_a_converged_host_changes_nothing(name, dry_run):
    assert dry_run.rc == 0, dry_run
    assert dry_run.recap[name]["changed"] == 0, dry_run


def test_secrets_never_appear_in_ansibles_output(host, dry_run):
    """Not even in a verbose dry run with --diff."""
    assert dry_run.rc == 0, dry_run
    secrets = {
        "SECRET_KEY": host.file("/etc/example/secret_key").content_string.strip(),
        "database password": host.file("/etc/postgresql-credentials/example").content_string.strip(),
        "superuser password": host.file("/etc/example/superuser_password").content_string.strip(),
    }
    for what, value in secrets.items():
        assert len(value) >= 20, what
        assert value not in dry_run.output, f"the {what} appears in the output"


LOCK = "/run/lock/djangostack/example.lock"


# The repository over (dumb) HTTP from each host itself, with a user and a token in its URL.
TOKEN = "tok-" + uuid.uuid4().hex
HTTP_REPO = f"http://deploy:{TOKEN}@127.0.0.1:8808/example-repo/.git"


@pytest.fixture(name="template_deploy", scope="module")
def fixture_template_deploy():
    """A new commit (a changed heading) deployed by deploy.yml (-vvv) from HTTP_REPO, both hosts at
    once, while each host's process list is read every 0.2 s; meanwhile, once it holds the app's
    lock on bookworm, a second deploy.yml (refused).
    (site.yml puts a new release live under load in test_site_operations.py.)"""
    made = run_playbook("git_repo.yml", {"change": "template"})
    assert made.rc == 0, made
    nodes = hosts()
    for each in nodes.values():
        each.check_output("git -C /root/example-repo update-server-info && "
                          "(setsid python3 -m http.server --bind 127.0.0.1 --directory /root 8808 "
                          "> /dev/null 2>&1 & echo $! > /run/repo-http.pid)")
    node = nodes["bookworm"]
    second = {}
    seen = {name: set() for name in nodes}
    deploying = threading.Event()

    def watch():
        while not deploying.is_set():
            for name, each in nodes.items():
                seen[name].update(line for line in each.run("ps -eo args=").stdout.splitlines() if TOKEN in line)
            time.sleep(0.2)

    def deploy_again():
        deadline = time.monotonic() + 120
        while not node.file(LOCK).exists and time.monotonic() < deadline:
            time.sleep(0.5)
        second["holder"] = node.run(f"cat {LOCK}").stdout
        second["result"] = run_playbook("../../playbooks/deploy.yml", {"django_apps": git_source_apps()})

    racing = threading.Thread(target=deploy_again)
    racing.start()
    watching = threading.Thread(target=watch)
    watching.start()
    apps = git_source_apps()
    apps[0]["source"]["repo"] = HTTP_REPO
    deployed = run_playbook("../../playbooks/deploy.yml", {"django_apps": apps, "deploy_batch": 2}, verbose=3)
    deploying.set()
    racing.join()
    watching.join()
    stopped = run_playbook("stop_probe.yml")
    assert stopped.rc == 0, stopped
    files = {}
    for name, each in nodes.items():
        each.run("kill $(cat /run/repo-http.pid)")
        files[name] = each.run(f"grep -rlsF {TOKEN} /srv /etc /root /tmp /var/log /var/lib /run "
                               "--exclude-dir=proc 2>/dev/null").stdout.split()
    deployed.secrets_seen = {"processes": seen, "files": files}
    return deployed, second, {name: each.file(LOCK).exists for name, each in nodes.items()}


def test_the_credentials_of_a_repository_url_are_never_shown_nor_readable(template_deploy):
    deployed, _second, _left = template_deploy
    assert deployed.rc == 0, deployed
    assert TOKEN not in deployed.output, "the repository's token is in the -vvv output"
    assert deployed.secrets_seen["processes"] == {"bookworm": set(), "trixie": set()}
    # Only the credential store of the app, root's alone, holds it.
    for name, node in hosts().items():
        assert deployed.secrets_seen["files"][name] == ["/etc/example/git-credentials"], name
        store = node.file("/etc/example/git-credentials")
        assert (store.user, store.group, store.mode) == ("root", "root", 0o600)
        assert node.check_output("git -C /srv/example/repo remote get-url origin") == \
            "http://127.0.0.1:8808/example-repo/.git"


def test_a_second_run_is_refused_at_once_naming_the_holder(template_deploy):
    _deployed, second, _left = template_deploy
    holder = json.loads(second["holder"])
    assert holder["playbook"] == "deploy.yml" and holder["pid"] and holder["since"], holder
    result = second["result"]
    assert result.rc != 0, result
    message = (f"example: another run holds its lock on bookworm: deploy.yml by {holder['user']} on "
               f"{holder['controller']} (pid {holder['pid']}) since {holder['since']}")
    assert message in " ".join(result.output.split()), result
    # Refused in the first play, before anything changed.
    assert "PLAY [Deploy the apps]" not in result.output, result
    assert result.changed() == 0, result


def test_a_finished_run_gives_its_locks_back(template_deploy):
    deployed, _second, left = template_deploy
    assert deployed.rc == 0, deployed
    assert left == {"bookworm": False, "trixie": False}


def commit(change, **more):
    """A commit of `change` (git_repo.yml) on every host; test_site_operations.py deploys it."""
    made = run_playbook("git_repo.yml", {"change": change, **more})
    assert made.rc == 0, made
    return made


@pytest.fixture(name="bad_commits", scope="module")
def fixture_bad_commits(template_deploy):
    """Then a commit whose settings force DEBUG on and one whose health check fails under gunicorn
    (both on the template commit), for the day-two tests. (A failing migration: the cluster scenario.)"""
    del template_deploy
    return [commit("insecure_settings"), commit("unhealthy", base="template")]


def test_a_new_commit_goes_live(host, name, template_deploy):
    template_deploy = template_deploy[0]
    assert template_deploy.rc == 0, template_deploy
    assert template_deploy.recap[name]["failed"] == 0, template_deploy
    status, _headers, body = curl(host, f"https://{DOMAIN}/")
    assert status == 200
    assert "<h1>djangostack example, second edition</h1>" in body
    marker = json.loads(host.file("/srv/example/current/.djangostack-release.json").content_string)
    commit = host.run("git -C /root/example-repo log -1 --format=%H --grep=^template$").stdout.strip()
    assert marker["revision"] == f"git:{commit}"
    assert len(host.file("/srv/example/releases").listdir()) == 2


def test_no_request_failed_during_the_deploy(host, template_deploy):
    assert template_deploy[0].rc == 0, template_deploy[0]
    codes = host.file("/root/during-deploy.log").content_string.split()
    assert len(codes) >= 20, codes
    assert set(codes) == {"200"}, f"{len(codes) - codes.count('200')} of {len(codes)} requests failed: {codes}"


def test_the_bad_commits_are_made(bad_commits):
    """The commits test_site_operations.py deploys with deploy.yml (refused before the switch)."""
    assert all(made.rc == 0 for made in bad_commits)
