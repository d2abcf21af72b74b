"""The playbooks' own inputs: named after the playbook, old bare names refused in one line.

The static tests read the playbooks; the others run ansible-playbook on this machine
(connection local, --check), where the refusal stops the run before its first change.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from playbook_env import ansible_env, ansible_playbook

ROOT = Path(__file__).resolve().parents[3]
PLAYBOOKS = ROOT / "playbooks"

# {playbook: {old bare name: new name}}, as each playbook declares them.
INPUTS = {
    "deploy.yml": {"app": "deploy_app", "version": "deploy_version", "batch": "deploy_batch"},
    "rollback.yml": {"app": "rollback_app", "release": "rollback_release", "batch": "rollback_batch"},
    "manage.yml": {"app": "manage_app", "command": "manage_command", "every_host": "manage_every_host"},
    "backup.yml": {"app": "backup_app", "dest": "backup_dest"},
    "restore.yml": {"backup": "restore_backup", "app": "restore_app", "src": "restore_src"},
    "remove.yml": {"app": "remove_app"},
    "check.yml": {"app": "check_app", "fail_level": "check_fail_level", "cert_days": "check_cert_days",
                  "free_percent": "check_free_percent"},
}


def declared_inputs(playbook):
    """The {old: new} a playbook gives tasks/inputs.yml (in its first play)."""
    plays = yaml.safe_load((PLAYBOOKS / playbook).read_text())
    for task in plays[0].get("tasks") or []:
        if task.get("ansible.builtin.import_tasks") == "tasks/inputs.yml":
            assert task["vars"]["__djangostack_playbook"] == playbook
            return task["vars"]["__djangostack_inputs"]
    return None


@pytest.mark.parametrize("playbook", sorted(INPUTS))
def test_each_playbook_checks_its_inputs_first(playbook):
    assert declared_inputs(playbook) == INPUTS[playbook]


def expressions(node):
    """The Jinja expressions of a parsed playbook: what {{ }} holds, and conditionals."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("when", "that", "failed_when", "changed_when", "until"):
                yield from (value if isinstance(value, list) else [value])
            yield from expressions(value)
    elif isinstance(node, list):
        for value in node:
            yield from expressions(value)
    elif isinstance(node, str):
        yield from re.findall(r"\{\{(.*?)\}\}", node, re.S)


@pytest.mark.parametrize("playbook", sorted(INPUTS))
def test_no_playbook_reads_a_bare_input_name(playbook):
    found = list(expressions(yaml.safe_load((PLAYBOOKS / playbook).read_text())))
    assert found
    for old in INPUTS[playbook]:
        for expression in found:
            # Not in a string literal ('say which app with ...').
            expression = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", str(expression))
            assert not re.search(r"(?<![\w.'\"-])%s(?![\w'\"-])" % old, expression), (playbook, old, expression)


@pytest.mark.parametrize("playbook", sorted(INPUTS))
def test_the_header_documents_the_new_names(playbook):
    header = "\n".join(line for line in (PLAYBOOKS / playbook).read_text().splitlines() if line.startswith("#"))
    for old, new in INPUTS[playbook].items():
        assert "-e %s=" % new in header or "-e \"%s=" % new in header, (playbook, new)
        assert "-e %s=" % old not in header, (playbook, old)


def run(playbook, extra_vars, tmp_path):
    """ansible-playbook PLAYBOOK on this machine (connection local, in every tier), --check."""
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(yaml.safe_dump({"all": {"children": {
        group: {"hosts": {"localhost": {"ansible_connection": "local",
                                        "ansible_python_interpreter": sys.executable}}}
        for group in ("dbservers", "cacheservers", "appservers", "webservers")}}}))
    argv = [ansible_playbook(), "-i", str(inventory), str(playbook), "--check"]
    for key, value in extra_vars.items():
        argv += ["-e", "%s=%s" % (key, value)]
    env = ansible_env(ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_GATHERING="explicit", ANSIBLE_LOCAL_TEMP=str(tmp_path))
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.mark.parametrize(("playbook", "old", "value"), [
    ("deploy.yml", "app", "example"),
    ("restore.yml", "backup", "20261121T101500Z"),
])
def test_an_old_name_is_refused_in_one_line_before_anything(tmp_path, playbook, old, value):
    result = run(PLAYBOOKS / playbook, {old: value}, tmp_path)
    assert result.returncode == 2, result.stdout
    new = INPUTS[playbook][old]
    line = ("%s reads -e %s=... instead of %s= (an inventory variable of that name is not an input); give %s, or "
            "%s='' for its default when %s is a variable of your own" % (playbook, new, old, new, new, old))
    assert '"msg": "%s"' % line in result.stdout, result.stdout
    # Nothing after the check ran: the run stopped at its first task that could change a thing.
    assert "Check the input of" not in result.stdout.split("Refuse an input")[1]


def inputs_play(tmp_path, inputs):
    playbook = tmp_path / "inputs.yml"
    playbook.write_text(yaml.safe_dump([{
        "name": "The inputs check alone", "hosts": "localhost", "gather_facts": False,
        "tasks": [{"name": "Check", "ansible.builtin.import_tasks": str(PLAYBOOKS / "tasks" / "inputs.yml"),
                   "vars": {"__djangostack_playbook": "deploy.yml", "__djangostack_inputs": inputs}}]}]))
    return playbook


@pytest.mark.parametrize(("extra_vars", "refused"), [
    ({}, False),
    ({"deploy_app": "example"}, False),
    # An inventory variable of the old name beside the new input (here given as -e) is not an input.
    ({"app": "mine", "deploy_app": ""}, False),
    ({"version": "v1"}, True),
])
def test_the_inputs_check(tmp_path, extra_vars, refused):
    playbook = inputs_play(tmp_path, INPUTS["deploy.yml"])
    result = run(playbook, extra_vars, tmp_path)
    assert (result.returncode != 0) == refused, result.stdout
