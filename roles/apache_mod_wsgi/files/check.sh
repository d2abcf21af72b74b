#!/bin/sh
# Installed by djangostack.deploy.apache_mod_wsgi.
# Usage: djangostack-apache-check
#        djangostack-apache-check CANDIDATE DEST [LINK]
# Without arguments: `apache2ctl -t` of the live configuration.
# With arguments: checks the configuration Apache would load if the file CANDIDATE
# replaced DEST (a path under /etc/apache2), and, with LINK, if LINK were a
# symlink to DEST (a site or conf that is not enabled yet), without changing
# /etc/apache2. Used as the `validate` command of the role's templates, so that a
# file Apache would refuse never replaces the live one.
#
# /etc/apache2 is copied to a temporary directory, CANDIDATE is put in place of
# DEST there, and `apache2ctl -t` runs in a mount namespace of its own in which
# the copy is bind-mounted over /etc/apache2: every path (includes, symlinks,
# certificates) resolves as it will once the file is in place, and Apache's
# messages name the real files. Where no mount namespace can be made (a container
# without CAP_SYS_ADMIN), or with DJANGOSTACK_APACHE_CHECK_COPY=1, the copy's
# /etc/apache2 paths are rewritten instead and apache2ctl reads the copy
# (APACHE_CONFDIR).
set -eu
conf=/etc/apache2

if [ "$#" -eq 0 ]; then
    exec apache2ctl -t
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

tmp=$(mktemp -d /tmp/djangostack-apache-check.XXXXXXXX)
trap 'rm -rf "$tmp"' EXIT
copy=$tmp/apache2
cp -a "$conf" "$copy"
mkdir -p "$(dirname "$copy/${dest#"$conf"/}")"
cp "$candidate" "$copy/${dest#"$conf"/}"
if [ -n "$link" ]; then
    ln -sfn "$dest" "$copy/${link#"$conf"/}"
fi

if [ "${DJANGOSTACK_APACHE_CHECK_COPY:-0}" != 1 ] \
        && unshare --mount --propagation private true 2>/dev/null; then
    # $copy is mktemp's path: no quotes or spaces.
    unshare --mount --propagation private \
        sh -c "mount --bind '$copy' $conf && exec apache2ctl -t"
else
    find "$copy" -type f -exec sed -i "s#$conf/#$copy/#g" {} +
    find "$copy" -type l | while IFS= read -r symlink; do
        target=$(readlink "$symlink")
        case $target in
            "$conf"/*) ln -sfn "$copy/${target#"$conf"/}" "$symlink" ;;
        esac
    done
    APACHE_CONFDIR=$copy apache2ctl -t
fi
