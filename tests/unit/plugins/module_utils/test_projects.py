"""Projects as they are: the Python a release asks for, what the stack adds to
its virtualenv, derived values under the project's own names (apps.py)."""

import pytest

from ansible_collections.djangostack.deploy.plugins.module_utils import apps as model

BOOKWORM = ["/usr/bin/python3.11"]
WITH_310 = ["/usr/bin/python3.11", "/usr/local/bin/python3.10"]


def app(**fields):
    return model.normalize_apps([dict({"name": "blog", "domains": ["blog.test"]}, **fields)])[0]


def files(python_version=None, runtime=None):
    return [[".python-version", python_version], ["runtime.txt", runtime]]


@pytest.mark.parametrize("content, filename, version", [
    ("3.10\n", ".python-version", "3.10"),
    ("3.10.13", ".python-version", "3.10"),
    ("cpython-3.12.7\n", ".python-version", "3.12"),
    ("# pinned\n\n3.13\n", ".python-version", "3.13"),
    ("3.14.0rc2", ".python-version", "3.14"),
    ("python-3.10.13\n", "runtime.txt", "3.10"),
    ("python-3.11", "runtime.txt", "3.11"),
    ("system\n", ".python-version", None),
    ("", "runtime.txt", None),
])
def test_version_files_are_read_as_their_tools_write_them(content, filename, version):
    assert model.python_request(content, filename) == (version, "")


@pytest.mark.parametrize("content", ["2.7.18", "pypy3.10", "latest", "3", "3.13t"])
def test_a_version_file_that_names_no_python_3_is_a_problem_that_names_it(content):
    version, problem = model.python_request(content, "runtime.txt")
    assert version is None
    assert problem.startswith("runtime.txt: %r is not a Python 3 version" % content)


def test_without_a_version_file_the_release_gets_the_hosts_python3():
    assert model.choose_python(app(), files(), BOOKWORM, "3.11") == {
        "python": "python3", "version": "3.11", "source": "", "problem": ""}


@pytest.mark.parametrize("version_files, source", [
    (files(runtime="python-3.10.13\n"), "runtime.txt"),
    (files(python_version="3.10\n"), ".python-version"),
    # .python-version first: runtime.txt is Heroku's older file.
    (files(python_version="3.10", runtime="python-3.11.2"), ".python-version"),
])
def test_the_version_file_of_the_code_chooses_among_the_hosts_pythons(version_files, source):
    assert model.choose_python(app(), version_files, WITH_310, "3.11") == {
        "python": "/usr/local/bin/python3.10", "version": "3.10", "source": source, "problem": ""}


def test_a_version_the_host_lacks_is_refused_naming_file_version_and_what_the_host_has():
    choice = model.choose_python(app(), files(runtime="python-3.10.13"), BOOKWORM, "3.11")
    assert choice["problem"] == (
        "django_apps[blog]: runtime.txt asks for Python 3.10; this host has 3.11 (/usr/bin/python3.11). "
        "Install Python 3.10 on the host (as /usr/local/bin/python3.10) or set django_apps[blog].python "
        "to one it has")
    assert "\n" not in choice["problem"]


def test_a_bad_version_file_is_refused_with_the_app_named():
    choice = model.choose_python(app(), files(python_version="pypy3.10"), BOOKWORM, "3.11")
    assert choice["problem"] == "django_apps[blog]: .python-version: 'pypy3.10' is not a Python 3 version " \
        "(e.g. 3.12, python-3.12.7)"


@pytest.mark.parametrize("python, expected", [
    ("3.10", "/usr/local/bin/python3.10"),
    ("python3.10", "/usr/local/bin/python3.10"),
    ("python3", "python3"),
])
def test_the_inventory_python_wins_over_the_version_file(python, expected):
    choice = model.choose_python(app(python=python), files(runtime="python-3.11"), WITH_310, "3.11")
    assert choice["python"] == expected
    assert choice["source"] == "django_apps[blog].python"
    assert choice["problem"] == ""


def test_an_inventory_python_the_host_lacks_is_refused():
    choice = model.choose_python(app(python="3.12"), files(), BOOKWORM, "3.11")
    assert choice["problem"].startswith("django_apps[blog]: django_apps[blog].python asks for Python 3.12; "
                                        "this host has 3.11 (/usr/bin/python3.11)")


def test_a_python_path_must_exist_on_the_host():
    wanted = app(python="/opt/python/3.10/bin/python3.10")
    assert model.choose_python(wanted, files(), BOOKWORM + [wanted["python"]], "3.11")["problem"] == ""
    assert model.choose_python(wanted, files(), BOOKWORM, "3.11")["problem"] == (
        "django_apps[blog].python: /opt/python/3.10/bin/python3.10 does not exist on this host")


def test_the_first_interpreter_of_a_version_wins():
    choice = model.choose_python(app(python="3.11"), files(), ["/usr/bin/python3.11", "/usr/local/bin/python3.11"],
                                 "3.11")
    assert choice["python"] == "/usr/bin/python3.11"


def test_mod_wsgi_runs_the_hosts_python_only():
    served = app(server="mod_wsgi")
    assert model.choose_python(served, files(runtime="python-3.11"), WITH_310, "3.11")["problem"] == ""
    assert model.choose_python(served, files(), WITH_310, "3.11")["problem"] == ""
    assert model.choose_python(served, files(runtime="python-3.10"), WITH_310, "3.11")["problem"] == (
        "django_apps[blog]: runtime.txt asks for Python 3.10, but mod_wsgi runs the host's Python 3.11: use "
        "server: gunicorn for this app, or the host's Python")


@pytest.mark.parametrize("python", ["3.12", "python3.12", "/opt/py/bin/python3", "python3"])
def test_python_takes_a_version_a_program_or_a_path(python):
    assert app(python=python)["python_given"] is True
    assert app()["python_given"] is False


PACKAGES = {
    "gunicorn": {"provided_by": ["gunicorn"], "requirement": "gunicorn"},
    "postgresql": {"provided_by": ["psycopg", "psycopg2", "psycopg2-binary"], "requirement": "psycopg[binary]"},
    "memcached": {"provided_by": ["pymemcache", "pylibmc"], "requirement": "pymemcache"},
}


def test_the_stack_needs_its_wsgi_server_database_driver_and_cache_client():
    assert model.stack_requirements(app(), PACKAGES) == [
        [["gunicorn"], "gunicorn"],
        [["psycopg", "psycopg2", "psycopg2-binary"], "psycopg[binary]"],
        [["pymemcache", "pylibmc"], "pymemcache"],
    ]


def test_mod_wsgi_needs_no_gunicorn_and_no_cache_no_client():
    assert model.stack_requirements(app(server="mod_wsgi", cache=False), PACKAGES) == [
        [["psycopg", "psycopg2", "psycopg2-binary"], "psycopg[binary]"]]


def test_a_need_left_out_is_never_added():
    assert model.stack_requirements(app(), {"postgresql": PACKAGES["postgresql"]}) == [
        [["psycopg", "psycopg2", "psycopg2-binary"], "psycopg[binary]"]]


@pytest.mark.parametrize("entry", [{"provided_by": []}, {"provided_by": ["x"], "requirement": "--pre"},
                                   {"requirement": "gunicorn"}])
def test_a_bad_stack_requirement_names_the_variable(entry):
    with pytest.raises(model.AppModelError, match=r"django_app_stack_requirements\.gunicorn needs provided_by"):
        model.stack_requirements(app(), {"gunicorn": entry})


def test_extra_requirements_are_kept_as_given():
    assert app(extra_requirements=["whitenoise>=6", "sentry-sdk[django]"])["extra_requirements"] == [
        "whitenoise>=6", "sentry-sdk[django]"]
    assert app()["extra_requirements"] == []


def env_of(entry, **kwargs):
    return dict(model.django_env(entry, "k" * 50, "10.0.0.5", "p@ss", ["10.0.0.7:11211"], **kwargs))


def test_a_derived_value_is_exported_under_the_name_the_project_reads():
    env = env_of(app(env={"DJANGO_SECRET_KEY": {"from": "SECRET_KEY"}, "DJANGO_ALLOWED_HOSTS": {"from": "ALLOWED_HOSTS"},
                          "POSTGRES_DB": {"from": "DATABASE_NAME"}, "POSTGRES_USER": {"from": "DATABASE_USER"},
                          "POSTGRES_PASSWORD": {"from": "DATABASE_PASSWORD"}, "DB_HOST": {"from": "DATABASE_HOST"},
                          "DB_PORT": {"from": "DATABASE_PORT"}, "MEMCACHED": {"from": "CACHE_LOCATION"}}))
    assert env["DJANGO_SECRET_KEY"] == env["SECRET_KEY"] == "k" * 50
    assert env["DJANGO_ALLOWED_HOSTS"] == "blog.test"
    assert (env["POSTGRES_DB"], env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("blog", "blog", "p@ss")
    assert (env["DB_HOST"], env["DB_PORT"], env["MEMCACHED"]) == ("10.0.0.5", "5432", "10.0.0.7:11211")
    # The derived ones stay under their own names too.
    assert env["DATABASE_URL"] == "postgres://blog:p%40ss@10.0.0.5:5432/blog"


def test_the_login_role_is_the_database_user_after_a_password_change():
    assert env_of(app(env={"U": {"from": "DATABASE_USER"}}), database_login="blog_alt")["U"] == "blog_alt"


@pytest.mark.parametrize("debug, mapping, expected", [
    (False, {"True": "1", "False": ""}, ""),
    (True, {"True": "1", "False": ""}, "1"),
    # YAML reads the keys True/False as booleans: they count as the words the stack writes.
    (True, {True: "yes", False: "no"}, "yes"),
    (False, {"True": "1"}, "False"),
    (True, {}, "True"),
])
def test_map_translates_a_derived_value_to_what_the_project_compares_against(debug, mapping, expected):
    assert env_of(app(debug=debug, env={"DJANGO_DEBUG": {"from": "DEBUG", "map": mapping}}))["DJANGO_DEBUG"] == expected


def test_a_value_the_stack_does_not_derive_for_the_app_is_empty():
    assert env_of(app(env={"SMTP": {"from": "EMAIL_HOST"}}))["SMTP"] == ""
    assert env_of(app(email={"host": "smtp.test"}, env={"SMTP": {"from": "EMAIL_HOST"}}))["SMTP"] == "smtp.test"


def test_a_literal_of_the_apps_own_env_is_the_value_of_its_name():
    env = env_of(app(env={"DEBUG": "0", "DJANGO_DEBUG": {"from": "DEBUG"}}))
    assert env["DEBUG"] == env["DJANGO_DEBUG"] == "0"


def test_the_static_files_are_served_from_the_release_directory_no_project_uses():
    entry = app()
    assert env_of(entry)["STATIC_ROOT"] == "/srv/blog/current/.static"
    assert model.settings_expect(entry, "10.0.0.5")["static_root"] == "/srv/blog/current/.static"
    assert model.nginx_sites([{"name": "blog", "domains": ["blog.test"]}])[0]["static"]["path"] == \
        "/srv/blog/current/.static/"


@pytest.mark.parametrize("static_root, found", [
    ("/srv/blog/current/.static", []),
    ("/srv/blog/releases/20261202T070000Z/staticfiles", []),
    ("/srv/blog/releases/20261202T070000Z/deep/er/static/", []),
    # Outside the release, or the release itself: the web server could not serve it.
    ("/srv/blog/releases/20261202T070000Z", ["djangostack.E031"]),
    ("/srv/blog/releases/20261202T070000Z/../other", ["djangostack.E031"]),
    ("/var/www/static", ["djangostack.E031"]),
])
def test_a_static_root_of_the_projects_own_inside_the_release_is_served(static_root, found):
    from ansible_collections.djangostack.deploy.plugins.module_utils import django_settings
    expect = {"static_root": "/srv/blog/current/.static", "static_within": "/srv/blog/releases/20261202T070000Z"}
    result = django_settings.check_files({"STATIC_ROOT": static_root, "MEDIA_ROOT": "/m"}, expect, [])
    assert [f["id"] for f in result] == found
