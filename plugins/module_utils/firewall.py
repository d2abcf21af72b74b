# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The host firewall's openings (firewall role), derived from the inventory's tiers.

What a host must offer, and to whom, follows from the groups it is in and from the
hosts that use it over the network (apps.remote_clients): a web server offers 80
and 443 to anyone; an app server offers its apps' ports to the web servers that are
not app servers themselves; a database or cache server offers its port to the app
servers that are not in its tier. SSH and the user's own `firewall_allow` entries
come on top. These pure functions compute that list; the role writes it as nftables
rules.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

import ipaddress
import re

from ansible_collections.djangostack.deploy.plugins.module_utils import apps as model

PROTOS = ("tcp", "udp")
WEB_PORTS = (80, 443)
SSH_PORT = 22
POSTGRESQL_PORT = 5432
MEMCACHED_PORT = 11211
# (clients, tier): the tier this host may be in, and the group that uses it.
TIER_CLIENTS = (("webservers", "appservers"), ("appservers", "dbservers"), ("appservers", "cacheservers"))
PORT_RANGE_RE = re.compile(r"^\s*([0-9]{1,5})\s*-\s*([0-9]{1,5})\s*$")
# An nftables comment is a quoted string of at most 128 bytes.
COMMENT_RE = re.compile(r'^[\x20-\x7e]{1,128}$')


class FirewallError(model.AppModelError):
    """A firewall input that cannot be written as a rule, with a message naming the field."""


def _port(value, what):
    """A port (1 to 65535), or a range "LOW-HIGH" as a string."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, str):
        match = PORT_RANGE_RE.match(value)
        if match:
            low, high = int(match.group(1)), int(match.group(2))
            if 1 <= low < high <= 65535:
                return "%d-%d" % (low, high)
            value = None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not 1 <= number <= 65535:
        raise FirewallError("%s must be a port from 1 to 65535 (or a range like 60000-61000), got %r"
                            % (what, value))
    return number


def _proto(value, what):
    if value not in PROTOS:
        raise FirewallError("%s must be one of %s, got %r" % (what, ", ".join(PROTOS), value))
    return value


def _sources(value, what):
    """Addresses and networks, IPv4 and IPv6, without overlaps; [] means anywhere.

    A network is written with its prefix, a single address without it.
    """
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise FirewallError("%s must be a list of addresses or networks (e.g. [10.0.0.5, 192.0.2.0/24]), "
                            "got %r" % (what, value))
    networks = {4: [], 6: []}
    for source in value:
        try:
            network = ipaddress.ip_network(str(source).strip())
        except ValueError as exc:
            raise FirewallError("%s: %r is not an address or network (%s)" % (what, source, exc))
        if network.prefixlen == 0:
            raise FirewallError("%s: %s admits every address; leave the list empty for anywhere"
                                % (what, source))
        networks[network.version].append(network)
    result = []
    for version in (4, 6):
        for network in ipaddress.collapse_addresses(networks[version]):
            single = network.prefixlen == network.max_prefixlen
            result.append(str(network.network_address) if single else str(network))
    return result


def _comment(value, what):
    if not isinstance(value, str) or not COMMENT_RE.match(value) or '"' in value or "\\" in value:
        raise FirewallError("%s must be printable ASCII of at most 128 characters without \" or \\, got %r"
                            % (what, value))
    return value


def _members(groups, group):
    return list((groups or {}).get(group) or [])


def firewall_peers(groups, me):
    """The other hosts whose addresses this host's rules admit, in inventory order.

    For each tier this host is in, the hosts that use the tier over the network
    (remote_clients); their facts (ansible_facts.default_ipv4) must be known.
    """
    peers = []
    for clients, tier in TIER_CLIENTS:
        if me in _members(groups, tier):
            peers += [host for host in model.remote_clients(groups, me, clients, tier) if host not in peers]
    return peers


def firewall_rules(groups, me, hostvars, apps=None, ssh_port=SSH_PORT, ssh_sources=None, allow=None,
                   postgresql_port=POSTGRESQL_PORT, memcached_port=MEMCACHED_PORT,
                   mod_wsgi_port=model.MOD_WSGI_PORT, connection=None):
    """The openings of this host's firewall: a list of {port, proto, sources, comment}.

    `sources` empty means from anywhere. In order: SSH; 80 and 443 on a web
    server; on an app server whose web servers are other hosts, the port of each
    present gunicorn app and `mod_wsgi_port` when an app runs under mod_wsgi, from
    those web servers; on a database (cache) server, `postgresql_port`
    (`memcached_port`) from the app servers that are not database (cache) servers;
    then `allow`, the user's own entries ({port, proto, sources, comment}). Two
    entries with the same port, protocol and sources are one rule.

    `connection` is the SSH_CONNECTION of the play ("client port server port"):
    rules that would refuse a new connection from that client to that port are an
    error, so a run never locks itself out.
    """
    rules = []

    def add(port, proto, sources, comment):
        if not any(r["port"] == port and r["proto"] == proto and r["sources"] == sources for r in rules):
            rules.append({"port": port, "proto": proto, "sources": sources, "comment": comment})

    add(_port(ssh_port, "firewall_ssh_port"), "tcp", _sources(ssh_sources, "firewall_ssh_sources"), "SSH")
    if me in _members(groups, "webservers"):
        for port, name in zip(WEB_PORTS, ("HTTP", "HTTPS")):
            add(port, "tcp", [], "%s (webservers)" % name)

    if me in _members(groups, "appservers"):
        web = _addresses(groups, me, hostvars, "webservers", "appservers")
        if web:
            present = [app for app in model.normalize_apps(apps) if app["state"] == "present"]
            for app in present:
                if app["server"] == "gunicorn":
                    add(app["port"], "tcp", web, "gunicorn %s from the web servers" % app["name"])
            if any(app["server"] == "mod_wsgi" for app in present):
                add(_port(mod_wsgi_port, "firewall_mod_wsgi_port"), "tcp", web,
                    "Apache mod_wsgi from the web servers")
    for tier, port, what, name in (
            ("dbservers", postgresql_port, "firewall_postgresql_port", "PostgreSQL"),
            ("cacheservers", memcached_port, "firewall_memcached_port", "memcached")):
        if me in _members(groups, tier):
            clients = _addresses(groups, me, hostvars, "appservers", tier)
            if clients:
                add(_port(port, what), "tcp", clients, "%s from the app servers" % name)

    if allow is not None and not isinstance(allow, (list, tuple)):
        raise FirewallError("firewall_allow must be a list of {port, proto, sources, comment}, got %r" % (allow,))
    for index, entry in enumerate(allow or []):
        what = "firewall_allow[%d]" % index
        if not isinstance(entry, dict):
            raise FirewallError("%s must be a dict with port, proto, sources, comment, got %r" % (what, entry))
        unknown = sorted(set(entry) - {"port", "proto", "sources", "comment"})
        if unknown:
            raise FirewallError("%s has unknown keys %s (known: port, proto, sources, comment)"
                                % (what, ", ".join(map(str, unknown))))
        if "port" not in entry:
            raise FirewallError("%s.port is missing: give the port (or range) to open" % what)
        add(_port(entry["port"], what + ".port"), _proto(entry.get("proto", "tcp"), what + ".proto"),
            _sources(entry.get("sources"), what + ".sources"),
            _comment(entry.get("comment", what), what + ".comment"))

    if connection:
        _check_connection(rules, connection)
    return rules


def _addresses(groups, me, hostvars, clients, tier):
    hosts = model.remote_clients(groups, me, clients, tier)
    return _sources(model.host_addresses(hosts, hostvars, me), "the addresses of the %s" % clients)


def _admits(rule, port, client):
    if rule["proto"] != "tcp":
        return False
    if isinstance(rule["port"], str):
        low, high = (int(part) for part in rule["port"].split("-"))
    else:
        low = high = rule["port"]
    if not low <= port <= high:
        return False
    return not rule["sources"] or any(client in ipaddress.ip_network(source) for source in rule["sources"])


def _check_connection(rules, connection):
    """Refuse rules that would not admit a new SSH connection like the play's own."""
    fields = str(connection).split()
    try:
        client = ipaddress.ip_address(fields[0].split("%")[0])
        port = int(fields[3])
    except (IndexError, ValueError):
        return  # not an SSH connection we can read: nothing to check
    if client.is_loopback or any(_admits(rule, port, client) for rule in rules):
        return
    raise FirewallError(
        "firewall_ssh_sources, firewall_ssh_port: this play reaches the host from %s on port %d, which "
        "the firewall would refuse: the next connection would be locked out; add %s to "
        "firewall_ssh_sources or set firewall_ssh_port to the port sshd listens on" % (client, port, client))
