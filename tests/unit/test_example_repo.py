"""tests/example_repo.py without a host: deprecations found, hosts file, environment, timings, report."""

import importlib.util
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

SCRIPT = Path(__file__).resolve().parents[1] / "example_repo.py"
SPEC = importlib.util.spec_from_file_location("example_repo", SCRIPT)
example_repo = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(example_repo)

# As ansible-core 2.19 and newer print a deprecation: the message, then its origin.
DEPRECATION = "\n".join([
    "TASK [djangostack.deploy.nginx : Install nginx] ********************************",
    "[DEPRECATION WARNING]: INJECT_FACTS_AS_VARS default to `True` is deprecated, top-level facts will not "
    "be auto injected after the change. This feature will be removed from ansible-core version 2.24.",
    "Origin: /tmp/c/ansible_collections/djangostack/deploy/roles/nginx/tasks/main.yml:12:7",
    "",
    "Use `ansible_facts[\"fact_name\"]` (no `ansible_` prefix) instead.",
    "ok: [staging]",
])


def test_a_deprecation_is_found_with_its_origin():
    found = example_repo.deprecations(DEPRECATION.splitlines())
    assert found == [
        "[DEPRECATION WARNING]: INJECT_FACTS_AS_VARS default to `True` is deprecated, top-level facts will not "
        "be auto injected after the change. This feature will be removed from ansible-core version 2.24.\n"
        "Origin: /tmp/c/ansible_collections/djangostack/deploy/roles/nginx/tasks/main.yml:12:7"]


@pytest.mark.parametrize("lines, count", [
    (["ok: [staging]", "[WARNING]: Platform linux on host staging is using the discovered Python"], 0),
    (["\x1b[1;35m[DEPRECATION WARNING]: a\x1b[0m", "[DEPRECATION WARNING]: b", ""], 2),
    (["[DEPRECATION WARNING]: last line"], 1),
    # molecule's own words about the step are not part of the warning before them
    (["[DEPRECATION WARNING]: x", "INFO     [default > verify] Executed: Successful"], 1),
])
def test_each_deprecation_counts_once(lines, count):
    found = example_repo.deprecations(lines)
    assert len(found) == count
    assert all("\x1b" not in block and "Executed" not in block for block in found)


def test_the_hosts_file_puts_the_host_in_the_four_groups():
    instance = {"instance": "staging", "address": "10.240.213.7", "user": "root", "port": 22,
                "identity_file": "/var/lib/djangostack-testhosts/id_ed25519"}
    text = example_repo.hosts_file(instance)
    assert text.startswith("---\n")
    inventory = yaml.safe_load(text)["all"]
    assert set(inventory["children"]) == {"dbservers", "cacheservers", "appservers", "webservers"}
    assert all(group["hosts"] == {"staging": None} for group in inventory["children"].values())
    assert inventory["hosts"]["staging"] == {
        "ansible_host": "10.240.213.7", "ansible_port": 22, "ansible_user": "root",
        "ansible_ssh_private_key_file": "/var/lib/djangostack-testhosts/id_ed25519",
        "ansible_ssh_common_args": example_repo.SSH_ARGS}


def test_a_value_that_yaml_would_read_otherwise_is_quoted():
    text = example_repo.hosts_file({"address": "10.0.0.1", "user": "yes", "port": "2222",
                                    "identity_file": "/keys/a key: #1"})
    host = yaml.safe_load(text)["all"]["hosts"]["staging"]
    assert host["ansible_user"] == "yes" and host["ansible_port"] == 2222
    assert host["ansible_ssh_private_key_file"] == "/keys/a key: #1"


def test_the_environment_has_the_virtualenv_first_and_nothing_of_the_checkout(tmp_path):
    repo = tmp_path / "repo"
    venv = repo / ".cache" / "ansible-core-newest"
    (venv / "bin").mkdir(parents=True)
    (repo / ".venv" / "bin").mkdir(parents=True)
    base = {
        "PATH": os.pathsep.join([str(repo / ".venv" / "bin"), "/usr/local/bin", "/usr/bin", str(venv / "bin")]),
        "ANSIBLE_COLLECTIONS_PATH": str(repo / ".venv" / "collections"),
        "ANSIBLE_CONFIG": "/etc/somewhere.cfg",
        "MOLECULE_GLOB": "molecule/*/molecule.yml",
        "VIRTUAL_ENV": str(repo / ".venv"),
        "HOME": "/root",
    }
    env = example_repo.molecule_env(base, venv, tmp_path / "c", tmp_path / "hosts.yml", tmp_path / "m", repo=repo)
    assert env["PATH"].split(os.pathsep) == [str(venv / "bin"), "/usr/local/bin", "/usr/bin"]
    assert env["ANSIBLE_COLLECTIONS_PATH"] == str(tmp_path / "c")
    assert env["ANSIBLE_INJECT_FACTS_AS_VARS"] == "False"
    assert env["TEST_HOSTS_FILE"] == str(tmp_path / "hosts.yml")
    assert env["MOLECULE_EPHEMERAL_DIRECTORY"] == str(tmp_path / "m")
    assert "ANSIBLE_CONFIG" not in env and "MOLECULE_GLOB" not in env and "VIRTUAL_ENV" not in env
    assert env["HOME"] == "/root"


def test_the_collections_are_listed_by_where_they_are():
    listing = {"/tmp/x/collections/ansible_collections": {"djangostack.deploy": {"version": "0.1.0"}},
               "/venv/lib/python3.13/site-packages/ansible_collections": {
                   "ansible.posix": {"version": "2.2.2"}, "community.general": {"version": "13.5.0"}}}
    found = example_repo.collection_paths(listing)
    assert found["djangostack.deploy"] == ["/tmp/x/collections/ansible_collections"]
    assert found["ansible.posix"] == ["/venv/lib/python3.13/site-packages/ansible_collections"]


# What molecule 26 prints around its actions.
MOLECULE_OUTPUT = [
    (0, "INFO     [default > discovery] scenario test matrix: dependency, syntax, converge, idempotence, verify"),
    (1, "INFO     [default > dependency] Executing"),
    (2, "Nothing to do. All requested collections are already installed."),
    (3, "INFO     [default > dependency] Executed: Successful"),
    (3, "INFO     [default > syntax] Executing"),
    (5, "INFO     [default > syntax] Executed: Successful"),
    (5, "INFO     [default > converge] Executing"),
    (125, "PLAY RECAP *********************************************************************"),
    (126, "INFO     [default > converge] Executed: Successful"),
    (126, "INFO     [default > idempotence] Executing"),
    (186, "ERROR    [default > idempotence] \x1b[31mExecuted: Failed\x1b[0m"),
    (186, "WARNING  [default > idempotence] An error occurred during the test sequence action: 'idempotence'."),
    (187, "INFO     [default > destroy] Executing"),
    (187, "WARNING  [default > destroy] Executed: Missing playbook (Remove from test_sequence to suppress)"),
]


def clock_of(lines):
    clock = example_repo.ActionClock()
    for now, line in lines:
        clock.feed(line + "\n", now)
    clock.finish(lines[-1][0])
    return clock


def test_each_action_has_its_wall_time_and_result():
    clock = clock_of(MOLECULE_OUTPUT)
    assert [clock.seconds(action) for action in example_repo.SEQUENCE] == [2, 2, 121, 60, None]
    assert clock.state("converge") == "Successful"
    assert clock.state("idempotence") == "Failed"
    assert clock.state("verify") is None
    assert clock.state("destroy").startswith("Missing playbook")


def test_an_action_cut_short_ends_where_the_next_one_starts():
    clock = clock_of([(0, "INFO     [default > converge] Executing"), (10, "some output"),
                      (12, "INFO     [default > verify] Executing"), (20, "the end")])
    assert clock.seconds("converge") == 12 and clock.state("converge") is None
    assert clock.seconds("verify") == 8


def junit_suite(text):
    suite = ET.fromstring(text).find("testsuite")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    return suite, cases


def test_the_report_has_a_case_per_step_and_one_for_deprecations():
    suite, cases = junit_suite(example_repo.junit(clock_of(MOLECULE_OUTPUT), [], "molecule test exited 1"))
    assert list(cases) == [*example_repo.SEQUENCE, "no deprecation warning"]
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("6", "1", "1")
    assert cases["converge"].get("time") == "121"
    assert cases["idempotence"].find("failure").get("message") == "idempotence: Failed"
    assert cases["verify"].find("skipped") is not None


def test_a_passing_run_with_a_deprecation_fails_once():
    lines = [(i, f"INFO     [default > {action}] {what}") for i, (action, what) in enumerate(
        (action, what) for action in example_repo.SEQUENCE for what in ("Executing", "Executed: Successful"))]
    suite, cases = junit_suite(example_repo.junit(clock_of(lines), ["[DEPRECATION WARNING]: x"]))
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("6", "1", "0")
    assert cases["no deprecation warning"].find("failure").text == "[DEPRECATION WARNING]: x"


def test_a_failure_before_molecule_is_a_case_of_its_own():
    suite, cases = junit_suite(example_repo.junit(example_repo.ActionClock(), [], "testhosts.py up exited 1"))
    assert cases["run"].find("failure").get("message") == "testhosts.py up exited 1"
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("7", "1", "5")


def test_a_missing_virtualenv_fails_before_any_host_boots(tmp_path, capsys, monkeypatch):
    booted = []
    monkeypatch.setattr(example_repo, "run", lambda *args, **kwargs: booted.append(args) or (0, ""))
    assert example_repo.main(["--venv", str(tmp_path / "none"), "--reports", str(tmp_path / "r")]) == 1
    assert booted == []
    assert "bin/molecule is missing" in capsys.readouterr().out
    times = json.loads((tmp_path / "r" / "example_repo-times.json").read_text())
    assert times["passed"] is False
    assert (tmp_path / "r" / "molecule-example_repo.log").read_text().count("is missing") == 1
