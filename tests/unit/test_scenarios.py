"""tests/scenarios.py: several scenarios at once, the longest first, none after a failure."""

import importlib.util
import json
import os
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scenarios.py"
SPEC = importlib.util.spec_from_file_location("scenarios", SCRIPT)
scenarios = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(scenarios)

# A stand-in for molecule: `molecule test -s NAME` notes when NAME starts and ends,
# sleeps as long as NAME's file says and fails when it says "fail".
FAKE = """#!/bin/sh
dir=$(dirname "$0")
echo "start $3" >> "$dir/events"
echo "output of $3"
sleep "$(cut -d' ' -f1 "$dir/$3")"
echo "end $3" >> "$dir/events"
grep -q fail "$dir/$3" && exit 3
exit 0
"""


@pytest.fixture(name="fake")
def fixture_fake(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "molecule").write_text(FAKE)
    (bin_dir / "molecule").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    def scenario(name, seconds, fail=False):
        (bin_dir / name).write_text(f"{seconds} {'fail' if fail else ''}\n")

    def events():
        return (bin_dir / "events").read_text().split("\n")[:-1]
    return scenario, events


def test_the_longest_start_first_and_two_run_at_once(fake, tmp_path, capsys):
    scenario, events = fake
    for name, seconds in (("memcached", 0.1), ("site", 2), ("nginx", 0.1)):
        scenario(name, seconds)
    assert scenarios.main(["--jobs", "2", "--reports", str(tmp_path / "r"), "memcached", "site", "nginx"]) == 0
    found = events()
    # site and nginx start together; memcached (the shortest) takes nginx's lane while site runs.
    assert set(found[:2]) == {"start site", "start nginx"}, found
    assert found.index("end nginx") < found.index("start memcached") < found.index("end site"), found
    out = capsys.readouterr().out
    assert "[site] output of site" in out
    assert (tmp_path / "r" / "molecule-site.log").read_text() == "output of site\n"
    times = json.loads((tmp_path / "r" / "scenario-times.json").read_text())
    assert set(times["scenarios"]) == {"site", "nginx", "memcached"} and times["jobs"] == 2


def test_one_at_a_time_they_run_longest_first(fake, tmp_path):
    scenario, events = fake
    for name in ("memcached", "site", "nginx", "unknown"):
        scenario(name, 0)
    assert scenarios.main(["--jobs", "1", "--reports", str(tmp_path), "memcached", "unknown", "site", "nginx"]) == 0
    assert [event for event in events() if event.startswith("start")] == [
        "start site", "start nginx", "start memcached", "start unknown"]


def test_a_failure_starts_no_other_scenario_and_fails_the_run(fake, tmp_path, capsys):
    scenario, events = fake
    scenario("site", 0.1, fail=True)
    scenario("cluster", 0.1)
    scenario("nginx", 0.1)
    assert scenarios.main(["--jobs", "1", "--reports", str(tmp_path), "nginx", "cluster", "site"]) == 1
    assert events() == ["start site", "end site"]
    out = capsys.readouterr().out
    assert "site: FAILED" in out
    assert "cluster" in out and "not run (an earlier scenario failed)" in out


# A stand-in for tests/example_repo.py: writes its own log, as the script does.
SCRIPT_FAKE = """import sys
from pathlib import Path
reports = Path(sys.argv[sys.argv.index("--reports") + 1])
(reports / "molecule-example_repo.log").write_text("the script's own log\\n")
print("output of example_repo")
sys.exit(0)
"""


def test_example_repo_runs_its_script_which_keeps_its_own_log(fake, tmp_path, monkeypatch, capsys):
    scenario, events = fake
    scenario("nginx", 0)
    script = tmp_path / "example_repo.py"
    script.write_text(SCRIPT_FAKE)
    monkeypatch.setitem(scenarios.SCRIPTS, "example_repo", script)
    reports = tmp_path / "r"
    assert scenarios.command("example_repo", reports)[1:] == [str(script), "--reports", str(reports)]
    assert scenarios.command("nginx", reports) == ["molecule", "test", "-s", "nginx"]
    assert scenarios.main(["--jobs", "1", "--reports", str(reports), "nginx", "example_repo"]) == 0
    # Not molecule: only nginx went through the fake molecule.
    assert events() == ["start nginx", "end nginx"]
    out = capsys.readouterr().out
    assert "[example_repo] output of example_repo" in out and "example_repo: passed" in out
    assert (reports / "molecule-example_repo.log").read_text() == "the script's own log\n"
    times = json.loads((reports / "scenario-times.json").read_text())
    assert set(times["scenarios"]) == {"nginx", "example_repo"}
