"""Bad input, refused with one line that names the field (plugins/module_utils/apps.py, checks.py).

Each case is an input a user could write (or a repository could bring), the
field the message must name, and what in the message explains it. The model
runs in the first play of every playbook, before any host changes; the cases
that need a host (accounts, directories) are in test_app_claims.py and in the
site scenario.
"""

import re

import pytest

from ansible_collections.djangostack.deploy.plugins.module_utils import apps as model
from ansible_collections.djangostack.deploy.plugins.module_utils import checks

GOOD = {"name": "blog", "domains": ["blog.example"], "source": {"type": "git", "repo": "https://git.example/blog"}}


def app(**fields):
    entry = dict(GOOD)
    entry.update(fields)
    return entry


# (id, django_apps, the field named, what the message says)
MODEL_CASES = [
    # Names that are accounts or services of the system.
    ("name-root", [app(name="root")], "django_apps[].name 'root'", "account or service of the system"),
    ("name-postgres", [app(name="postgres")], "django_apps[].name 'postgres'", "account or service"),
    ("name-backup", [app(name="backup")], "django_apps[].name 'backup'", "account or service"),
    ("name-mail", [app(name="mail")], "django_apps[].name 'mail'", "account or service"),
    ("name-proxy", [app(name="proxy")], "django_apps[].name 'proxy'", "account or service"),
    ("name-nginx", [app(name="nginx")], "django_apps[].name 'nginx'", "account or service"),
    ("name-ssh", [app(name="ssh")], "django_apps[].name 'ssh'", "account or service"),
    ("name-sshd", [app(name="sshd")], "django_apps[].name 'sshd'", "account or service"),
    ("name-www-data", [app(name="www-data")], "django_apps[].name 'www-data'", "lowercase letter"),
    ("name-uppercase", [app(name="Blog")], "django_apps[].name 'Blog'", "lowercase letter"),
    ("name-too-long", [app(name="a" * 32)], "django_apps[].name", "at most 31"),
    ("name-number", [app(name=7)], "django_apps[].name 7", "lowercase letter"),
    ("user-root", [app(user="root")], "django_apps[blog].user 'root'", "account or service"),
    ("user-www-data", [app(user="www-data")], "django_apps[blog].user 'www-data'", "lowercase letter"),
    ("user-nobody", [app(user="nobody")], "django_apps[blog].user 'nobody'", "account or service"),
    ("group-sudo", [app(group="sudo")], "django_apps[blog].group 'sudo'", "account or service"),
    ("group-shadow", [app(group="shadow")], "django_apps[blog].group 'shadow'", "account or service"),
    ("db-user-postgres", [app(database={"user": "postgres"})], "django_apps[blog].database.user 'postgres'",
     "account or service"),
    ("db-name-template1", [app(database={"name": "template1"})], "django_apps[blog].database.name 'template1'",
     "account or service"),
    ("db-user-alt", [app(database={"user": "blog_alt"})], "django_apps[blog].database.user blog_alt", "_alt"),
    ("db-port-high", [app(database={"port": 70000})], "django_apps[blog].database.port", "1 to 65535"),
    ("db-host-injection", [app(database={"host": "db;rm -rf /"})], "django_apps[blog].database.host",
     "host name or an address"),
    ("db-password-newline", [app(database={"password": "a\nb"})], "django_apps[blog].database.password",
     "one line"),
    # Directories the app owns (and a removal deletes).
    ("home-root", [app(home="/")], "django_apps[blog].home", "absolute path"),
    ("home-run", [app(home="/run")], "django_apps[blog].home /run", "directory of the system"),
    ("home-etc", [app(home="/etc")], "django_apps[blog].home /etc", "directory of the system"),
    ("home-usr-bin", [app(home="/usr/bin")], "django_apps[blog].home /usr/bin", "directory of the system"),
    ("home-var-lib-postgresql", [app(home="/var/lib/postgresql")], "django_apps[blog].home /var/lib/postgresql",
     "directory of the system"),
    ("home-var-www", [app(home="/var/www")], "django_apps[blog].home /var/www", "directory of the system"),
    ("home-srv", [app(home="/srv")], "django_apps[blog].home /srv", "directory of the system"),
    ("home-home", [app(home="/home")], "django_apps[blog].home /home", "directory of the system"),
    ("home-root-dir", [app(home="/root/blog")], "django_apps[blog].home /root/blog", "directory of the system"),
    ("home-tmp", [app(home="/tmp/blog")], "django_apps[blog].home /tmp/blog", "directory of the system"),
    ("home-etc-blog", [app(home="/etc/blog")], "django_apps[blog].home /etc/blog", "directory of the system"),
    ("home-dotdot", [app(home="/srv/blog/../../etc")], "django_apps[blog].home", "without .."),
    ("home-relative", [app(home="srv/blog")], "django_apps[blog].home", "absolute path"),
    ("home-space", [app(home="/srv/my blog")], "django_apps[blog].home", "absolute path"),
    ("home-trailing-slash", [app(home="/srv/blog/")], "django_apps[blog].home", "trailing /"),
    ("home-newline", [app(home="/srv/blog\n/etc")], "django_apps[blog].home", "absolute path"),
    ("config-dir-etc", [app(config_dir="/etc")], "django_apps[blog].config_dir /etc", "directory of the system"),
    ("config-dir-etc-nginx", [app(config_dir="/etc/nginx")], "django_apps[blog].config_dir /etc/nginx",
     "directory of the system"),
    ("config-dir-etc-ssh", [app(config_dir="/etc/ssh")], "django_apps[blog].config_dir /etc/ssh",
     "directory of the system"),
    ("config-dir-etc-cron-d", [app(config_dir="/etc/cron.d")], "django_apps[blog].config_dir /etc/cron.d",
     "directory of the system"),
    ("config-dir-usr", [app(config_dir="/usr/local/etc")], "django_apps[blog].config_dir /usr/local/etc",
     "directory of the system"),
    ("env-file-elsewhere", [app(env_file="/etc/default/blog")], "django_apps[blog].env_file",
     "directly in config_dir"),
    ("env-file-shadow", [app(env_file="/etc/shadow")], "django_apps[blog].env_file", "directly in config_dir"),
    ("env-file-dotdot", [app(env_file="/etc/blog/../shadow")], "django_apps[blog].env_file",
     "directly in config_dir"),
    ("manage-python", [app(manage="/usr/bin/python3")], "django_apps[blog].manage", "/usr/local/bin"),
    ("manage-relative", [app(manage="blog-manage")], "django_apps[blog].manage", "/usr/local/bin"),
    ("manage-dotdot", [app(manage="/usr/local/bin/../../bin/sh")], "django_apps[blog].manage", "/usr/local/bin"),
    ("manage-subdir", [app(manage="/usr/local/bin/x/blog")], "django_apps[blog].manage", "/usr/local/bin"),
    # Paths inside the release.
    ("dest-dotdot", [app(settings_template={"src": "local.py.j2", "dest": "../../../../etc/cron.d/x"})],
     "django_apps[blog].settings_template.dest", "relative path inside the release"),
    ("dest-absolute", [app(settings_template={"src": "local.py.j2", "dest": "/etc/cron.d/x"})],
     "django_apps[blog].settings_template.dest", "relative path"),
    ("dest-missing", [app(settings_template={"src": "local.py.j2"})], "django_apps[blog].settings_template",
     "needs src"),
    ("requirements-dotdot", [app(requirements="../../../etc/shadow")], "django_apps[blog].requirements",
     "without .."),
    ("requirements-absolute", [app(requirements="/etc/shadow")], "django_apps[blog].requirements",
     "relative path"),
    ("requirements-option", [app(requirements="-r /etc/shadow")], "django_apps[blog].requirements",
     "relative path"),
    ("project-dir-dotdot", [app(project_dir="../other")], "django_apps[blog].project_dir", "without .."),
    ("project-dir-space", [app(project_dir="my project")], "django_apps[blog].project_dir", "relative path"),
    # cron lines.
    ("cron-command-newline", [app(cron=[{"name": "x", "command": "clearsessions\n* * * * * root id"}])],
     "django_apps[blog].cron[x].command", "one line"),
    ("cron-minute-61", [app(cron=[{"name": "x", "command": "clearsessions", "minute": 61}])],
     "django_apps[blog].cron[x].minute", "0 to 59"),
    ("cron-minute-crafted", [app(cron=[{"name": "x", "command": "c", "minute": "* * * * root id #"}])],
     "django_apps[blog].cron[x].minute", "cron field"),
    ("cron-hour-24", [app(cron=[{"name": "x", "command": "c", "hour": 24}])], "django_apps[blog].cron[x].hour",
     "0 to 23"),
    ("cron-day-0", [app(cron=[{"name": "x", "command": "c", "day": 0}])], "django_apps[blog].cron[x].day",
     "1 to 31"),
    ("cron-month-13", [app(cron=[{"name": "x", "command": "c", "month": 13}])],
     "django_apps[blog].cron[x].month", "1 to 12"),
    ("cron-weekday-8", [app(cron=[{"name": "x", "command": "c", "weekday": 8}])],
     "django_apps[blog].cron[x].weekday", "0 to 7"),
    ("cron-step-0", [app(cron=[{"name": "x", "command": "c", "minute": "*/0"}])],
     "django_apps[blog].cron[x].minute", "cron field"),
    ("cron-empty", [app(cron=[{"name": "x", "command": "c", "minute": ""}])], "django_apps[blog].cron[x].minute",
     "cron field"),
    ("cron-range-wrong", [app(cron=[{"name": "x", "command": "c", "hour": "3-30"}])],
     "django_apps[blog].cron[x].hour", "0 to 23"),
    ("cron-name", [app(cron=[{"name": "../x", "command": "c"}])], "django_apps[blog].cron[].name", "lowercase"),
    ("cron-state", [app(cron=[{"name": "x", "command": "c", "state": "off"}])], "django_apps[blog].cron[x].state",
     "present, absent"),
    # supervisord programs from processes.
    ("process-command-newline", [app(processes=[{"name": "worker", "command": "celery\n[program:x]\ncommand=id"}])],
     "django_apps[blog].processes[worker].command", "one line"),
    ("process-directory-newline", [app(processes=[{"name": "worker", "command": "celery",
                                                   "directory": "/srv/blog\nuser=root"}])],
     "django_apps[blog].processes[worker].directory", "absolute path"),
    ("process-slot-name", [app(processes=[{"name": "blue", "command": "celery"}])],
     "django_apps[blog].processes[].name may not be blue", "rename"),
    ("process-numprocs-0", [app(processes=[{"name": "worker", "command": "celery", "numprocs": 0}])],
     "django_apps[blog].processes[worker].numprocs", "at least 1"),
    # Booleans.
    ("hsts-subdomains-no", [app(hsts={"include_subdomains": "maybe"})], "django_apps[blog].hsts.include_subdomains",
     "true or false"),
    ("hsts-preload-list", [app(hsts={"preload": ["yes"]})], "django_apps[blog].hsts.preload", "true or false"),
    ("debug-word", [app(debug="sometimes")], "django_apps[blog].debug", "true or false"),
    ("debug-two", [app(debug=2)], "django_apps[blog].debug", "true or false"),
    ("drop-database-word", [app(drop_database="please")], "django_apps[blog].drop_database", "true or false"),
    ("keep-database-gone", [app(keep_database=True)], "django_apps[blog].keep_database is no more",
     "drop_database: true"),
    ("www-redirect-word", [app(www_redirect="y")], "django_apps[blog].www_redirect", "true or false"),
    ("accept-hostkey-word", [app(source={"type": "git", "repo": "x", "accept_hostkey": "si"})],
     "django_apps[blog].source.accept_hostkey", "true or false"),
    # Domains across apps.
    ("domain-twice", [app(), app(name="shop", port=8001)], "django_apps[shop]: blog.example", "keep each name"),
    ("domain-www-of-other", [app(), app(name="shop", domains=["www.blog.example"])],
     "django_apps[shop]: www.blog.example", "keep each name"),
    ("alias-of-other", [app(), app(name="shop", domains=["shop.example"], aliases=["blog.example"])],
     "django_apps[shop]: blog.example", "keep each name"),
    ("domain-uppercase", [app(domains=["Blog.example"])], "django_apps[blog].domains", "lowercase domain"),
    ("domain-with-scheme", [app(domains=["https://blog.example"])], "django_apps[blog].domains",
     "lowercase domain"),
    ("domain-with-space", [app(domains=["blog.example other.example"])], "django_apps[blog].domains",
     "lowercase domain"),
    # What two apps would share.
    ("same-user", [app(), app(name="shop", domains=["shop.example"], user="blog")], "two apps run as user 'blog'",
     "its own"),
    ("same-home", [app(), app(name="shop", domains=["shop.example"], home="/srv/blog")], "two apps with home",
     "its own"),
    ("nested-home", [app(), app(name="shop", domains=["shop.example"], home="/srv/blog/shop")],
     "django_apps[shop].home /srv/blog/shop", "nest"),
    ("same-config-dir", [app(), app(name="shop", domains=["shop.example"], config_dir="/etc/blog")],
     "two apps with config_dir", "its own"),
    ("same-manage", [app(), app(name="shop", domains=["shop.example"], manage="/usr/local/bin/blog-manage")],
     "two apps with manage", "its own"),
    ("same-database", [app(), app(name="shop", domains=["shop.example"], database={"name": "blog"})],
     "django_apps[blog].database.name blog", "another app"),
    ("same-port", [app(port=8000), app(name="shop", domains=["shop.example"], port=8000)], "two apps on port 8000",
     "its own"),
    # Numbers.
    ("workers-0", [app(workers=0)], "django_apps[blog].workers", "at least 1"),
    ("workers-word", [app(workers="many")], "django_apps[blog].workers", "whole number"),
    ("threads-0", [app(threads=0)], "django_apps[blog].threads", "at least 1"),
    ("timeout-0", [app(timeout=0)], "django_apps[blog].timeout", "at least 1"),
    ("port-high", [app(port=65536)], "django_apps[blog].port", "1 to 65535"),
    ("port-0", [app(port=0)], "django_apps[blog].port", "at least 1"),
    ("port-bool", [app(port=True)], "django_apps[blog].port", "whole number"),
    ("keep-releases-0", [app(keep_releases=0)], "django_apps[blog].keep_releases", "at least 1"),
    ("hsts-negative", [app(hsts={"max_age": -1})], "django_apps[blog].hsts.max_age", "at least 0"),
    # Code and modules.
    ("wsgi-no-callable", [app(wsgi="blog.wsgi")], "django_apps[blog].wsgi", "module:callable"),
    ("wsgi-injection", [app(wsgi="blog.wsgi:application; import os")], "django_apps[blog].wsgi",
     "module:callable"),
    ("settings-module-path", [app(settings_module="blog/settings.py")], "django_apps[blog].settings_module",
     "dotted module name"),
    ("python-command", [app(python="python3; id")], "django_apps[blog].python", "python3"),
    ("python-relative", [app(python="venv/bin/python")], "django_apps[blog].python", "absolute path"),
    ("system-package-option", [app(system_packages=["-o", "APT::Get::AllowUnauthenticated=1"])],
     "django_apps[blog].system_packages", "Debian package name"),
    ("system-package-space", [app(system_packages=["libpq-dev curl"])], "django_apps[blog].system_packages",
     "Debian package name"),
    # Sources.
    ("git-url-option", [app(source={"type": "git", "repo": "--upload-pack=touch /tmp/x"})],
     "django_apps[blog].source.repo", "may not start with -"),
    ("git-version-option", [app(source={"type": "git", "repo": "https://git.example/b", "version": "-x"})],
     "django_apps[blog].source.version", "may not start with -"),
    ("git-url-newline", [app(source={"type": "git", "repo": "https://git.example/b\nx"})],
     "django_apps[blog].source.repo", "one line"),
    ("hg-url-space", [app(source={"type": "hg", "repo": "https://hg.example/b --config x"})],
     "django_apps[blog].source.repo", "contain spaces"),
    ("key-file-relative", [app(source={"type": "git", "repo": "git@git.example:b", "key_file": "id_rsa"})],
     "django_apps[blog].source.key_file", "absolute path"),
    ("source-type", [app(source={"type": "svn", "repo": "x"})], "django_apps[blog].source.type", "git, hg"),
    ("source-no-repo", [app(source={"type": "git"})], "django_apps[blog].source of type git", "needs repo"),
    # Environment and secrets.
    ("env-key", [app(env={"MY VAR": "x"})], "django_apps[blog].env: 'MY VAR'", "environment variable name"),
    ("env-newline", [app(env={"GREETING": "a\nSECRET_KEY=x"})], "django_apps[blog].env.GREETING", "one line"),
    ("env-dict", [app(env={"OPTIONS": {"a": 1}})], "django_apps[blog].env.OPTIONS", "takes from (and map), not a"),
    ("env-list", [app(env={"OPTIONS": ["a"]})], "django_apps[blog].env.OPTIONS", "string, number, boolean or {from"),
    ("env-from-unknown", [app(env={"DJANGO_KEY": {"from": "SECRET"}})], "django_apps[blog].env.DJANGO_KEY.from",
     "variables the stack derives"),
    ("env-map-newline", [app(env={"D": {"from": "DEBUG", "map": {"True": "1\nX=2"}}})], "django_apps[blog].env.D.map.True",
     "one line"),
    ("python-number", [app(python=3.12)], "django_apps[blog].python", "must be quoted"),
    ("python-relative", [app(python="bin/python")], "django_apps[blog].python", "absolute path"),
    ("extra-requirements-option", [app(extra_requirements=["--index-url=http://evil"])],
     "django_apps[blog].extra_requirements", "no pip options"),
    ("extra-requirements-newline", [app(extra_requirements=["whitenoise\n-r /etc/shadow"])],
     "django_apps[blog].extra_requirements", "not a requirement"),
    ("extra-requirements-string", [app(extra_requirements="whitenoise")], "django_apps[blog].extra_requirements",
     "must be a list"),
    ("secret-key-newline", [app(secret_key="x" * 50 + "\nDEBUG=True")], "django_apps[blog].secret_key",
     "one line"),
    ("fallback-short", [app(secret_key_fallbacks=["short"])], "django_apps[blog].secret_key_fallbacks",
     "50 characters"),
    # Web.
    ("static-url-root", [app(static_url="/")], "django_apps[blog].static_url", "starts and ends with /"),
    ("static-url-no-slash", [app(static_url="static")], "django_apps[blog].static_url", "starts and ends"),
    ("media-url-space", [app(media_url="/my media/")], "django_apps[blog].media_url", "starts and ends"),
    ("health-path-relative", [app(health_check_path="health/")], "django_apps[blog].health_check_path",
     "starts with /"),
    ("health-path-space", [app(health_check_path="/health/ HTTP/1.0")], "django_apps[blog].health_check_path",
     "starts with /"),
    ("body-size-word", [app(client_max_body_size="big")], "django_apps[blog].client_max_body_size",
     "size like 10m"),
    ("body-size-injection", [app(client_max_body_size="10m; return 200")], "django_apps[blog].client_max_body_size",
     "size like 10m"),
    ("tls-mode", [app(tls={"mode": "letsencrypt"})], "django_apps[blog].tls.mode", "selfsigned, provided, acme"),
    ("server", [app(server="uwsgi")], "django_apps[blog].server", "gunicorn, mod_wsgi"),
    ("state", [app(state="gone")], "django_apps[blog].state", "present, absent"),
    ("superuser-email", [app(superuser={"username": "admin", "email": "admin"})], "django_apps[blog].superuser",
     "email address"),
    ("superuser-username", [app(superuser={"username": "ad min", "email": "a@b.example"})],
     "django_apps[blog].superuser", "Django username"),
    # Types.
    ("apps-not-list", {"name": "blog"}, "django_apps must be a list", ""),
    ("app-not-dict", ["blog"], "each django_apps entry must be a dict", ""),
    ("env-not-dict", [app(env=["A=1"])], "django_apps[blog].env must be a dict", ""),
    ("domains-not-list", [app(domains="blog.example")], "django_apps[blog].domains must be a list", ""),
]


@pytest.mark.parametrize("apps, field, reason", [case[1:] for case in MODEL_CASES],
                         ids=[case[0] for case in MODEL_CASES])
def test_the_model_refuses_bad_input_with_one_line_naming_the_field(apps, field, reason):
    with pytest.raises(model.AppModelError) as error:
        model.normalize_apps(apps)
    message = str(error.value)
    assert "\n" not in message
    assert field in message
    assert reason in message


def test_secrets_are_never_part_of_a_message():
    for entry in (app(database={"password": "Sec\nret-42"}), app(env={"TOKEN": "Sec\nret-42"}),
                  app(secret_key="Sec\nret-42" + "x" * 50)):
        with pytest.raises(model.AppModelError) as error:
            model.normalize_apps([entry])
        assert "ret-42" not in str(error.value)


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), ("yes", True), ("no", False), ("false", False), ("True", True),
    ("off", False), ("on", True), (0, False), (1, True), ("0", False),
])
def test_booleans_mean_what_they_say(value, expected):
    entry = model.normalize_apps([app(debug=value, hsts={"include_subdomains": value})])[0]
    assert entry["debug"] is expected
    assert entry["hsts"]["include_subdomains"] is expected


@pytest.mark.parametrize("field, value", [
    ("minute", "*/15"), ("minute", "0,30"), ("hour", "1-5"), ("day", "1-31/2"), ("month", "jan"),
    ("weekday", "mon-fri"), ("weekday", 7), ("minute", 0),
])
def test_cron_fields_in_range_pass(field, value):
    entry = model.normalize_apps([app(cron=[{"name": "x", "command": "clearsessions", field: value}])])[0]
    assert entry["cron"][0][field] == str(value).lower()


def test_good_paths_pass():
    entry = model.normalize_apps([app(home="/var/www/blog", config_dir="/opt/blog/etc",
                                      env_file="/opt/blog/etc/env", manage="/usr/local/bin/blog",
                                      requirements="requirements/prod.txt", project_dir="src",
                                      settings_template={"src": "x", "dest": "src/blog/local.py"})])[0]
    assert entry["home"] == "/var/www/blog" and entry["env_file"] == "/opt/blog/etc/env"


# (id, function, argument(s), what the message says)
ROLE_CASES = [
    # supervisord program sections.
    ("supervisord-command-newline", checks.supervisord_program_problem,
     ({"name": "x", "command": "run\n[program:y]", "user": "x"},), "command must be one line"),
    ("supervisord-directory-newline", checks.supervisord_program_problem,
     ({"name": "x", "command": "run", "directory": "/srv\nuser=root", "user": "x"},), "directory must be one line"),
    ("supervisord-user-newline", checks.supervisord_program_problem,
     ({"name": "x", "command": "run", "user": "x\nuser=root"},), "user must be one line"),
    ("supervisord-semicolon", checks.supervisord_program_problem,
     ({"name": "x", "command": "celery worker ; rm -rf /", "user": "x"},), "; or # after a space"),
    ("supervisord-hash", checks.supervisord_program_problem,
     ({"name": "x", "command": "celery worker #--loglevel", "user": "x"},), "; or # after a space"),
    ("supervisord-env-key", checks.supervisord_program_problem,
     ({"name": "x", "command": "run", "user": "x", "environment": {"A B": "1"}},), "environment variable name"),
    ("supervisord-env-newline", checks.supervisord_program_problem,
     ({"name": "x", "command": "run", "user": "x", "environment": {"A": "1\n[program:z]"}},),
     "environment.A must be one line"),
    # memcached.
    ("memcached-listen-any-v6", checks.memcached_listen_problem, (["::0"],), "every interface"),
    ("memcached-listen-any-v4", checks.memcached_listen_problem, (["0.0.0.0"],), "every interface"),
    ("memcached-listen-any-bracket", checks.memcached_listen_problem, (["[::]"],), "every interface"),
    ("memcached-listen-star", checks.memcached_listen_problem, (["*"],), "every interface"),
    ("memcached-listen-long-zero", checks.memcached_listen_problem, (["0:0:0:0:0:0:0:0"],), "every interface"),
    ("memcached-listen-empty", checks.memcached_listen_problem, ([],), "one or more addresses"),
    ("memcached-listen-injection", checks.memcached_listen_problem, (["127.0.0.1 -U 11211"],), "not an address"),
    ("memcached-option-listen", checks.memcached_options_problem, (["-l 0.0.0.0"],), "may not set -l"),
    ("memcached-option-listen-joined", checks.memcached_options_problem, (["-l0.0.0.0"],), "may not set -l"),
    ("memcached-option-listen-long", checks.memcached_options_problem, (["--listen=0.0.0.0"],),
     "may not set --listen"),
    ("memcached-option-udp", checks.memcached_options_problem, (["-U 11211"],), "may not set -U"),
    ("memcached-option-user", checks.memcached_options_problem, (["-u root"],), "may not set -u"),
    ("memcached-option-shell", checks.memcached_options_problem, (["-o modern; id"],), "one option per item"),
    # pg_hba.conf.
    ("hba-trust", checks.hba_entry_problem,
     ({"type": "host", "database": "all", "user": "all", "address": "10.0.0.0/8", "method": "trust"},),
     "method must be one of"),
    ("hba-password", checks.hba_entry_problem,
     ({"type": "host", "database": "all", "user": "all", "address": "10.0.0.5/32", "method": "password"},),
     "method must be one of"),
    ("hba-md5", checks.hba_entry_problem,
     ({"type": "host", "database": "all", "user": "all", "address": "10.0.0.5/32", "method": "md5"},),
     "method must be one of"),
    ("hba-half-the-internet", checks.hba_entry_problem,
     ({"type": "host", "database": "all", "user": "all", "address": "0.0.0.0/1", "method": "scram-sha-256"},),
     "admits more than a private network"),
    ("hba-everyone", checks.hba_entry_problem,
     ({"type": "host", "database": "all", "user": "all", "address": "0.0.0.0/0", "method": "scram-sha-256"},),
     "admits more than a private network"),
    ("hba-everyone-v6", checks.hba_entry_problem,
     ({"type": "host", "database": "all", "user": "all", "address": "::/0", "method": "scram-sha-256"},),
     "admits more than a private network"),
    ("hba-public", checks.hba_entry_problem,
     ({"type": "host", "database": "all", "user": "all", "address": "8.8.8.0/24", "method": "scram-sha-256"},),
     "admits more than a private network"),
    ("hba-all", checks.hba_entry_problem,
     ({"type": "host", "database": "all", "user": "all", "address": "all", "method": "scram-sha-256"},),
     "samenet and host names"),
    ("hba-samenet", checks.hba_entry_problem,
     ({"type": "host", "database": "all", "user": "all", "address": "samenet", "method": "scram-sha-256"},),
     "samenet and host names"),
    ("hba-no-address", checks.hba_entry_problem,
     ({"type": "host", "database": "all", "user": "all", "method": "scram-sha-256"},), "needs an address"),
    ("hba-peer-over-tcp", checks.hba_entry_problem,
     ({"type": "host", "database": "all", "user": "all", "address": "10.0.0.5/32", "method": "peer"},),
     "peer works for local entries only"),
    ("hba-cert-without-tls", checks.hba_entry_problem,
     ({"type": "host", "database": "all", "user": "all", "address": "10.0.0.5/32", "method": "cert"},),
     "method cert works for hostssl entries only, got type host"),
    ("hba-cert-local", checks.hba_entry_problem,
     ({"type": "local", "database": "all", "user": "all", "method": "cert"},),
     "method cert works for hostssl entries only, got type local"),
    ("hba-newline", checks.hba_entry_problem,
     ({"type": "local", "database": "all\nhost all all 0.0.0.0/0 trust", "user": "all", "method": "peer"},),
     "database must be one word"),
    ("hba-type", checks.hba_entry_problem,
     ({"type": "hostgssenc", "database": "all", "user": "all", "address": "10.0.0.5/32", "method": "cert"},),
     "type must be one of"),
    # gunicorn.conf.py.
    ("gunicorn-setting-name", checks.gunicorn_settings_problem, ({"import os; os.system('id') #": 1},),
     "not a gunicorn setting name"),
    ("gunicorn-setting-value", checks.gunicorn_settings_problem, ({"keepalive": object()},),
     "gunicorn_extra_settings.keepalive must be"),
    ("gunicorn-settings-list", checks.gunicorn_settings_problem, (["keepalive=5"],), "must be a dict"),
]


@pytest.mark.parametrize("check, args, reason", [case[1:] for case in ROLE_CASES],
                         ids=[case[0] for case in ROLE_CASES])
def test_the_roles_refuse_bad_input_with_one_line(check, args, reason):
    message = check(*args)
    assert reason in message
    assert "\n" not in message


def test_at_least_a_hundred_and_twenty_bad_inputs_are_refused():
    assert len(MODEL_CASES) + len(ROLE_CASES) >= 120


@pytest.mark.parametrize("check, args", [
    (checks.supervisord_program_problem, ({"name": "x", "command": "celery -A x worker;echo", "user": "x"},)),
    (checks.memcached_listen_problem, (["127.0.0.1", "10.0.0.5", "::1"],)),
    (checks.memcached_listen_problem, (["0.0.0.0"], True)),
    (checks.memcached_options_problem, (["-o modern", "-B ascii", "-R 20"],)),
    (checks.hba_entry_problem, ({"type": "local", "database": "all", "user": "postgres", "method": "peer"},)),
    (checks.hba_entry_problem, ({"type": "host", "database": "blog", "user": "blog", "address": "::1/128",
                                 "method": "scram-sha-256"},)),
    (checks.hba_entry_problem, ({"type": "hostssl", "database": "blog", "user": "blog,blog_alt",
                                 "address": "10.0.0.0/8", "method": "scram-sha-256"},)),
    (checks.hba_entry_problem, ({"type": "hostssl", "database": "blog", "user": "blog", "address": "10.0.0.5/32",
                                 "method": "cert"},)),
    (checks.gunicorn_settings_problem, ({"keepalive": 5, "raw_env": ["A=1"], "limit_request_fields": 50},)),
])
def test_good_role_input_passes(check, args):
    assert check(*args) == ""


@pytest.mark.parametrize("value", [True, None, 5, 2.5, "it's \"quoted\"\n", ["a", 1, False], {"a": [1, None]}])
def test_python_literal_is_the_value_in_python(value):
    import ast
    assert ast.literal_eval(checks.python_literal(value)) == value


def test_cron_percent_and_supervisord_percent_are_escaped_in_the_templates():
    with open("roles/django_app/templates/cron.j2") as handle:
        assert re.search(r"job\.command \| replace\('%', '\\\\%'\)", handle.read())
    with open("roles/supervisord/templates/program.conf.j2") as handle:
        assert "p.command | replace('%', '%%')" in handle.read()


def test_a_spec_validated_outside_its_role_keeps_no_default():
    spec = {"a": {"type": "int", "default": "{{ x }}"},
            "b": {"type": "list", "elements": "dict", "default": [], "options": {"c": {"type": "str", "default": "d"}}}}
    assert checks.spec_without_defaults(spec) == {
        "a": {"type": "int"}, "b": {"type": "list", "elements": "dict", "options": {"c": {"type": "str"}}}}
    assert spec["a"]["default"] == "{{ x }}"


def test_a_procfile_process_supervisord_would_cut_is_named():
    text = "web: gunicorn x.wsgi\nworker: celery -A x worker ; echo done\n"
    assert model.procfile_problem(text) == ("process worker: command has ; or # after a space, where supervisord "
                                            "ends the command (a comment): write it without them, e.g. in a "
                                            "script the command runs")
    assert model.procfile_problem("worker: celery -A x worker --loglevel=info\n") == ""


@pytest.mark.parametrize("text, problem", [
    ("web: gunicorn x.wsgi\nblue: celery -A x worker\n",
     "process blue: the programs <app>-blue and <app>-green run the app's gunicorn: rename it"),
    ("worker: celery -A x worker\nWorker: celery -A x beat\n",
     "process worker is listed twice: give each process a name of its own"),
    ("worker celery -A x worker\n", "line 1 is not `name: command`: 'worker celery -A x worker'"),
])
def test_a_procfile_that_supervisord_would_refuse_after_the_switch_is_refused_before(text, problem):
    assert model.procfile_problem(text) == problem
