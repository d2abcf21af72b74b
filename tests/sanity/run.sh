#!/usr/bin/env bash
# ansible-test sanity with the ansible-core of one virtualenv: tests/sanity/run.sh VENV
#
# ansible-test needs an ansible_collections/NS/NAME tree outside any git checkout;
# one per run, so that two runs (two ansible-core lines at once) never share it.
set -euo pipefail
venv=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
python=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
version=$("$venv/bin/python" -c 'import ansible.release; print(ansible.release.__version__)')

# ansible-test downloads a pinned get-pip.py from a server this machine may not
# reach; it finds ours in its cache instead (see get_pip.py).
pip=$(sed -n "s/.*pip='\([0-9.]*\)'.*/\1/p" \
    "$venv"/lib/python*/site-packages/ansible_test/_internal/python_requirements.py)
mkdir -p "$HOME/.ansible/test/cache"
cp "$root/tests/sanity/get_pip.py" "$HOME/.ansible/test/cache/get_pip_${pip//./_}.py"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/ansible_collections/djangostack/deploy
mkdir -p "$tree"
rsync -a --exclude='/.git' --exclude='/.venv*' --exclude=/.ansible --exclude=/.cache --exclude=/build \
    --exclude=__pycache__ --exclude=.pytest_cache "$root/" "$tree/"
cd "$tree"
echo "ansible-test sanity: ansible-core $version, Python $python"
"$venv/bin/ansible-test" sanity --venv --color no --python "$python"
