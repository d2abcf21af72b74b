# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that read what pip printed."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

from ansible_collections.djangostack.deploy.plugins.module_utils.pip_failure import pip_failure


class FilterModule:
    """djangostack.deploy pip filters."""

    def filters(self):
        return {"pip_failure": pip_failure}
