"""What a user of the supervisord role notices on the host.

converge.yml runs four programs as the unprivileged user demo: demo-env (reads
/etc/demo/env), demo-pool (two processes) and two scratch programs that the last
test removes. Tests run per host in file order; only the last one changes the set
of programs.
"""

import time

import pytest

from playbooks import assert_refused, run_playbook

SECRET = "not in any config file 7f3a9c"
KEPT = ["demo-env", "demo-pool:demo-pool_00", "demo-pool:demo-pool_01"]
SCRATCH = ["demo-scratch-absent", "demo-scratch-unlisted"]


@pytest.fixture(name="name")
def fixture_name(host):
    return host.backend.get_hostname()


def status(host):
    """supervisorctl status as {name: (state, pid or None)}."""
    out = host.run("supervisorctl status").stdout
    result = {}
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        pid = int(fields[3].rstrip(",")) if len(fields) > 3 and fields[2] == "pid" else None
        result[fields[0]] = (fields[1], pid)
    return result


def wait_running(host, names, timeout=20, not_pids=()):
    """Wait until every program is RUNNING (with a PID other than not_pids)."""
    deadline = time.time() + timeout
    while True:
        current = status(host)
        ok = all(current.get(n, ("", None))[0] == "RUNNING" and current[n][1] not in not_pids
                 for n in names)
        if ok or time.time() > deadline:
            return current
        time.sleep(0.5)


def journal(host):
    return host.run("journalctl -u supervisor --no-pager -n 50").stdout


def test_supervisor_is_debians_package_enabled_and_running(host):
    assert host.package("supervisor").is_installed
    assert host.check_output("dpkg -S /usr/bin/supervisord").startswith("supervisor:")
    service = host.service("supervisor")
    assert service.is_enabled, journal(host)
    assert service.is_running, journal(host)


def test_programs_are_running_as_their_user(host):
    current = wait_running(host, KEPT + SCRATCH)
    for program in KEPT + SCRATCH:
        state, pid = current.get(program, ("MISSING", None))
        assert state == "RUNNING", f"{program}: {state}\n{current}\n{journal(host)}"
        assert host.check_output(f"ps -o user= -p {pid}") == "demo"


def test_environment_file_reaches_the_program_but_no_config_or_log(host):
    pid = status(host)["demo-env"][1]
    environ = host.check_output(f"tr '\\0' '\\n' < /proc/{pid}/environ").splitlines()
    assert f"DEMO_SECRET={SECRET}" in environ
    assert "DEMO_GREETING=hello" in environ
    assert "USER=demo" in environ
    # The wrapper replaced itself with the command: supervisord watches sleep itself.
    assert host.check_output(f"ps -o args= -p {pid}") == "/bin/sleep infinity"
    conf = host.file("/etc/supervisor/conf.d/demo-env.conf")
    assert "/etc/demo/env" in conf.content_string
    leak = host.run(f"grep -rl '{SECRET}' /etc/supervisor /var/log/supervisor")
    assert leak.rc == 1, f"the secret is in {leak.stdout}"


def test_a_killed_program_is_restarted(host):
    old = status(host)["demo-env"][1]
    host.check_output(f"kill -9 {old}")
    current = wait_running(host, ["demo-env"], timeout=10, not_pids=(old,))
    state, pid = current["demo-env"]
    assert state == "RUNNING" and pid != old, f"{current}\n{journal(host)}"


def test_control_socket_is_not_world_accessible(host):
    socket = host.file("/run/supervisor.sock")
    assert socket.is_socket
    assert socket.user == "root"
    assert socket.mode & 0o007 == 0, oct(socket.mode)
    # An unprivileged user cannot control the programs.
    denied = host.run("runuser -u demo -- supervisorctl status")
    assert denied.rc != 0 and "RUNNING" not in denied.stdout


def test_http_server_is_off(host):
    listening = host.check_output("ss -Hltn")
    assert ":9001 " not in listening, listening
    assert "inet_http_server" not in host.file("/etc/supervisor/supervisord.conf").content_string


def test_programs_come_back_after_a_service_restart(host):
    host.check_output("systemctl restart supervisor")
    assert host.service("supervisor").is_running, journal(host)
    current = wait_running(host, KEPT + SCRATCH)
    for program in KEPT + SCRATCH:
        assert current[program][0] == "RUNNING", f"{program}: {current}\n{journal(host)}"


BAD_INPUT = [
    pytest.param(
        {"supervisord_programs": [
            {"name": "dup", "command": "/bin/true", "user": "demo"},
            {"name": "dup", "command": "/bin/false", "user": "demo"}]},
        "supervisord_programs (with supervisord_extra_programs) has more than one program named dup: "
        "give each program a name of its own",
        id="duplicate-names"),
    pytest.param(
        {"supervisord_programs": [{"name": "nocmd", "user": "demo"}]},
        "supervisord_programs: program nocmd: command is missing: set the command to run, "
        "or state: absent to remove the program",
        id="no-command"),
    pytest.param(
        {"supervisord_programs": [{"name": "bad/name", "command": "/bin/true", "user": "demo"}]},
        "supervisord_programs: program bad/name: the name may only contain letters, digits, dots,",
        id="bad-name"),
    pytest.param(
        {"supervisord_inet_http_server": {"port": 9001, "username": "admin"}},
        "supervisord_inet_http_server has no password: set supervisord_inet_http_server.password",
        id="http-without-password"),
    pytest.param(
        {"supervisord_inet_http_server": {"host": "0.0.0.0", "password": "x"}},
        "supervisord_inet_http_server.host is 0.0.0.0, not a loopback address",
        id="http-on-all-addresses"),
]


@pytest.mark.parametrize(("extra_vars", "message"), BAD_INPUT)
def test_bad_input_fails_before_any_change_with_one_line(host, name, extra_vars, message):
    before = host.check_output("ls /etc/supervisor/conf.d")
    result = run_playbook("bad_input.yml", extra_vars, limit=name)
    assert_refused(result, name, message)
    assert host.check_output("ls /etc/supervisor/conf.d") == before
    assert "inet_http_server" not in host.file("/etc/supervisor/supervisord.conf").content_string


def test_removed_programs_stop_and_the_others_keep_running(host, name):
    before = wait_running(host, KEPT + SCRATCH)
    result = run_playbook("converge.yml", {"demo_absent": ["demo-scratch-absent"],
                                           "demo_unlisted": ["demo-scratch-unlisted"]}, limit=name)
    assert result.rc == 0, result
    after = status(host)
    for program in SCRATCH:
        assert not host.file(f"/etc/supervisor/conf.d/{program}.conf").exists
        assert program not in after, after
        assert host.run(f"kill -0 {before[program][1]}").rc != 0, f"{program} still runs"
    for program in KEPT:
        assert after[program] == before[program], f"{program} was restarted: {before} -> {after}"
