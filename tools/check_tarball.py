# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fail when a built collection tarball holds files that are not for its users.

    python3 tools/check_tarball.py build/djangostack-deploy-0.1.0.tar.gz

Builds nothing: it reads the tarball that `ansible-galaxy collection build` made and
checks every path in it against the patterns below (development tooling, tests, build
output, changelog fragments, caches and editor files), which match what galaxy.yml's
build_ignore leaves out. Exit status 0 with one line when nothing matches; 1 with one
line naming what matched; 2 when the tarball cannot be read.
"""

import fnmatch
import sys
import tarfile

# Matched against the path from the collection's root, one pattern part per path part
# (`*` does not cross `/`).
ROOT_PATTERNS = (
    ".ansible",
    ".ansible-lint",
    ".cache",
    ".ci",
    ".config",
    ".git*",
    ".venv*",
    ".yamllint",
    "Makefile",
    "build",
    "changelogs/.plugin-cache.yaml",
    "changelogs/fragments",
    "docs/benchmarks",
    "molecule",
    "requirements-dev.txt",
    "tests",
    "tools",
    "*.tar.gz",
)

# Matched against each file or directory name, at any depth.
NAME_PATTERNS = (
    ".gitkeep",
    "__pycache__",
    "*.pyc",
    "*.pyo",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".tox",
    "*.retry",
    "*.swp",
    "*.swo",
    "*~",
    ".#*",
    "#*#",
    "*.orig",
    "*.rej",
    "*.bak",
    ".DS_Store",
    ".idea",
    ".vscode",
)

SHOWN = 10


def _matches(parts):
    """The pattern that the path of these parts matches, or None."""
    name = parts[-1]
    for pattern in NAME_PATTERNS:
        if fnmatch.fnmatchcase(name, pattern):
            return pattern
    for pattern in ROOT_PATTERNS:
        pattern_parts = pattern.split("/")
        if len(pattern_parts) == len(parts) and all(
            fnmatch.fnmatchcase(part, pattern_part) for part, pattern_part in zip(parts, pattern_parts)
        ):
            return pattern
    return None


def scaffolding(entries):
    """The shortest paths of entries that match a pattern, each once, in tarball order.

    entries are (name, is_directory) pairs. A directory that matches is named once,
    with a trailing /, not every file in it.
    """
    found = {}
    for name, is_directory in entries:
        parts = [part for part in name.split("/") if part not in ("", ".")]
        for depth in range(1, len(parts) + 1):
            if _matches(parts[:depth]) is not None:
                path = "/".join(parts[:depth])
                if depth < len(parts) or is_directory:
                    path += "/"
                found.setdefault(path.rstrip("/"), path)
                break
    return list(found.values())


def main(argv):
    if len(argv) != 2:
        print("usage: check_tarball.py TARBALL", file=sys.stderr)
        return 2
    tarball = argv[1]
    try:
        with tarfile.open(tarball, "r:*") as archive:
            entries = [(member.name, member.isdir()) for member in archive.getmembers()]
    except (OSError, tarfile.TarError) as error:
        print(f"{tarball}: cannot read the tarball: {error}", file=sys.stderr)
        return 2
    bad = scaffolding(entries)
    if bad:
        more = f" and {len(bad) - SHOWN} more" if len(bad) > SHOWN else ""
        print(
            f"{tarball}: {len(bad)} path(s) that are not for the collection's users: "
            f"{', '.join(bad[:SHOWN])}{more} (leave them out in galaxy.yml's build_ignore)",
            file=sys.stderr,
        )
        return 1
    print(f"{tarball}: {len(entries)} entries, none of them scaffolding")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
