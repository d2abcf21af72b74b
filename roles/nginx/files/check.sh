#!/bin/sh
# Installed by djangostack.deploy.nginx.
# Usage: djangostack-nginx-check
#        djangostack-nginx-check CANDIDATE DEST [LINK]
# Without arguments: `nginx -t` of the live configuration.
# With arguments: checks the configuration nginx would load if the file CANDIDATE
# replaced DEST (a path under /etc/nginx), and, with LINK, if LINK were a symlink
# to DEST (a site that is not enabled yet), without changing /etc/nginx. Used as
# the `validate` command of the role's templates, so that a file nginx would
# refuse never replaces the live one.
#
# /etc/nginx is copied to a temporary directory, CANDIDATE is put in place of
# DEST there, and `nginx -t` runs in a mount namespace of its own in which the
# copy is bind-mounted over /etc/nginx: every path (includes, symlinks,
# certificates) resolves as it will once the file is in place, and nginx's
# messages name the real files. Where no mount namespace can be made (a
# container without CAP_SYS_ADMIN), or with DJANGOSTACK_NGINX_CHECK_COPY=1, the
# copy's /etc/nginx paths are rewritten instead and nginx -t reads the copy's
# nginx.conf.
set -eu
conf=/etc/nginx

if [ "$#" -eq 0 ]; then
    exec nginx -t -q
fi
if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
    echo "usage: $0 [CANDIDATE DEST [LINK]]" >&2
    exit 64
fi
candidate=$1
dest=$2
link=${3:-}
for path in "$dest" ${link:+"$link"}; do
    case $path in
        "$conf"/*) ;;
        *) echo "$0: $path is not under $conf" >&2; exit 64 ;;
    esac
done

tmp=$(mktemp -d /tmp/djangostack-nginx-check.XXXXXXXX)
trap 'rm -rf "$tmp"' EXIT
copy=$tmp/nginx
cp -a "$conf" "$copy"
cp "$candidate" "$copy/${dest#"$conf"/}"
if [ -n "$link" ]; then
    ln -sfn "$dest" "$copy/${link#"$conf"/}"
fi

if [ "${DJANGOSTACK_NGINX_CHECK_COPY:-0}" != 1 ] \
        && unshare --mount --propagation private true 2>/dev/null; then
    # $copy is mktemp's path: no quotes or spaces.
    unshare --mount --propagation private \
        sh -c "mount --bind '$copy' $conf && exec nginx -t -q"
else
    find "$copy" -type f -exec sed -i "s#$conf/#$copy/#g" {} +
    find "$copy" -type l | while IFS= read -r symlink; do
        target=$(readlink "$symlink")
        case $target in
            "$conf"/*) ln -sfn "$copy/${target#"$conf"/}" "$symlink" ;;
        esac
    done
    nginx -t -q -c "$copy/nginx.conf"
fi
