#!/bin/sh
# Installed by djangostack.deploy.supervisord.
# Usage: djangostack-supervisord-reload PROGRAM (SIGNAL|restart|start) [WAIT]
# Reloads a program group the graceful way: sends SIGNAL (e.g. HUP to a gunicorn
# master) or restarts it when it runs (start: leaves it running), starts it when
# it is stopped, and does nothing when supervisord has no such program (yet).
# Prints what it did.
# After a signal it returns only once every child the program's processes had
# before it (a gunicorn master's old workers) has exited, so that what answers
# afterwards is the new generation; it fails after WAIT seconds (default 60).
set -eu
if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
    echo "usage: $0 PROGRAM (SIGNAL|restart|start) [WAIT]" >&2
    exit 64
fi
program=$1
action=$2
wait=${3:-60}

# The children of the processes whose ids are given, one id a line.
children() {
    for parent in "$@"; do
        for stat in /proc/[0-9]*/stat; do
            # The command name (field 2) may hold spaces: the fields after it are fixed.
            { read -r line < "$stat"; } 2>/dev/null || continue
            rest=${line##*) }
            # shellcheck disable=SC2086
            set -- $rest
            if [ "$2" = "$parent" ]; then
                pid=${stat#/proc/}
                echo "${pid%/stat}"
            fi
        done
    done
}
# supervisorctl status exits non-zero when a process is not running; read its
# output. A program that is starting (e.g. just added by an update) is waited
# for: a signal before it installed its handlers would kill it.
tries=0
while :; do
    status=$(supervisorctl status "$program:*" 2>&1 || true)
    case $status in
        *" STARTING "*|*" BACKOFF "*|*" STOPPING "*)
            tries=$((tries + 1))
            if [ "$tries" -ge 60 ]; then
                echo "$status" >&2
                exit 1
            fi
            sleep 1 ;;
        *) break ;;
    esac
done
case $status in
    *"no such group"*|*"no such process"*)
        echo "$program: not a supervisord program (yet), nothing to reload"
        exit 0 ;;
    *" RUNNING "*)
        if [ "$action" = start ]; then
            out="$program: already running"
        elif [ "$action" = restart ]; then
            out=$(supervisorctl restart "$program:*" 2>&1) || { echo "$out" >&2; exit 1; }
        else
            pids=$(echo "$status" | sed -n 's/.* RUNNING *pid \([0-9]*\),.*/\1/p')
            # shellcheck disable=SC2086
            old=$(children $pids)
            out=$(supervisorctl signal "$action" "$program:*" 2>&1) || { echo "$out" >&2; exit 1; }
            waited=0
            for pid in $old; do
                while kill -0 "$pid" 2>/dev/null; do
                    if [ "$waited" -ge $((wait * 10)) ]; then
                        echo "$program: process $pid still runs ${wait}s after $action" >&2
                        exit 1
                    fi
                    sleep 0.1
                    waited=$((waited + 1))
                done
            done
            [ -z "$old" ] || out="$out; the $(echo "$old" | wc -w) process(es) it replaces have exited"
        fi ;;
    *)
        out=$(supervisorctl start "$program:*" 2>&1) || { echo "$out" >&2; exit 1; } ;;
esac
case $out in
    *ERROR*|*FATAL*) echo "$out" >&2; exit 1 ;;
esac
echo "$out"
