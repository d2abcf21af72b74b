"""What a user of the postgresql role notices on the database servers."""

import time

import pytest

VERSIONS = {"bookworm": "15", "trixie": "17"}
# bookworm is in `appservers`: trixie admits it and listens on its own address too.
LISTENS_OUTSIDE = {"bookworm": False, "trixie": True}
GIVEN_PASSWORD = {"shop": "shop-Secret-42"}
CREDENTIALS = "/etc/postgresql-credentials"


@pytest.fixture(name="name")
def fixture_name(host):
    return host.backend.get_hostname()


def sql(host, query, database="postgres"):
    """Run a query as the postgres superuser, return the unaligned output."""
    cmd = host.run(f"runuser -u postgres -- psql -X -At -d {database} -c \"{query}\"")
    assert cmd.rc == 0, cmd.stderr
    return cmd.stdout.strip()


def password_of(host, user):
    if user in GIVEN_PASSWORD:
        return GIVEN_PASSWORD[user]
    with host.sudo():
        return host.file(f"{CREDENTIALS}/{user}").content_string.strip()


def psql_as(host, user, password, address="127.0.0.1", database=None):
    return host.run(
        f"PGPASSWORD='{password}' PGCONNECT_TIMEOUT=5 psql -X -At -h {address} -U {user} "
        f"-d {database or user} -c 'select current_user'"
    )


def own_address(host):
    return host.interface("eth0").addresses[0]


def wait_until_ready(host, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if host.run("pg_isready -q -h 127.0.0.1").rc == 0:
            return True
        time.sleep(0.5)
    return False


def journal(host, name):
    return host.run(f"journalctl --no-pager -n 40 -u postgresql@{VERSIONS[name]}-main").stdout


def test_runs_the_release_postgresql(host, name):
    assert host.package(f"postgresql-{VERSIONS[name]}").is_installed
    assert sql(host, "show server_version_num")[:2] == VERSIONS[name]


def test_service_is_enabled_running_and_survives_a_restart(host, name):
    assert host.service("postgresql").is_enabled
    cluster = host.service(f"postgresql@{VERSIONS[name]}-main")
    assert cluster.is_running, journal(host, name)
    host.run_expect([0], "systemctl restart postgresql")
    assert wait_until_ready(host), journal(host, name)
    assert cluster.is_running, journal(host, name)
    assert psql_as(host, "shop", password_of(host, "shop")).rc == 0


def test_listens_on_loopback_and_on_its_address_only_when_clients_need_it(host, name):
    assert host.socket("tcp://127.0.0.1:5432").is_listening
    outside = host.socket(f"tcp://{own_address(host)}:5432").is_listening
    assert outside == LISTENS_OUTSIDE[name]
    assert not host.socket("tcp://0.0.0.0:5432").is_listening


@pytest.mark.parametrize("user", ["shop", "blog"])
def test_app_user_logs_in_with_scram_from_loopback(host, user):
    login = psql_as(host, user, password_of(host, user))
    assert login.rc == 0, login.stderr
    assert login.stdout.strip() == user
    assert sql(host, f"select rolpassword like 'SCRAM-SHA-256$%' from pg_authid where rolname = '{user}'") == "t"


def test_wrong_password_is_refused(host):
    login = psql_as(host, "shop", "not-the-password")
    assert login.rc != 0
    assert "password authentication failed" in login.stderr


def test_generated_password_is_kept_on_the_host_for_root_only(host):
    directory = host.file(CREDENTIALS)
    assert directory.is_directory
    assert (directory.user, directory.group, directory.mode) == ("root", "root", 0o700)
    secret = host.file(f"{CREDENTIALS}/blog")
    assert (secret.user, secret.group, secret.mode) == ("root", "root", 0o600)
    assert len(password_of(host, "blog")) >= 32
    # Only the user without a given password gets one generated.
    assert not host.file(f"{CREDENTIALS}/shop").exists


@pytest.mark.parametrize("database", ["shop", "blog"])
def test_database_is_utf8_and_owned_by_its_app(host, database):
    row = sql(host, "select pg_encoding_to_char(encoding), datcollate, datctype, "
                    f"pg_get_userbyid(datdba) from pg_database where datname = '{database}'")
    assert row == f"UTF8|C.UTF-8|C.UTF-8|{database}"


def test_app_user_can_create_tables_in_its_database(host):
    password = password_of(host, "blog")
    cmd = host.run(f"PGPASSWORD='{password}' psql -X -h 127.0.0.1 -U blog -d blog -v ON_ERROR_STOP=1 "
                   "-c 'create table if not exists probe (id int)' -c 'drop table probe'")
    assert cmd.rc == 0, cmd.stderr


def test_password_encryption_is_scram(host):
    assert sql(host, "show password_encryption") == "scram-sha-256"


def test_pg_hba_never_admits_everyone_and_admits_exactly_the_app_servers(host, name):
    rules = sql(host, "select type, coalesce(address, '') || coalesce('/' || netmask, ''), "
                      "auth_method from pg_hba_file_rules").splitlines()
    addresses = [rule.split("|")[1] for rule in rules if rule.startswith("host")]
    assert all(not address.startswith("0.0.0.0/") and address != "::/::" for address in addresses)
    assert all(rule.endswith("|scram-sha-256") for rule in rules if rule.startswith("host"))
    hba = host.file(f"/etc/postgresql/{VERSIONS[name]}/main/pg_hba.conf")
    assert (hba.user, hba.mode) == ("postgres", 0o640)
    assert "0.0.0.0/0" not in hba.content_string
    expected = {"127.0.0.1/255.255.255.255", "::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}
    if name == "trixie":
        bookworm = host.run("getent ahostsv4 bookworm").stdout.split()[0]
        expected.add(f"{bookworm}/255.255.255.255")
    assert set(addresses) == expected


def test_settings_are_sized_from_memory_and_merged_with_the_inventory(host, name):
    mem_mb = int(host.check_output("awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo"))
    shared_mb = int(sql(host, "select setting::bigint * 8 / 1024 from pg_settings where name = 'shared_buffers'"))
    assert shared_mb == max(32, min(mem_mb // 4, 8192))
    expected = {"bookworm": "100", "trixie": "50"}[name]
    assert sql(host, "show max_connections") == expected
    if name == "trixie":
        assert sql(host, "show log_min_duration_statement") == "500ms"
    assert sql(host, "select count(*) from pg_settings where pending_restart") == "0"


def test_app_server_reaches_the_database_over_the_network(host, name):
    # bookworm is the app server of trixie; trixie is no client of bookworm.
    peer = {"bookworm": "trixie", "trixie": "bookworm"}[name]
    login = psql_as(host, "shop", GIVEN_PASSWORD["shop"], address=peer)
    if name == "bookworm":
        assert login.rc == 0, login.stderr
        assert login.stdout.strip() == "shop"
    else:
        assert login.rc != 0
        assert "Connection refused" in login.stderr or "could not connect" in login.stderr
