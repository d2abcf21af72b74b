"""The app_lock module: one run at a time per app, the holder named."""

import json

from ansible_collections.djangostack.deploy.plugins.modules import app_lock
from conftest import run_main

ME = {"controller": "ctl", "pid": "100", "user": "root", "playbook": "deploy.yml", "since": "2026-12-01T10:00:00Z"}
OTHER = dict(ME, pid="200", playbook="site.yml")


def run(monkeypatch, check_mode=False, **params):
    return run_main(monkeypatch, app_lock.main, check_mode, **params)[1]


def test_a_free_lock_is_taken_and_names_the_run(monkeypatch, tmp_path):
    path = tmp_path / "locks" / "blog.lock"
    result = run(monkeypatch, path=str(path), holder=ME)
    assert result["held"] is False and result["changed"] is True
    assert json.loads(path.read_text()) == ME


def test_a_lock_of_another_run_is_left_and_its_holder_returned(monkeypatch, tmp_path):
    path = tmp_path / "blog.lock"
    path.write_text(json.dumps(OTHER))
    result = run(monkeypatch, path=str(path), holder=ME)
    assert result["held"] is True and result["changed"] is False and result["holder"] == OTHER
    assert json.loads(path.read_text()) == OTHER


def test_the_same_run_takes_its_own_lock_again(monkeypatch, tmp_path):
    path = tmp_path / "blog.lock"
    path.write_text(json.dumps(ME))
    assert run(monkeypatch, path=str(path), holder=ME)["held"] is False


def test_force_takes_the_lock_over(monkeypatch, tmp_path):
    path = tmp_path / "blog.lock"
    path.write_text(json.dumps(OTHER))
    result = run(monkeypatch, path=str(path), holder=ME, force=True)
    assert result["held"] is False and json.loads(path.read_text()) == ME


def test_an_unreadable_lock_is_held_by_somebody(monkeypatch, tmp_path):
    path = tmp_path / "blog.lock"
    path.write_text("garbage")
    assert run(monkeypatch, path=str(path), holder=ME)["held"] is True


def test_a_dry_run_writes_nothing(monkeypatch, tmp_path):
    path = tmp_path / "blog.lock"
    assert run(monkeypatch, check_mode=True, path=str(path), holder=ME)["changed"] is True
    assert not path.exists()


def test_giving_back_removes_only_the_runs_own_lock(monkeypatch, tmp_path):
    path = tmp_path / "blog.lock"
    path.write_text(json.dumps(OTHER))
    result = run(monkeypatch, path=str(path), holder=ME, state="absent")
    assert result["changed"] is False and result["held"] is True and path.exists()
    path.write_text(json.dumps(ME))
    assert run(monkeypatch, path=str(path), holder=ME, state="absent")["changed"] is True
    assert not path.exists()
