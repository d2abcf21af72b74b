"""The secret_file module: a secret generated once, kept, and returned."""

import json
import re
import os
import stat

import pytest
from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.djangostack.deploy.plugins.modules import secret_file


class Exit(Exception):
    """exit_json was called."""


class Fail(Exception):
    """fail_json was called."""


def run(monkeypatch, check_mode=False, **params):
    args = dict(params, _ansible_check_mode=check_mode, _ansible_remote_tmp="/tmp", _ansible_keep_remote_files=False)
    monkeypatch.setattr(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args})))
    monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy", raising=False)

    def exit_json(_module, **result):
        raise Exit(result)

    def fail_json(_module, **result):
        raise Fail(result)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    with pytest.raises((Exit, Fail)) as info:
        secret_file.main()
    return info.type, info.value.args[0]


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
