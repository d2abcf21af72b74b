"""The warn action: a warning on the controller, no change, also in check mode."""

from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleActionFail
from ansible.playbook.task import Task
from ansible.template import Templar

from ansible_collections.djangostack.deploy.plugins.action import warn


def make_action(args, check_mode=False):
    task = MagicMock(Task)
    task.args = args
    task.async_val = 0
    task.check_mode = check_mode
    task.diff = False
    connection = MagicMock()
    play_context = MagicMock()
    play_context.check_mode = check_mode
    action = warn.ActionModule(task, connection, play_context, loader=None, templar=Templar(loader=None),
                               shared_loader_obj=None)
    # The plugin loader names every plugin it loads; ansible-core 2.17 reads the name
    # in the error of an unsupported option.
    action._load_name = "djangostack.deploy.warn"  # pylint: disable=protected-access
    return action


@pytest.fixture(name="warnings")
def fixture_warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(warn.display, "warning", shown.append)
    return shown


@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check-mode"])
def test_the_message_is_shown_as_a_warning_and_nothing_changes(warnings, check_mode):
    result = make_action({"msg": "app dave is left out: its WSGI script does not exist\n"}, check_mode).run(
        task_vars={})
    assert warnings == ["app dave is left out: its WSGI script does not exist"]
    assert result["changed"] is False
    assert not result.get("failed")
    assert result["msg"] == "app dave is left out: its WSGI script does not exist"


def test_the_action_needs_no_connection_to_the_host():
    assert warn.ActionModule._requires_connection is False  # pylint: disable=protected-access
    assert warn.ActionModule.TRANSFERS_FILES is False


@pytest.mark.parametrize("args", [{}, {"msg": "x", "other": 1}], ids=["no-msg", "unknown-option"])
def test_bad_arguments_fail(warnings, args):
    with pytest.raises(AnsibleActionFail) as info:
        make_action(args).run(task_vars={})
    assert ("msg" if not args else "other") in str(info.value)
    assert not warnings


def test_an_empty_message_fails(warnings):
    result = make_action({"msg": "  "}).run(task_vars={})
    assert result["failed"] and result["msg"] == "msg is empty: give the warning's text"
    assert not warnings


def test_the_documentation_module_says_it_runs_only_as_an_action(monkeypatch):
    import json  # pylint: disable=import-outside-toplevel

    from ansible.module_utils import basic  # pylint: disable=import-outside-toplevel
    from ansible.module_utils.common.text.converters import to_bytes  # pylint: disable=import-outside-toplevel

    # pylint: disable-next=import-outside-toplevel
    from ansible_collections.djangostack.deploy.plugins.modules import warn as doc

    args = {"msg": "x", "_ansible_remote_tmp": "/tmp", "_ansible_keep_remote_files": False}
    monkeypatch.setattr(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args})))
    monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy", raising=False)

    def fail_json(_module, **result):
        raise RuntimeError(result["msg"])

    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    with pytest.raises(RuntimeError, match="runs only as an action on the controller"):
        doc.main()
