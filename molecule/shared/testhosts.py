# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real Debian test hosts without Docker: systemd-nspawn on overlayfs, one netns each.

Every host boots a full systemd from a cached debootstrap root filesystem, through
an overlayfs of its own, inside a network namespace of its own that is linked by a
veth pair to one bridge owned by this harness. The bridge holds the gateway address
of a private /24; NAT lets the hosts reach the package registries. Ansible and
testinfra reach the hosts over SSH like any server.

Commands (all need root; run as `python3 testhosts.py COMMAND`):

  up      --scenario NAME --platforms JSON   boot hosts, print the instance config
          [--compile-cache]                  with pycache.py (Molecule's hosts)
  down    --scenario NAME | --all            stop hosts and remove all they left
  rootfs  --release bookworm                 build (or reuse) the cached rootfs
  status                                     list the hosts that are up

A platform may list `shared` directories (absolute paths): every host of the
scenario that lists the same path sees one directory there, bind-mounted from
the controller, as hosts see one network filesystem (NFS without root squash:
the same ids on every host).

State lives in $DS_TESTHOSTS_DIR (default /var/lib/djangostack-testhosts), never
in the repository. `up` first removes whatever an earlier, crashed run of the same
scenario left behind, and reaps hosts whose nspawn process is gone.
"""

import argparse
import contextlib
import fcntl
import hashlib
import ipaddress
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

RECIPE_VERSION = "1"  # bump when the rootfs customisation below changes
HERE = Path(__file__).resolve().parent
STATE = Path(os.environ.get("DS_TESTHOSTS_DIR", "/var/lib/djangostack-testhosts"))
SUBNET = ipaddress.ip_network(os.environ.get("DS_TESTHOSTS_SUBNET", "10.240.213.0/24"))
MIRROR = os.environ.get("DS_TESTHOSTS_MIRROR", "http://deb.debian.org/debian")
BRIDGE = "dsthbr0"
NETNS_PREFIX = "dsth-"
VETH_PREFIX = "dsthv"
RULE_COMMENT = "djangostack-testhosts"
RELEASES = ("bookworm", "trixie")
BOOT_TIMEOUT = int(os.environ.get("DS_TESTHOSTS_BOOT_TIMEOUT", "120"))
# Starts of one host's nspawn before `up` gives up on it (a start that exits during
# boot is retried; its console and exit status are kept in console.log).
BOOT_ATTEMPTS = 3
# The nspawn processes this run started, by host name: their exit status is known.
NSPAWN = {}
SSH_OPTS = [
    "-o", "StrictHostKeyChecking=no",
    "-o", "UserKnownHostsFile=/dev/null",
    "-o", "LogLevel=ERROR",
    "-o", "BatchMode=yes",
    "-o", "ConnectTimeout=3",
]


class HarnessError(Exception):
    """A failure with a message meant for the person running the tests."""


def log(msg):
    print(f"testhosts: {msg}", file=sys.stderr, flush=True)


def run(argv, check=True, capture=False, **kwargs):
    """Run a command; on failure raise HarnessError with its stderr."""
    proc = subprocess.run(
        argv, check=False, text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE, **kwargs,
    )
    if check and proc.returncode != 0:
        raise HarnessError(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc


@contextlib.contextmanager
def locked(name):
    """An exclusive lock across concurrent harness runs."""
    STATE.mkdir(parents=True, exist_ok=True)
    with open(STATE / name, "w", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---------------------------------------------------------------- root filesystem

def rootfs_packages():
    text = (HERE / "rootfs.packages").read_text(encoding="utf-8")
    names = [line.split("#")[0].strip() for line in text.splitlines()]
    return sorted(name for name in names if name)


def rootfs_path(release):
    """The cache path: a new package list or recipe gives a new path, hence a rebuild."""
    digest = hashlib.sha256(
        json.dumps([RECIPE_VERSION, release, MIRROR, rootfs_packages()]).encode()
    ).hexdigest()[:12]
    return STATE / "rootfs" / f"{release}-{digest}"


def build_rootfs(release):
    if release not in RELEASES:
        raise HarnessError(f"release {release!r} is not one of {', '.join(RELEASES)}")
    target = rootfs_path(release)
    with locked(f"rootfs-{release}.lock"):
        if (target / ".complete").exists():
            return target
        build = target.with_name(f".build-{target.name}")
        shutil.rmtree(build, ignore_errors=True)
        build.parent.mkdir(parents=True, exist_ok=True)
        log(f"building the {release} root filesystem (once; cached in {target})")
        started = time.monotonic()
        run(["debootstrap", "--variant=minbase", f"--include={','.join(rootfs_packages())}",
             release, str(build), MIRROR])
        customise_rootfs(build)
        build.rename(target)
        (target / ".complete").write_text(time.strftime("%FT%T\n"), encoding="utf-8")
        log(f"{release} root filesystem ready in {time.monotonic() - started:.0f}s")
        for stale in target.parent.glob(f"{release}-*"):
            if stale != target and not in_use(stale):
                shutil.rmtree(stale, ignore_errors=True)
    return target


def customise_rootfs(root):
    """What every host has in common; per-host files are written at boot time."""
    for name in ("etc/hostname", "etc/resolv.conf"):
        (root / name).unlink(missing_ok=True)
    (root / "etc/machine-id").write_text("", encoding="utf-8")
    # Like a cloud image: root logs in with a key only.
    (root / "etc/ssh/sshd_config.d/testhost.conf").write_text(
        "PermitRootLogin prohibit-password\nPasswordAuthentication no\nUseDNS no\n",
        encoding="utf-8",
    )
    run(["chroot", str(root), "apt-get", "clean"])


def in_use(rootfs):
    for host in host_records():
        if host.get("rootfs") == str(rootfs):
            return True
    return False


# ---------------------------------------------------------------- host records

def hosts_dir():
    return STATE / "hosts"


def host_records():
    records = []
    for path in sorted(hosts_dir().glob("*/host.json")):
        with contextlib.suppress(OSError, ValueError):
            records.append(json.loads(path.read_text(encoding="utf-8")))
    return records


def shared_dir(scenario, path=None):
    """The controller's directory behind a scenario's shared path (or all of them)."""
    base = STATE / "shared" / safe_name(scenario)
    return base if path is None else base / safe_name(path.strip("/"))


def safe_name(text):
    # The name is also the container's machine name: letters, digits and "-" only.
    return "".join(c if c.isalnum() or c == "-" else "-" for c in text)


def netns_name(scenario, host):
    return f"{NETNS_PREFIX}{safe_name(scenario)}-{safe_name(host)}"


def pid_alive(pid, netns):
    """True when pid is still the nspawn process that runs this host."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"systemd-nspawn" in cmdline[0] and any(netns.encode() in arg for arg in cmdline)


# ---------------------------------------------------------------- network

def gateway():
    return str(next(SUBNET.hosts()))


def iptables_rules():
    src, comment = str(SUBNET), ["-m", "comment", "--comment", RULE_COMMENT]
    return [
        ("nat", "POSTROUTING", ["-s", src, "!", "-o", BRIDGE, "-j", "MASQUERADE", *comment]),
        ("filter", "FORWARD", ["-i", BRIDGE, "-j", "ACCEPT", *comment]),
        ("filter", "FORWARD", ["-o", BRIDGE, "-j", "ACCEPT", *comment]),
    ]


def network_up():
    """The bridge, forwarding and NAT shared by all hosts; created by the first host."""
    if run(["ip", "link", "show", BRIDGE], check=False).returncode != 0:
        run(["ip", "link", "add", BRIDGE, "type", "bridge"])
        run(["ip", "addr", "add", f"{gateway()}/{SUBNET.prefixlen}", "dev", BRIDGE])
        run(["ip", "link", "set", BRIDGE, "up"])
    forward = Path("/proc/sys/net/ipv4/ip_forward")
    saved = STATE / "ip_forward.saved"
    if not saved.exists():
        saved.write_text(forward.read_text(encoding="utf-8"), encoding="utf-8")
    forward.write_text("1\n", encoding="utf-8")
    for table, chain, rule in iptables_rules():
        if run(["iptables", "-w", "-t", table, "-C", chain, *rule], check=False).returncode != 0:
            run(["iptables", "-w", "-t", table, "-I", chain, "1", *rule])


def network_down():
    """Remove the shared network once no host is left."""
    for table, chain, rule in iptables_rules():
        while run(["iptables", "-w", "-t", table, "-C", chain, *rule], check=False).returncode == 0:
            run(["iptables", "-w", "-t", table, "-D", chain, *rule])
    if run(["ip", "link", "show", BRIDGE], check=False).returncode == 0:
        run(["ip", "link", "del", BRIDGE])
    saved = STATE / "ip_forward.saved"
    if saved.exists():
        previous = saved.read_text(encoding="utf-8")
        Path("/proc/sys/net/ipv4/ip_forward").write_text(previous, encoding="utf-8")
        saved.unlink()


def allocate_address(taken):
    for candidate in list(SUBNET.hosts())[9:]:
        if str(candidate) not in taken:
            taken.add(str(candidate))
            return str(candidate)
    raise HarnessError(f"no free address left in {SUBNET}")


# ---------------------------------------------------------------- one host

def ssh_key():
    """The harness's key pair, made once; two scenarios starting at once make one."""
    key = STATE / "id_ed25519"
    if not key.with_suffix(".pub").exists():
        with locked("key.lock"):
            if not key.with_suffix(".pub").exists():
                key.unlink(missing_ok=True)
                run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", RULE_COMMENT, "-f", str(key)])
    return key


def write(path, text, mode=0o644):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def seed_host(root, host, peers):
    """Files that make this copy of the rootfs one particular host."""
    write(root / "etc/hostname", f"{host['name']}\n")
    hosts = ["127.0.0.1\tlocalhost", f"127.0.1.1\t{host['name']}",
             "::1\tlocalhost ip6-localhost ip6-loopback"]
    hosts += [f"{peer['address']}\t{peer['name']}" for peer in peers if peer is not host]
    write(root / "etc/hosts", "\n".join(hosts) + "\n")
    write(root / "etc/machine-id", secrets.token_hex(16) + "\n", 0o444)
    write(root / "etc/resolv.conf", Path("/etc/resolv.conf").read_text(encoding="utf-8"))
    ssh_dir = root / "root/.ssh"
    ssh_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    write(ssh_dir / "authorized_keys", ssh_key().with_suffix(".pub").read_text(encoding="utf-8"),
          0o600)
    # The controller's trust store, so apt and pip inside the host work as on the
    # controller; the extra CAs also go where update-ca-certificates keeps them.
    for crt in Path("/usr/local/share/ca-certificates").glob("**/*.crt"):
        dest = root / "usr/local/share/ca-certificates" / crt.name
        write(dest, crt.read_text(encoding="utf-8"))
    bundle = Path("/etc/ssl/certs/ca-certificates.crt")
    if bundle.exists():
        write(root / "etc/ssl/certs/ca-certificates.crt", bundle.read_text(encoding="utf-8"))
    write(root / "etc/pip.conf", "[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n")
    # A throwaway host: dpkg need not sync every file it unpacks (Debian's own
    # container images do the same).
    write(root / "etc/dpkg/dpkg.cfg.d/djangostack-testhosts", "force-unsafe-io\n")
    if host.get("compile_cache"):
        # Molecule's hosts only: see pycache.py (the same code runs, compiled once).
        site_dir = root / "usr/lib/python3/dist-packages"
        write(site_dir / "djangostack_pycache.py", (HERE / "pycache.py").read_text(encoding="utf-8"))
        write(site_dir / "djangostack_pycache.pth", "import djangostack_pycache; djangostack_pycache.install()\n")


def start_host(host, peers):
    hdir = Path(host["dir"])
    for sub in ("upper", "work", "root"):
        (hdir / sub).mkdir(parents=True, exist_ok=True)
    root = hdir / "root"
    run(["mount", "-t", "overlay", "overlay", "-o",
         f"lowerdir={host['rootfs']},upperdir={hdir / 'upper'},workdir={hdir / 'work'}",
         str(root)])
    seed_host(root, host, peers)
    netns, veth = host["netns"], host["veth"]
    run(["ip", "netns", "add", netns])
    run(["ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns])
    run(["ip", "link", "set", veth, "master", BRIDGE, "up"])
    run(["ip", "-n", netns, "addr", "add", f"{host['address']}/{SUBNET.prefixlen}", "dev", "eth0"])
    run(["ip", "-n", netns, "link", "set", "lo", "up"])
    run(["ip", "-n", netns, "link", "set", "eth0", "up"])
    run(["ip", "-n", netns, "route", "add", "default", "via", gateway()])
    binds = []
    for path in host.get("shared", []):
        source = shared_dir(host["scenario"], path)
        source.mkdir(parents=True, exist_ok=True)
        binds.append(f"--bind={source}:{path}")
    with open(hdir / "console.log", "a", encoding="utf-8") as console:
        console.write(f"--- systemd-nspawn started at {time.strftime('%H:%M:%S')}\n")
        console.flush()
        proc = subprocess.Popen(  # pylint: disable=consider-using-with
            # Not --quiet: when nspawn itself fails, its reason is in the console log.
            ["systemd-nspawn", "-D", str(root), "--boot", "--register=no",
             "--keep-unit", f"--network-namespace-path=/run/netns/{netns}",
             "--resolv-conf=off", f"--machine={netns}", f"--hostname={host['name']}",
             # nftables inside the host's own network namespace (a host firewall).
             "--capability=CAP_NET_ADMIN",
             "--console=read-only", *binds],
            stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT,
            start_new_session=True, cwd="/",
        )
    host["pid"] = proc.pid
    NSPAWN[host["name"]] = proc
    write(hdir / "host.json", json.dumps(host, indent=2) + "\n")


def nspawn_exited(host):
    """None while this host's nspawn runs; else how it ended (for the console log)."""
    proc = NSPAWN.get(host["name"])
    if proc is None:
        return None if pid_alive(host["pid"], host["netns"]) else "exited"
    code = proc.poll()
    if code is None:
        return None
    return f"killed by signal {-code}" if code < 0 else f"exited with status {code}"


def wait_for_host(host, deadline):
    """Wait until sshd answers and systemd has finished booting.

    Returns the state, or None when the nspawn process exited during boot.
    """
    key = ssh_key()
    while time.monotonic() < deadline:
        ended = nspawn_exited(host)
        if ended is not None:
            with open(Path(host["dir"], "console.log"), "a", encoding="utf-8") as console:
                console.write(f"--- systemd-nspawn {ended} at {time.strftime('%H:%M:%S')}\n")
            return None
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            socket.create_connection((host["address"], 22), timeout=1).close()
            proc = run(["ssh", *SSH_OPTS, "-i", str(key), f"root@{host['address']}",
                        "systemctl is-system-running --wait"],
                       check=False, capture=True, timeout=max(5, deadline - time.monotonic()))
            state = proc.stdout.strip()
            if state in ("running", "degraded"):
                return state
        time.sleep(0.3)
    raise HarnessError(f"host {host['name']} did not boot in {BOOT_TIMEOUT}s; "
                       f"console:\n{console_tail(host)}")


def console_tail(host, lines=25):
    path = Path(host["dir"], "console.log")
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"


def boot(host, hosts, deadline):
    """Wait for one host; a host whose nspawn exits during boot is started again."""
    for attempt in range(1, BOOT_ATTEMPTS + 1):
        state = wait_for_host(host, deadline)
        if state is not None:
            return state
        log(f"host {host['name']}: systemd-nspawn ended during boot (start {attempt} of {BOOT_ATTEMPTS}); "
            f"console:\n{console_tail(host)}")
        if attempt < BOOT_ATTEMPTS:
            time.sleep(attempt)
            with locked("hosts.lock"):
                stop_host(host)
                start_host(host, hosts)
    raise HarnessError(f"host {host['name']}: systemd-nspawn ended {BOOT_ATTEMPTS} times during boot; "
                       f"console:\n{console_tail(host)}")


def nspawn_processes(prefix):
    """{pid: machine} of the running systemd-nspawn processes whose machine name starts with prefix."""
    found = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            args = cmdline.read_bytes().split(b"\0")
            if b"systemd-nspawn" not in args[0]:
                continue
            for arg in args:
                if arg.startswith(b"--machine=") and arg[10:].decode().startswith(prefix):
                    found[int(cmdline.parent.name)] = arg[10:].decode()
    return found


def stop_host(host):
    """Stop one host and remove every trace of it; safe to call on a half-made host.

    Every nspawn that runs this host's machine is stopped, whatever pid the
    record holds (a record can be lost or stale after a crash between steps).
    """
    netns = host["netns"]
    pids = {pid for pid, machine in nspawn_processes(netns).items() if machine == netns}
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)  # nspawn asks the container's systemd to power off
    deadline = time.monotonic() + 20
    while any(pid_alive(pid, netns) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in pids:
        if pid_alive(pid, netns):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
    if Path("/run/netns", netns).exists():
        pids = run(["ip", "netns", "pids", netns], check=False, capture=True).stdout.split()
        for leftover in pids:
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(leftover), signal.SIGKILL)
        run(["ip", "netns", "del", netns], check=False)
    run(["ip", "link", "del", host["veth"]], check=False)
    root = Path(host["dir"], "root")
    if os.path.ismount(root):
        if run(["umount", str(root)], check=False).returncode != 0:
            run(["umount", "--lazy", str(root)])
    shutil.rmtree(host["dir"], ignore_errors=True)


# ---------------------------------------------------------------- commands

def reap(scenario=None):
    """Remove hosts of `scenario` (all when None) and any host whose nspawn died."""
    for host in host_records():
        if scenario is None or host["scenario"] == scenario \
                or not pid_alive(host.get("pid"), host["netns"]):
            log(f"removing host {host['name']} ({host['netns']})")
            stop_host(host)
    # Namespaces and mounts whose record is gone (a crash between steps).
    known = {host["netns"] for host in host_records()}
    prefix = NETNS_PREFIX if scenario is None else netns_name(scenario, "")
    for entry in run(["ip", "netns", "list"], capture=True).stdout.splitlines():
        name = entry.split()[0] if entry.split() else ""
        if name.startswith(prefix) and name not in known:
            log(f"removing stale network namespace {name}")
            stop_host({"netns": name, "veth": "none", "dir": str(hosts_dir() / name)})
    for hdir in hosts_dir().glob("*") if hosts_dir().exists() else []:
        if hdir.name.startswith(prefix) and hdir.name not in known:
            stop_host({"netns": hdir.name, "veth": "none", "dir": str(hdir)})
    for machine in set(nspawn_processes(prefix).values()) - known:
        log(f"stopping host {machine}, which has no record")
        stop_host({"netns": machine, "veth": "none", "dir": str(hosts_dir() / machine)})
    # Shared directories of scenarios that have no host left.
    left = {host["scenario"] for host in host_records()}
    for sdir in (STATE / "shared").glob("*") if (STATE / "shared").exists() else []:
        if sdir.name not in {safe_name(name) for name in left}:
            shutil.rmtree(sdir, ignore_errors=True)
    if not host_records():
        network_down()


def check_shared(path):
    if not isinstance(path, str) or not path.startswith("/") or ":" in path or "/.." in path:
        raise HarnessError(f"shared: {path!r} must be an absolute path without ':' or '..'")
    return path


def cmd_up(args):
    platforms = json.loads(args.platforms)
    if not platforms:
        raise HarnessError("no platforms given")
    names = [p["name"] for p in platforms]
    if len(set(names)) != len(names):
        raise HarnessError(f"platform names must be unique: {names}")
    releases = sorted({p.get("release", "bookworm") for p in platforms})
    with ThreadPoolExecutor(max_workers=len(releases)) as pool:
        rootfs = dict(zip(releases, pool.map(build_rootfs, releases)))
    key = ssh_key()
    with locked("hosts.lock"):
        reap(args.scenario)
        taken = {host["address"] for host in host_records()}
        hosts = []
        for platform in platforms:
            address = allocate_address(taken)
            netns = netns_name(args.scenario, platform["name"])
            hosts.append({
                "scenario": args.scenario,
                "name": platform["name"],
                "release": platform.get("release", "bookworm"),
                "address": address,
                "netns": netns,
                "veth": f"{VETH_PREFIX}{address.rsplit('.', 1)[1]}",
                "dir": str(hosts_dir() / netns),
                "rootfs": str(rootfs[platform.get("release", "bookworm")]),
                "shared": [check_shared(path) for path in platform.get("shared", [])],
                "compile_cache": args.compile_cache,
            })
        network_up()
        try:
            for host in hosts:
                start_host(host, hosts)
        except BaseException:
            for host in hosts:
                stop_host(host)
            raise
    started = time.monotonic()
    deadline = started + BOOT_TIMEOUT
    with ThreadPoolExecutor(max_workers=len(hosts)) as pool:
        states = list(pool.map(lambda h: boot(h, hosts, deadline), hosts))
    log(f"{len(hosts)} host(s) up in {time.monotonic() - started:.1f}s: "
        + ", ".join(f"{h['name']}={h['address']} ({s})" for h, s in zip(hosts, states)))
    json.dump([{"instance": h["name"], "address": h["address"], "user": "root", "port": 22,
                "identity_file": str(key)} for h in hosts], sys.stdout, indent=2)
    print()


def cmd_down(args):
    with locked("hosts.lock"):
        reap(None if args.all else args.scenario)


def cmd_rootfs(args):
    print(build_rootfs(args.release))


def cmd_status(_args):
    for host in host_records():
        state = "up" if pid_alive(host.get("pid"), host["netns"]) else "dead"
        print(f"{host['scenario']}\t{host['name']}\t{host['release']}\t{host['address']}\t{state}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="boot the hosts of a scenario")
    up.add_argument("--scenario", required=True)
    up.add_argument("--platforms", required=True, help="JSON list of {name, release}")
    up.add_argument("--compile-cache", action="store_true",
                    help="cache the bytecode of what Python imports from zips (Ansible's modules): pycache.py")
    up.set_defaults(func=cmd_up)
    down = sub.add_parser("down", help="stop hosts and clean up")
    which = down.add_mutually_exclusive_group(required=True)
    which.add_argument("--scenario")
    which.add_argument("--all", action="store_true")
    down.set_defaults(func=cmd_down)
    rootfs = sub.add_parser("rootfs", help="build the cached root filesystem")
    rootfs.add_argument("--release", required=True, choices=RELEASES)
    rootfs.set_defaults(func=cmd_rootfs)
    sub.add_parser("status", help="list hosts").set_defaults(func=cmd_status)
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        log("must run as root (network namespaces, mounts and systemd-nspawn need it)")
        return 2
    try:
        args.func(args)
    except HarnessError as exc:
        log(str(exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
