"""Fixtures of the site scenario's tests."""

from pathlib import Path

import pytest
import yaml


@pytest.fixture(name="name")
def fixture_name(host):
    return host.backend.get_hostname()


@pytest.fixture(name="server")
def fixture_server(name):
    """What runs the app on this host: gunicorn, or mod_wsgi (host_vars/<name>.yml)."""
    host_vars = Path(__file__).resolve().parents[1] / "host_vars" / f"{name}.yml"
    found = yaml.safe_load(host_vars.read_text()) if host_vars.exists() else {}
    return found.get("example_server", "gunicorn")
