"""Bad input stops the role before it changes anything, with one line naming the variable."""

import pytest

from playbooks import run_playbook

BAD_INPUT = {
    "wrong type": (
        {"postgresql_settings": "shared_buffers=1GB"},
        "postgresql_settings",
    ),
    "unsupported version": (
        {"postgresql_version": 9},
        "postgresql_version must be a PostgreSQL major version of 10 or newer",
    ),
    "version not in the archive": (
        {"postgresql_version": "16"},
        "postgresql_version 16: package postgresql-16 is not available",
    ),
    "invalid pg_hba method": (
        {"postgresql_hba_entries": [{"type": "host", "database": "all", "user": "all",
                                     "address": "10.0.0.0/8", "method": "scram"}]},
        "value of method must be one of",
    ),
    "pg_hba open to everyone": (
        {"postgresql_hba_entries": [{"type": "host", "database": "all", "user": "all",
                                     "address": "0.0.0.0/0", "method": "scram-sha-256"}]},
        "postgresql_hba_entries[0] (host all all): address 0.0.0.0/0 admits more than a private network",
    ),
    "reserved setting": (
        {"postgresql_settings": {"listen_addresses": "*"}},
        "postgresql_settings must not set listen_addresses; use postgresql_listen_addresses",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_fails_before_any_change(case):
    extra_vars, message = BAD_INPUT[case]
    result = run_playbook("converge.yml", extra_vars)
    assert result.rc != 0, result
    assert any(message in line for line in result.output.splitlines()), result
    assert result.recap, result
    assert result.changed() == 0, result
    # The failure results (the argument spec's too) never show a password.
    assert "shop-Secret-42" not in result.output
