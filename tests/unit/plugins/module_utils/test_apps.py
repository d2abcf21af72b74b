"""The app model and its projections (plugins/module_utils/apps.py)."""

import pytest

from ansible_collections.djangostack.deploy.plugins.module_utils import apps as model


def test_an_app_needs_only_a_name():
    app = model.normalize_apps([{"name": "blog"}])[0]
    assert app["user"] == "blog"
    assert app["home"] == "/srv/blog"
    assert app["current"] == "/srv/blog/current"
    assert app["env_file"] == "/etc/blog/env"
    assert app["database"] == {"name": "blog", "user": "blog", "password": None,
                               "host": None, "port": 5432}


@pytest.mark.parametrize("apps, message", [
    ([{"name": "Blog"}], "django_apps\\[\\].name 'Blog' must start"),
    ([{"name": "blog-site"}], "must start with a lowercase letter"),
    ([{}], "django_apps\\[\\].name None"),
    (["blog"], "must be a dict"),
    ([{"name": "a"}, {"name": "a"}], "two apps named 'a'"),
    ([{"name": "a", "database": {"user": "x-y"}}], "django_apps\\[a\\].database.user"),
    ([{"name": "a", "processes": [{"name": "worker"}]}], "need a name and a command"),
])
def test_bad_entries_name_the_field(apps, message):
    with pytest.raises(model.AppModelError, match=message):
        model.normalize_apps(apps)


def test_one_database_and_owner_per_app():
    apps = [{"name": "blog"}, {"name": "shop", "database": {"name": "store", "user": "shopper"}}]
    assert model.postgresql_databases(apps) == [
        {"name": "blog", "owner": "blog", "encoding": "UTF8", "lc_collate": "C.UTF-8",
         "lc_ctype": "C.UTF-8", "state": "present"},
        {"name": "store", "owner": "shopper", "encoding": "UTF8", "lc_collate": "C.UTF-8",
         "lc_ctype": "C.UTF-8", "state": "present"},
    ]
    assert [u["name"] for u in model.postgresql_users(apps)] == ["blog", "shopper"]
    assert model.postgresql_users(apps)[1]["db"] == "store"


def test_a_given_password_is_passed_through_and_a_missing_one_stays_none():
    users = model.postgresql_users([{"name": "a", "database": {"password": "s3cret"}}, {"name": "b"}])
    assert [u["password"] for u in users] == ["s3cret", None]


def test_processes_become_supervisord_programs_running_as_the_app():
    apps = [{"name": "blog", "processes": [{"name": "worker", "command": "manage.py rqworker"}]},
            {"name": "shop"}]
    assert model.supervisord_programs(apps) == [{
        "name": "blog-worker", "command": "manage.py rqworker", "directory": "/srv/blog/current",
        "user": "blog", "environment_file": "/etc/blog/env", "numprocs": 1,
        "stopsignal": "TERM", "stopwaitsecs": 10, "state": "present",
    }]


def test_a_removed_app_removes_its_programs():
    apps = [{"name": "blog", "state": "absent",
             "processes": [{"name": "worker", "command": "run"}]}]
    assert model.supervisord_programs(apps)[0]["state"] == "absent"
