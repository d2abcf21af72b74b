"""Run a playbook against a scenario's hosts from a testinfra test.

For tests of what a user sees on the controller: a role given bad input must fail
before it changes anything, with one clear line. Scenario tests import it as
`from playbooks import run_playbook`: the verifier's PYTHONPATH holds this
directory (.config/molecule/config.yml). `run_module` runs one module ad hoc and
returns its result, for tests of a module's return values.
"""

import json
import os
import re
import subprocess
from pathlib import Path

RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


class PlaybookResult:
    """The exit status, the whole output, and the recap per host."""

    def __init__(self, proc):
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr
        self.recap = {
            m.group(1): {"ok": int(m.group(2)), "changed": int(m.group(3)),
                         "unreachable": int(m.group(4)), "failed": int(m.group(5))}
            for m in RECAP.finditer(self.output)
        }

    def changed(self):
        return sum(host["changed"] for host in self.recap.values())

    def __repr__(self):
        return f"PlaybookResult(rc={self.rc}, recap={self.recap})\n{self.output[-3000:]}"


def inventory():
    """Molecule's inventory of the scenario as `ansible-inventory --list` gives it (groups, `_meta.hostvars`)."""
    listing = subprocess.run(["ansible-inventory", "-i", os.environ["MOLECULE_INVENTORY_FILE"], "--list"],
                             capture_output=True, text=True, check=True).stdout
    return json.loads(listing)


def run_playbook(playbook, extra_vars=None, limit=None, check=False, timeout=900, verbose=False,
                 host_vars=None, host_extra=None):
    """ansible-playbook with Molecule's inventory, as the verifier's environment has it.

    `playbook` is relative to the scenario's directory (e.g. ../../playbooks/site.yml).
    `host_vars` are variables of every host in an inventory file of their own: unlike
    extra vars, a playbook can still override them (set_fact); `host_extra` maps a
    host's name to more variables of that host alone.
    """
    argv, env = playbook_command(playbook, extra_vars, limit, check, verbose, host_vars, host_extra)
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout,
                          check=False)
    return PlaybookResult(proc)


def start_playbook(playbook, extra_vars=None, limit=None, **options):
    """run_playbook's command started in a process group of its own (to be killed as a user's
    Ctrl-C or a lost terminal would): the Popen, its output in a pipe."""
    argv, env = playbook_command(playbook, extra_vars, limit, **options)
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            start_new_session=True)


def playbook_command(playbook, extra_vars=None, limit=None, check=False, verbose=False, host_vars=None,
                     host_extra=None):
    """The argv and environment of run_playbook."""
    inventory_file = os.environ["MOLECULE_INVENTORY_FILE"]
    scenario_dir = Path(os.environ["MOLECULE_SCENARIO_DIRECTORY"])
    argv = ["ansible-playbook", "-i", inventory_file, str(scenario_dir / playbook)]
    if host_vars or host_extra:
        hosts = inventory()["_meta"]["hostvars"]
        extra = Path(inventory_file).resolve().parent.parent / "test_host_vars.json"
        # They may hold secrets (a rotated SECRET_KEY): for root only, never on a command line.
        extra.touch(mode=0o600)
        extra.chmod(0o600)
        extra.write_text(json.dumps({"all": {"hosts": {
            name: {**(host_vars or {}), **(host_extra or {}).get(name, {})} for name in hosts}}}))
        argv[3:3] = ["-i", str(extra)]
    for key, value in (extra_vars or {}).items():
        argv += ["-e", json.dumps({key: value})]
    if limit:
        argv += ["--limit", limit]
    if check:
        argv += ["--check", "--diff"]
    if verbose:
        # verbose=3: -vvv
        argv += ["-" + "v" * (verbose if verbose is not True else 1)]
    return argv, dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")


def assert_refused(result, name, message):
    """A run that bad input stopped: exit status 2, the message, nothing changed on `name`."""
    assert result.rc == 2, result
    # The callback may wrap a long message; the message itself has no line break.
    assert message in " ".join(result.output.split()), result
    assert result.recap[name]["changed"] == 0, result


def run_module(host, module, args, check=False, timeout=300):
    """One module on one host, ad hoc (`ansible HOST -m MODULE -a JSON`): that host's result.

    The result is the module's return value as the json callback records it, with
    `failed` true when the module failed; it is returned in either case. Output
    that is no such result (an unreachable host, a syntax error in the arguments)
    fails the test with the whole output.
    """
    inventory_file = os.environ["MOLECULE_INVENTORY_FILE"]
    argv = ["ansible", host, "-i", inventory_file, "-m", module, "-a", json.dumps(args)]
    if check:
        argv += ["--check"]
    env = dict(os.environ, ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="ansible.posix.json",
               ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout, check=False)
    try:
        plays = json.loads(proc.stdout)["plays"]
        result = next(task["hosts"][host] for play in plays for task in play["tasks"] if host in task["hosts"])
    except (ValueError, KeyError, StopIteration):
        result = None
    if result is None or result.get("unreachable"):
        raise AssertionError(f"{' '.join(argv)}: no result for {host} (rc={proc.returncode})\n"
                             f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return result
