"""A new password for an app's user goes to its other login role: what still connects
with the current password keeps connecting until the next change (the stack's apps
switch to the new one with their next release). Runs after the other tests: it
changes shop's password on both hosts."""

import os

import pytest
import testinfra

from playbooks import run_playbook

CREDENTIALS = "/etc/postgresql-credentials"
FIRST = "shop-Secret-42"  # converge.yml's
SECOND = "shop-Second-43"
THIRD = "shop-Third-44"


def hosts():
    inventory = os.environ["MOLECULE_INVENTORY_FILE"]
    return [testinfra.get_host(f"ansible://{name}", ansible_inventory=inventory) for name in ("bookworm", "trixie")]


def converge(password, check=False):
    apps = [{"name": "shop", "database": {"password": password}}, {"name": "blog"}]
    result = run_playbook("converge.yml", {"django_apps": apps}, check=check)
    assert result.rc == 0, result
    for secret in (FIRST, SECOND, THIRD):
        assert secret not in result.output, "a password was logged"
    return result


def login(host, user, password):
    """(session user, current user) of a login over TCP, or None when it is refused."""
    cmd = host.run(f"PGPASSWORD='{password}' PGCONNECT_TIMEOUT=5 psql -X -At -h 127.0.0.1 -U {user} -d shop "
                   "-c 'select session_user, current_user'")
    return tuple(cmd.stdout.strip().split("|")) if cmd.rc == 0 else None


def live_login(host):
    with host.sudo():
        return host.file(f"{CREDENTIALS}/shop.login").content_string.strip()


@pytest.fixture(name="rotations", scope="module")
def fixture_rotations():
    """A dry run with a second password, the second password, the same again, then a third."""
    found = {"before": {host.backend.get_hostname(): live_login(host) for host in hosts()}}
    found["dry_run"] = converge(SECOND, check=True)
    found["after_dry_run"] = {host.backend.get_hostname(): (live_login(host), login(host, "shop_alt", SECOND))
                              for host in hosts()}
    found["second"] = converge(SECOND)
    found["with_second"] = {host.backend.get_hostname(): {
        "live": live_login(host), "first": login(host, "shop", FIRST), "second": login(host, "shop_alt", SECOND),
        # What the second login role creates belongs to the user.
        "owner": host.run(f"PGPASSWORD='{SECOND}' psql -X -At -q -h 127.0.0.1 -U shop_alt -d shop -v ON_ERROR_STOP=1 "
                          "-c 'create table rotation_probe (id int)' "
                          "-c \"select tableowner from pg_tables where tablename = 'rotation_probe'\" "
                          "-c 'drop table rotation_probe'").stdout.split()}
        for host in hosts()}
    found["again"] = converge(SECOND)
    found["third"] = converge(THIRD)
    found["with_third"] = {host.backend.get_hostname(): {
        "live": live_login(host), "first": login(host, "shop", FIRST), "second": login(host, "shop_alt", SECOND),
        "third": login(host, "shop", THIRD)} for host in hosts()}
    return found


def test_a_dry_run_of_a_new_password_changes_nothing(rotations):
    for name, before in rotations["before"].items():
        assert before == "shop"
        assert rotations["dry_run"].recap[name]["changed"] >= 1, rotations["dry_run"]
        assert rotations["after_dry_run"][name] == ("shop", None)


def test_a_new_password_goes_to_the_other_login_role_and_the_current_one_keeps_working(rotations):
    for name, found in rotations["with_second"].items():
        assert rotations["second"].recap[name]["changed"] >= 1
        assert found["live"] == "shop_alt"
        assert found["first"] == ("shop", "shop"), "the password before stopped working"
        assert found["second"] == ("shop_alt", "shop"), "the new password's sessions do not act as the user"
        assert found["owner"] == ["shop"], found["owner"]


def test_the_same_password_again_changes_nothing(rotations):
    for name in rotations["before"]:
        assert rotations["again"].recap[name]["changed"] == 0, rotations["again"]


def test_the_next_password_replaces_the_one_before_the_current(rotations):
    for name, found in rotations["with_third"].items():
        assert found["live"] == "shop"
        assert found["third"] == ("shop", "shop")
        assert found["second"] == ("shop_alt", "shop"), "the current password stopped working"
        assert found["first"] is None, "the password before the current one still works"
