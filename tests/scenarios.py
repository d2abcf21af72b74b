"""Run Molecule scenarios, one or several at once: `make molecule` (and `make test`) call this.

    python tests/scenarios.py --jobs 1 --reports build/reports site cluster nginx ...

Each scenario is one `molecule test -s NAME` with its hosts of its own (the test-host
harness gives every scenario its own network namespaces and addresses), so scenarios
are independent; the name `example_repo` runs `python tests/example_repo.py --reports
REPORTS` instead (the example infra repository's `molecule test`, on a host of its
own). The longest start first, so that the lanes end together; each line of output
is shown as it comes, prefixed with the scenario's name, and kept whole in
REPORTS/molecule-NAME.log (example_repo.py writes its own). After a failure no other
scenario starts; those running finish. The end is a table of the scenarios' wall
times (also in REPORTS/scenario-times.json) and the exit status is 1 if any failed.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

# Wall minutes of each scenario in a reference run on the 2-core machine the budget
# is for: only their order matters (longest first). A scenario not listed goes last.
WEIGHTS = {"site": 24, "cluster": 13, "postgresql": 5.3, "apache_mod_wsgi": 5.2, "nginx": 5,
           "settings_check": 4.3, "example_repo": 3.5, "supervisord": 1.9, "memcached": 1.4}
# Names that are a script rather than `molecule test -s NAME`: each script writes
# REPORTS/molecule-NAME.log itself and takes --reports.
SCRIPTS = {"example_repo": Path(__file__).resolve().parent / "example_repo.py"}

_print_lock = threading.Lock()


def say(line):
    with _print_lock:
        print(line, flush=True)


def command(name, reports):
    """What runs the scenario NAME."""
    if name in SCRIPTS:
        return [sys.executable, str(SCRIPTS[name]), "--reports", str(reports)]
    return ["molecule", "test", "-s", name]


def run_scenario(name, reports, results):
    """`molecule test -s name`, its output prefixed on stdout and whole in its log file."""
    started = time.monotonic()
    argv = command(name, reports)
    shown = ["python", os.path.relpath(argv[1]), *argv[2:]] if name in SCRIPTS else argv
    say(f"=== {' '.join(shown)}")
    # A script keeps its own log: the same file is not written twice.
    log_path = os.devnull if name in SCRIPTS else reports / f"molecule-{name}.log"
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                errors="replace", start_new_session=True)
        results[name] = {"proc": proc}
        for line in proc.stdout:
            log.write(line)
            say(f"[{name}] {line.rstrip()}")
        proc.wait()
    seconds = time.monotonic() - started
    results[name] = {"rc": proc.returncode, "seconds": round(seconds, 1)}
    say(f"=== {name}: {'passed' if proc.returncode == 0 else 'FAILED'} in {minutes(seconds)}")


def minutes(seconds):
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MOLECULE_JOBS", "1")))
    parser.add_argument("--reports", type=Path, default=Path("build/reports"))
    parser.add_argument("scenarios", nargs="+")
    args = parser.parse_args(argv)
    args.reports.mkdir(parents=True, exist_ok=True)
    pending = sorted(dict.fromkeys(args.scenarios), key=lambda name: -WEIGHTS.get(name, 0))
    jobs = max(1, min(args.jobs, len(pending)))
    results = {}
    lock = threading.Lock()
    failed = threading.Event()

    def lane():
        while not failed.is_set():
            with lock:
                if not pending:
                    return
                name = pending.pop(0)
            run_scenario(name, args.reports, results)
            if results[name]["rc"] != 0:
                failed.set()

    started = time.monotonic()
    lanes = [threading.Thread(target=lane, daemon=True) for _lane in range(jobs)]
    for thread in lanes:
        thread.start()
    try:
        for thread in lanes:
            while thread.is_alive():
                thread.join(0.5)
    except KeyboardInterrupt:
        # Each scenario's own process group: molecule then destroys its hosts.
        for result in list(results.values()):
            if "proc" in result and result["proc"].poll() is None:
                os.killpg(result["proc"].pid, signal.SIGINT)
        for thread in lanes:
            thread.join()
        return 130
    total = time.monotonic() - started
    done = {name: result for name, result in results.items() if "rc" in result}
    say(f"=== scenarios ({jobs} at once): {minutes(total)} in all")
    for name, result in done.items():
        say(f"    {name:<18} {minutes(result['seconds']):>6}  {'passed' if result['rc'] == 0 else 'FAILED'}")
    for name in pending:
        say(f"    {name:<18}      -  not run (an earlier scenario failed)")
    (args.reports / "scenario-times.json").write_text(json.dumps(
        {"jobs": jobs, "seconds": round(total, 1), "scenarios": done}, indent=2) + "\n")
    return 1 if failed.is_set() or pending else 0


if __name__ == "__main__":
    sys.exit(main())
