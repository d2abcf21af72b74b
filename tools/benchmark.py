# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make benchmark`: how long the playbooks take and how much memory the stack uses.

Boots one fresh Debian test host (the harness of the Molecule scenarios), then
measures, with the example inventory and a copy of the example project:
  - playbooks/site.yml on the fresh host (packages, database, the first release)
  - playbooks/site.yml again (nothing to change)
  - playbooks/deploy.yml of a one-line change (a new heading)
  - the memory the app's processes hold (RSS), and the machine's used memory
Results go to build/reports/benchmark.json and are printed; nothing is asserted
(a noisy machine changes them). The host is removed at the end.

  make benchmark [BENCHMARK_RELEASE=trixie] [EXAMPLE_SERVER=mod_wsgi]
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml


def _load_demo():
    """tools/demo.py, whose host and inventory helpers this script shares."""
    spec = importlib.util.spec_from_file_location("demo", Path(__file__).resolve().with_name("demo.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


demo = _load_demo()
REPO = demo.REPO
WORK = REPO / "build" / "benchmark"
SCENARIO = "benchmark"
RELEASE = os.environ.get("BENCHMARK_RELEASE") or "bookworm"
SERVER = os.environ.get("EXAMPLE_SERVER") or "gunicorn"
HEADING = "<h1>djangostack example</h1>"


def playbook(inventory, name, extra_vars):
    """ansible-playbook NAME against the benchmark host: seconds taken (fails on an error)."""
    started = time.monotonic()
    subprocess.run(["ansible-playbook", "-i", str(inventory), str(REPO / "playbooks" / name),
                    "-e", json.dumps(extra_vars)],
                   env=dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="False"), check=True,
                   stdout=subprocess.DEVNULL)
    return round(time.monotonic() - started, 1)


def on_host(host, command):
    return subprocess.run(["ssh", "-i", host["identity_file"], "-p", str(host["port"]), "-o", "BatchMode=yes",
                           "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
                           "LogLevel=ERROR", f"{host['user']}@{host['address']}", command],
                          check=True, stdout=subprocess.PIPE, text=True).stdout


def memory(host):
    """MB of RSS of the app's processes (its user's, and Apache's when it serves the app), and MB used."""
    users = "example,www-data" if SERVER == "mod_wsgi" else "example"
    rss = on_host(host, f"ps -u {users} -o rss= | awk '{{s += $1}} END {{print s}}'").strip()
    used = on_host(host, "free -m | awk '/^Mem:/ {print $3}'").strip()
    return round(int(rss or 0) / 1024, 1), int(used)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    project = WORK / "project"
    shutil.copytree(REPO / "examples" / "project", project)
    apps = yaml.safe_load((REPO / "examples" / "inventory" / "group_vars" / "all.yml").read_text())["django_apps"]
    apps[0]["source"] = {"type": "local", "path": str(project)}
    extra_vars = {"django_apps": apps, "example_server": SERVER}

    demo.step(f"Booting a fresh Debian {RELEASE} test host")
    subprocess.run([sys.executable, str(demo.HARNESS), "down", "--scenario", SCENARIO], check=False)
    host = demo.boot(SCENARIO, RELEASE)
    inventory = demo.write_inventory(host, WORK)
    results = {"release": RELEASE, "server": SERVER, "cpus": os.cpu_count()}
    try:
        demo.step("site.yml on the fresh host")
        results["site.yml, fresh host"] = playbook(inventory, "site.yml", extra_vars)
        demo.step("site.yml again")
        results["site.yml again, nothing to change"] = playbook(inventory, "site.yml", extra_vars)
        template = project / "pages" / "templates" / "pages" / "home.html"
        template.write_text(template.read_text().replace(HEADING, "<h1>djangostack example, benchmarked</h1>"))
        demo.step("deploy.yml of a one-line change")
        results["deploy.yml, one-line change"] = playbook(inventory, "deploy.yml", extra_vars)
        rss, used = memory(host)
        results["RSS of the app's processes, MB"] = rss
        # A systemd-nspawn host sees the machine's /proc/meminfo: this is the machine's.
        results["memory used on the machine, MB"] = used
    finally:
        subprocess.run([sys.executable, str(demo.HARNESS), "down", "--scenario", SCENARIO], check=False)
    report = REPO / "build" / "reports" / "benchmark.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(results, indent=2) + "\n")
    demo.step(f"Results ({report.relative_to(REPO)})")
    for key, value in results.items():
        print(f"{key:40} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
