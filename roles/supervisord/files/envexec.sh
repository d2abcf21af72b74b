#!/bin/sh
# Installed by djangostack.deploy.supervisord.
# Usage: djangostack-supervisord-envexec ENV_FILE COMMAND [ARGUMENT...]
# Exports the variables of ENV_FILE (shell syntax, KEY='value' lines), then
# replaces itself with COMMAND, so supervisord signals and watches COMMAND
# itself. It runs as the program's user: the file must be readable by it
# (root:<app> 0640). The values never appear on a command line or in a
# supervisor configuration file.
set -e
if [ "$#" -lt 2 ]; then
    echo "usage: $0 ENV_FILE COMMAND [ARGUMENT...]" >&2
    exit 64
fi
env_file=$1
shift
set -a
# shellcheck source=/dev/null
. "$env_file"
set +a
exec "$@"
