"""The pure parts of the test-host harness (molecule/shared/testhosts.py)."""

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "molecule" / "shared" / "testhosts.py"
SPEC = importlib.util.spec_from_file_location("testhosts", SCRIPT)
testhosts = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(testhosts)


@pytest.mark.parametrize("scenario, host, expected", [
    ("smoke", "bookworm", "dsth-smoke-bookworm"),
    ("multi tier", "app/1", "dsth-multi-tier-app-1"),
    ("settings_check", "trixie", "dsth-settings-check-trixie"),
])
def test_netns_names_are_prefixed_and_safe(scenario, host, expected):
    assert testhosts.netns_name(scenario, host) == expected


def test_two_scenarios_never_share_a_namespace():
    assert testhosts.netns_name("a", "web") != testhosts.netns_name("b", "web")


def test_addresses_skip_the_gateway_and_are_never_reused():
    taken = {"10.240.213.10"}
    first = testhosts.allocate_address(taken)
    second = testhosts.allocate_address(taken)
    assert first == "10.240.213.11"
    assert second == "10.240.213.12"
    assert testhosts.gateway() not in (first, second)


def test_a_full_subnet_is_a_clear_error():
    taken = {str(a) for a in testhosts.SUBNET.hosts()}
    with pytest.raises(testhosts.HarnessError, match="no free address"):
        testhosts.allocate_address(taken)


def test_rootfs_cache_path_changes_with_the_package_list(monkeypatch):
    before = testhosts.rootfs_path("bookworm")
    monkeypatch.setattr(testhosts, "rootfs_packages", lambda: ["python3", "nginx"])
    after = testhosts.rootfs_path("bookworm")
    assert before != after
    assert before.parent == after.parent
    assert after.name.startswith("bookworm-")


def test_rootfs_cache_path_differs_per_release():
    assert testhosts.rootfs_path("bookworm") != testhosts.rootfs_path("trixie")


def test_package_list_ignores_comments_and_blank_lines():
    packages = testhosts.rootfs_packages()
    assert "openssh-server" in packages
    assert all(p and "#" not in p and " " not in p for p in packages)


def test_seed_host_writes_identity_trust_and_peers(tmp_path, monkeypatch):
    monkeypatch.setattr(testhosts, "STATE", tmp_path / "state")
    (tmp_path / "state").mkdir()
    key = tmp_path / "state" / "id_ed25519"
    key.write_text("private")
    key.with_suffix(".pub").write_text("ssh-ed25519 AAAA test\n")
    root = tmp_path / "root"
    web = {"name": "web", "address": "10.240.213.10"}
    db = {"name": "db", "address": "10.240.213.11"}
    testhosts.seed_host(root, web, [web, db])
    assert (root / "etc/hostname").read_text() == "web\n"
    assert "10.240.213.11\tdb" in (root / "etc/hosts").read_text()
    assert "10.240.213.10\tweb" not in (root / "etc/hosts").read_text()
    assert len((root / "etc/machine-id").read_text().strip()) == 32
    assert (root / "root/.ssh/authorized_keys").stat().st_mode & 0o777 == 0o600
    assert "cert = /etc/ssl/certs/ca-certificates.crt" in (root / "etc/pip.conf").read_text()


def test_up_refuses_duplicate_platform_names(monkeypatch):
    monkeypatch.setattr(testhosts.os, "geteuid", lambda: 0)
    platforms = json.dumps([{"name": "a"}, {"name": "a"}])
    assert testhosts.main(["up", "--scenario", "s", "--platforms", platforms]) == 1
