#!/bin/sh
# Installed by djangostack.deploy.supervisord.
# Usage: djangostack-supervisord-reload PROGRAM (SIGNAL|restart)
# Reloads a program group the graceful way: sends SIGNAL (e.g. HUP to a gunicorn
# master) or restarts it when it runs, starts it when it is stopped, and does
# nothing when supervisord has no such program (yet). Prints what it did.
set -eu
if [ "$#" -ne 2 ]; then
    echo "usage: $0 PROGRAM (SIGNAL|restart)" >&2
    exit 64
fi
program=$1
action=$2
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
        if [ "$action" = restart ]; then
            out=$(supervisorctl restart "$program:*" 2>&1) || { echo "$out" >&2; exit 1; }
        else
            out=$(supervisorctl signal "$action" "$program:*" 2>&1) || { echo "$out" >&2; exit 1; }
        fi ;;
    *)
        out=$(supervisorctl start "$program:*" 2>&1) || { echo "$out" >&2; exit 1; } ;;
esac
case $out in
    *ERROR*|*FATAL*) echo "$out" >&2; exit 1 ;;
esac
echo "$out"
