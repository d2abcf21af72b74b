"""The secret_file module: a secret generated once, kept, and returned."""

import re
import os
import stat

import pytest

from ansible_collections.djangostack.deploy.plugins.modules import secret_file
from conftest import Exit, Fail, run_main


def run(monkeypatch, check_mode=False, **params):
    return run_main(monkeypatch, secret_file.main, check_mode, **params)


def owner_params():
    """Owner and group of the user running the tests, who may chown to them."""
    import grp  # pylint: disable=import-outside-toplevel
    import pwd  # pylint: disable=import-outside-toplevel

    return {"owner": pwd.getpwuid(os.getuid()).pw_name, "group": grp.getgrgid(os.getgid()).gr_name}


def test_a_secret_is_generated_once_and_kept(monkeypatch, tmp_path):
    path = tmp_path / "secret_key"
    kind, first = run(monkeypatch, path=str(path), length=50, **owner_params())
    assert kind is Exit, first
    assert first["changed"] and first["generated"]
    assert len(first["secret"]) >= 66
    assert path.read_text() == first["secret"] + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    kind, second = run(monkeypatch, path=str(path), length=50, **owner_params())
    assert kind is Exit
    assert (second["changed"], second["generated"], second["secret"]) == (False, False, first["secret"])


def test_a_dry_run_generates_nothing(monkeypatch, tmp_path):
    path = tmp_path / "secret_key"
    kind, result = run(monkeypatch, check_mode=True, path=str(path), **owner_params())
    assert kind is Exit
    assert result["changed"] and result["secret"] is None
    assert not path.exists()


@pytest.mark.parametrize("setup, params, message", [
    (None, {"length": 8}, "length must be at least 16 bytes"),
    ("", {}, "is empty: remove it"),
    ("nodir", {}, "the directory of .* does not exist"),
])
def test_bad_cases_fail_with_one_line(monkeypatch, tmp_path, setup, params, message):
    path = tmp_path / "secret"
    if setup == "":
        path.write_text("")
    if setup == "nodir":
        path = tmp_path / "missing" / "secret"
    kind, result = run(monkeypatch, path=str(path), **dict(owner_params(), **params))
    assert kind is Fail
    assert re.search(message, result["msg"]), result["msg"]
