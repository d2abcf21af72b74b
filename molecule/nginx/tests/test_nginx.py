"""What a user of the nginx role notices on the host.

converge.yml runs a stand-in app (demo-upstream: it echoes the forwarded headers)
on 127.0.0.1:8000 and on a unix socket, and three sites in front of it: app
(self-signed; app.test and other.test, www.app.test redirects; static and media
files from /srv/demo), shop (acme, configuration only: a self-signed placeholder;
HSTS off; the unix socket) and scratch (removed by the last test). Requests go
from the host itself to 127.0.0.1 with curl --resolve. Tests run per host in file
order; only the last ones change the set of sites (scratch removed, a site with a
provided certificate and another acme site added, certificates requested from a
stand-in for certbot).
"""

import json
import os
import re
import shlex
import time
import uuid

import pytest
import testinfra

from playbooks import assert_refused, inventory, run_playbook
from web import get as curl_get, header


RESOLVE = " ".join(
    f"--resolve {name}:{port}:127.0.0.1"
    for name in ("app.test", "other.test", "www.app.test", "shop.test", "www.shop.test",
                 "scratch.test", "provided.test", "blog.test", "www.blog.test", "unknown.test")
    for port in (80, 443))
CURL = f"curl -sS -k --max-time 10 {RESOLVE}"
KEY_SECRET = "SECRET-do-not-print-4b1d"


@pytest.fixture(name="name", scope="module")
def fixture_name(host):
    return host.backend.get_hostname()


def journal(host, unit="nginx"):
    return host.run(f"journalctl -u {unit} --no-pager -n 30; tail -n 20 /var/log/nginx/error.log").stdout


def get(host, url, *options):
    """curl URL on the host: Response(status, headers, body)."""
    return curl_get(host, CURL, url, *options, logs=journal)


def echoed(body):
    """The upstream's answer as a dict."""
    return dict(line.split(": ", 1) for line in body.splitlines() if ": " in line)


_RUNS = {}


def every_host():
    """Every host of the scenario, as testinfra reaches it."""
    inventory_file = os.environ["MOLECULE_INVENTORY_FILE"]
    return {name: testinfra.get_host(f"ansible://{name}?ansible_inventory={inventory_file}")
            for name in inventory()["_meta"]["hostvars"]}


def once_on_every_host(playbook, extra_vars, snapshot, check=False):
    """`playbook` with `extra_vars` once on every host at once (no --limit; with check, a dry run
    with --diff), with snapshot(host) of each host taken just before and just after it: (result,
    {name: before}, {name: after}). The tests of the other host reuse them (its own tests may
    change the host before they run)."""
    key = json.dumps([playbook, extra_vars, check], sort_keys=True)
    if key not in _RUNS:
        nodes = every_host()
        before = {name: snapshot(node) for name, node in nodes.items()}
        result = run_playbook(playbook, extra_vars, check=check)
        _RUNS[key] = (result, before, {name: snapshot(node) for name, node in nodes.items()})
    return _RUNS[key]


def master_pid(host):
    return host.check_output("systemctl show -p MainPID --value nginx")


def sha256(host, path):
    return host.check_output(f"sha256sum {path}").split()[0]


def fingerprint(host, site):
    return host.check_output(f"openssl x509 -noout -fingerprint -sha256 -in /etc/nginx/tls/{site}.crt")


def test_nginx_is_debians_package_enabled_and_running(host):
    assert host.package("nginx").is_installed
    assert host.check_output("dpkg -S /usr/sbin/nginx").startswith("nginx")
    assert host.package("certbot").is_installed, "an acme site needs certbot"
    service = host.service("nginx")
    assert service.is_enabled, journal(host)
    assert service.is_running, journal(host)
    assert host.run("nginx -t").rc == 0, journal(host)


def test_https_request_reaches_the_app_with_the_forwarded_headers(host):
    status, headers, body = get(host, "https://app.test/some/page?q=1")
    assert status == 200, body
    app = echoed(body)
    assert app["Host"] == "app.test"
    assert app["X-Forwarded-Proto"] == "https"
    assert app["X-Forwarded-For"] == "127.0.0.1"
    assert app["X-Real-IP"] == "127.0.0.1"
    assert app["path"] == "/some/page?q=1"
    assert header(headers, "content-type") == ["text/plain; charset=utf-8"]


def test_https_is_http2(host):
    version = host.check_output(f"{CURL} -o /dev/null -w '%{{http_version}}' https://app.test/")
    assert version == "2"


def test_every_server_name_is_served_under_its_own_name(host):
    response = get(host, "https://other.test/")
    assert response.status == 200
    assert echoed(response.body)["Host"] == "other.test"


@pytest.mark.parametrize("url", [
    "http://app.test/a/b?c=d",
    "http://other.test/a/b?c=d",
    "http://www.app.test/a/b?c=d",
    "https://www.app.test/a/b?c=d",
])
def test_other_urls_redirect_permanently_to_the_canonical_https_url(host, url):
    response = get(host, url)
    assert response.status == 301
    assert header(response.headers, "location") == ["https://app.test/a/b?c=d"]


def test_an_unknown_host_gets_no_site(host):
    # Plain HTTP: the connection is closed without a response (444).
    plain = host.run(f"{CURL} -H 'Host: unknown.test' http://127.0.0.1/")
    assert plain.rc == 52 and plain.stdout == "", plain
    # HTTPS with an unknown name, or without one: the handshake is refused, no
    # certificate is shown.
    for url in ("https://unknown.test/", "https://127.0.0.1/"):
        refused = host.run(f"{CURL} -v {url}")
        assert refused.rc == 35 and refused.stdout == "", refused
        assert "Server certificate" not in refused.stderr
    # A known name in TLS but an unknown Host header: no response either.
    mismatch = host.run(f"{CURL} --http1.1 -H 'Host: unknown.test' https://app.test/")
    assert mismatch.rc in (52, 56) and mismatch.stdout == "", mismatch


def test_static_files_come_from_disk_with_cache_headers(host):
    nonce = uuid.uuid4().hex
    status, headers, body = get(host, f"https://app.test/static/app.css?{nonce}")
    assert status == 200
    assert body == host.file("/srv/demo/static/app.css").content_string
    assert header(headers, "content-type") == ["text/css"]
    assert "max-age=2592000" in header(headers, "cache-control")
    assert "public" in header(headers, "cache-control")
    assert len(header(headers, "expires")) == 1
    compressed = get(host, "https://app.test/static/app.css", "-H 'Accept-Encoding: gzip'", "-o /dev/null")
    assert header(compressed[1], "content-encoding") == ["gzip"]
    # A missing static file is nginx's 404, not a question for the app.
    missing = get(host, f"https://app.test/static/missing.css?{nonce}")
    assert missing[0] == 404
    # The upstream logs every request it gets: a request after these is logged,
    # the static ones are not.
    marker = uuid.uuid4().hex
    assert get(host, f"https://app.test/{marker}")[0] == 200
    deadline = time.time() + 10
    log = ""
    while marker not in log and time.time() < deadline:
        log = host.run("journalctl -u demo-upstream --no-pager -o cat").stdout
        time.sleep(0.5)
    assert marker in log
    assert nonce not in log, "a static file request reached the upstream"


def test_media_files_are_served_inert(host):
    status, headers, body = get(host, "https://app.test/media/note.txt")
    assert status == 200 and body == "an upload\n"
    assert "max-age=604800" in header(headers, "cache-control")
    status, headers, body = get(host, "https://app.test/media/page.html")
    assert status == 200 and "<script>" in body
    # Opened directly, an uploaded page runs no script in the site's origin.
    assert header(headers, "content-security-policy") == ["default-src 'none'; sandbox"]
    assert header(headers, "x-content-type-options") == ["nosniff"]


def test_extra_config_is_part_of_the_site(host):
    response = get(host, "https://app.test/robots.txt")
    assert response.status == 200
    assert response.body == "User-agent: *\nDisallow: /admin/\n"


@pytest.mark.parametrize("url", [
    "https://app.test/",
    "https://app.test/static/app.css",
    "https://app.test/media/note.txt",
    "https://app.test/static/missing.css",
    "https://www.app.test/",
])
def test_hsts_is_sent_once_by_nginx(host, url):
    # The app's own header (max-age=1) is dropped.
    assert header(get(host, url).headers, "strict-transport-security") == ["max-age=31536000"]


def test_with_hsts_off_the_apps_own_header_passes(host):
    status, headers, body = get(host, "https://shop.test/")
    assert status == 200
    assert echoed(body)["Host"] == "shop.test", "shop proxies to the unix socket"
    assert header(headers, "strict-transport-security") == ["max-age=1"]


def test_request_bodies_are_limited(host):
    small = host.run(f"head -c 1000 /dev/zero | {CURL} -o /dev/null -w '%{{http_code}}' "
                     "--data-binary @- https://app.test/upload")
    assert small.stdout == "200", small
    large = host.run(f"head -c 2000000 /dev/zero | {CURL} -o /dev/null -w '%{{http_code}}' "
                     "--data-binary @- https://app.test/upload")
    assert large.stdout == "413", large


@pytest.mark.parametrize(("option", "protocol"), [
    ("-tls1_1 -cipher DEFAULT@SECLEVEL=0", None),
    ("-tls1_2", "TLSv1.2"),
    ("-tls1_3", "TLSv1.3"),
])
def test_only_tls_1_2_and_1_3_are_accepted(host, option, protocol):
    cmd = host.run(f"openssl s_client -connect 127.0.0.1:443 -servername app.test {option} </dev/null")
    if protocol:
        assert cmd.rc == 0, cmd.stderr
        assert f"New, {protocol}, Cipher is" in cmd.stdout, cmd.stdout
    else:
        assert cmd.rc != 0
        # The server says no (alert 70, protocol_version), not the client.
        assert "alert protocol version" in cmd.stderr, cmd.stderr


def test_no_version_is_shown(host):
    status, headers, body = get(host, "https://app.test/static/missing.css")
    assert status == 404
    assert header(headers, "server") == ["nginx"]
    assert not re.search(r"nginx/[0-9]", body), body


def test_nginx_listens_on_80_and_443_only(host):
    tcp = host.check_output("ss -Hltnp | grep '\"nginx\"' | awk '{print $4}'").split()
    assert {address.rsplit(":", 1)[1] for address in tcp} == {"80", "443"}, tcp
    assert host.run("ss -Hlunp | grep '\"nginx\"'").rc == 1, "nginx listens on UDP"


def test_selfsigned_certificate_covers_every_name_and_its_key_is_private(host):
    served = host.check_output(
        "openssl s_client -connect 127.0.0.1:443 -servername www.app.test </dev/null 2>/dev/null"
        " | openssl x509 -noout -ext subjectAltName")
    for name in ("app.test", "other.test", "www.app.test"):
        assert f"DNS:{name}" in served
    key = host.file("/etc/nginx/tls/app.key")
    assert (key.user, key.group, key.mode) == ("root", "root", 0o600)
    assert host.file("/etc/nginx/tls").mode == 0o700


def test_acme_site_serves_challenges_with_a_placeholder_certificate(host):
    challenges = "/var/www/letsencrypt/.well-known/acme-challenge"
    host.check_output(f"mkdir -p {challenges} && echo token-content > {challenges}/test-token")
    try:
        for name in ("shop.test", "www.shop.test"):
            response = get(host, f"http://{name}/.well-known/acme-challenge/test-token")
            assert (response.status, response.body) == (200, "token-content\n")
    finally:
        host.check_output(f"rm -f {challenges}/test-token")
    response = get(host, "http://shop.test/x")
    assert response.status == 301 and header(response.headers, "location") == ["https://shop.test/x"]
    # The app site has no challenge directory.
    assert get(host, "http://app.test/.well-known/acme-challenge/test-token")[0] == 301
    # No certificate was requested (nginx_acme_request: false): a self-signed one.
    assert not host.file("/etc/letsencrypt/live/shop.test").exists
    issuer = host.check_output(
        "openssl s_client -connect 127.0.0.1:443 -servername shop.test </dev/null 2>/dev/null"
        " | openssl x509 -noout -issuer -subject")
    assert issuer.count("shop.test") == 2, issuer
    hook = host.file("/etc/letsencrypt/renewal-hooks/deploy/djangostack-nginx-reload")
    assert hook.exists and hook.mode == 0o755


def test_nginx_serves_again_after_a_restart(host):
    host.check_output("systemctl restart nginx")
    assert host.service("nginx").is_running, journal(host)
    assert get(host, "https://app.test/")[0] == 200


@pytest.mark.parametrize("copy", ["0", "1"], ids=["mount-namespace", "path-rewrite"])
def test_the_check_command_refuses_a_broken_file_and_leaves_etc_nginx_alone(host, copy):
    env = f"DJANGOSTACK_NGINX_CHECK_COPY={copy}"
    live = "/etc/nginx/sites-available/app.conf"
    before = sha256(host, live)
    host.check_output(f"cp {live} /tmp/good.conf && echo 'no_such_directive on;' > /tmp/bad.conf")
    assert host.run(f"{env} djangostack-nginx-check /tmp/good.conf {live}").rc == 0
    broken = host.run(f"{env} djangostack-nginx-check /tmp/bad.conf {live}")
    assert broken.rc == 1 and 'unknown directive "no_such_directive"' in broken.stderr, broken
    new = host.run(f"{env} djangostack-nginx-check /tmp/bad.conf /etc/nginx/sites-available/new.conf"
                   " /etc/nginx/sites-enabled/new.conf")
    assert new.rc == 1, new
    assert sha256(host, live) == before
    assert not host.file("/etc/nginx/sites-available/new.conf").exists
    assert host.run("ls /tmp | grep djangostack-nginx-check").rc == 1, "temporary copy left behind"


BROKEN = [
    pytest.param({"demo_extra_config": "no_such_directive on;"},
                 "/etc/nginx/sites-available/app.conf", id="site-extra-config"),
    pytest.param({"nginx_extra_http_config": "no_such_directive on;"},
                 "/etc/nginx/nginx.conf", id="main-extra-config"),
    pytest.param({"demo_extra_sites": [{"name": "broken", "server_names": ["broken.test"],
                                        "upstream": ["127.0.0.1:8000"],
                                        "extra_config": "no_such_directive on;"}]},
                 "/etc/nginx/sites-available/broken.conf", id="new-site"),
]


@pytest.mark.parametrize(("extra_vars", "path"), BROKEN)
def test_a_broken_configuration_never_reaches_nginx(host, name, extra_vars, path):
    result, before, after = once_on_every_host(
        "converge.yml", extra_vars,
        lambda node: (sha256(node, path) if node.file(path).exists else None, master_pid(node),
                      node.file(path.replace("sites-available", "sites-enabled")).exists))
    assert result.rc == 2 and result.recap[name]["failed"] == 1, result
    assert 'unknown directive "no_such_directive"' in result.output, result
    sha, pid = before[name][:2]
    sha_after, pid_after, enabled_after = after[name]
    if sha:
        assert sha_after == sha, f"{path} was replaced"
    else:
        assert sha_after is None and not enabled_after, f"{path} was written"
    assert pid_after == pid, "nginx was restarted"
    assert "no_such_directive" not in host.run("nginx -T").stdout
    assert host.service("nginx").is_running, journal(host)
    assert get(host, "https://app.test/")[0] == 200


def make_site(name, **fields):
    return dict({"name": name, "server_names": [f"{name}.test"], "upstream": ["127.0.0.1:8000"]}, **fields)


SECRET_TLS = {"mode": "provided",
              "cert": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
              "key": f"-----BEGIN PRIVATE KEY-----\n{KEY_SECRET}\n-----END PRIVATE KEY-----"}

BAD_INPUT = [
    pytest.param(
        {"nginx_sites": [make_site("dup"), make_site("dup", server_names=["dup2.test"])]},
        "nginx_sites has more than one site named dup: give each site a name of its own",
        id="duplicate-names"),
    pytest.param(
        {"nginx_sites": [make_site("empty", server_names=[])]},
        "nginx_sites: site empty: server_names is empty: list the names the site answers to",
        id="no-server-names"),
    pytest.param(
        {"nginx_sites": [make_site("Bad")]},
        "nginx_sites: site Bad: the name must start with a lowercase letter",
        id="bad-name"),
    pytest.param(
        {"nginx_sites": [make_site("badup", upstream=["http://127.0.0.1:8000"], tls=SECRET_TLS)]},
        "nginx_sites: site badup: upstream http://127.0.0.1:8000 is not unix:/absolute/path or host:port",
        id="bad-upstream"),
    pytest.param(
        {"nginx_sites": [make_site("notls", tls={"mode": "provided", "cert": SECRET_TLS["cert"]})]},
        "nginx_sites: site notls: tls.mode is provided but tls.cert or tls.key is missing or not PEM",
        id="provided-without-key"),
    pytest.param(
        {"nginx_sites": [make_site("one"), make_site("two", redirect_names=["one.test"])]},
        "nginx_sites: one.test appears in more than one site",
        id="name-in-two-sites"),
    pytest.param(
        {"nginx_sites": [make_site("acme", tls={"mode": "acme"})]},
        "nginx_sites: site acme: tls.mode is acme but there is no e-mail address for Let's Encrypt",
        id="acme-without-email"),
    pytest.param(
        {"nginx_sites": [make_site("gone", state="gone", tls=SECRET_TLS)]},
        "value of state must be one of: present, absent, got: gone",
        id="bad-state"),
]


@pytest.mark.parametrize(("extra_vars", "message"), BAD_INPUT)
def test_bad_input_fails_before_any_change_with_one_line(host, name, extra_vars, message):
    listing = "ls -l /etc/nginx/sites-available /etc/nginx/sites-enabled /etc/nginx/tls"
    result, before, after = once_on_every_host("bad_input.yml", extra_vars, lambda node: node.check_output(listing))
    assert_refused(result, name, message)
    # A site's private key is never shown, whichever check fails (bad-upstream and
    # bad-state have one).
    assert KEY_SECRET not in result.output, "the private key was printed"
    assert after[name] == before[name]


def provided_site():
    """A site with a certificate and key of its own: made with openssl on one host, the same on
    every host (/root/provided.*), so that one run can give it to all."""
    nodes = list(every_host().values())
    nodes[0].check_output(
        "test -f /root/provided.key || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256"
        " -nodes -keyout /root/provided.key -out /root/provided.crt -days 30 -subj /CN=provided.test"
        " -addext subjectAltName=DNS:provided.test 2>/dev/null")
    key = nodes[0].file("/root/provided.key").content_string
    cert = nodes[0].file("/root/provided.crt").content_string
    for node in nodes[1:]:
        if node.run("cat /root/provided.key").stdout != key:
            node.check_output(f"umask 077; printf %s {shlex.quote(key)} > /root/provided.key; "
                              f"printf %s {shlex.quote(cert)} > /root/provided.crt")
    return {"name": "provided", "server_names": ["provided.test"], "upstream": ["127.0.0.1:8000"],
            "tls": {"mode": "provided", "cert": cert, "key": key}}


def key_body(site):
    """The private key's base64 lines, which must never be printed."""
    return [line for line in site["tls"]["key"].splitlines() if line and not line.startswith("-----")]


def changed_sites():
    """The last runs' input: scratch removed, provided and blog (acme) added, and
    certificates requested from Let's Encrypt (a stand-in for certbot)."""
    blog = {"name": "blog", "server_names": ["blog.test"], "redirect_names": ["www.blog.test"],
            "upstream": ["127.0.0.1:8000"], "tls": {"mode": "acme", "email": "admin@blog.test"}}
    return {"demo_absent": ["scratch"], "demo_extra_sites": [provided_site(), blog],
            "demo_fake_certbot": True, "nginx_acme_request": True}


def listing(host):
    return host.check_output("ls -l /etc/nginx/sites-available /etc/nginx/sites-enabled /etc/nginx/tls /usr/local/bin")


def test_a_dry_run_shows_the_site_changes_without_the_key_and_makes_none(name):
    extra_vars = changed_sites()
    result, before, after = once_on_every_host("converge.yml", extra_vars, listing, check=True)
    assert result.rc == 0, result
    assert result.recap[name]["changed"] > 0, result
    assert "# djangostack.deploy.nginx: site provided, TLS: provided." in result.output, result
    for line in key_body(extra_vars["demo_extra_sites"][0]):
        assert line not in result.output, "the private key was printed"
    assert after[name] == before[name]


def served_sites(host):
    """The certificates of three sites and the status of scratch.test (000: no site answers)."""
    return {"certificates": {site: fingerprint(host, site) for site in ("app", "shop", "scratch")},
            "scratch": host.run(f"{CURL} -o /dev/null -w '%{{http_code}}' https://scratch.test/").stdout}


@pytest.fixture(name="last_run", scope="module")
def fixture_last_run(name):
    """converge.yml with changed_sites() once on every host at once, for the tests below."""
    extra_vars = changed_sites()
    result, before, _after = once_on_every_host("converge.yml", extra_vars, served_sites)
    assert result.rc == 0, result
    return {"result": result, "before": before[name], "extra_vars": extra_vars}


def test_a_removed_site_is_gone_and_its_certificate_kept(host, last_run):
    assert last_run["before"]["scratch"] == "200"
    assert not host.file("/etc/nginx/sites-enabled/scratch.conf").exists
    assert not host.file("/etc/nginx/sites-available/scratch.conf").exists
    # scratch.test is an unknown host now.
    assert host.run(f"{CURL} https://scratch.test/").rc == 35
    # A run never makes a self-signed certificate again without a reason; a
    # removed site's stays.
    certificates = last_run["before"]["certificates"]
    assert {site: fingerprint(host, site) for site in certificates} == certificates
    assert get(host, "https://app.test/").status == 200


def test_a_provided_certificate_is_served_and_its_key_never_shown(host, last_run):
    site = last_run["extra_vars"]["demo_extra_sites"][0]
    for line in key_body(site):
        assert line not in last_run["result"].output, "the private key was printed"
    served = host.check_output(
        "openssl s_client -connect 127.0.0.1:443 -servername provided.test </dev/null 2>/dev/null"
        " | openssl x509 -noout -fingerprint -sha256")
    assert served == host.check_output("openssl x509 -noout -fingerprint -sha256 -in /root/provided.crt")
    key = host.file("/etc/nginx/tls/provided.key")
    assert (key.user, key.group, key.mode) == ("root", "root", 0o600)
    assert key.content_string.strip() == site["tls"]["key"].strip()
    response = get(host, "https://provided.test/")
    assert response.status == 200 and echoed(response.body)["Host"] == "provided.test"


def test_acme_sites_get_their_certificate_once_nginx_serves_the_challenges(host, last_run):
    assert last_run["result"].rc == 0
    # certbot (the stand-in) found each challenge served by nginx, for the new
    # site (blog) as well: nginx was reloaded before certbot ran.
    calls = host.file("/var/log/fake-certbot.log").content_string.splitlines()
    assert len(calls) == 2, calls
    blog = next(call.split() for call in calls if "--cert-name blog.test" in call)
    for argument in ("certonly", "--webroot", "--non-interactive", "--agree-tos", "admin@blog.test",
                     "--domain=blog.test", "--domain=www.blog.test"):
        assert argument in blog, blog
    assert "--test-cert" not in blog
    for site, canonical in (("blog", "blog.test"), ("shop", "shop.test")):
        live = f"/etc/letsencrypt/live/{canonical}"
        assert f"ssl_certificate {live}/fullchain.pem;" in host.file(
            f"/etc/nginx/sites-available/{site}.conf").content_string
        served = host.check_output(
            f"openssl s_client -connect 127.0.0.1:443 -servername {canonical} </dev/null 2>/dev/null"
            " | openssl x509 -noout -fingerprint -sha256")
        assert served == host.check_output(f"openssl x509 -noout -fingerprint -sha256 -in {live}/fullchain.pem")
    assert get(host, "https://blog.test/").status == 200
    assert get(host, "https://www.blog.test/x").headers.count(("location", "https://blog.test/x")) == 1
