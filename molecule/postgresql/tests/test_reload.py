"""A dry run with --diff shows a settings change without making it; a setting that only
needs a reload keeps the server running; one that needs a restart restarts it.
Runs last: it changes trixie's settings and puts them back."""

import os

import testinfra

from playbooks import run_playbook

DATA = "/var/lib/postgresql/17/main"


def trixie():
    return testinfra.get_host("ansible://trixie", ansible_inventory=os.environ["MOLECULE_INVENTORY_FILE"])


def postmaster_pid(host):
    return host.check_output(f"head -n 1 {DATA}/postmaster.pid")


def show(host, setting):
    return host.check_output(f"runuser -u postgres -- psql -X -At -c 'show {setting}'")


def converge(settings=None, check=False):
    extra = {"postgresql_settings": settings} if settings is not None else {}
    result = run_playbook("converge.yml", extra, limit="trixie", check=check)
    assert result.rc == 0, result
    with trixie().sudo():
        generated = trixie().file("/etc/postgresql-credentials/blog").content_string.strip()
    for password in ("shop-Secret-42", generated):
        assert password not in result.output, "a password was logged"
    return result


def test_dry_run_diff_then_reload_for_work_mem_and_restart_for_max_connections():
    host = trixie()
    inventory = {"max_connections": 50, "log_min_duration_statement": "500ms"}
    before = postmaster_pid(host)

    unchanged = converge(check=True)
    assert unchanged.recap["trixie"]["changed"] == 0, unchanged

    dry_run = converge(dict(inventory, work_mem="9MB"), check=True)
    assert dry_run.recap["trixie"]["changed"] > 0, dry_run
    assert "+work_mem = '9MB'" in dry_run.output, dry_run
    assert show(host, "work_mem") != "9MB"

    result = converge(dict(inventory, work_mem="9MB"))
    assert result.recap["trixie"]["changed"] > 0, result
    assert show(host, "work_mem") == "9MB"
    assert postmaster_pid(host) == before, "work_mem needs a reload, not a restart"

    result = converge(dict(inventory, work_mem="9MB", max_connections=60))
    assert show(host, "max_connections") == "60"
    assert postmaster_pid(host) != before, "max_connections needs a restart"

    converge()
    assert show(host, "max_connections") == "50"
    assert show(host, "work_mem") != "9MB"
