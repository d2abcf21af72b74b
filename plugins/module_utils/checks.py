# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules on the values the roles write into configuration files.

Each function returns the first problem as one line (empty when there is
none); the roles' assert tasks call them through the collection's filters, so
that a role used on its own and the stack's first play refuse the same input.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

import ipaddress
import re

CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# supervisord reads ; and # after white space as the start of a comment.
SUPERVISOR_COMMENT_RE = re.compile(r"\s[;#]")
PYTHON_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
# pg_hba.conf methods that check a password or the system's account, or refuse.
HBA_METHODS = ("scram-sha-256", "peer", "reject", "cert")
HBA_TYPES = ("local", "host", "hostssl", "hostnossl")
HBA_WORD_RE = re.compile(r"^[A-Za-z0-9_.,+@-]+$")
# memcached options that the role's own variables set (and check).
MEMCACHED_OWN_OPTIONS = {
    "-l": "memcached_listen", "--listen": "memcached_listen",
    "-p": "memcached_port", "--port": "memcached_port",
    "-U": "memcached_port (UDP is always off)", "--udp-port": "memcached_port (UDP is always off)",
    "-m": "memcached_memory_mb", "--memory-limit": "memcached_memory_mb",
    "-c": "memcached_max_connections", "--conn-limit": "memcached_max_connections",
    "-t": "memcached_threads", "--threads": "memcached_threads",
    "-I": "memcached_max_item_size", "--max-item-size": "memcached_max_item_size",
    "-u": "the memcache user of Debian's service", "--user": "the memcache user of Debian's service",
    "-d": "Debian's service", "--daemon": "Debian's service",
    "-s": "memcached_listen (TCP only)", "--unix-socket": "memcached_listen (TCP only)",
}


def _one_line(value):
    return isinstance(value, str) and not CONTROL_RE.search(value)


def supervisord_program_problem(program):
    """What makes a program's section say something else than it means, if anything."""
    for field in ("name", "command", "directory", "user", "umask", "environment_file"):
        value = program.get(field)
        if value is not None and not _one_line(str(value)):
            return "%s must be one line (a newline starts another line of the program's section)" % field
    command = str(program.get("command", ""))
    if SUPERVISOR_COMMENT_RE.search(command):
        return ("command has ; or # after a space, where supervisord ends the command (a comment): write it "
                "without them, e.g. in a script the command runs")
    for key, value in (program.get("environment") or {}).items():
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", str(key)):
            return "environment: %r is not an environment variable name" % (key,)
        if not _one_line(str(value)):
            return "environment.%s must be one line" % key
    return ""


def memcached_listen_problem(listen, allow_any=False):
    """Addresses memcached may listen on: IP addresses or names, never every interface unless allowed."""
    if not listen:
        return "memcached_listen must list one or more addresses (like 127.0.0.1 or 10.0.0.5)"
    for address in listen:
        text = str(address).strip()
        bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
        if not re.match(r"^([0-9A-Za-z.:_-]+|\*)$", bare):
            return "memcached_listen: %r is not an address (like 127.0.0.1 or 10.0.0.5)" % (address,)
        try:
            ip = ipaddress.ip_address(bare)
        except ValueError:
            ip = None
        if (bare == "*" or ip is not None and ip.is_unspecified) and not allow_any:
            return ("memcached_listen: %s is every interface, which exposes memcached to every network; list "
                    "private addresses instead, or set memcached_allow_any_address: true" % text)
    return ""


def memcached_options_problem(options):
    """memcached_extra_options: one option per item, none that the role's variables set."""
    for option in options or []:
        text = str(option)
        if not re.match(r"^-[A-Za-z-][A-Za-z0-9 ,=._:/-]*$", text):
            return ("memcached_extra_options must hold one option per item, like \"-o modern\", with letters, "
                    "digits and , = . _ : / - only (Debian's wrapper passes them through a shell), got %r" % text)
        flag = re.split(r"[ =]", text, maxsplit=1)[0]
        if not flag.startswith("--"):
            flag = flag[:2]
        if flag in MEMCACHED_OWN_OPTIONS:
            return "memcached_extra_options may not set %s: use %s" % (flag, MEMCACHED_OWN_OPTIONS[flag])
    return ""


def hba_entry_problem(entry):
    """One pg_hba.conf entry: a password check (scram-sha-256) or peer, from private networks only."""
    if not isinstance(entry, dict):
        return "each entry must be a dict with type, database, user, address and method, got %r" % (entry,)
    kind = entry.get("type")
    if kind not in HBA_TYPES:
        return "type must be one of %s, got %r" % (", ".join(HBA_TYPES), kind)
    for field in ("database", "user", "options"):
        value = entry.get(field)
        if value is not None and not (isinstance(value, str) and (HBA_WORD_RE.match(value) or
                                                                  field == "options" and _one_line(value))):
            return "%s must be one word (a name, all, or a comma-separated list), got %r" % (field, value)
    method = entry.get("method")
    if method not in HBA_METHODS:
        return ("method must be one of %s (trust lets anybody in, md5 and password send weaker secrets), got %r"
                % (", ".join(HBA_METHODS), method))
    if method == "cert" and kind != "hostssl":
        # PostgreSQL refuses to load such a line (and with it the whole file).
        return "method cert works for hostssl entries only, got type %s" % kind
    if kind == "local":
        if entry.get("address"):
            return "a local entry takes no address"
        return ""
    if method == "peer":
        return "peer works for local entries only: use scram-sha-256 for %s" % kind
    address = str(entry.get("address") or "")
    if not address:
        return "type %s needs an address such as 10.0.0.5/32" % kind
    if address in ("samehost",):
        return ""
    try:
        network = ipaddress.ip_network(address, strict=False)
    except ValueError:
        return ("address must be an address or network such as 10.0.0.5/32 (samehost too), got %r; all, "
                "samenet and host names admit more than the stack's hosts" % address)
    if not (network.is_private or network.is_loopback) or network.prefixlen < (8 if network.version == 4 else 48):
        return ("address %s admits more than a private network: list the client hosts or networks, e.g. "
                "10.0.0.5/32" % address)
    return ""


def _python_literal(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_python_literal(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _python_literal(item) for key, item in value.items())
    return False


def gunicorn_settings_problem(settings):
    """gunicorn_extra_settings: gunicorn setting names with plain values (strings, numbers, lists)."""
    if not isinstance(settings, dict):
        return "gunicorn_extra_settings must be a dict of gunicorn settings, got %r" % (settings,)
    for key, value in settings.items():
        if not isinstance(key, str) or not PYTHON_NAME_RE.match(key):
            return "gunicorn_extra_settings: %r is not a gunicorn setting name (like keepalive)" % (key,)
        if not _python_literal(value):
            return ("gunicorn_extra_settings.%s must be a string, number, boolean, list or dict of them, got %r"
                    % (key, value))
    return ""


def python_literal(value):
    """`value` as Python source (for gunicorn's configuration file): repr of plain values."""
    if isinstance(value, dict):
        return "{%s}" % ", ".join("%s: %s" % (repr(str(key)), python_literal(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "[%s]" % ", ".join(python_literal(item) for item in value)
    if isinstance(value, str):
        return repr(str(value))
    return repr(value)


def spec_without_defaults(options):
    """A role's argument spec options without their defaults (templates the role's own
    defaults/main.yml resolves): validated outside the role, only what the user gave counts."""
    result = {}
    for name, option in (options or {}).items():
        option = dict(option)
        option.pop("default", None)
        if "options" in option:
            option["options"] = spec_without_defaults(option["options"])
        result[name] = option
    return result
