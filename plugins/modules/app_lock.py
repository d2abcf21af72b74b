#!/usr/bin/python
# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Take or give back the lock of an app on a host: one run at a time."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r"""
---
module: app_lock
short_description: Take or give back the lock of an app, so that one run at a time changes it
version_added: 0.1.0
description:
  - The lock is a file that names the run holding it (O(holder)). Taking it creates the file
    atomically; when another run holds it, the module changes nothing and returns that run as
    RV(holder) with RV(held=true), so that the play can refuse with one line naming it, or find
    that the run is gone and take the lock over with O(force).
  - Taking a lock this run already holds changes nothing. Giving it back removes the file only when
    this run holds it.
options:
  path:
    description: The lock file, e.g. C(/run/lock/djangostack/blog.lock).
    type: path
    required: true
  holder:
    description:
      - Who this run is; C(controller) and C(pid) (of C(ansible-playbook)) identify it, the other keys
        (C(user), C(playbook), C(since)) are for the message of a refused run.
    type: dict
    required: true
  state:
    description: V(present) takes the lock, V(absent) gives it back.
    type: str
    choices: [present, absent]
    default: present
  force:
    description: Take the lock although another run holds it (that run is gone, or the user breaks it).
    type: bool
    default: false
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
author:
  - djangostack.deploy contributors (@djangostack)
"""

EXAMPLES = r"""
- name: Take the lock of blog
  djangostack.deploy.app_lock:
    path: /run/lock/djangostack/blog.lock
    holder: {controller: ctl.example.org, pid: 4242, user: deploy, playbook: deploy.yml, since: "2026-12-01T10:00:00Z"}
  register: blog_lock
"""

RETURN = r"""
held:
  description: Another run holds the lock (nothing was changed).
  returned: always
  type: bool
holder:
  description: The run that holds the lock now (another one when RV(held)), as its file says.
  returned: always
  type: dict
"""

import errno
import json
import os

from ansible.module_utils.basic import AnsibleModule


def same_run(one, other):
    return (str(one.get("controller")), str(one.get("pid"))) == (str(other.get("controller")), str(other.get("pid")))


def read(path):
    try:
        with open(path) as handle:
            return json.load(handle)
    except (IOError, OSError, ValueError):
        # A lock that cannot be read is held by somebody unknown.
        return {"controller": "?", "pid": "?", "since": "?", "playbook": "?", "user": "?"}


def create(path, holder):
    """Write the lock file if it does not exist; False when it does."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError as exc:
        if exc.errno == errno.EEXIST:
            return False
        raise
    with os.fdopen(descriptor, "w") as handle:
        json.dump(holder, handle, sort_keys=True)
        handle.write("\n")
    return True


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            holder=dict(type="dict", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            force=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    path, holder = module.params["path"], module.params["holder"]
    exists = os.path.lexists(path)
    current = read(path) if exists else None
    if module.params["state"] == "absent":
        mine = exists and same_run(current, holder)
        if mine and not module.check_mode:
            os.unlink(path)
        module.exit_json(changed=bool(mine), held=bool(exists and not mine), holder=current or {})
    if exists and same_run(current, holder):
        module.exit_json(changed=False, held=False, holder=current)
    if exists and not module.params["force"]:
        module.exit_json(changed=False, held=True, holder=current)
    if module.check_mode:
        module.exit_json(changed=True, held=False, holder=holder)
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        os.makedirs(directory, 0o755)
    if exists:
        # Taken over: the new file replaces the old one in one step.
        temporary = "%s.%d" % (path, os.getpid())
        with open(temporary, "w") as handle:
            json.dump(holder, handle, sort_keys=True)
            handle.write("\n")
        os.rename(temporary, path)
    elif not create(path, holder):
        # Another run was quicker.
        module.exit_json(changed=False, held=True, holder=read(path))
    module.exit_json(changed=True, held=False, holder=holder)


if __name__ == "__main__":
    main()
