"""The host firewall's openings (plugins/module_utils/firewall.py)."""

import pytest

from ansible_collections.djangostack.deploy.plugins.module_utils import apps as model
from ansible_collections.djangostack.deploy.plugins.module_utils import firewall

ALL_IN_ONE = {"dbservers": ["solo"], "cacheservers": ["solo"], "appservers": ["solo"], "webservers": ["solo"]}
# A web server, two app servers, and one data host for PostgreSQL and memcached.
TIERED = {"webservers": ["web"], "appservers": ["app1", "app2"], "dbservers": ["data"], "cacheservers": ["data"]}
# app1 is an app and a web server: its own nginx uses the unix sockets.
MIXED = {"webservers": ["app1", "lb"], "appservers": ["app1", "app2"], "dbservers": ["db"],
         "cacheservers": ["app1", "cache"]}
ADDRESSES = {"web": "10.0.0.2", "app1": "10.0.0.3", "app2": "10.0.0.4", "data": "10.0.0.5", "lb": "10.0.0.6",
             "db": "10.0.0.7", "cache": "10.0.0.8", "solo": "10.0.0.9"}
HOSTVARS = {host: {"ansible_facts": {"default_ipv4": {"address": address}}} for host, address in ADDRESSES.items()}
APPS = [{"name": "blog"}, {"name": "shop", "port": 8100}, {"name": "wiki", "server": "mod_wsgi"},
        {"name": "old", "state": "absent"}]

SSH = (22, "tcp", [])
WEB = [(80, "tcp", []), (443, "tcp", [])]


def openings(groups, me, apps=None, **kwargs):
    rules = firewall.firewall_rules(groups, me, HOSTVARS, apps=apps, **kwargs)
    return [(rule["port"], rule["proto"], rule["sources"]) for rule in rules]


@pytest.mark.parametrize("groups, me, apps, expected", [
    # All in one: nothing but SSH, 80 and 443 from outside; the services use loopback.
    (ALL_IN_ONE, "solo", APPS, [SSH] + WEB),
    # A tier: each port only from the hosts that use it.
    (TIERED, "web", APPS, [SSH] + WEB),
    (TIERED, "app1", APPS, [SSH, (8000, "tcp", ["10.0.0.2"]), (8100, "tcp", ["10.0.0.2"]),
                            (9000, "tcp", ["10.0.0.2"])]),
    (TIERED, "app2", [{"name": "blog"}], [SSH, (8000, "tcp", ["10.0.0.2"])]),
    (TIERED, "data", APPS, [SSH, (5432, "tcp", ["10.0.0.3", "10.0.0.4"]),
                            (11211, "tcp", ["10.0.0.3", "10.0.0.4"])]),
    # Only gunicorn apps: no Apache port; without apps, no app port at all.
    (TIERED, "app1", [{"name": "blog"}], [SSH, (8000, "tcp", ["10.0.0.2"])]),
    (TIERED, "app1", None, [SSH]),
    # A host in three tiers: its own nginx uses the sockets, so only lb reaches its apps;
    # its own apps use its memcached on loopback, app2 over the network (app2 uses every
    # cache server), and app1's apps are no client of the cache host.
    (MIXED, "app1", [{"name": "blog"}], [SSH] + WEB + [(8000, "tcp", ["10.0.0.6"]), (11211, "tcp", ["10.0.0.4"])]),
    (MIXED, "app2", [{"name": "blog"}], [SSH, (8000, "tcp", ["10.0.0.6"])]),
    (MIXED, "cache", APPS, [SSH, (11211, "tcp", ["10.0.0.4"])]),
    (MIXED, "db", APPS, [SSH, (5432, "tcp", ["10.0.0.3", "10.0.0.4"])]),
    (MIXED, "lb", APPS, [SSH] + WEB),
    # A role on its own, without the stack's groups.
    ({}, "alone", APPS, [SSH]),
])
def test_each_tier_offers_its_ports_to_the_hosts_that_use_it(groups, me, apps, expected):
    assert openings(groups, me, apps) == expected


def test_rules_have_a_comment_each():
    rules = firewall.firewall_rules(TIERED, "app1", HOSTVARS, apps=APPS)
    assert [rule["comment"] for rule in rules] == [
        "SSH", "gunicorn blog from the web servers", "gunicorn shop from the web servers",
        "Apache mod_wsgi from the web servers"]


def test_the_ports_of_the_services_can_be_set():
    assert openings(TIERED, "data", ssh_port=2222, postgresql_port="6432", memcached_port=11311) == [
        (2222, "tcp", []), (6432, "tcp", ["10.0.0.3", "10.0.0.4"]), (11311, "tcp", ["10.0.0.3", "10.0.0.4"])]
    assert openings(TIERED, "app1", APPS[2:3], mod_wsgi_port=9001) == [SSH, (9001, "tcp", ["10.0.0.2"])]


@pytest.mark.parametrize("me, peers", [
    ("solo", []),
    ("web", []),
    ("app1", ["web"]),
    ("data", ["app1", "app2"]),
])
def test_peers_are_the_hosts_whose_addresses_the_rules_need(me, peers):
    groups = ALL_IN_ONE if me == "solo" else TIERED
    assert firewall.firewall_peers(groups, me) == peers


def test_the_users_own_openings_come_last():
    allow = [
        {"port": 9100, "sources": ["10.1.0.5", "10.1.0.0/24", "2001:db8::/32"], "comment": "node exporter"},
        {"port": "60000-61000", "proto": "udp"},
        {"port": "8080", "proto": "tcp", "sources": []},
        {"port": 9100, "sources": ["10.1.0.0/24", "2001:db8::/32"], "comment": "the same again"},
    ]
    rules = firewall.firewall_rules(ALL_IN_ONE, "solo", HOSTVARS, allow=allow)
    assert rules[3:] == [
        # 10.1.0.5 is in 10.1.0.0/24: one network per family, without overlaps.
        {"port": 9100, "proto": "tcp", "sources": ["10.1.0.0/24", "2001:db8::/32"], "comment": "node exporter"},
        {"port": "60000-61000", "proto": "udp", "sources": [], "comment": "firewall_allow[1]"},
        {"port": 8080, "proto": "tcp", "sources": [], "comment": "firewall_allow[2]"},
    ]


def test_ssh_sources_limit_ssh():
    assert openings(ALL_IN_ONE, "solo", ssh_sources=["192.0.2.7", "2001:db8::/64"])[0] == (
        22, "tcp", ["192.0.2.7", "2001:db8::/64"])


@pytest.mark.parametrize("kwargs, message", [
    ({"allow": [{"port": 0}]}, r"firewall_allow\[0\].port must be a port from 1 to 65535"),
    ({"allow": [{"port": 65536}]}, r"firewall_allow\[0\].port must be a port"),
    ({"allow": [{"port": "http"}]}, r"firewall_allow\[0\].port must be a port .* got 'http'"),
    ({"allow": [{"port": "9000-8000"}]}, r"firewall_allow\[0\].port must be a port"),
    ({"allow": [{"port": True}]}, r"firewall_allow\[0\].port must be a port"),
    ({"allow": [{"port": 80, "proto": "icmp"}]}, r"firewall_allow\[0\].proto must be one of tcp, udp, got 'icmp'"),
    ({"allow": [{"port": 80}, {"port": 81, "proto": "TCP"}]}, r"firewall_allow\[1\].proto must be one of"),
    ({"allow": [{"proto": "tcp"}]}, r"firewall_allow\[0\].port is missing"),
    ({"allow": [{"port": 80, "source": ["10.0.0.1"]}]}, r"firewall_allow\[0\] has unknown keys source"),
    ({"allow": [{"port": 80, "sources": "10.0.0.1"}]}, r"firewall_allow\[0\].sources must be a list"),
    ({"allow": [{"port": 80, "sources": ["10.0.0.300"]}]}, r"firewall_allow\[0\].sources: '10.0.0.300' is not"),
    ({"allow": [{"port": 80, "sources": ["10.0.0.1/24"]}]}, r"firewall_allow\[0\].sources: .* has host bits set"),
    ({"allow": [{"port": 80, "sources": ["0.0.0.0/0"]}]}, r"admits every address; leave the list empty"),
    ({"allow": [{"port": 80, "comment": 'say "hi"'}]}, r"firewall_allow\[0\].comment must be printable ASCII"),
    ({"allow": [{"port": 80, "comment": "x" * 129}]}, r"firewall_allow\[0\].comment must be"),
    ({"allow": ["80/tcp"]}, r"firewall_allow\[0\] must be a dict"),
    ({"allow": {"port": 80}}, r"firewall_allow must be a list"),
    ({"ssh_port": "ssh"}, r"firewall_ssh_port must be a port"),
    ({"ssh_sources": ["office"]}, r"firewall_ssh_sources: 'office' is not an address"),
    ({"postgresql_port": 99999}, r"firewall_postgresql_port must be a port"),
])
def test_bad_input_names_the_field(kwargs, message):
    with pytest.raises(firewall.FirewallError, match=message):
        firewall.firewall_rules(TIERED, "data", HOSTVARS, **kwargs)


def test_a_bad_app_model_is_an_error_of_the_model():
    with pytest.raises(model.AppModelError, match="django_apps has two apps on port 8000"):
        firewall.firewall_rules(TIERED, "app1", HOSTVARS, apps=[{"name": "a"}, {"name": "b", "port": 8000}])


def test_a_peer_without_facts_is_an_error():
    with pytest.raises(model.AppModelError, match="no address is known for host web"):
        firewall.firewall_rules(TIERED, "app1", {"app1": {}}, apps=APPS)


@pytest.mark.parametrize("connection, kwargs", [
    ("192.0.2.1 50000 10.0.0.9 22", {}),
    ("192.0.2.1 50000 10.0.0.9 22", {"ssh_sources": ["192.0.2.0/24"]}),
    ("192.0.2.1 50000 10.0.0.9 2222", {"ssh_port": 2222}),
    # The connection reaches sshd through an opening of the user's own.
    ("198.51.100.4 50000 10.0.0.9 22",
     {"ssh_sources": ["192.0.2.0/24"], "allow": [{"port": "20-30", "sources": ["198.51.100.0/24"]}]}),
    ("2001:db8::5 50000 2001:db8::9 22", {"ssh_sources": ["2001:db8::/64"]}),
    ("127.0.0.1 50000 127.0.0.1 22", {"ssh_sources": ["192.0.2.0/24"]}),   # a tunnel: loopback
    ("", {"ssh_sources": ["192.0.2.0/24"]}),                              # not over SSH
    ("garbage", {"ssh_sources": ["192.0.2.0/24"]}),
])
def test_the_play_keeps_its_own_ssh_access(connection, kwargs):
    assert firewall.firewall_rules(ALL_IN_ONE, "solo", HOSTVARS, connection=connection, **kwargs)


@pytest.mark.parametrize("connection, kwargs", [
    ("198.51.100.4 50000 10.0.0.9 22", {"ssh_sources": ["192.0.2.0/24"]}),
    ("192.0.2.1 50000 10.0.0.9 22", {"ssh_port": 2222}),
    # A udp opening does not admit SSH.
    ("198.51.100.4 50000 10.0.0.9 22", {"ssh_sources": ["192.0.2.0/24"], "allow": [{"port": 22, "proto": "udp"}]}),
    ("2001:db8:1::5 50000 2001:db8::9 22", {"ssh_sources": ["2001:db8::/64", "192.0.2.0/24"]}),
])
def test_rules_that_would_lock_the_play_out_are_refused(connection, kwargs):
    with pytest.raises(firewall.FirewallError, match="this play reaches the host from .* locked out"):
        firewall.firewall_rules(ALL_IN_ONE, "solo", HOSTVARS, connection=connection, **kwargs)


def test_the_filters_are_registered_and_fail_with_the_message():
    from ansible.errors import AnsibleFilterError
    from ansible_collections.djangostack.deploy.plugins.filter.apps import FilterModule

    filters = FilterModule().filters()
    assert filters["firewall_peers"](TIERED, "data") == ["app1", "app2"]
    assert filters["firewall_rules"](ALL_IN_ONE, "solo", HOSTVARS)[0]["comment"] == "SSH"
    with pytest.raises(AnsibleFilterError, match=r"firewall_allow\[0\].proto must be one of tcp, udp"):
        filters["firewall_rules"](ALL_IN_ONE, "solo", HOSTVARS, allow=[{"port": 80, "proto": "icmp"}])
