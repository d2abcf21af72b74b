# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""pip_failure on what pip printed on Debian 12 and 13 (pip_output/, see its README), and on a few lines."""

import re
from pathlib import Path

import pytest

from ansible_collections.djangostack.deploy.plugins.filter.pip import FilterModule
from ansible_collections.djangostack.deploy.plugins.module_utils.pip_failure import pip_failure

OUTPUTS = Path(__file__).resolve().parent / "pip_output"
PYTHON = {"bookworm": "3.11", "trixie": "3.13"}
NEWEST_DJANGO = {"bookworm": "5.2.19", "trixie": "6.1.3"}
FIX = "fix: system_packages: [%s] in the app's entry of django_apps"

# What the line must say for each case: the requirement, the header or tool, the Debian packages.
EXPECTED = {
    "gcc-missing": ["psutil 7.2.2 failed to build from source", "no C compiler (x86_64-linux-gnu-gcc not found)",
                    FIX % "build-essential, python3-dev", "in the default django_app_packages"],
    "python-h-missing": ["psutil 7.2.2 failed to build from source", "Python.h is missing", FIX % "python3-dev"],
    "cffi-ffi": ["cffi 2.1.1 failed to build from source", "ffi.h is missing", FIX % "libffi-dev"],
    "pillow-jpeg": ["pillow 13.0.0", "jpeglib.h", FIX % "libjpeg-dev"],
    "pillow-zlib": ["pillow 13.0.0", "zlib.h", FIX % "zlib1g-dev, libjpeg-dev"],
    "psycopg2-pg-config": ["psycopg2 2.9.13 failed to build from source", "pg_config executable not found", FIX % "libpq-dev"],
    "mysqlclient-no-pkg-config": ["mysqlclient 2.3.2", "pkg-config is not installed", FIX % "default-libmysqlclient-dev, pkg-config"],
    "mysqlclient-pkg-config": ["mysqlclient 2.3.2", "pkg-config finds no MySQL or MariaDB client library",
                               FIX % "default-libmysqlclient-dev, pkg-config"],
    "mysqlclient-mysql-config": ["mysqlclient 2.1.1", "mysql_config not found", FIX % "default-libmysqlclient-dev, pkg-config"],
    "xmlsec-no-pkg-config": ["xmlsec 1.3.17", "pkg-config is not installed", FIX % "libxmlsec1-dev, pkg-config"],
    "xmlsec-pkg-config": ["xmlsec 1.3.17", "pkg-config finds no xmlsec1", FIX % "libxmlsec1-dev, pkg-config"],
    "ldap-lber": ["python-ldap 3.4.8", "lber.h is missing", FIX % "libldap-dev, libsasl2-dev"],
    "ldap-sasl": ["python-ldap 3.4.8", "sasl/sasl.h is missing", FIX % "libldap-dev, libsasl2-dev"],
    "rust-maturin": ["pydantic-core 2.50.5", "needs a Rust compiler", "could not download one", FIX % "rustc, cargo",
                     "or pin a release of pydantic-core with a wheel for Python {python}"],
    "rust-setuptools": ["cryptography 41.0.7", "needs a Rust compiler", FIX % "rustc, cargo",
                        "or pin a release of cryptography with a wheel for Python {python}"],
    "rust-too-old": ["pydantic-core 2.50.5", "Debian's Rust is too old", "older than the `2024` edition",
                     "pin a release of pydantic-core with a wheel"],
    "rust-no-crates": ["cryptography 41.0.7", "cargo could not download its crates", "crates-io",
                       "pin a release of cryptography with a wheel for Python 3.11"],
    "no-wheel-pg-config": ["no wheel of psycopg2-binary {version} for Python {python} and its source does not build on it",
                           "pg_config executable not found", "pin a newer psycopg2-binary that has a wheel for Python {python}",
                           "another python"],
    "no-wheel-compile": ["no wheel of psycopg2-binary 2.9.9 for Python 3.13 and its source does not build on it",
                         "psycopg/utils.c: implicit declaration of function '_PyInterpreterState_Get'",
                         "pin a newer psycopg2-binary that has a wheel for Python 3.13"],
    "not-found": ["No matching distribution found for Django==9.9", "the newest release on the index is {newest}",
                  "correct the requirement"],
    "requires-python": ["Django 6.0 requires Python >=3.12", "the newest for it is 5.2.19", "give the app a python"],
    "two-failures": ["python-ldap 3.4.8", "sasl/sasl.h is missing", FIX % "libldap-dev, libsasl2-dev", "(also failed: xmlsec)"],
    "network": ["pip could not reach the package index", "Temporary failure in name resolution", "found no Django==5.2.8",
                "DNS, proxy and firewall", "wheelhouse"],
}
PSYCOPG2_BINARY = {"bookworm": "2.9.3", "trixie": "2.9.9"}
# The lines pip writes to its standard output (the rest goes to standard error).
STDOUT_RE = re.compile(r"^(?:Collecting |\s+Downloading |\s+━|\s+Installing |\s+Getting requirements |\s+Preparing metadata |"
                       r"Building wheels |\s+Building wheel for |Failed to build |DEPRECATION: |Looking in )")


def captured():
    return sorted(OUTPUTS.glob("*.txt"))


def case_of(path):
    case, release = path.stem.rsplit("-", 1)
    assert release in PYTHON, "%s: name a capture <case>-<release>.txt" % path.name
    return case, release


def read(path):
    return path.read_text(encoding="utf-8")


def one_line(result):
    assert isinstance(result, str) and result
    assert "\n" not in result and "\r" not in result
    assert result == " ".join(result.split()), "white space is collapsed"
    assert len(result) <= 300, "%d characters: %s" % (len(result), result)


@pytest.mark.parametrize("path", captured(), ids=lambda path: path.stem)
def test_captured_output(path):
    case, release = case_of(path)
    result = pip_failure(read(path))
    one_line(result)
    for part in EXPECTED[case]:
        part = part.format(python=PYTHON[release], newest=NEWEST_DJANGO[release], version=PSYCOPG2_BINARY[release])
        assert part in result, "%s: %r is not in %r" % (path.name, part, result)


def test_every_case_is_captured():
    assert captured(), "no capture in %s" % OUTPUTS
    assert sorted(EXPECTED) == sorted(set(case_of(path)[0] for path in captured()))


@pytest.mark.parametrize("path", captured(), ids=lambda path: path.stem)
def test_standard_output_and_error_joined_in_either_order(path):
    """Ansible's command result keeps pip's two streams apart: stdout ~ stderr, or the other way, says the same."""
    lines = read(path).split("\n")
    stdout = "\n".join(line for line in lines if STDOUT_RE.match(line))
    stderr = "\n".join(line for line in lines if not STDOUT_RE.match(line))
    expected = pip_failure(read(path))
    assert pip_failure(stdout + "\n" + stderr) == expected
    assert pip_failure(stderr + "\n" + stdout) == expected


def test_python_version_given():
    output = read(OUTPUTS / "requires-python-bookworm.txt")
    assert "not the virtualenv's python:" in pip_failure(output)
    for version in ("3.11", "3.11.2", [3, 11], (3, 11, 2), {"major": 3, "minor": 11, "micro": 2}):
        assert "not the virtualenv's python 3.11:" in pip_failure(output, version)
    # The caller's version wins over the paths of the build.
    no_wheel = read(OUTPUTS / "no-wheel-pg-config-trixie.txt")
    assert "for Python 3.12 and" in pip_failure(no_wheel, python_version="3.12")


@pytest.mark.parametrize("output, parts", [
    # Debian ships libpq-fe.h with pg_config (libpq-dev), so no real build of psycopg2 stops here.
    ("  Building wheel for psycopg2 (setup.py): finished with status 'error'\n"
     "      psycopg/psycopgmodule.c:28:10: fatal error: libpq-fe.h: No such file or directory\n"
     "  ERROR: Failed building wheel for psycopg2\n",
     ["psycopg2 failed to build from source", "libpq-fe.h is missing", FIX % "libpq-dev"]),
    # GCC in a UTF-8 locale quotes with U+2018 and U+2019.
    ("Collecting foo==1.0\n  Downloading foo-1.0.tar.gz (10 kB)\n"
     "  \u00d7 Building wheel for foo (pyproject.toml) did not run successfully.\n  \u2502 exit code: 1\n"
     "  \u2570\u2500> [2 lines of output]\n"
     "      foo.c:9:5: error: implicit declaration of function \u2018_PyLong_AsInt\u2019 [-Wimplicit-function-declaration]\n"
     "      error: command '/usr/bin/x86_64-linux-gnu-gcc' failed with exit code 1\n      [end of output]\n",
     ["no wheel of foo 1.0 for Python 3.13 and its source does not build on it",
      "foo.c: implicit declaration of function '_PyLong_AsInt'"]),
    ("      gevent/libev/corecext.c:2:10: fatal error: sys/unknown.h: No such file or directory\n"
     "ERROR: Failed building wheel for gevent\n",
     ["gevent failed to build from source: sys/unknown.h is missing", "apt-file search sys/unknown.h"]),
    ("      Package libxml-2.0 was not found in the pkg-config search path.\n"
     "  ERROR: Failed building wheel for lxml\n",
     ["lxml", "pkg-config finds no libxml-2.0", FIX % "libxml2-dev, pkg-config"]),
    ("Looking in links: /srv/shop/wheelhouse\n"
     "ERROR: Could not find a version that satisfies the requirement gunicorn==23.0.0 (from versions: none)\n"
     "ERROR: No matching distribution found for gunicorn==23.0.0\n",
     ["No matching distribution found for gunicorn==23.0.0 in the app's wheelhouse", "add a wheel of gunicorn"]),
    ("ERROR: Cannot install Django==4.2 and djangorestframework==3.16.0 because these package versions have conflicting dependencies.\n\n"
     "The conflict is caused by:\n    The user requested Django==4.2\n\n"
     "ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/\n",
     ["ERROR: Cannot install Django==4.2 and djangorestframework==3.16.0 because these package versions have conflicting dependencies."]),
    ("\x1b[31mERROR: Could not open requirements file: [Errno 2] No such file or directory:   'requirements.txt'\x1b[0m\n",
     ["ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'requirements.txt'"]),
    ("ERROR: Exception:\nTraceback (most recent call last):\n"
     "pip._vendor.urllib3.exceptions.ReadTimeoutError: HTTPSConnectionPool(host='files.pythonhosted.org', port=443): Read timed out.\n",
     ["pip could not reach files.pythonhosted.org (Read timed out)"]),
    ("", ["pip failed and printed nothing"]),
    (None, ["pip failed and printed nothing"]),
])
def test_lines(output, parts):
    result = pip_failure(output, python_version="3.13")
    one_line(result)
    for part in parts:
        assert part in result, "%r is not in %r" % (part, result)


def test_long_error_line_is_cut():
    result = pip_failure("ERROR: " + "x" * 1000 + "\n")
    one_line(result)
    assert result.endswith("...")


def test_filter():
    assert FilterModule().filters() == {"pip_failure": pip_failure}
