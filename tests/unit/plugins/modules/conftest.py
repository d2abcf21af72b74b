"""What the module tests share: a module's main() run with arguments, its result caught."""

import json

import pytest
from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes


class Exit(Exception):
    """exit_json was called."""


class Fail(Exception):
    """fail_json was called."""


def run_main(monkeypatch, main, check_mode=False, **params):
    """main() of a module with `params`: (Exit or Fail, the result)."""
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
        main()
    return info.type, info.value.args[0]
