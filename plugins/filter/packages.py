# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters about the host's Debian packages."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

from ansible.errors import AnsibleFilterError


def missing_packages(names, installed=None):
    """The names of `names` that `installed` (ansible_facts.packages) does not hold.

    Unknown facts (None) mean every name is missing. A name with a version, a
    release or an architecture (`pkg=1.2`, `pkg>=1`, `pkg/bookworm-backports`,
    `pkg:amd64`) and a path to a .deb file are always missing: apt decides.
    """
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, (list, tuple)) or not all(isinstance(name, str) for name in names):
        raise AnsibleFilterError("missing_packages takes a list of package names, got %r" % (names,))
    if installed is not None and not isinstance(installed, dict):
        raise AnsibleFilterError("missing_packages takes ansible_facts.packages (a dict), got %r" % (installed,))
    missing = []
    for name in names:
        plain = not any(mark in name for mark in "=<>/:") and not name.endswith(".deb")
        if (installed is None or not plain or not installed.get(name)) and name not in missing:
            missing.append(name)
    return missing


class FilterModule:
    """djangostack.deploy package filters."""

    def filters(self):
        return {"missing_packages": missing_packages}
