"""The secret_file module: a secret generated once, kept, and returned."""

import os
import re
import stat

import pytest
import yaml

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


def test_the_file_options_are_the_standard_ones(monkeypatch, tmp_path):
    kind, result = run(monkeypatch, path=str(tmp_path / "secret_key"), unsafe_writes=False, seuser=None,
                       attributes=None, **owner_params())
    assert kind is Exit, result
    docs = yaml.safe_load(secret_file.DOCUMENTATION)
    assert docs["extends_documentation_fragment"] == ["ansible.builtin.files"]
    for name in ("owner", "group", "mode"):
        assert "default" not in docs["options"][name], "%s: the standard option has no default" % name


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to root")
def test_owner_group_and_mode_not_given_are_root_root_0600(monkeypatch, tmp_path):
    path = tmp_path / "secret_key"
    kind, first = run(monkeypatch, path=str(path))
    assert kind is Exit, first
    assert (path.stat().st_uid, path.stat().st_gid, stat.S_IMODE(path.stat().st_mode)) == (0, 0, 0o600)
    # An existing file that someone opened up is closed again, its secret kept.
    path.chmod(0o644)
    kind, second = run(monkeypatch, path=str(path))
    assert kind is Exit, second
    assert (second["changed"], second["generated"], second["secret"]) == (True, False, first["secret"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("mode, expected", [("0640", 0o640), ("u=rw,g=r", 0o640), ("0400", 0o400)])
def test_a_mode_given_is_the_file_mode(monkeypatch, tmp_path, mode, expected):
    path = tmp_path / "secret_key"
    kind, result = run(monkeypatch, path=str(path), mode=mode, **owner_params())
    assert kind is Exit, result
    assert stat.S_IMODE(path.stat().st_mode) == expected
    kind, again = run(monkeypatch, path=str(path), mode=mode, **owner_params())
    assert kind is Exit and not again["changed"]


def test_a_dry_run_reports_a_mode_to_set_and_leaves_it(monkeypatch, tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("kept-secret-value\n")
    path.chmod(0o644)
    kind, result = run(monkeypatch, check_mode=True, path=str(path), mode="0600", **owner_params())
    assert kind is Exit, result
    assert (result["changed"], result["generated"], result["secret"]) == (True, False, "kept-secret-value")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_the_diff_shows_the_file_and_never_the_secret(monkeypatch, tmp_path):
    path = tmp_path / "secret_key"
    kind, new = run(monkeypatch, check_mode=True, _ansible_diff=True, path=str(path), mode="0640",
                    **owner_params())
    assert kind is Exit, new
    assert new["diff"]["before"] == {"path": str(path), "state": "absent"}
    assert new["diff"]["after"] == dict({"path": str(path), "state": "file", "mode": "0640"}, **owner_params())
    path.write_text("kept-secret-value\n")
    path.chmod(0o644)
    kind, existing = run(monkeypatch, _ansible_diff=True, path=str(path), mode="0600", **owner_params())
    assert kind is Exit, existing
    assert (existing["diff"]["before"]["mode"], existing["diff"]["after"]["mode"]) == ("0644", "0600")
    assert "kept-secret-value" not in repr(existing["diff"]) + repr(new["diff"])
