"""What the tests of the site scenario share: names, the example's apps, process ids."""

import json
import os
from pathlib import Path

import testinfra
import yaml

from playbooks import inventory

REPO = Path(__file__).resolve().parents[3]
SITE = "../../playbooks/site.yml"
DOMAIN = "example.test"
MANAGE = "/usr/local/bin/example-manage"
# The mod_wsgi daemon processes of the app (display-name=%{GROUP}).
DAEMON = "(wsgi:example)"


def example_apps():
    """The example inventory's django_apps, as declared."""
    return yaml.safe_load((REPO / "examples/inventory/group_vars/all.yml").read_text())["django_apps"]


def git_source_apps():
    """The example inventory's django_apps, deploying from the host's git repository, with
    /slow/ on (the day-two tests keep a request in flight through every switch)."""
    apps = example_apps()
    apps[0]["source"] = {"type": "git", "repo": "/root/example-repo", "version": "main"}
    apps[0]["env"] = {**apps[0].get("env", {}), "EXAMPLE_SLOW_MAX": "15"}
    return apps


def daemon_processes(host):
    """The app's mod_wsgi daemon processes as [(pid, user, threads)]."""
    lines = host.run("ps -eo pid=,user=,nlwp=,args=").stdout.splitlines()
    return [(int(f[0]), f[1], int(f[2])) for f in (line.split(None, 3) for line in lines)
            if len(f) == 4 and f[3].startswith(DAEMON)]


def gunicorn_program(host):
    """The supervisord program of the gunicorn slot that serves (the socket links to its socket)."""
    target = host.file("/srv/example/run/gunicorn.sock").linked_to
    slot = Path(target).name.removeprefix("gunicorn-").removesuffix(".sock")
    assert slot in ("blue", "green"), target
    return f"example-{slot}"


def gunicorn_master(host):
    out = host.run(f"supervisorctl pid {gunicorn_program(host)}").stdout.strip()
    assert out.isdigit(), out
    return int(out)


def host_addresses():
    """The address of each host of the scenario, as the controller reaches it."""
    return {name: variables["ansible_host"] for name, variables in inventory()["_meta"]["hostvars"].items()}


def record_time(what, seconds):
    """Keep a measured duration in build/reports/site-times.json (reported, never asserted)."""
    path = REPO / "build" / "reports" / "site-times.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    times = json.loads(path.read_text()) if path.exists() else {}
    times[what] = round(seconds, 1)
    path.write_text(json.dumps(times, indent=2, sort_keys=True) + "\n")


def hosts():
    """Every host of the scenario, as testinfra reaches it."""
    inventory_file = os.environ["MOLECULE_INVENTORY_FILE"]
    return {name: testinfra.get_host(f"ansible://{name}?ansible_inventory={inventory_file}")
            for name in host_addresses()}
