"""Bootstrap pip into the virtual environments ansible-test creates for sanity tests.

ansible-test normally downloads a pinned get-pip.py from its own file server; a
machine that reaches PyPI but not that server cannot. `make sanity` puts this file
where ansible-test caches the download. Like get-pip.py it installs pip and the
packages given on the command line, but it takes pip from the interpreter's own
ensurepip and everything else from the configured package index.
"""

import subprocess
import sys

GET_PIP_ONLY_OPTIONS = ("--no-setuptools", "--no-wheel")


def main():
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    # In a child process: ensurepip points PIP_CONFIG_FILE at /dev/null in its own
    # environment, and the install below must read the machine's pip configuration.
    status = subprocess.call([sys.executable, "-m", "ensurepip", "--upgrade"])
    if status:
        return status
    return subprocess.call([sys.executable, "-m", "pip", "install", "--upgrade", *args])


if __name__ == "__main__":
    sys.exit(main())
