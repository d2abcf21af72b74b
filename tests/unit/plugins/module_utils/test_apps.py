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
    # A new password goes to the user's second login role (the postgresql role's rotate).
    assert all(user["rotate"] for user in users)


def test_the_environment_connects_as_the_login_role_of_the_password():
    app = model.normalize_apps([DEPLOYABLE])[0]
    env = dict(model.django_env(app, "k" * 50, "127.0.0.1", "pw", database_login="blog_alt"))
    assert env["DATABASE_URL"] == "postgres://blog_alt:pw@127.0.0.1:5432/blog"
    with pytest.raises(model.AppModelError, match=r"django_apps\[blog\]\.database\.user blog_alt ends in _alt"):
        model.normalize_apps([dict(DEPLOYABLE, database={"user": "blog_alt"})])


def test_processes_become_supervisord_programs_running_as_the_app():
    apps = [{"name": "blog", "processes": [{"name": "worker", "command": "manage.py rqworker"}]},
            {"name": "shop"}]
    assert model.supervisord_programs(apps) == [{
        "name": "blog-worker", "command": "manage.py rqworker", "directory": "/srv/blog/current",
        "user": "blog", "environment_file": "/etc/blog/env",
        "environment": {"PATH": "/srv/blog/current/venv/bin:/usr/local/bin:/usr/bin:/bin"},
        "numprocs": 1, "stopsignal": "TERM", "stopwaitsecs": 10, "state": "present",
    }]


def test_a_removed_app_removes_its_programs():
    apps = [{"name": "blog", "state": "absent",
             "processes": [{"name": "worker", "command": "run"}]}]
    assert model.supervisord_programs(apps)[0]["state"] == "absent"


def test_procfile_process_types_become_programs_unless_declared():
    text = "# processes\nweb: gunicorn example.wsgi\nworker: python manage.py run_worker\n\nrelease: ./migrate\nbeat: celery beat\n"
    assert model.parse_procfile(text) == [
        {"name": "worker", "command": "python manage.py run_worker"},
        {"name": "beat", "command": "celery beat"},
    ]
    apps = [{"name": "blog", "processes": [{"name": "beat", "command": "declared beat"}]}]
    programs = model.supervisord_programs(apps, procfiles={"blog": model.parse_procfile(text)})
    assert [(p["name"], p["command"]) for p in programs] == [
        ("blog-beat", "declared beat"), ("blog-worker", "python manage.py run_worker")]


@pytest.mark.parametrize("text, message", [
    ("worker python run", "line 1 is not `name: command`"),
    ("Worker-2: run", "Procfile process type 'worker-2'"),
])
def test_a_broken_procfile_names_the_line(text, message):
    with pytest.raises(model.AppModelError, match=message):
        model.parse_procfile(text)


DEPLOYABLE = {"name": "blog", "domains": ["blog.example.org", "example.org"],
              "source": {"type": "git", "repo": "https://git.example.org/blog.git"}}


def test_the_deploy_fields_get_defaults():
    app = model.normalize_apps([DEPLOYABLE])[0]
    assert app["source"]["version"] == "HEAD"
    assert app["redirects"] == ["www.blog.example.org"]
    assert app["settings_module"] == "blog.settings"
    assert app["wsgi"] == "blog.wsgi:application"
    assert (app["server"], app["port"], app["keep_releases"]) == ("gunicorn", 8000, 5)
    assert app["socket"] == "/srv/blog/run/gunicorn.sock"
    assert app["tls"] == {"mode": "selfsigned"}


@pytest.mark.parametrize("change, message", [
    ({"source": {"type": "svn", "repo": "x"}}, "source.type must be one of git, hg, archive, local"),
    ({"source": {"type": "local"}}, "source of type local needs path"),
    ({"domains": ["Blog.example.org"]}, "not a lowercase domain name"),
    ({"static_url": "static"}, "static_url must be a path"),
    ({"server": "uwsgi"}, "server must be one of gunicorn, mod_wsgi"),
    ({"keep_releases": 0}, "keep_releases must be a whole number of at least 1"),
    ({"env": {"1X": "y"}}, "'1X' is not an environment variable name"),
    ({"cron": [{"name": "x"}]}, "cron entries need a name and a command"),
    ({"tls": {"mode": "letsencrypt"}}, "tls.mode must be one of selfsigned, provided, acme"),
    ({"settings_template": {"src": "local.py.j2"}}, "settings_template needs src .* and dest .*blog/local.py"),
])
def test_bad_deploy_fields_name_the_field(change, message):
    with pytest.raises(model.AppModelError, match=message):
        model.normalize_apps([dict(DEPLOYABLE, **change)])


def test_two_apps_may_not_share_a_port():
    with pytest.raises(model.AppModelError, match="two apps on port 9000"):
        model.normalize_apps([{"name": "a", "port": 9000}, {"name": "b", "port": 9000}])


def test_aliases_redirect_and_domains_are_served():
    app = model.normalize_apps([dict(DEPLOYABLE, aliases=["old.example.org", "example.org"])])[0]
    assert app["domains"] == ["blog.example.org", "example.org"]
    assert app["redirects"] == ["www.blog.example.org", "old.example.org"]


def test_nginx_sites_use_the_socket_or_every_app_server():
    local = model.nginx_sites([DEPLOYABLE])[0]
    assert local["upstream"] == ["unix:/srv/blog/run/gunicorn.sock"]
    assert local["server_names"] == ["blog.example.org", "example.org"]
    assert local["redirect_names"] == ["www.blog.example.org"]
    assert local["static"] == {"url": "/static/", "path": "/srv/blog/current/.static/",
                               "fallback": "/srv/blog/previous/.static/"}
    assert local["media"] == {"url": "/media/", "path": "/srv/blog/shared/media/"}
    remote = model.nginx_sites([DEPLOYABLE], app_hosts=["10.0.0.5", "10.0.0.6"])[0]
    assert remote["upstream"] == ["10.0.0.5:8000", "10.0.0.6:8000"]


def test_nginx_sites_reach_mod_wsgi_apps_through_apache():
    app = dict(DEPLOYABLE, server="mod_wsgi")
    assert model.nginx_sites([app])[0]["upstream"] == ["127.0.0.1:9000"]
    assert model.nginx_sites([app], mod_wsgi_port="9100")[0]["upstream"] == ["127.0.0.1:9100"]
    remote = model.nginx_sites([app], app_hosts=["10.0.0.5", "10.0.0.6"])[0]
    assert remote["upstream"] == ["10.0.0.5:9000", "10.0.0.6:9000"]


def test_mod_wsgi_apps_run_the_current_release_as_the_app_user():
    served = model.mod_wsgi_apps([dict(DEPLOYABLE, name="other", domains=["other.example.org"]),
                                  dict(DEPLOYABLE, server="mod_wsgi", workers=3, timeout=45)])
    assert served == [{
        "name": "blog", "state": "present", "user": "blog", "group": "blog",
        "domain": "blog.example.org", "aliases": ["example.org"],
        "script": "/srv/blog/blog.wsgi", "generate_script": True, "wsgi": "blog.wsgi:application",
        "env_file": "/etc/blog/env", "python_home": "/srv/blog/current/venv", "python_path": "/srv/blog/current",
        "next": {"python_home": "/srv/blog/next/venv", "python_path": "/srv/blog/next", "env_file": "/etc/blog/env.next"},
        "health_check": {"path": "/"},
        "processes": 3, "threads": 15, "maximum_requests": 1000, "request_timeout": 45, "graceful_timeout": 30,
        "static": {"url": "/static/", "path": "/srv/blog/current/.static/"},
        "media": {"url": "/media/", "path": "/srv/blog/shared/media/"},
    }]


def test_mod_wsgi_apps_defaults_and_removal():
    app = model.mod_wsgi_apps([dict(DEPLOYABLE, server="mod_wsgi", project_dir="src", threads=4)])[0]
    assert (app["processes"], app["threads"], app["python_path"]) == (2, 4, "/srv/blog/current/src")
    assert app["next"]["python_path"] == "/srv/blog/next/src"
    assert model.mod_wsgi_apps([dict(DEPLOYABLE, server="mod_wsgi", state="absent")]) == [
        {"name": "blog", "state": "absent"}]
    with pytest.raises(model.AppModelError, match=r"django_apps\[blog\].workers must be"):
        model.mod_wsgi_apps([dict(DEPLOYABLE, server="mod_wsgi", workers=0)])
    with pytest.raises(model.AppModelError, match=r"django_apps\[blog\].domains is empty"):
        model.mod_wsgi_apps([{"name": "blog", "server": "mod_wsgi"}])


def test_nginx_sites_need_domains():
    with pytest.raises(model.AppModelError, match=r"django_apps\[blog\].domains is empty"):
        model.nginx_sites([{"name": "blog"}])


def test_gunicorn_answers_on_its_socket_and_on_the_address_for_remote_web_servers():
    app = model.gunicorn_apps([DEPLOYABLE])[0]
    assert (app["bind"], app["run_dir"]) == ([], "/srv/blog/run")
    assert app["health_check"] == {"path": "/", "host": "blog.example.org"}
    app = model.gunicorn_apps([DEPLOYABLE], address="10.0.0.5")[0]
    assert app["bind"] == ["10.0.0.5:8000"]
    assert app["python"] == "/srv/blog/current/venv/bin/python"
    assert model.gunicorn_apps([dict(DEPLOYABLE, server="mod_wsgi")]) == []


def test_a_gunicorn_slot_runs_one_generation_on_its_own_socket():
    app = model.gunicorn_apps([DEPLOYABLE])[0]
    program = model.gunicorn_slot_program(app, "green", directory="/srv/blog/releases/R",
                                          python="/srv/blog/venvs/v/bin/python", environment_file="/etc/blog/env.d/R")
    assert program["name"] == "blog-green"
    assert program["command"] == (
        "/srv/blog/venvs/v/bin/python -m gunicorn --config /etc/gunicorn/blog.conf.py --chdir /srv/blog/releases/R"
        " --bind unix:/srv/blog/run/gunicorn-green.sock blog.wsgi:application")
    assert (program["user"], program["stopwaitsecs"], program["environment_file"]) == ("blog", 35, "/etc/blog/env.d/R")
    assert program["environment"] == {"DJANGOSTACK_GUNICORN_SLOT": "green"}
    # Without a generation: the app's own paths (through the current link).
    blue = model.gunicorn_slot_program(app, "blue")
    assert blue["directory"] == "/srv/blog/current" and blue["environment_file"] == "/etc/blog/env"
    assert model.gunicorn_slot_socket(app, "blue") == "/srv/blog/run/gunicorn-blue.sock"
    with pytest.raises(model.AppModelError, match="slot must be one of blue, green"):
        model.gunicorn_slot_program(app, "red")


@pytest.mark.parametrize("target, slot", [("gunicorn-blue.sock", "blue"), ("/srv/blog/run/gunicorn-green.sock", "green"),
                                          ("gunicorn-red.sock", ""), ("", ""), (None, "")])
def test_the_live_slot_is_the_one_the_socket_links_to(target, slot):
    assert model.gunicorn_live_slot(target) == slot


@pytest.mark.parametrize("name", ["blue", "green"])
def test_a_process_may_not_take_the_name_of_a_gunicorn_slot(name):
    with pytest.raises(model.AppModelError, match=r"processes\[\]\.name may not be %s" % name):
        model.normalize_apps([dict(DEPLOYABLE, processes=[{"name": name, "command": "x"}])])
    with pytest.raises(model.AppModelError, match="may not be named %s" % name):
        model.supervisord_programs([DEPLOYABLE], procfiles={"blog": [{"name": name, "command": "x"}]})


def test_a_rotated_secret_key_keeps_the_earlier_ones_as_fallbacks():
    old, older = "o" * 50, "p" * 60
    app = model.normalize_apps([dict(DEPLOYABLE, secret_key="n" * 50, secret_key_fallbacks=[old, older])])[0]
    env = dict(model.django_env(app, app["secret_key"], "127.0.0.1", "pw"))
    assert env["SECRET_KEY_FALLBACKS"] == old + "," + older
    plain = model.normalize_apps([DEPLOYABLE])[0]
    assert "SECRET_KEY_FALLBACKS" not in dict(model.django_env(plain, "k" * 50, "127.0.0.1", "pw"))


@pytest.mark.parametrize("keys", [["short"], ["a," + "b" * 50], [7]])
def test_secret_key_fallbacks_must_be_long_keys_without_commas(keys):
    with pytest.raises(model.AppModelError, match=r"django_apps\[blog\]\.secret_key_fallbacks takes earlier keys") as raised:
        model.normalize_apps([dict(DEPLOYABLE, secret_key_fallbacks=keys)])
    assert "bbbb" not in str(raised.value)


def test_the_environment_holds_what_django_needs():
    email = {"host": "smtp.example.org", "user": "u", "password": "p@ss", "from": "blog@example.org"}
    app = model.normalize_apps([dict(DEPLOYABLE, email=email, env={"FEATURE": True, "DEBUG": "True"})])[0]
    env = dict(model.django_env(app, "k" * 50, "127.0.0.1", "p@ss/word", ["10.0.0.7:11211"]))
    assert env["DATABASE_URL"] == "postgres://blog:p%40ss%2Fword@127.0.0.1:5432/blog"
    assert env["CACHE_URL"] == "pymemcache://10.0.0.7:11211"
    assert env["ALLOWED_HOSTS"] == "blog.example.org,example.org"
    assert env["CSRF_TRUSTED_ORIGINS"] == "https://blog.example.org,https://example.org"
    assert env["STATIC_ROOT"] == "/srv/blog/current/.static"
    assert (env["EMAIL_HOST"], env["EMAIL_HOST_PASSWORD"], env["DEFAULT_FROM_EMAIL"]) == (
        "smtp.example.org", "p@ss", "blog@example.org")
    assert env["FEATURE"] == "True"
    assert env["DEBUG"] == "True", "the app's own env wins"
    assert list(dict(model.django_env(app, "k", "db", "pw"))).count("DEBUG") == 1


@pytest.mark.parametrize("email, local", [
    (None, False), ({}, False), ({"host": "smtp.example.org"}, False), ({"host": "localhost"}, True),
    ({"host": "LOCALHOST", "port": 25}, True), ({"host": "127.0.0.1"}, True), ({"host": "::1"}, True),
    ({"host": "localhost.example.org"}, False)])
def test_mail_to_the_host_itself_asks_for_a_local_mail_server(email, local):
    app = dict(DEPLOYABLE, **({} if email is None else {"email": email}))
    assert model.normalize_apps([app])[0]["local_mail"] is local


def test_no_cache_means_a_local_memory_cache():
    app = model.normalize_apps([dict(DEPLOYABLE, cache=False)])[0]
    assert dict(model.django_env(app, "k", "db", "pw"))["CACHE_URL"] == "locmem://"


def test_the_settings_check_expects_what_the_environment_points_at():
    app = model.normalize_apps([dict(DEPLOYABLE, database={"host": "db.internal", "port": 6432})])[0]
    env = dict(model.django_env(app, "k", "127.0.0.1", "pw", ["10.0.0.7:11211"]))
    expect = model.settings_expect(app, "127.0.0.1", ["10.0.0.7:11211"])
    assert expect == {
        "domains": ["blog.example.org", "example.org"],
        "https": True,
        "behind_proxy": True,
        "static_root": env["STATIC_ROOT"],
        "media_root": env["MEDIA_ROOT"],
        "cache_locations": ["10.0.0.7:11211"],
        "database": {"host": "db.internal", "port": 6432, "name": "blog"},
    }
    assert env["DATABASE_URL"].endswith("@db.internal:6432/blog")


def test_an_ipv6_database_host_is_bracketed_in_the_url():
    app = model.normalize_apps([DEPLOYABLE])[0]
    env = dict(model.django_env(app, "k" * 50, "fd00::5", "pw", []))
    assert env["DATABASE_URL"] == "postgres://blog:pw@[fd00::5]:5432/blog"


def test_without_a_shared_cache_no_cache_location_is_expected():
    app = model.normalize_apps([dict(DEPLOYABLE, cache=False)])[0]
    expect = model.settings_expect(app, "10.0.0.9")
    assert "cache_locations" not in expect
    assert expect["database"]["host"] == "10.0.0.9"


def test_hosts_are_reached_on_loopback_or_their_address():
    hostvars = {"db": {"ansible_facts": {"default_ipv4": {"address": "10.0.0.9"}}}, "app": {}}
    assert model.host_addresses(["app", "db"], hostvars, "app", port=11211) == ["127.0.0.1:11211", "10.0.0.9:11211"]
    with pytest.raises(model.AppModelError, match="no address is known for host app"):
        model.host_addresses(["app"], hostvars, "web")


TIERS = {"dbservers": ["db"], "cacheservers": ["app1", "cache"], "appservers": ["app1", "app2"],
         "webservers": ["app1", "lb"]}


@pytest.mark.parametrize("me, tier, expected", [
    ("app1", "dbservers", ["db"]),              # not a database server: the group's
    ("app1", "cacheservers", ["app1"]),         # a cache server itself: its own
    ("app2", "cacheservers", ["app1", "cache"]),
    ("lb", "appservers", ["app1", "app2"]),
    ("app1", "appservers", ["app1"]),
    ("solo", "dbservers", ["db"]),
    ("solo", "nosuchgroup", ["solo"]),          # a role on its own: this host
])
def test_a_host_uses_its_own_tier_or_the_groups(me, tier, expected):
    assert model.tier_hosts(TIERS, me, tier) == expected


@pytest.mark.parametrize("me, clients, tier, expected", [
    ("db", "appservers", "dbservers", ["app1", "app2"]),
    ("cache", "appservers", "cacheservers", ["app2"]),   # app1 uses its own memcached
    ("app1", "webservers", "appservers", ["lb"]),        # app1's own nginx uses the socket
    ("app1", "appservers", "nosuchgroup", ["app2"]),
])
def test_only_clients_without_their_own_tier_come_over_the_network(me, clients, tier, expected):
    assert model.remote_clients(TIERS, me, clients, tier) == expected


def test_processes_and_gunicorn_run_in_the_project_directory():
    app = dict(DEPLOYABLE, project_dir="src/", processes=[{"name": "worker", "command": "run"}])
    assert model.normalize_apps([app])[0]["project_path"] == "/srv/blog/current/src"
    assert model.supervisord_programs([app])[0]["directory"] == "/srv/blog/current/src"
    assert model.gunicorn_apps([app])[0]["directory"] == "/srv/blog/current/src"


def test_select_apps_picks_one_app_and_its_version():
    other = {"name": "shop", "domains": ["shop.example.org"], "source": {"type": "local", "path": "/src/shop"}}
    assert model.select_apps([DEPLOYABLE, other]) == [DEPLOYABLE, other]
    assert model.select_apps([DEPLOYABLE, other], "shop") == [other]
    chosen = model.select_apps([DEPLOYABLE, other], "blog", "v1.2")
    assert chosen[0]["source"] == {"type": "git", "repo": "https://git.example.org/blog.git", "version": "v1.2"}
    assert "version" not in DEPLOYABLE["source"], "the declared entry was changed"
    assert model.select_apps([DEPLOYABLE], version="abc123")[0]["source"]["version"] == "abc123"


@pytest.mark.parametrize("name, version, message", [
    ("nope", None, r"django_apps has no app named 'nope' \(it has blog, shop\)"),
    (None, "v2", r"deploy_version=v2 names one commit: say which app with deploy_app=NAME \(one of blog, shop\)"),
    ("shop", "v2", r"django_apps\[shop\]: deploy_version=v2 needs a git or hg source, not local"),
])
def test_select_apps_refuses_what_it_cannot_select(name, version, message):
    other = {"name": "shop", "domains": ["shop.example.org"], "source": {"type": "local", "path": "/src/shop"}}
    with pytest.raises(model.AppModelError, match=message):
        model.select_apps([DEPLOYABLE, other], name, version)


def test_remove_app_declares_one_app_absent_and_keeps_its_database_unless_asked():
    other = {"name": "shop", "domains": ["shop.example.org"]}
    kept = model.remove_app([DEPLOYABLE, other], "blog")
    assert [app.get("state", "present") for app in kept] == ["absent", "present"]
    assert [db["state"] for db in model.postgresql_databases(kept)] == ["present", "present"]
    assert [user["state"] for user in model.postgresql_users(kept)] == ["present", "present"]
    assert model.nginx_sites(kept)[0]["state"] == "absent"
    dropped = model.remove_app([DEPLOYABLE, other], "blog", database=True)
    assert [db["state"] for db in model.postgresql_databases(dropped)] == ["absent", "present"]
    with pytest.raises(model.AppModelError, match="django_apps has no app named 'nope'"):
        model.remove_app([DEPLOYABLE, other], "nope")
    # A word as -e gives it is read as YAML reads it, never as "a non-empty string is true".
    assert model.remove_app([DEPLOYABLE, other], "blog", database="false")[0]["drop_database"] is False
    with pytest.raises(model.AppModelError, match="remove_database must be true or false, got 'sometimes'"):
        model.remove_app([DEPLOYABLE, other], "blog", database="sometimes")


def test_an_absent_app_keeps_its_database_unless_it_says_drop_database():
    absent = dict(DEPLOYABLE, state="absent")
    assert [db["state"] for db in model.postgresql_databases([absent])] == ["present"]
    assert [user["state"] for user in model.postgresql_users([absent])] == ["present"]
    dropped = dict(absent, drop_database=True)
    assert [db["state"] for db in model.postgresql_databases([dropped])] == ["absent"]
    assert [user["state"] for user in model.postgresql_users([dropped])] == ["absent"]
    # site.yml's PostgreSQL play: not yet (the app is stopped and backed up first).
    assert [db["state"] for db in model.postgresql_databases([dropped], drop=False)] == ["present"]
    assert [user["state"] for user in model.postgresql_users([dropped], drop=False)] == ["present"]


def _listing(users, groups):
    return {"__django_app_accounts": {"stdout": "\n".join(users) + "\n--\n" + "\n".join(groups)}}


@pytest.mark.parametrize("hostvars, expected", [
    # The user exists on the first host with ids nobody else has: those.
    ({"app1": _listing(["example:x:996:996::/srv/example:/usr/sbin/nologin"], ["example:x:996:"]),
      "app2": _listing(["systemd-x:x:997:997::/:/bin/false"], ["systemd-x:x:997:"])}, [996, 996]),
    # Its ids are another group's on the second host: new ids, free on both.
    ({"app1": _listing(["example:x:997:997::/srv/example:/usr/sbin/nologin"], ["example:x:997:"]),
      "app2": _listing(["other:x:999:999::/:/bin/false"], ["other:x:999:", "systemd-x:x:997:"])}, [998, 998]),
    # Nowhere yet: the highest id that is no user and no group id on any host.
    ({"app1": _listing(["a:x:999:999::/:/bin/false"], ["a:x:999:", "b:x:998:"]),
      "app2": _listing(["c:x:997:100::/:/bin/false"], ["c2:x:996:"])}, [995, 995]),
    # A host that has not listed its accounts (another batch) is left out.
    ({"app1": _listing(["a:x:999:999::/:/bin/false"], ["a:x:999:"]), "app2": {}}, [998, 998]),
])
def test_shared_ids_agree_on_every_host_that_shares_the_media(hostvars, expected):
    assert model.shared_ids(["app1", "app2"], hostvars, "example") == expected


def test_shared_ids_refuse_when_no_id_is_free():
    hostvars = {"app1": _listing([f"u{i}:x:{i}:{i}::/:/bin/false" for i in range(100, 1000)], [])}
    with pytest.raises(model.AppModelError, match="no id from 100 to 999 is free for user example on every one of app1"):
        model.shared_ids(["app1"], hostvars, "example")


@pytest.mark.parametrize("me, hosts, expected", [
    ("app1", None, ["app1", "app2"]),
    ("web1", ["app2", "app1"], ["app2", "app1"]),
    ("app2", ["app2"], ["app2"]),
])
def test_app_peers_are_the_app_servers_of_one_database(me, hosts, expected):
    groups = {"appservers": ["app1", "app2"], "dbservers": ["data1"], "webservers": ["web1"]}
    assert model.app_peers(groups, me, hosts) == expected


def test_app_peers_of_all_in_one_hosts_are_each_alone():
    groups = {group: ["a", "b"] for group in ("appservers", "dbservers", "webservers", "cacheservers")}
    assert model.app_peers(groups, "a", ["a", "b"]) == ["a"]
    assert model.app_peers(groups, "b") == ["b"]


def test_stale_releases_keep_the_newest_and_the_linked_ones():
    found = [{"item": "web1", "files": [{"path": f"/r/{n}"} for n in ("1", "2", "3", "4")]},
             {"item": "web2", "files": [{"path": "/r/1"}]}]
    assert model.stale_releases(found, 2, ["/r/1"]) == [["web1", "/r/2"]]


@pytest.mark.parametrize("repo, clean, credentials", [
    ("https://deploy:s%40cret@git.example.org/blog.git", "https://git.example.org/blog.git",
     {"prefix": "https://git.example.org", "username": "deploy", "password": "s@cret"}),
    ("https://ghp_TOKEN@github.com:443/o/blog.git", "https://github.com:443/o/blog.git",
     {"prefix": "https://github.com:443", "username": "ghp_TOKEN", "password": ""}),
    ("https://git.example.org/blog.git", "https://git.example.org/blog.git", None),
    ("ssh://git@git.example.org/blog.git", "ssh://git@git.example.org/blog.git", None),
    ("git@github.com:o/blog.git", "git@github.com:o/blog.git", None),
])
def test_the_credentials_of_a_repository_url_are_kept_apart(repo, clean, credentials):
    source = model.normalize_apps([{"name": "blog", "source": {"type": "git", "repo": repo}}])[0]["source"]
    assert (source["repo"], source["credentials"]) == (clean, credentials)
