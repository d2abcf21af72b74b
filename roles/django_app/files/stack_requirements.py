# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Add to a virtualenv what the stack needs and the project's requirements lack.

Installed by djangostack.deploy.django_app and run with the virtualenv's own
python after the project's requirements are installed:

    VENV/bin/python stack_requirements.py NEEDS EXTRA [PIP OPTIONS...]

NEEDS is JSON, [[[distribution, ...], requirement], ...] (the stack_requirements
filter): a requirement is added when none of its distributions is installed, so
the project's own choice and pins win. EXTRA is JSON, the app's
extra_requirements, always installed. The PIP OPTIONS (an index, a wheelhouse)
go to pip as they are. Prints one line per requirement it installs, nothing
when there is none; pip's exit status and output when pip fails.
"""

import json
import subprocess
import sys

from importlib import metadata


def installed(name):
    try:
        metadata.distribution(name)
        return True
    except metadata.PackageNotFoundError:
        return False


def missing(needs):
    """The requirements of the needs none of whose distributions is installed."""
    return [requirement for provided_by, requirement in needs
            if not any(installed(name) for name in provided_by)]


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: stack_requirements.py NEEDS EXTRA [PIP OPTIONS...]\n")
        return 64
    wanted = missing(json.loads(argv[0])) + list(json.loads(argv[1]))
    if not wanted:
        return 0
    status = subprocess.call([sys.executable, "-m", "pip", "install", "--no-input"] + wanted + list(argv[2:]),
                             stdout=sys.stderr)
    if status == 0:
        for requirement in wanted:
            print(requirement)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
