"""roles/apache_mod_wsgi/files/restart.sh: an app's daemon processes restart one after the other.

Stand-ins for mod_wsgi's daemon processes: processes named "(wsgi:GROUP)" (as
display-name=%{GROUP} names them) that a loop starts again when one exits, as
Apache does.
"""

import subprocess
import threading
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "roles" / "apache_mod_wsgi" / "files" / "restart.sh"


def group_pids(group, display=None):
    display = display or f"(wsgi:{group})"
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if args and args[0] == display.encode():
            found.append(int(cmdline.parent.name))
    return sorted(found)


@pytest.fixture(name="daemons")
def fixture_daemons():
    """Two stand-in daemon processes of group demo-<time>, each started again when it exits."""
    group = f"demo{time.monotonic_ns()}"
    keeper = ("while :; do bash -c 'exec -a \"(wsgi:%s)\" sleep 60' & wait $!; sleep 0.3; done" % group)
    keepers = [subprocess.Popen(["bash", "-c", keeper], start_new_session=True) for _daemon in range(2)]
    deadline = time.monotonic() + 5
    while len(group_pids(group)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    yield group
    for keeper_process in keepers:
        subprocess.run(["pkill", "-KILL", "-s", str(keeper_process.pid)], check=False)
        keeper_process.wait()


def test_each_process_is_replaced_before_the_next_one_is_signalled(daemons):
    before = group_pids(daemons)
    assert len(before) == 2
    # How many run at the least while it works: one always serves.
    counts, stop = [], threading.Event()

    def sample():
        while not stop.is_set():
            counts.append(len(group_pids(daemons)))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        done = subprocess.run(["sh", str(SCRIPT), daemons, "10"], capture_output=True, text=True, timeout=30,
                              check=False)
    finally:
        stop.set()
        sampler.join()
    assert done.returncode == 0, done
    assert counts and min(counts) >= 1, counts
    assert done.stdout.strip() == f"{daemons}: restarted 2 daemon process(es), one after the other"
    after = group_pids(daemons)
    assert len(after) == 2 and not set(after) & set(before), (before, after)


def test_nothing_to_do_without_processes():
    done = subprocess.run(["sh", str(SCRIPT), "nosuchgroup", "1"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "no daemon process runs" in done.stdout, done


def test_a_group_with_a_display_name_of_its_own_is_found_by_it(tmp_path):
    """ps cuts a display name to the length of Apache's argv[0]: a long group name gets a
    short display-name=, which the script reads from the apps' configuration."""
    group = f"a-long-group-name-{time.monotonic_ns()}"
    display = f"(wsgi:{time.monotonic_ns() % 100000:05d}~beef)"
    (tmp_path / "other.conf").write_text("WSGIDaemonProcess other display-name=(wsgi:other)\n")
    (tmp_path / "app.conf").write_text(
        f"# {group}\nWSGIDaemonProcess {group} \\\n    processes=1 threads=15 \\\n"
        f"    display-name={display} lang=C.UTF-8 \\\n    home=/srv/app\n"
        f"WSGIDaemonProcess {group}-next display-name=(wsgi:nope)\n")
    keeper = subprocess.Popen(["bash", "-c", f"while :; do bash -c 'exec -a \"{display}\" sleep 60' & wait $!; "
                                             "sleep 0.3; done"], start_new_session=True)
    try:
        deadline = time.monotonic() + 5
        while not group_pids(group, display) and time.monotonic() < deadline:
            time.sleep(0.05)
        before = group_pids(group, display)
        done = subprocess.run(["sh", str(SCRIPT), group, "10"], capture_output=True, text=True, timeout=30,
                              check=False, env={"PATH": "/usr/bin:/bin", "DJANGOSTACK_WSGI_APPS_DIR": str(tmp_path)})
        assert done.returncode == 0, done
        assert done.stdout.strip() == f"{group}: restarted 1 daemon process(es), one after the other", done
        after = group_pids(group, display)
        assert len(before) == 1 and len(after) == 1 and after != before, (before, after)
    finally:
        subprocess.run(["pkill", "-KILL", "-s", str(keeper.pid)], check=False)
        keeper.wait()
