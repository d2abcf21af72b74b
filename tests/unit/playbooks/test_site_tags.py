"""site.yml's tags: one per part of the stack; the checks, facts and locks always run."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from playbook_env import ansible_env, ansible_playbook

ROOT = Path(__file__).resolve().parents[3]
SITE = ROOT / "playbooks" / "site.yml"
PARTS = ["firewall", "postgresql", "memcached", "apps", "django_app", "supervisord", "gunicorn",
         "apache_mod_wsgi", "nginx"]


def list_tasks(tmp_path, tags):
    """The tasks `ansible-playbook site.yml --tags TAGS` would run, by play name (nothing connects)."""
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(yaml.safe_dump({"all": {"children": {
        group: {"hosts": {"h1": {}}} for group in ("dbservers", "cacheservers", "appservers", "webservers")}}}))
    result = subprocess.run([ansible_playbook(), "-i", str(inventory), str(SITE), "--list-tasks", "--tags", tags],
                            capture_output=True, text=True, env=ansible_env(), timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    plays, play = {}, None
    for line in result.stdout.splitlines():
        match = re.match(r"\s+play #\d+ \([^)]*\): (.*?)\tTAGS", line)
        if match:
            play = plays.setdefault(match.group(1), [])
        elif play is not None and "\tTAGS: " in line and "Validating arguments" not in line:
            play.append(line.strip().split("\t")[0])
    return plays


def test_every_play_has_a_tag_and_the_first_and_last_always_run():
    plays = yaml.safe_load(SITE.read_text())
    assert all(play.get("tags") for play in plays), [play["name"] for play in plays if not play.get("tags")]
    assert plays[0]["tags"] == ["always"] and plays[-1]["tags"] == ["always"]
    tags = {tag for play in plays for tag in play["tags"]}
    tags |= {tag for play in plays for role in play.get("roles", []) for tag in role.get("tags", [])}
    tags |= {tag for play in plays for task in play.get("tasks", []) for tag in task.get("tags", [])}
    assert set(PARTS) <= tags


@pytest.mark.parametrize(("tags", "runs", "skips"), [
    ("nginx", ["djangostack.deploy.nginx : Write the main configuration"],
     ["djangostack.deploy.postgresql :", "djangostack.deploy.django_app :", "djangostack.deploy.firewall :"]),
    ("apps", ["djangostack.deploy.django_app :", "djangostack.deploy.gunicorn :", "Apache with mod_wsgi in daemon mode"],
     ["djangostack.deploy.nginx :", "djangostack.deploy.memcached :"]),
])
def test_a_tag_runs_its_part_with_the_checks_and_the_locks(tmp_path, tags, runs, skips):
    plays = list_tasks(tmp_path, tags)
    first = plays["Check the input and gather facts of every host of the stack"]
    assert "Check each role's own rules on this host" in first and "Take the lock of each app, one run at a time" in first
    unlock = ["Give back the lock of each app", "Forget which roles the first play checked"]
    assert plays["Give back the locks of the apps"] == unlock
    tasks = [task for play in plays.values() for task in play]
    for wanted in runs:
        assert any(task.startswith(wanted) for task in tasks), (tags, wanted)
    for unwanted in skips:
        assert not any(task.startswith(unwanted) for task in tasks), (tags, unwanted)
