"""What an app takes on a host is free or already its own (plugins/modules/app_claims.py)."""

import collections
import os

import pytest

from ansible_collections.djangostack.deploy.plugins.modules import app_claims

Passwd = collections.namedtuple("Passwd", "pw_name pw_uid pw_gid pw_gecos")
Group = collections.namedtuple("Group", "gr_name gr_gid gr_mem")


def lookups(users=(), groups=()):
    users = {user.pw_name: user for user in users}
    groups = {group.gr_name: group for group in groups}
    return users.__getitem__, groups.__getitem__


@pytest.fixture
def claim(tmp_path):
    return {"name": "blog", "state": "present", "user": "blog", "group": "blog",
            "home": str(tmp_path / "srv" / "blog"), "config_dir": str(tmp_path / "etc" / "blog"),
            "manage": str(tmp_path / "bin" / "blog-manage")}


def test_a_fresh_host_has_nothing_to_say(claim):
    assert app_claims.app_problems(claim, *lookups()) == []


def test_the_accounts_and_files_the_collection_made_are_the_apps(claim):
    gid = os.getgid()
    for path in (claim["home"] + "/releases", claim["config_dir"]):
        os.makedirs(path)
    with open(claim["config_dir"] + "/env", "w") as handle:
        handle.write("A=1\n")
    os.makedirs(os.path.dirname(claim["manage"]))
    with open(claim["manage"], "w") as handle:
        handle.write("#!/bin/sh\n# blog-manage: Django's manage.py of blog, with its environment.\n")
    found = lookups([Passwd("blog", 990, gid, "blog (Django app)")], [Group("blog", gid, [])])
    assert app_claims.app_problems(claim, *found) == []


@pytest.mark.parametrize("users, groups, field, reason", [
    ([Passwd("blog", 0, 0, "root")], [], "django_apps[blog].user blog", "did not create for the app (uid 0"),
    ([Passwd("blog", 33, 33, "www-data")], [], "django_apps[blog].user blog", "did not create"),
    ([Passwd("blog", 990, 990, "shop (Django app)")], [], "django_apps[blog].user blog", "did not create"),
    ([], [Group("blog", 27, [])], "django_apps[blog].group blog", "did not create"),
    ([], [Group("blog", 1001, ["alice"])], "django_apps[blog].group blog", "did not create"),
])
def test_an_account_of_the_system_is_never_taken(claim, users, groups, field, reason):
    problems = app_claims.app_problems(claim, *lookups(users, groups))
    assert problems and field in problems[0] and reason in problems[0]


def test_a_home_with_other_files_is_refused(claim):
    os.makedirs(claim["home"] + "/data")
    problems = app_claims.app_problems(claim, *lookups())
    assert problems == ["django_apps[blog].home %s holds files that are not an app's (no releases/ or shared/): "
                        "choose another home, or empty it" % claim["home"]]


def test_an_empty_home_can_be_taken(claim):
    os.makedirs(claim["home"])
    assert app_claims.app_problems(claim, *lookups()) == []


def test_a_home_that_is_a_link_is_refused(claim, tmp_path):
    os.makedirs(os.path.dirname(claim["home"]))
    os.symlink(str(tmp_path), claim["home"])
    assert "is not a directory" in app_claims.app_problems(claim, *lookups())[0]


def test_a_configuration_directory_of_another_group_is_refused(claim):
    os.makedirs(claim["config_dir"])
    with open(claim["config_dir"] + "/sshd_config", "w") as handle:
        handle.write("PermitRootLogin no\n")
    gid = os.stat(claim["config_dir"]).st_gid
    problems = app_claims.app_problems(claim, *lookups(groups=[Group("blog", gid + 1000, [])]))
    assert "django_apps[blog].config_dir" in problems[0] and "its group is not blog" in problems[0]


def test_a_manage_command_the_collection_did_not_write_is_refused(claim):
    os.makedirs(os.path.dirname(claim["manage"]))
    with open(claim["manage"], "w") as handle:
        handle.write("#!/bin/sh\nexec /usr/bin/python3 \"$@\"\n")
    problems = app_claims.app_problems(claim, *lookups())
    assert problems == ["django_apps[blog].manage %s is a file the collection did not write for the app: "
                        "choose another name" % claim["manage"]]


def test_the_manage_command_of_another_app_is_refused(claim):
    os.makedirs(os.path.dirname(claim["manage"]))
    with open(claim["manage"], "w") as handle:
        handle.write("#!/bin/sh\n# shop-manage: Django's manage.py of shop, with its environment.\n")
    assert "django_apps[blog].manage" in app_claims.app_problems(claim, *lookups())[0]
