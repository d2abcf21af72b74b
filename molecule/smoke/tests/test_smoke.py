"""What the harness promises every later scenario: a real, reachable Debian host."""

import pytest

from playbooks import assert_refused, run_playbook

RELEASES = {"bookworm": "12", "trixie": "13"}
PEERS = {"bookworm": "trixie", "trixie": "bookworm"}


@pytest.fixture(name="name")
def fixture_name(host):
    return host.backend.get_hostname()


def test_runs_the_debian_release_it_was_created_for(host, name):
    assert host.system_info.distribution == "debian"
    assert host.system_info.release.split(".")[0] == RELEASES[name]
    assert host.check_output("hostname") == name


def test_systemd_is_pid_1_and_booted_without_failed_units(host):
    assert host.check_output("ps -o comm= -p 1") == "systemd"
    state = host.run("systemctl is-system-running")
    failed = host.run("systemctl --failed --no-legend").stdout
    assert state.stdout.strip() == "running", failed


def test_sshd_is_enabled_and_running(host):
    ssh = host.service("ssh")
    assert ssh.is_enabled
    assert ssh.is_running


def test_resolves_and_reaches_the_debian_archive(host):
    assert host.addr("deb.debian.org").is_resolvable
    codename = host.system_info.codename
    url = f"http://deb.debian.org/debian/dists/{codename}/Release"
    body = host.check_output(f"curl --fail --silent --show-error --max-time 30 {url}")
    assert f"Codename: {codename}" in body


def test_apt_installed_a_package_in_converge(host):
    assert host.package("python3-venv").is_installed


def test_pip_installs_a_package_over_https(host):
    venv = "/root/smoke-venv"
    host.check_output(f"rm -rf {venv} && python3 -m venv {venv}")
    install = host.run(f"{venv}/bin/pip install --no-cache-dir --quiet six==1.16.0")
    assert install.rc == 0, install.stderr
    assert host.check_output(f"{venv}/bin/python -c 'import six; print(six.__version__)'") == "1.16.0"


def test_reaches_the_other_test_host_by_name(host, name):
    ping = host.run(f"ping -c 1 -W 2 {PEERS[name]}")
    assert ping.rc == 0, ping.stdout + ping.stderr


def test_a_playbook_run_from_a_test_reports_bad_input_without_changes(host, name):
    result = run_playbook("bad_input.yml", {"smoke_port": "eighty"}, limit=name)
    assert_refused(result, name, "smoke_port must be a port number, got eighty")
    assert not host.file("/root/smoke-port").exists
