# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make benchmark`: the playbooks' durations against the raw work on the same machine.

Each round boots two fresh, identical Debian test hosts (the harness of the Molecule
scenarios) and measures, with the example inventory and a copy of the example project:

  - site.yml on the first fresh host (packages, database, the first release);
  - the raw work on the second: one `apt-get install` of exactly the Debian packages
    that site.yml left on the first (the same apt cache update first), a virtualenv
    and `pip install -r` of the example's requirements (the limit the playbook is
    compared with);
  - site.yml again (nothing to change), deploy.yml of a one-line template change,
    deploy.yml with nothing changed, rollback.yml to the release before;
  - the memory the app's processes hold (RSS) and the machine's used memory.

The figures are medians over BENCHMARK_ROUNDS rounds (2 by default), and the fresh
site.yml is also given as a ratio of the raw work of the same round, which a noisy
machine changes far less than the seconds. Results go to build/reports/benchmark.json
and are printed with the goals beside them; nothing is asserted. The hosts are
removed at the end.

  make benchmark [BENCHMARK_RELEASE=trixie] [EXAMPLE_SERVER=mod_wsgi] [BENCHMARK_ROUNDS=3]
"""

import importlib.util
import json
import os
import shlex
import shutil
import statistics
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
ROUNDS = max(1, int(os.environ.get("BENCHMARK_ROUNDS") or 2))
HEADING = "<h1>djangostack example</h1>"
TEMPLATE = Path("pages") / "templates" / "pages" / "home.html"

# (key, goal, how the goal reads) in the order they are printed; issue-level goals
# of the collection, reported beside the measured figures.
FIGURES = [
    ("site.yml, fresh host, s", None, ""),
    ("raw work: apt-get install + venv + pip, s", None, ""),
    ("site.yml fresh / raw work", 1.6, "<= 1.6"),
    ("site.yml again, nothing to change, s", 12, "<= 12"),
    ("deploy.yml, one template line, s", 12, "<= 12"),
    ("deploy.yml, nothing changed, s", 4, "<= 4"),
    ("rollback.yml, s", 6, "<= 6"),
    ("packages the stack installed", None, ""),
    ("RSS of the app's processes, MB", None, ""),
    ("memory used on the machine, MB", None, ""),
]


def playbook(inventory, name, extra_vars, limit):
    """ansible-playbook NAME against one benchmark host: seconds taken (fails on an error)."""
    started = time.monotonic()
    subprocess.run(["ansible-playbook", "-i", str(inventory), "--limit", limit, str(REPO / "playbooks" / name),
                    "-e", json.dumps(extra_vars)],
                   env=dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_CONFIG=str(demo.ANSIBLE_CFG)),
                   check=True, stdout=subprocess.DEVNULL)
    return round(time.monotonic() - started, 1)


def on_host(host, command, stdin=None):
    return subprocess.run(["ssh", "-i", host["identity_file"], "-p", str(host["port"]), "-o", "BatchMode=yes",
                           "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
                           "LogLevel=ERROR", f"{host['user']}@{host['address']}", command],
                          check=True, input=stdin, stdout=subprocess.PIPE, text=True).stdout


def installed(host):
    return set(on_host(host, "dpkg-query --show --showformat='${db:Status-Abbrev} ${Package}\\n'").split("\n"))


def raw_work(host, packages, requirements):
    """Seconds of the work site.yml cannot do without, on a fresh host: the apt cache
    update, one apt-get install of `packages`, a virtualenv and pip install -r."""
    on_host(host, "cat > /root/requirements.txt", stdin=requirements)
    command = ("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -qq -y --no-install-recommends "
               + " ".join(shlex.quote(p) for p in sorted(packages)) + " > /dev/null"
               " && python3 -m venv /root/venv && /root/venv/bin/pip install -q --no-input -r /root/requirements.txt")
    started = time.monotonic()
    on_host(host, command)
    return round(time.monotonic() - started, 1)


def memory(host):
    """MB of RSS of the app's processes (its user's, and Apache's when it serves the app), and MB used."""
    users = "example,www-data" if SERVER == "mod_wsgi" else "example"
    rss = on_host(host, f"ps -u {users} -o rss= | awk '{{s += $1}} END {{print s}}'").strip()
    used = on_host(host, "free -m | awk '/^Mem:/ {print $3}'").strip()
    return round(int(rss or 0) / 1024, 1), int(used)


def one_round(number, apps):
    # A copy of the example project per round: the first release of each round is the same.
    project = WORK / f"project-{number}"
    shutil.copytree(REPO / "examples" / "project", project)
    apps = [dict(apps[0], source={"type": "local", "path": str(project)})] + apps[1:]
    demo.step(f"Round {number}: booting two fresh Debian {RELEASE} test hosts")
    subprocess.run([sys.executable, str(demo.HARNESS), "down", "--scenario", SCENARIO], check=False)
    platforms = json.dumps([{"name": "example", "release": RELEASE}, {"name": "raw", "release": RELEASE}])
    out = subprocess.run([sys.executable, str(demo.HARNESS), "up", "--scenario", SCENARIO, "--platforms", platforms],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    stack, raw = json.loads(out)
    inventory = demo.write_inventory(stack, WORK)
    extra_vars = {"django_apps": apps, "example_server": SERVER}
    result = {}
    template = project / TEMPLATE
    before = installed(raw)
    demo.step("site.yml on the fresh host")
    result["site.yml, fresh host, s"] = playbook(inventory, "site.yml", extra_vars, "example")
    packages = {line.split()[1] for line in installed(stack) - before if line.startswith("ii ")}
    assert HEADING in template.read_text(), f"{TEMPLATE} no longer has {HEADING}"
    result["packages the stack installed"] = len(packages)
    demo.step(f"The raw work on the other fresh host ({len(packages)} packages, venv, pip)")
    requirements = (project / "requirements.txt").read_text()
    result["raw work: apt-get install + venv + pip, s"] = raw_work(raw, packages, requirements)
    result["site.yml fresh / raw work"] = round(
        result["site.yml, fresh host, s"] / result["raw work: apt-get install + venv + pip, s"], 2)
    demo.step("site.yml again")
    result["site.yml again, nothing to change, s"] = playbook(inventory, "site.yml", extra_vars, "example")
    template.write_text(template.read_text().replace(HEADING, "<h1>djangostack example, benchmarked</h1>"))
    demo.step("deploy.yml of a one-line change")
    result["deploy.yml, one template line, s"] = playbook(inventory, "deploy.yml", extra_vars, "example")
    demo.step("deploy.yml with nothing changed")
    result["deploy.yml, nothing changed, s"] = playbook(inventory, "deploy.yml", extra_vars, "example")
    demo.step("rollback.yml")
    result["rollback.yml, s"] = playbook(inventory, "rollback.yml", dict(extra_vars, app="example"), "example")
    rss, used = memory(stack)
    result["RSS of the app's processes, MB"] = rss
    # A systemd-nspawn host sees the machine's /proc/meminfo: this is the machine's.
    result["memory used on the machine, MB"] = used
    return result


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    apps = yaml.safe_load((REPO / "examples" / "inventory" / "group_vars" / "all.yml").read_text())["django_apps"]
    rounds = []
    try:
        for number in range(1, ROUNDS + 1):
            rounds.append(one_round(number, apps))
    finally:
        subprocess.run([sys.executable, str(demo.HARNESS), "down", "--scenario", SCENARIO], check=False)
    medians = {key: round(statistics.median(r[key] for r in rounds), 2) for key, _goal, _text in FIGURES}
    results = {"release": RELEASE, "server": SERVER, "cpus": os.cpu_count(), "rounds": len(rounds),
               "median": medians, "each round": rounds,
               "goals": {key: text for key, _goal, text in FIGURES if text}}
    report = REPO / "build" / "reports" / "benchmark.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(results, indent=2) + "\n")
    demo.step(f"Medians of {len(rounds)} rounds on Debian {RELEASE}, {SERVER}, {os.cpu_count()} CPUs "
              f"({report.relative_to(REPO)})")
    for key, goal, text in FIGURES:
        value = medians[key]
        verdict = "" if goal is None else ("  met" if value <= goal else "  not met")
        each = " / ".join(str(r[key]) for r in rounds)
        print(f"{key:45} {value:>8}   goal {text or '-':6}{verdict:9} (rounds: {each})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
