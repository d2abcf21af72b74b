#!/usr/bin/python
# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check that what an app takes on a host is free or already the app's."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r"""
---
module: app_claims
short_description: Check that the accounts, directories and files of apps are free or already theirs
version_added: 0.1.0
description:
  - For each app, reads the host's account database and file system and reports what the app would
    take over although it belongs to something else, before anything changes.
  - The app's unix user must not exist, or be one the collection created for it (its comment is
    C(<name> (Django app))); its group must not be another account's (a group with members of its
    own, or one of the system's first 100); its home, when it exists and is not empty, must hold the
    collection's layout (C(releases) or C(shared)); its configuration directory, when it exists and
    is not empty, must belong to the app's group; its manage command, when it exists, must be the one
    the collection wrote for it.
  - Reads only; fails with one line that names the app and the field of the first problem.
options:
  apps:
    description:
      - Normalised C(django_apps) entries (the normalize_apps filter); only C(name), C(user),
        C(group), C(home), C(config_dir) and C(manage) are read.
    type: list
    elements: dict
    required: true
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
- name: Check that the apps take nothing of the system's
  djangostack.deploy.app_claims:
    apps: "{{ django_apps | djangostack.deploy.normalize_apps }}"
"""

RETURN = r"""
problems:
  description: Every problem found, one line each (the first is the failure's message).
  returned: always
  type: list
  elements: str
"""

import grp
import os
import pwd

from ansible.module_utils.basic import AnsibleModule

# What the collection writes into the accounts and files it creates.
USER_COMMENT = "%s (Django app)"
MANAGE_MARK = "-manage: Django's manage.py of "
HOME_LAYOUT = ("releases", "shared")


def _account(lookup, name):
    try:
        return lookup(name)
    except KeyError:
        return None


def _not_empty(path):
    try:
        return bool(os.listdir(path))
    except OSError:
        return False


def app_problems(app, getpwnam=pwd.getpwnam, getgrnam=grp.getgrnam):
    """The problems of one app, each naming the app and the field."""
    name = app["name"]
    where = "django_apps[%s]" % name
    problems = []
    user = _account(getpwnam, app["user"])
    if user is not None and user.pw_gecos != USER_COMMENT % name:
        found = (where, app["user"], user.pw_uid, user.pw_gecos)
        problems.append("%s.user %s is an account of this host the collection did not create for the app "
                        "(uid %d, comment %r): choose another name" % found)
    group = _account(getgrnam, app["group"])
    if group is not None and (user is None or user.pw_gid != group.gr_gid) and (group.gr_mem or group.gr_gid < 100):
        problems.append("%s.group %s is a group of this host the collection did not create for the app "
                        "(gid %d): choose another name" % (where, app["group"], group.gr_gid))
    home = app["home"]
    if os.path.islink(home) or os.path.exists(home) and not os.path.isdir(home):
        problems.append("%s.home %s exists and is not a directory: choose another home" % (where, home))
    elif _not_empty(home) and not any(os.path.isdir(os.path.join(home, part)) for part in HOME_LAYOUT):
        problems.append("%s.home %s holds files that are not an app's (no releases/ or shared/): choose "
                        "another home, or empty it" % (where, home))
    config_dir = app["config_dir"]
    if os.path.islink(config_dir) or os.path.exists(config_dir) and not os.path.isdir(config_dir):
        problems.append("%s.config_dir %s exists and is not a directory: choose another" % (where, config_dir))
    elif _not_empty(config_dir) and (group is None or os.stat(config_dir).st_gid != group.gr_gid):
        problems.append("%s.config_dir %s holds files that are not the app's (its group is not %s): choose "
                        "another config_dir, or empty it" % (where, config_dir, app["group"]))
    manage = app["manage"]
    if os.path.lexists(manage):
        try:
            with open(manage, "rb") as handle:
                head = handle.read(4096).decode("utf-8", "replace")
        except (IOError, OSError):
            head = ""
        if "%s%s%s" % (name, MANAGE_MARK, name) not in head:
            problems.append("%s.manage %s is a file the collection did not write for the app: choose another "
                            "name" % (where, manage))
    return problems


def main():
    module = AnsibleModule(
        argument_spec=dict(apps=dict(type="list", elements="dict", required=True)),
        supports_check_mode=True,
    )
    problems = []
    for app in module.params["apps"]:
        problems.extend(app_problems(app))
    if problems:
        module.fail_json(msg=problems[0], problems=problems)
    module.exit_json(changed=False, problems=problems)


if __name__ == "__main__":
    main()
