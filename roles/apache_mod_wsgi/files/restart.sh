#!/bin/sh
# Installed by djangostack.deploy.apache_mod_wsgi.
# Usage: djangostack-wsgi-restart GROUP [WAIT]
# Restarts the daemon processes of the mod_wsgi process group GROUP one after
# the other, gracefully: each gets SIGUSR1, finishes the requests it has (up to
# the group's eviction-timeout) and exits, Apache starts a new one, which reads
# the app's virtualenv, environment file and code again; only then the next.
# The others serve meanwhile. Fails when a process has not exited, or no new
# one has come, WAIT seconds (default 60) after its signal. Prints what it did.
set -eu
if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
    echo "usage: $0 GROUP [WAIT]" >&2
    exit 64
fi
group=$1
wait=${2:-60}

# The daemon processes of the group (display-name=%{GROUP}), one id a line.
pids() {
    for cmdline in /proc/[0-9]*/cmdline; do
        args=$(tr '\0' ' ' < "$cmdline" 2>/dev/null) || continue
        case $args in
            "(wsgi:$group)"|"(wsgi:$group) "*)
                pid=${cmdline#/proc/}
                echo "${pid%/cmdline}" ;;
        esac
    done
}

old=$(pids)
count=$(echo "$old" | wc -w)
if [ "$count" -eq 0 ]; then
    echo "$group: no daemon process runs, nothing to restart"
    exit 0
fi
for pid in $old; do
    kill -USR1 "$pid" 2>/dev/null || continue
    tenths=0
    while kill -0 "$pid" 2>/dev/null; do
        tenths=$((tenths + 1))
        if [ "$tenths" -ge $((wait * 10)) ]; then
            echo "$group: daemon process $pid still runs ${wait}s after SIGUSR1" >&2
            exit 1
        fi
        sleep 0.1
    done
    tenths=0
    while [ "$(pids | wc -w)" -lt "$count" ]; do
        tenths=$((tenths + 1))
        if [ "$tenths" -ge $((wait * 10)) ]; then
            echo "$group: Apache started no daemon process in place of $pid in ${wait}s" >&2
            exit 1
        fi
        sleep 0.1
    done
done
echo "$group: restarted $count daemon process(es), one after the other"
