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
apps_dir=${DJANGOSTACK_WSGI_APPS_DIR:-/etc/apache2/djangostack/apps}

# The display name of the group's processes: its display-name= in the
# configuration the role wrote (a long group name has a short one: ps cuts
# names to the length of Apache's argv[0]), else mod_wsgi's default.
display=$(cat "$apps_dir"/*.conf 2>/dev/null | awk -v group="$group" '
    $1 == "WSGIDaemonProcess" && $2 == group { found = 1 }
    found {
        for (i = 1; i <= NF; i++)
            if ($i ~ /^display-name=/) { sub(/^display-name=/, "", $i); print $i; exit }
        if ($0 !~ /\\$/) exit
    }')
[ -n "$display" ] || display="(wsgi:$group)"

# The daemon processes of the group, one id a line.
pids() {
    for cmdline in /proc/[0-9]*/cmdline; do
        args=$(tr '\0' ' ' < "$cmdline" 2>/dev/null) || continue
        case $args in
            "$display"|"$display "*)
                pid=${cmdline#/proc/}
                echo "${pid%/cmdline}" ;;
        esac
    done
}

# Succeeds once "$@" does, trying every 0.1 s; fails after WAIT seconds.
within_wait() {
    tenths=0
    until "$@"; do
        tenths=$((tenths + 1))
        [ "$tenths" -lt $((wait * 10)) ] || return 1
        sleep 0.1
    done
}
gone() { ! kill -0 "$1" 2>/dev/null; }
all_there() { [ "$(pids | wc -w)" -ge "$count" ]; }

old=$(pids)
count=$(echo "$old" | wc -w)
if [ "$count" -eq 0 ]; then
    echo "$group: no daemon process runs, nothing to restart"
    exit 0
fi
for pid in $old; do
    kill -USR1 "$pid" 2>/dev/null || continue
    within_wait gone "$pid" || {
        echo "$group: daemon process $pid still runs ${wait}s after SIGUSR1" >&2
        exit 1
    }
    within_wait all_there || {
        echo "$group: Apache started no daemon process in place of $pid in ${wait}s" >&2
        exit 1
    }
done
echo "$group: restarted $count daemon process(es), one after the other"
