#!/usr/bin/python
# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Documentation of the action plugin djangostack.deploy.warn (plugins/action/warn.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r"""
---
module: warn
short_description: Show a warning in the run's output and go on
version_added: 0.1.0
description:
  - Shows O(msg) as a warning of the run, on the controller, and never fails or changes anything.
    For a problem the play can go on with, such as an app left out of a web server's configuration
    while the others are served.
  - Runs on the controller only, as an action; nothing is sent to the host.
options:
  msg:
    description: The warning's text; one line reads best.
    type: str
    required: true
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
  async:
    description: Supports being used with the C(async) keyword.
    support: none
  bypass_host_loop:
    description: Forces a 'global' task that does not execute per host.
    support: none
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
author:
  - djangostack.deploy contributors (@djangostack)
"""

EXAMPLES = r"""
- name: Warn about an app that is left out
  djangostack.deploy.warn:
    msg: "app dave is left out: its WSGI script /srv/dave/app.wsgi does not exist"
  when: dave_script is not exists
"""

RETURN = r"""
msg:
  description: The warning that was shown.
  returned: always
  type: str
  sample: "app dave is left out: its WSGI script /srv/dave/app.wsgi does not exist"
"""

from ansible.module_utils.basic import AnsibleModule


def main():
    """Only reached when the action plugin is not used: say so."""
    module = AnsibleModule(argument_spec=dict(msg=dict(type="str", required=True)), supports_check_mode=True)
    module.fail_json(msg="djangostack.deploy.warn runs only as an action on the controller; call it as a task")


if __name__ == "__main__":
    main()
