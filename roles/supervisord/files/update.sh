#!/bin/sh
# Installed by djangostack.deploy.supervisord.
# Applies changed program files without touching the other programs:
# `supervisorctl reread` finds the changed, new and removed files, `update`
# restarts the changed program groups, starts new ones and stops removed ones.
# Prints what `update` did (nothing when nothing changed); exits non-zero when
# supervisord reports an error.
set -eu
reread=$(supervisorctl reread 2>&1) || { echo "$reread" >&2; exit 1; }
case $reread in
    *ERROR*) echo "$reread" >&2; exit 1 ;;
esac
update=$(supervisorctl update 2>&1) || { echo "$update" >&2; exit 1; }
case $update in
    *ERROR*) echo "$update" >&2; exit 1 ;;
esac
[ -z "$update" ] || echo "$update"
