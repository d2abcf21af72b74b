# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dump or restore an app's PostgreSQL database, as the app sees it.

Installed by djangostack.deploy.django_app and run by the app's manage wrapper
(`<app>-manage [--release DIR] --python database.py dump|restore`), so it runs
as the app user with the app's environment. It reads the database of Django's
settings (DATABASES["default"]) and runs pg_dump or pg_restore with the
connection in libpq's environment variables: the password never appears on a
command line.

  dump      pg_dump --format=custom of the whole database to stdout
  restore   pg_restore --clean --if-exists of a custom-format dump read from
            stdin, in one transaction (a dump that cannot be restored changes
            nothing); objects are owned by the app's own role
  name      print the database's name

Exit status 3 when the default database is not PostgreSQL.
"""

import os
import sys

POSTGRESQL_ENGINES = ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2",
                      "django.contrib.gis.db.backends.postgis")


def libpq_environment(database):
    """The PG* variables that connect libpq's tools to a Django DATABASES entry."""
    options = database.get("OPTIONS") or {}
    env = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database.get("NAME") or "",
        "PGSSLMODE": options.get("sslmode") or "",
        "PGCONNECT_TIMEOUT": str(options.get("connect_timeout") or 10),
    }
    return {key: value for key, value in env.items() if value}


def command(action, database):
    """argv of the libpq tool for `action`."""
    if action == "dump":
        return ["pg_dump", "--format=custom", "--no-password"]
    if action == "restore":
        return ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                "--exit-on-error", "--no-password", "--dbname", database.get("NAME") or ""]
    raise ValueError("unknown action %r: dump, restore or name" % action)


def main(argv):
    if len(argv) != 2 or argv[1] not in ("dump", "restore", "name"):
        sys.stderr.write("usage: database.py dump|restore|name\n")
        return 64
    # The project directory (the manage wrapper's working directory), not this
    # file's, is where the settings module is.
    sys.path.insert(0, os.getcwd())
    from django.conf import settings  # pylint: disable=import-outside-toplevel

    database = settings.DATABASES["default"]
    if database.get("ENGINE") not in POSTGRESQL_ENGINES:
        sys.stderr.write("the default database is %s, not PostgreSQL\n" % database.get("ENGINE"))
        return 3
    if argv[1] == "name":
        print(database.get("NAME"))
        return 0
    os.environ.update(libpq_environment(database))
    argv = command(argv[1], database)
    os.execvp(argv[0], argv)
    return 70  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv))
