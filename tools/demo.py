# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make demo`: the bundled example project on a local test host, through nginx over HTTPS.

Boots one Debian test host (the harness of the Molecule scenarios), writes an
inventory that puts it in all four groups with the example inventory's
django_apps, runs playbooks/site.yml against it, then fetches the home page
through nginx over HTTPS and prints what came back. The host keeps running;
`make demo-down` removes it.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HARNESS = REPO / "molecule" / "shared" / "testhosts.py"
# The ansible.cfg the collection recommends (pipelining, one SSH connection per host).
ANSIBLE_CFG = REPO / "examples" / "ansible.cfg"
WORK = REPO / "build" / "demo"
DOMAIN = "example.test"
RELEASE = os.environ.get("DEMO_RELEASE", "bookworm")


def step(text):
    print(f"\n=== {text}", flush=True)


def boot(scenario="demo", release=RELEASE):
    platforms = json.dumps([{"name": "example", "release": release}])
    out = subprocess.run([sys.executable, str(HARNESS), "up", "--scenario", scenario, "--platforms", platforms],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out)[0]


def write_inventory(host, work=WORK):
    inventory = work / "inventory"
    inventory.mkdir(parents=True, exist_ok=True)
    group_vars = inventory / "group_vars"
    if group_vars.is_symlink() or group_vars.exists():
        group_vars.unlink()
    group_vars.symlink_to(REPO / "examples" / "inventory" / "group_vars")
    host_vars = {
        "ansible_host": host["address"],
        "ansible_user": host["user"],
        "ansible_port": host["port"],
        "ansible_ssh_private_key_file": host["identity_file"],
        "ansible_ssh_common_args": "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR",
    }
    # make demo EXAMPLE_SERVER=mod_wsgi: the app under Apache and mod_wsgi.
    if os.environ.get("EXAMPLE_SERVER"):
        host_vars["example_server"] = os.environ["EXAMPLE_SERVER"]
    groups = {group: {"hosts": {"example": None}}
              for group in ("dbservers", "cacheservers", "appservers", "webservers")}
    document = {"all": {"hosts": {"example": host_vars}, "children": groups}}
    (inventory / "hosts.yml").write_text("# Written by `make demo`.\n" + json.dumps(document, indent=2) + "\n")
    return inventory


def fetch(address):
    result = subprocess.run(
        ["curl", "-sk", "--max-time", "20", "-o", "-", "-w", "\n%{http_code} %{ssl_verify_result}",
         "--resolve", f"{DOMAIN}:443:{address}", f"https://{DOMAIN}/"],
        check=False, stdout=subprocess.PIPE, text=True)
    body, _sep, status = result.stdout.rpartition("\n")
    return result.returncode, status.split()[0] if status else "000", body


def main():
    step(f"Booting a Debian {RELEASE} test host")
    host = boot()
    print(f"host example at {host['address']}")
    inventory = write_inventory(host)

    step("Running playbooks/site.yml with the example inventory")
    env = dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_CONFIG=str(ANSIBLE_CFG))
    play = subprocess.run(["ansible-playbook", "-i", str(inventory), str(REPO / "playbooks" / "site.yml")],
                          env=env, check=False)
    if play.returncode != 0:
        print(f"\nsite.yml failed (exit {play.returncode}); the host is still up: `make demo-down` removes it.")
        return play.returncode

    step(f"GET https://{DOMAIN}/ through nginx on {host['address']}")
    rc, status, body = fetch(host["address"])
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    greetings = re.findall(r"<li>(.*?)</li>", body)
    print(f"HTTP {status}" + (f" (curl exit {rc})" if rc else ""))
    if title:
        print(f"title:     {title.group(1).strip()}")
    if greetings:
        print(f"greetings: {', '.join(g.strip() for g in greetings[:3])}")
    print(f"\nThe site:  https://{DOMAIN}/ (self-signed certificate) at {host['address']}")
    print(f"  curl -k --resolve {DOMAIN}:443:{host['address']} https://{DOMAIN}/")
    print(f"  or add '{host['address']} {DOMAIN}' to /etc/hosts and open it in a browser")
    print(f"Inventory: {inventory}  (ansible-playbook -i {inventory} playbooks/site.yml)")
    print("Remove the host: make demo-down")
    return 0 if status == "200" else 1


if __name__ == "__main__":
    sys.exit(main())
