# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters about the host's Debian packages."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

import re

from ansible.errors import AnsibleFilterError


def missing_packages(names, dpkg_status=None):
    """The names of `names` that dpkg does not report installed.

    `dpkg_status` is what `dpkg-query --show --showformat='${db:Status-Abbrev}${Package},' NAMES`
    printed: entries such as `ii nginx` (installed) or `rc nginx` (removed), separated by commas
    or line ends. None (not known) means every name is missing. A name with a version, a
    release or an architecture (`pkg=1.2`, `pkg>=1`, `pkg/bookworm-backports`, `pkg:amd64`)
    and a path to a .deb file are always missing: apt decides.
    """
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, (list, tuple)) or not all(isinstance(name, str) for name in names):
        raise AnsibleFilterError("missing_packages takes a list of package names, got %r" % (names,))
    if dpkg_status is not None and not isinstance(dpkg_status, str):
        raise AnsibleFilterError("missing_packages takes the output of dpkg-query (a string), got %r" % (dpkg_status,))
    installed = set()
    for entry in re.split(r"[,\n]", dpkg_status or ""):
        fields = entry.split()
        if len(fields) == 2 and fields[0] == "ii":
            installed.add(fields[1])
    missing = []
    for name in names:
        plain = not any(mark in name for mark in "=<>/:") and not name.endswith(".deb")
        if (dpkg_status is None or not plain or name not in installed) and name not in missing:
            missing.append(name)
    return missing


class FilterModule:
    """djangostack.deploy package filters."""

    def filters(self):
        return {"missing_packages": missing_packages}
