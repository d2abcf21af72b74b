# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that project the app model (`django_apps`) into the roles' inputs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

from ansible.errors import AnsibleFilterError

from ansible_collections.djangostack.deploy.plugins.module_utils import apps as model
from ansible_collections.djangostack.deploy.plugins.module_utils import checks
from ansible_collections.djangostack.deploy.plugins.module_utils import firewall


def _wrap(func):
    def run(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except model.AppModelError as exc:
            raise AnsibleFilterError(str(exc))
    run.__name__ = func.__name__
    run.__doc__ = func.__doc__
    return run


class FilterModule:
    """djangostack.deploy app-model filters."""

    def filters(self):
        return {
            name: _wrap(getattr(model, name, None) or getattr(checks, name, None) or getattr(firewall, name))
            for name in ("normalize_apps", "app_claims", "procfile_problem", "select_apps", "remove_app", "postgresql_databases", "postgresql_users",
                         "supervisord_programs", "parse_procfile", "gunicorn_apps", "gunicorn_slot_program",
                         "gunicorn_slot_socket", "gunicorn_live_slot", "mod_wsgi_apps",
                         "nginx_sites", "firewall_rules", "firewall_peers",
                         "django_env", "settings_expect", "host_addresses", "tier_hosts", "remote_clients",
                         "stale_releases", "app_peers", "shared_ids", "supervisord_program_problem",
                         "memcached_listen_problem", "memcached_options_problem", "hba_entry_problem",
                         "gunicorn_settings_problem", "python_literal", "spec_without_defaults",
                         "choose_python", "stack_requirements")
        }
