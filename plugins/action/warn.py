# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin djangostack.deploy.warn: show a warning on the controller and go on.

The documentation is in plugins/modules/warn.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

display = Display()


class ActionModule(ActionBase):
    """Show `msg` as a warning of the run; never changes anything, also in check mode."""

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        _validation, args = self.validate_argument_spec(
            argument_spec={"msg": {"type": "str", "required": True}},
        )
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        msg = args["msg"].strip()
        if not msg:
            result.update(failed=True, msg="msg is empty: give the warning's text")
            return result
        display.warning(msg)
        result.update(changed=False, msg=msg)
        return result
