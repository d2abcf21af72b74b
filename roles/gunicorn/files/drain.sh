#!/bin/sh
# Installed by djangostack.deploy.gunicorn.
# Usage: djangostack-gunicorn-drain SOCKET [WAIT]
# Returns once no connection waits on the listening unix socket SOCKET to be
# accepted (at least 0.5 s after it is called: a connection that found the
# socket just before the link to it moved has arrived by then), or after WAIT
# seconds (default 30). A gunicorn stopped afterwards has accepted every
# connection that reached it. Nothing to wait for when SOCKET does not exist.
set -eu
if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
    echo "usage: $0 SOCKET [WAIT]" >&2
    exit 64
fi
socket=$1
wait=${2:-30}
[ -S "$socket" ] || exit 0
sleep 0.5
tries=0
while :; do
    # Recv-Q of a listening socket: the connections waiting to be accepted.
    queued=$(ss -xlnH 2>/dev/null | awk -v path="$socket" '$5 == path { print $3; exit }')
    if [ -z "$queued" ] || [ "$queued" -eq 0 ]; then
        exit 0
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge $((wait * 10)) ]; then
        echo "$socket: $queued connection(s) still wait after ${wait}s" >&2
        exit 0
    fi
    sleep 0.1
done
