# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The example infra repository (examples/molecule) run as a user runs it, on a test host.

    python3 tests/example_repo.py [--venv .cache/ansible-core-newest] [--reports build/reports]

1. Boots one Debian test host (trixie; the harness of the Molecule scenarios), which
   stands in for the staging host a user has, and writes a hosts file for it.
2. Copies examples/molecule to a temporary directory, as a user copies it.
3. Installs this collection as the example's README tells users who have no Galaxy:
   `ansible-galaxy collection build`, then `ansible-galaxy collection install
   --offline` of the tarball into a temporary collections path (the only one on
   ANSIBLE_COLLECTIONS_PATH, so nothing of this checkout is on the path). The
   collections it depends on are those the `ansible` package of the virtualenv ships:
   Galaxy is out of reach here, and the example's dependency step then finds every
   collection of its requirements.yml installed.
4. Runs `molecule test` in the copy with that virtualenv's molecule and ansible (its
   bin/ first on PATH), TEST_HOSTS_FILE naming the hosts file and
   ANSIBLE_INJECT_FACTS_AS_VARS=False: dependency, syntax, converge, idempotence
   (changed=0), verify.
5. Takes the host down, whatever happened.

Everything printed is also kept in REPORTS/molecule-example_repo.log; the wall time
of each step in REPORTS/example_repo-times.json and the steps as JUnit test cases in
REPORTS/molecule-example_repo.xml. Fails when molecule fails or when anything printed
an Ansible `[DEPRECATION WARNING]` (those lines are printed again at the end).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HARNESS = REPO / "molecule" / "shared" / "testhosts.py"
EXAMPLE = REPO / "examples" / "molecule"
NAME = "example_repo"
HOST = "staging"
# The newest ansible-core line's virtualenv (`make` creates it); --venv or
# EXAMPLE_REPO_VENV for another.
DEFAULT_VENV = REPO / ".cache" / "ansible-core-newest"
MARKER = "[DEPRECATION WARNING]"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Molecule's lines around each action: "INFO     [default > converge] Executing",
# "...[default > converge] Executed: Successful".
ACTION = re.compile(r"^[A-Z]+\s+\[(?P<scenario>[^\]]+?) > (?P<action>[a-z_]+)\] "
                    r"(?P<what>Executing|Executed: (?P<state>.*))$")
# The actions of the example's test sequence.
SEQUENCE = ("dependency", "syntax", "converge", "idempotence", "verify")
# The collections djangostack.deploy depends on (galaxy.yml): the `ansible` package ships them.
DEPENDENCIES = ("ansible.posix", "community.crypto", "community.general", "community.postgresql")
SSH_ARGS = "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"


def strip_ansi(line):
    return ANSI.sub("", line)


def deprecations(lines, context=6):
    """Each `[DEPRECATION WARNING]` with the lines that belong to it (up to the next blank one).

    Ansible prints a deprecation's origin (file, line, the code) on the lines after it.
    """
    found = []
    lines = [strip_ansi(line.rstrip("\n")) for line in lines]
    for index, line in enumerate(lines):
        if MARKER not in line:
            continue
        block = [line]
        for following in lines[index + 1:index + 1 + context]:
            if not following.strip() or MARKER in following or ACTION.match(following):
                break
            block.append(following)
        found.append("\n".join(block))
    return found


def hosts_file(instance, name=HOST):
    """The hosts file of one test host in all four groups, as a user writes theirs (YAML)."""
    def scalar(value):
        return json.dumps(str(value))   # a JSON string is a YAML double-quoted scalar
    groups = "".join(f"    {group}:\n      hosts:\n        {name}:\n"
                     for group in ("dbservers", "cacheservers", "appservers", "webservers"))
    return (
        "---\n"
        "# The test host of tests/example_repo.py, standing in for a staging host.\n"
        "all:\n"
        "  children:\n"
        f"{groups}"
        "  hosts:\n"
        f"    {name}:\n"
        f"      ansible_host: {scalar(instance['address'])}\n"
        f"      ansible_port: {int(instance['port'])}\n"
        f"      ansible_user: {scalar(instance['user'])}\n"
        f"      ansible_ssh_private_key_file: {scalar(instance['identity_file'])}\n"
        "      # A throw-away host: a new host key on each boot, none kept.\n"
        f"      ansible_ssh_common_args: {scalar(SSH_ARGS)}\n"
    )


def collection_paths(listing):
    """`ansible-galaxy collection list --format json` as {collection: [paths it is found in]}."""
    found = {}
    for path, names in listing.items():
        for name in names:
            found.setdefault(name, []).append(path)
    return found


def molecule_env(base, venv, collections, hosts, ephemeral, repo=REPO):
    """The environment `molecule test` runs in: the virtualenv's tools, nothing of this checkout.

    Every ANSIBLE_* and MOLECULE_* variable of the caller (`make` exports one that
    points at this checkout) and any virtualenv are left out; PATH starts with the
    virtualenv's bin/ and keeps no other directory of this checkout.
    """
    venv_bin = Path(venv) / "bin"
    repo = Path(repo).resolve()
    env = {key: value for key, value in base.items()
           if not key.startswith(("ANSIBLE_", "MOLECULE_"))
           and key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    path = [str(venv_bin)]
    for entry in base.get("PATH", os.defpath).split(os.pathsep):
        if not entry or entry == str(venv_bin):
            continue
        resolved = Path(entry).resolve()
        if resolved == repo or repo in resolved.parents:
            continue
        path.append(entry)
    env.update({
        "PATH": os.pathsep.join(path),
        "ANSIBLE_COLLECTIONS_PATH": str(collections),
        "ANSIBLE_INJECT_FACTS_AS_VARS": "False",
        "ANSIBLE_FORCE_COLOR": "false",
        "ANSIBLE_NOCOLOR": "true",
        "NO_COLOR": "1",
        "PY_COLORS": "0",
        "TEST_HOSTS_FILE": str(hosts),
        # Molecule's scratch directory (inventory, ansible.cfg, SSH control sockets)
        # inside the temporary directory, removed with it.
        "MOLECULE_EPHEMERAL_DIRECTORY": str(ephemeral),
    })
    return env


class ActionClock:
    """The wall time and result of each Molecule action, from the lines molecule prints."""

    def __init__(self):
        self.actions = {}     # name -> {"start", "end", "state"}
        self.current = None

    def feed(self, line, now):
        match = ACTION.match(strip_ansi(line).rstrip())
        if not match:
            return
        action = match.group("action")
        if match.group("what") == "Executing":
            self._close(now)
            # An action that runs twice (destroy after a failure) keeps its first result.
            if action not in self.actions:
                self.actions[action] = {"start": now, "end": None, "state": None}
                self.current = action
            return
        entry = self.actions.get(action)
        if entry is not None and entry["state"] is None:
            entry["end"] = now
            entry["state"] = match.group("state").strip()
        if self.current == action:
            self.current = None

    def _close(self, now):
        if self.current is not None and self.actions[self.current]["end"] is None:
            self.actions[self.current]["end"] = now
        self.current = None

    def finish(self, now):
        self._close(now)

    def seconds(self, action):
        entry = self.actions.get(action)
        if entry is None or entry["end"] is None:
            return None
        return round(entry["end"] - entry["start"], 1)

    def state(self, action):
        entry = self.actions.get(action)
        return None if entry is None else entry["state"]


def junit(clock, deprecation_blocks, failure=None, sequence=SEQUENCE):
    """One test suite: each action of the sequence, then "no deprecation warning".

    An action molecule reported as successful passes, one it reported otherwise
    fails, one it never started is skipped; a failure outside molecule's actions
    (the host did not boot, the collection did not build) is one more test case.
    """
    suite = ET.Element("testsuite", name=NAME)
    counts = {"tests": 0, "failures": 0, "skipped": 0}

    def case(name, seconds=0.0):
        counts["tests"] += 1
        return ET.SubElement(suite, "testcase", classname=NAME, name=name, time=str(seconds or 0))

    action_failed = False
    for action in sequence:
        element = case(action, clock.seconds(action))
        state = clock.state(action)
        if state is None:
            ET.SubElement(element, "skipped", message="not run")
            counts["skipped"] += 1
        elif not state.startswith("Successful"):
            ET.SubElement(element, "failure", message=f"{action}: {state}")
            counts["failures"] += 1
            action_failed = True
    element = case("no deprecation warning")
    if deprecation_blocks:
        ET.SubElement(element, "failure", message=f"{len(deprecation_blocks)} deprecation warning(s)").text = \
            "\n\n".join(deprecation_blocks)
        counts["failures"] += 1
    if failure is not None and not action_failed:
        ET.SubElement(case("run"), "failure", message=failure)
        counts["failures"] += 1
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("errors", "0")
    root = ET.Element("testsuites")
    root.append(suite)
    return ET.tostring(root, encoding="unicode") + "\n"


class Output:
    """Print each line as it comes and keep it in the log file."""

    def __init__(self, log_path):
        self.log = open(log_path, "w", encoding="utf-8")   # pylint: disable=consider-using-with
        self.lines = []
        self.lock = threading.Lock()

    def __call__(self, line):
        line = line.rstrip("\n")
        with self.lock:
            self.lines.append(line)
            print(line, flush=True)
            self.log.write(line + "\n")
            self.log.flush()

    def close(self):
        self.log.close()


def run(argv, out, env=None, cwd=None, on_line=None, capture=False):
    """Run argv, every line of its output through `out`; with capture, stdout is returned instead."""
    out(f"$ {' '.join(str(arg) for arg in argv)}")
    proc = subprocess.Popen([str(arg) for arg in argv], env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE if capture else subprocess.STDOUT,
                            text=True, errors="replace")
    captured = []
    reader = None
    if capture:
        reader = threading.Thread(target=lambda: [out(line) for line in proc.stderr], daemon=True)
        reader.start()
    for line in proc.stdout:
        if capture:
            captured.append(line)
            continue
        out(line)
        if on_line is not None:
            on_line(line)
    proc.wait()
    if reader is not None:
        reader.join()
    return proc.returncode, "".join(captured)


def step(out, text):
    out(f"=== {text}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path,
                        default=Path(os.environ.get("EXAMPLE_REPO_VENV", str(DEFAULT_VENV))),
                        help="virtualenv with ansible-core, ansible and molecule (default: %(default)s)")
    parser.add_argument("--reports", type=Path, default=REPO / "build" / "reports")
    parser.add_argument("--release", default="trixie", choices=("bookworm", "trixie"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (its path is printed)")
    args = parser.parse_args(argv)
    venv = args.venv if args.venv.is_absolute() else (Path.cwd() / args.venv)
    args.reports.mkdir(parents=True, exist_ok=True)
    out = Output(args.reports / f"molecule-{NAME}.log")
    times = {}
    clock = ActionClock()
    rc = 1
    failure = None
    started = time.monotonic()
    tmp = None
    booted = False
    try:
        for tool in ("molecule", "ansible-galaxy", "ansible-playbook"):
            if not (venv / "bin" / tool).exists():
                raise RuntimeError(f"{venv}/bin/{tool} is missing: give the newest ansible-core's virtualenv "
                                   "with --venv or EXAMPLE_REPO_VENV (make creates it)")
        tmp = Path(tempfile.mkdtemp(prefix=f"djangostack-{NAME}-"))
        collections = tmp / "collections"
        hosts = tmp / "hosts.yml"
        repo_copy = tmp / "infra"
        env = molecule_env(os.environ, venv, collections, hosts, tmp / "molecule")

        step(out, f"Booting a Debian {args.release} test host, standing in for the user's staging host")
        begin = time.monotonic()
        booted = True
        platforms = json.dumps([{"name": HOST, "release": args.release}])
        status, stdout = run([sys.executable, HARNESS, "up", "--scenario", NAME, "--platforms", platforms,
                              "--compile-cache"], out, capture=True)
        times["boot"] = round(time.monotonic() - begin, 1)
        if status != 0:
            raise RuntimeError(f"testhosts.py up exited {status}")
        instance = json.loads(stdout)[0]
        hosts.write_text(hosts_file(instance))
        out(f"{HOST} at {instance['address']}; hosts file {hosts}:")
        for line in hosts.read_text().splitlines():
            out(f"    {line}")

        step(out, f"Copying examples/molecule to {repo_copy}, as a user copies it")
        shutil.copytree(EXAMPLE, repo_copy)

        step(out, "Installing djangostack.deploy from its tarball, as the example's README says")
        begin = time.monotonic()
        dist = tmp / "dist"
        status = run([venv / "bin" / "ansible-galaxy", "collection", "build", "--output-path", dist, REPO],
                     out, env=env)[0]
        tarballs = sorted(dist.glob("djangostack-deploy-*.tar.gz"))
        if status != 0 or len(tarballs) != 1:
            raise RuntimeError("ansible-galaxy collection build failed")
        status = run([venv / "bin" / "ansible-galaxy", "collection", "install", "--offline", tarballs[0]],
                     out, env=env, cwd=repo_copy)[0]
        if status != 0:
            raise RuntimeError("ansible-galaxy collection install failed")
        found = {}
        for name in ("djangostack.deploy", *DEPENDENCIES):
            status, listing = run([venv / "bin" / "ansible-galaxy", "collection", "list", name, "--format", "json"],
                                  out, env=env, cwd=repo_copy, capture=True)
            found.update(collection_paths(json.loads(listing) if status == 0 and listing.strip() else {}))
        if found.get("djangostack.deploy") != [str(collections / "ansible_collections")]:
            raise RuntimeError(f"djangostack.deploy must be found in {collections} only, "
                               f"found in {found.get('djangostack.deploy')}")
        for name in ("djangostack.deploy", *DEPENDENCIES):
            out(f"    {name:<22} from {', '.join(found.get(name, ['nowhere']))}")
        times["install"] = round(time.monotonic() - begin, 1)

        step(out, f"molecule test in {repo_copy} ({venv.name}, ANSIBLE_INJECT_FACTS_AS_VARS=False)")
        # molecule and the ansible-core it finds, both by PATH as a user's shell finds them
        run(["molecule", "--version"], out, env=env, cwd=repo_copy)
        begin = time.monotonic()
        rc = run(["molecule", "test"], out, env=env, cwd=repo_copy,
                 on_line=lambda line: clock.feed(line, time.monotonic()))[0]
        clock.finish(time.monotonic())
        times["molecule"] = round(time.monotonic() - begin, 1)
        for action in SEQUENCE:
            times[action] = clock.seconds(action)
        if rc != 0:
            failure = f"molecule test exited {rc}"
    except (RuntimeError, OSError, ValueError, subprocess.SubprocessError) as exc:
        failure = str(exc)
        out(f"example_repo: {failure}")
    except KeyboardInterrupt:
        failure = "interrupted"
        out("example_repo: interrupted")
    finally:
        if booted:
            step(out, "Taking the test host down")
            begin = time.monotonic()
            run([sys.executable, HARNESS, "down", "--scenario", NAME], out)
            times["down"] = round(time.monotonic() - begin, 1)
        if tmp is not None:
            if args.keep:
                out(f"kept {tmp}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
    blocks = deprecations(out.lines)
    times["total"] = round(time.monotonic() - started, 1)
    warnings = [line for line in out.lines if "[WARNING]" in strip_ansi(line)]
    if warnings:
        step(out, f"{len(warnings)} warning(s) (they do not fail the run)")
        for line in warnings:
            out(line)
    if blocks:
        step(out, f"{len(blocks)} deprecation warning(s): the run fails")
        for block in blocks:
            out(block)
    passed = failure is None and rc == 0 and not blocks
    step(out, f"{NAME}: {'passed' if passed else 'FAILED'}; seconds: "
         + ", ".join(f"{key} {value}" for key, value in times.items() if value is not None))
    (args.reports / f"{NAME}-times.json").write_text(json.dumps(
        {"release": args.release, "venv": str(venv), "passed": passed, "seconds": times,
         "deprecation_warnings": len(blocks)}, indent=2) + "\n")
    (args.reports / f"molecule-{NAME}.xml").write_text(junit(clock, blocks, failure))
    out.close()
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
