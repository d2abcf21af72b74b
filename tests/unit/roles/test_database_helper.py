"""roles/django_app/files/database.py: the connection and commands it hands to libpq's tools."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "roles" / "django_app" / "files" / "database.py"
SPEC = importlib.util.spec_from_file_location("database_helper", SCRIPT)
helper = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(helper)

DATABASE = {"ENGINE": "django.db.backends.postgresql", "NAME": "blog", "USER": "blog",
            "PASSWORD": "s3cret", "HOST": "10.0.0.7", "PORT": 5432}


def test_the_connection_goes_through_the_environment():
    assert helper.libpq_environment(DATABASE) == {
        "PGHOST": "10.0.0.7", "PGPORT": "5432", "PGUSER": "blog", "PGPASSWORD": "s3cret",
        "PGDATABASE": "blog", "PGCONNECT_TIMEOUT": "10"}
    local = helper.libpq_environment({"NAME": "blog", "HOST": "", "PORT": "", "OPTIONS": {"sslmode": "require"}})
    assert local == {"PGDATABASE": "blog", "PGSSLMODE": "require", "PGCONNECT_TIMEOUT": "10"}


def test_no_password_on_a_command_line():
    for action in ("dump", "restore"):
        argv = helper.command(action, DATABASE)
        assert "s3cret" not in " ".join(argv)
        assert "--no-password" in argv
    assert helper.command("dump", DATABASE)[:2] == ["pg_dump", "--format=custom"]
    restore = helper.command("restore", DATABASE)
    assert {"--clean", "--if-exists", "--single-transaction", "--exit-on-error"} <= set(restore)
    assert restore[-2:] == ["--dbname", "blog"]
    with pytest.raises(ValueError):
        helper.command("drop", DATABASE)


def test_usage():
    assert helper.main(["database.py"]) == 64
    assert helper.main(["database.py", "drop"]) == 64
