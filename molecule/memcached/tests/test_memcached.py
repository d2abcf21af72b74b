"""memcached as a user of the role notices it: running, reachable where it should be
and nowhere else, no UDP, the configured memory, and bad input refused up front."""

import pytest

from playbooks import run_playbook

PORT = 11211
PEERS = {"mc-bookworm": "mc-trixie", "mc-trixie": "mc-bookworm"}
# What converge set (molecule.yml): mc-bookworm has the defaults, mc-trixie listens
# on its private address only, with 96 MB.
PRIVATE_ONLY = {"mc-trixie"}
MEMORY_MB = {"mc-trixie": 96}

# A memcached client on the host: send the text protocol and "quit", print the
# reply up to the point where memcached closes the connection.
CLIENT = r"""
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
s.sendall(sys.argv[3].encode().decode("unicode_escape").encode() + b"quit\r\n")
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
print(data.decode(), end="")
"""


@pytest.fixture(name="name")
def fixture_name(host):
    return host.backend.get_hostname()


@pytest.fixture(name="address")
def fixture_address(host):
    """The host's own private address (eth0)."""
    out = host.check_output("ip -4 -o addr show dev eth0")
    return out.split()[3].split("/")[0]


def memcached(host, address, command, port=PORT):
    return host.run("python3 -c %s %s %s %s", CLIENT, address, str(port), command)


def journal(host):
    return host.run("journalctl -u memcached --no-pager -n 50").stdout


def assert_running(host):
    service = host.service("memcached")
    assert service.is_enabled, journal(host)
    assert service.is_running, journal(host)


def listen_address(name, address):
    return address if name in PRIVATE_ONLY else "127.0.0.1"


def test_service_is_enabled_and_running(host):
    assert_running(host)


def test_service_comes_back_after_a_restart(host, name, address):
    host.check_output("systemctl restart memcached")
    assert_running(host)
    reply = memcached(host, listen_address(name, address), r"version\r\n")
    assert reply.rc == 0 and reply.stdout.startswith("VERSION "), reply.stderr + journal(host)


def test_tcp_port_is_bound_only_where_configured(host, name, address):
    loopback = host.socket(f"tcp://127.0.0.1:{PORT}")
    private = host.socket(f"tcp://{address}:{PORT}")
    wildcard = host.socket(f"tcp://0.0.0.0:{PORT}")
    assert not wildcard.is_listening
    if name in PRIVATE_ONLY:
        assert private.is_listening
        assert not loopback.is_listening
    else:
        assert loopback.is_listening
        assert not private.is_listening


def test_stores_and_returns_a_value_over_tcp(host, name, address):
    reply = memcached(host, listen_address(name, address),
                      r"set molecule 0 60 5\r\nhello\r\nget molecule\r\n")
    assert reply.rc == 0, reply.stderr
    assert reply.stdout == "STORED\r\nVALUE molecule 0 5\r\nhello\r\nEND\r\n"


def test_other_host_reaches_it_only_on_a_private_address(host, name):
    """From the peer: mc-trixie answers on its private address, mc-bookworm does not."""
    peer_address = host.check_output(f"getent ahostsv4 {PEERS[name]}").split()[0]
    reply = memcached(host, peer_address, r"version\r\n")
    if PEERS[name] in PRIVATE_ONLY:
        assert reply.rc == 0 and reply.stdout.startswith("VERSION "), reply.stderr
    else:
        assert reply.rc != 0
        assert "Connection refused" in reply.stderr


def test_no_udp_listener(host):
    assert "memcached" not in host.check_output("ss -ulnp")
    assert "-U 0" in host.file("/etc/memcached.conf").content_string


def test_configured_memory_shows_in_stats(host, name, address):
    expected_mb = MEMORY_MB.get(name)
    if expected_mb is None:
        # The default: 1/8 of the RAM the host reports, from 64 to 1024 MB.
        total_kb = int(host.check_output("awk '/^MemTotal:/ {print $2}' /proc/meminfo"))
        expected_mb = min(max(total_kb // 1024 // 8, 64), 1024)
    reply = memcached(host, listen_address(name, address), r"stats\r\n")
    assert reply.rc == 0, reply.stderr
    stats = dict(line.split()[1:3] for line in reply.stdout.splitlines() if line.startswith("STAT "))
    assert int(stats["limit_maxbytes"]) == expected_mb * 1024 * 1024
    assert stats.get("udp_port", "0") == "0"


def test_config_file_is_owned_by_root_and_readable(host):
    conf = host.file("/etc/memcached.conf")
    assert conf.user == "root" and conf.group == "root"
    assert conf.mode == 0o644


@pytest.mark.parametrize("extra_vars,message", [
    ({"memcached_memory_mb": "lots"},
     "argument 'memcached_memory_mb' is of type str and we were unable to convert to int"),
    ({"memcached_memory_mb": 0}, "memcached_memory_mb must be a positive number of megabytes, got 0"),
    ({"memcached_listen": ["0.0.0.0"]},
     "memcached_listen: 0.0.0.0 is every interface, which exposes memcached to every network; list "
     "private addresses instead, or set memcached_allow_any_address: true"),
    ({"memcached_port": 70000}, "memcached_port must be between 1 and 65535, got 70000"),
    ({"memcached_memory_mb": 64, "memcached_max_item_size": "64m"},
     "memcached_max_item_size must be a size like 1m or 512k"),
    ({"memcached_service_state": "reloaded"},
     "value of memcached_service_state must be one of: started, stopped, got: reloaded"),
], ids=["wrong-type", "memory-0", "listen-any", "port-range", "item-size", "state-choice"])
def test_bad_input_fails_before_any_change(host, name, extra_vars, message):
    before = host.file("/etc/memcached.conf").md5sum
    result = run_playbook("bad_input.yml", extra_vars, limit=name)
    assert result.rc != 0, result
    assert message in result.output, result
    assert result.recap[name]["changed"] == 0, result
    assert result.recap[name]["failed"] == 1, result
    assert host.file("/etc/memcached.conf").md5sum == before


def test_dry_run_shows_a_change_without_making_it(host, name):
    before = host.file("/etc/memcached.conf").md5sum
    result = run_playbook("bad_input.yml", {"memcached_memory_mb": 80}, limit=name, check=True)
    assert result.rc == 0, result
    assert "+-m 80" in result.output, result
    assert host.file("/etc/memcached.conf").md5sum == before
    assert_running(host)


def test_a_cache_server_among_other_hosts_listens_on_its_private_address(host, name, address):
    """The default of memcached_listen for a host of the group cacheservers."""
    if name in PRIVATE_ONLY:
        pytest.skip("memcached_listen is set in this host's host_vars")
    result = run_playbook("listen_default.yml", limit=name)
    assert result.rc == 0, result
    assert f"memcached_listen={address},127.0.0.1" in result.output, result
    assert result.recap[name]["changed"] == 0, result
