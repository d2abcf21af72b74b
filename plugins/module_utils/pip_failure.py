# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one line that says how to fix a failed `pip install`.

When pip cannot build a requirement from its source it prints the build's whole
log, often a hundred lines of compiler output, and the cause is one of them: a
missing header or tool that a Debian package provides, a Rust toolchain, a
release without a wheel for the virtualenv's Python. `pip_failure` reads what
pip printed (its standard output and standard error, in either order or
interleaved) and returns one line that names the requirement, the cause and the
fix in the words of the app model: `system_packages: [libpq-dev]` in the app's
entry of `django_apps`. A failure it does not know is the last meaningful error
line pip printed.

Standard library only; runs on Python 3.8 and later.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # pylint: disable=invalid-name

import re

MAX_LENGTH = 300
DETAIL_LENGTH = 140
FIX = "fix: system_packages: [%s] in the app's entry of django_apps"

ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
QUOTES = {u"\u2018": "'", u"\u2019": "'", u"\u201c": '"', u"\u201d": '"'}

# pip 21.3+: "× TITLE did not run successfully." ... "╰─> [N lines of output]" ... "[end of output]".
BLOCK_TITLE_RE = re.compile(u"^\\s*(?:\u00d7|x)\\s+(?P<title>.+?)\\s+did not run successfully\\.?\\s*$")
BLOCK_START_RE = re.compile(r"\[\d+ lines? of output\]\s*$")
BLOCK_END_RE = re.compile(r"^\s*\[end of output\]\s*$")
# Older pip: "Complete output (N lines):" ... a line of dashes.
OLD_BLOCK_START_RE = re.compile(r"^\s*Complete output \(\d+ lines?\):\s*$")
OLD_BLOCK_END_RE = re.compile(r"^\s*-{20,}\s*$")
BLOCK_NAME_RES = (
    re.compile(r"^Building wheel for (?P<name>[A-Za-z0-9][\w.-]*)"),
    re.compile(r"^Running setup\.py install for (?P<name>[A-Za-z0-9][\w.-]*)"),
)

COLLECTING_RE = re.compile(r"^\s*Collecting (?P<req>[A-Za-z0-9][^\s(;]*)")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")
SDIST_RE = re.compile(
    r"^\s*(?:Downloading|Processing|Using cached|File was already downloaded)\s+(?:\S*/)?"
    r"(?P<name>[A-Za-z0-9][\w.+-]*?)-(?P<version>\d[\w.+!]*)\.(?:tar\.gz|tar\.bz2|tgz|zip)\b")
FAILED_NAMES_RES = (
    re.compile(r"^\s*(?:ERROR: )?Failed building wheel for (?P<names>[A-Za-z0-9][\w.-]*)"),
    re.compile(r"^\s*(?:ERROR: )?Failed to build (?!installable)(?P<names>[A-Za-z0-9][\w., -]*)$"),
    re.compile(r"^\s*ERROR: Failed to build installable wheels for some pyproject\.toml based projects \((?P<names>[^)]+)\)"),
    re.compile(r"^\s*ERROR: Could not build wheels for (?P<names>[A-Za-z0-9][\w., -]*?), which is required"),
)

PY_CPYTHON_RE = re.compile(r"cpython-3(\d{1,2})\b")
PY_PATH_RE = re.compile(r"\bpython3\.(\d{1,2})\b")

COMPILER = r"(?:[\w.]+-)*(?:gcc|g\+\+|cc|c\+\+|clang)(?:-\d+)?"
COMPILER_MISSING_RES = (
    re.compile(r"No such file or directory: '(?P<tool>%s)'" % COMPILER),
    re.compile(r"command '(?P<tool>%s)' failed: No such file or directory" % COMPILER),
    re.compile(r"unable to execute '(?P<tool>%s)': No such file or directory" % COMPILER),
    re.compile(r"(?:^|[\s/:])(?P<tool>%s): (?:command )?not found" % COMPILER),
    re.compile(r"linker `(?P<tool>%s)` not found" % COMPILER),
    re.compile(r"Unknown compiler\(s\): \[\['(?P<tool>%s)'\]" % COMPILER),
    re.compile(r"No (?P<tool>CMAKE_CXX?_COMPILER) could be found"),
)
RUST_MISSING_RES = (
    re.compile(r"can't find Rust compiler"),
    re.compile(r"Cargo, the Rust package manager, is not installed"),
    re.compile(r"Rust not found, installing into a temporary directory"),
    re.compile(r"(?:^|[\s/:])(?:cargo|rustc): (?:command )?not found"),
    re.compile(r"No such file or directory: '(?:cargo|rustc)'"),
)
RUST_DOWNLOAD_RE = re.compile(r"Rust not found, installing into a temporary directory")
RUST_OLD_RES = (
    re.compile(r"this version of Cargo is older than the `[^`]+` edition"),
    re.compile(r"requires rustc [\d.]+ or newer"),
    re.compile(r"rustc [\d.]+ is not supported by the following packages?"),
)
CRATES_RES = (
    re.compile(r"Unable to update registry `crates-io`"),
    re.compile(r"failed to (?:download|get) `[^`]+` as a dependency"),
    re.compile(r"failed to fetch `https://[^`]*crates[^`]*`"),
)
HEADER_RE = re.compile(r"fatal error: '?(?P<header>[\w./+-]+\.h(?:pp)?)'?(?::| file not found| No such file)")
PG_CONFIG_RES = (
    re.compile(r"pg_config executable not found"),
    re.compile(r"couldn't run 'pg_config'"),
    re.compile(r"(?:^|[\s/:])pg_config: (?:command )?not found"),
)
MYSQL_RES = (
    re.compile(r"\b(?P<tool>mysql_config|mariadb_config) not found"),
    re.compile(r"Can not find valid pkg-config name"),
    re.compile(r"MYSQLCLIENT_CFLAGS and MYSQLCLIENT_LDFLAGS"),
)
LXML_RES = (
    re.compile(r"make sure the libxml2 and libxslt development packages are installed"),
    re.compile(r"(?:^|[\s/:])(?:xslt-config|xml2-config): (?:command )?not found"),
)
PILLOW_RE = re.compile(r"The headers or library files could not be found for (?P<lib>[\w.+-]+),")
XMLSEC_RE = re.compile(r"xmlsec1 is not installed or not in path")
PKG_CONFIG_MISSING_RES = (
    re.compile(r"Unable to invoke pkg-config"),
    re.compile(r"(?:^|[\s/:])pkg-config: (?:command )?not found"),
    re.compile(r"No such file or directory: 'pkg-config'"),
    re.compile(r"Did not find pkg-config"),
)
PKG_CONFIG_PACKAGE_RES = (
    re.compile(r"No package '(?P<pc>[\w.+-]+)' found"),
    re.compile(r"Package '?(?P<pc>[\w.+-]+?)'?,? (?:required by '[^']*', )?(?:was )?not found"),
)
C_ERROR_RE = re.compile(r"(?P<file>[\w./+-]+\.(?:c|h|cc|cpp|cxx|pyx|pxd))(?::\d+){1,2}: (?:fatal )?error: (?P<error>.+)")
C_ERROR_NOISE_RE = re.compile(r"(?:; did you mean [^;]*?)?(?: \[-W[\w=-]+\])?\s*$")
PYTHON_API_RE = re.compile(r"\b_?Py[A-Z][A-Za-z]*_\w+|\b_Py\w+|\bPyThreadState\b|\bPyFrameObject\b|\bob_refcnt\b")
EXCEPTION_RE = re.compile(r"^(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Exit)(?::\s*(?P<msg>.*))?$")
ERROR_LINE_RE = re.compile(r"^(?:ERROR|error|Error)(?:\[E\d+\])?: ")

NETWORK_RES = (
    re.compile(r"Temporary failure in name resolution"),
    re.compile(r"Name or service not known"),
    re.compile(r"Failed to resolve '[^']+'"),
    re.compile(r"No address associated with hostname"),
    re.compile(r"Network is unreachable"),
    re.compile(r"No route to host"),
    re.compile(r"Connection refused"),
    re.compile(r"Connection reset by peer"),
    re.compile(r"Connection timed out"),
    re.compile(r"Read timed out"),
    re.compile(r"ConnectTimeoutError"),
    re.compile(r"CERTIFICATE_VERIFY_FAILED"),
    re.compile(r"Tunnel connection failed: [^'\")]+"),
    re.compile(r"ProxyError"),
)
HOST_RE = re.compile(r"(?:ConnectionPool\(host=|Failed to resolve )'(?P<host>[^']+)'")

NOT_FOUND_RE = re.compile(r"No matching distribution found for (?P<req>\S+)")
VERSIONS_RE = re.compile(r"Could not find a version that satisfies the requirement (?P<req>\S+) \(from versions: (?P<versions>[^)]*)\)")
IGNORED_PYTHON_RE = re.compile(r"Ignored the following versions that require a different python version: (?P<list>.+)$", re.M)
IGNORED_ENTRY_RE = re.compile(r"(?P<version>\S+) Requires-Python (?P<spec>[^;]+)")
FINAL_VERSION_RE = re.compile(r"^\d+(?:\.\d+)*(?:\.post\d+)?$")

BOILERPLATE_RE = re.compile(
    r"^(?:ERROR: |error: )?(?:subprocess-exited-with-error|metadata-generation-failed|legacy-install-failure"
    r"|Failed building wheel for|Failed to build|Could not build wheels for|ResolutionImpossible"
    r"|Command errored out with exit status|Command '\[.*\]' returned non-zero exit status"
    r"|Command \".*\" failed with error code)")

# Headers of the C libraries Django projects build against, and their Debian packages (bookworm and trixie alike).
HEADERS = {
    "Python.h": ["python3-dev"],
    "libpq-fe.h": ["libpq-dev"],
    "postgres_ext.h": ["libpq-dev"],
    "pg_config.h": ["libpq-dev"],
    "ffi.h": ["libffi-dev"],
    "jpeglib.h": ["libjpeg-dev"],
    "zlib.h": ["zlib1g-dev"],
    # libldap2-dev is only a transitional name of libldap-dev on both releases; python-ldap needs SASL too.
    "lber.h": ["libldap-dev", "libsasl2-dev"],
    "ldap.h": ["libldap-dev", "libsasl2-dev"],
    "sasl/sasl.h": ["libldap-dev", "libsasl2-dev"],
    "mysql.h": ["default-libmysqlclient-dev", "pkg-config"],
    "mysql/mysql.h": ["default-libmysqlclient-dev", "pkg-config"],
    "mariadb/mysql.h": ["default-libmysqlclient-dev", "pkg-config"],
    "xmlsec/xmlsec.h": ["libxmlsec1-dev", "pkg-config"],
    "libxml/xmlversion.h": ["libxml2-dev"],
    "libxml/parser.h": ["libxml2-dev"],
    "libxslt/xslt.h": ["libxslt1-dev"],
    "libxslt/xsltconfig.h": ["libxslt1-dev"],
    "openssl/opensslv.h": ["libssl-dev"],
    "openssl/ssl.h": ["libssl-dev"],
    "openssl/aes.h": ["libssl-dev"],
    "openssl/crypto.h": ["libssl-dev"],
    "openssl/err.h": ["libssl-dev"],
    "openssl/evp.h": ["libssl-dev"],
    "yaml.h": ["libyaml-dev"],
    "krb5.h": ["libkrb5-dev"],
    "gssapi/gssapi.h": ["libkrb5-dev"],
    "sqlite3.h": ["libsqlite3-dev"],
    "magic.h": ["libmagic-dev"],
    "lzma.h": ["liblzma-dev"],
    "bzlib.h": ["libbz2-dev"],
    "png.h": ["libpng-dev"],
    "tiff.h": ["libtiff-dev"],
    "tiffio.h": ["libtiff-dev"],
    "ft2build.h": ["libfreetype-dev"],
    "webp/decode.h": ["libwebp-dev"],
    "webp/encode.h": ["libwebp-dev"],
    "lcms2.h": ["liblcms2-dev"],
    "openjpeg.h": ["libopenjp2-7-dev"],
    "cairo.h": ["libcairo2-dev"],
    "gmp.h": ["libgmp-dev"],
    "uuid/uuid.h": ["uuid-dev"],
    "systemd/sd-daemon.h": ["libsystemd-dev"],
    "systemd/sd-journal.h": ["libsystemd-dev"],
    "libmemcached/memcached.h": ["libmemcached-dev"],
    "geos_c.h": ["libgeos-dev"],
    "gdal.h": ["libgdal-dev"],
    "proj.h": ["libproj-dev"],
    "unicode/utypes.h": ["libicu-dev"],
    "unicode/ucol.h": ["libicu-dev"],
    "curl/curl.h": ["libcurl4-openssl-dev"],
    "libpq/libpq-fs.h": ["libpq-dev"],
}
# Pillow's own words for the libraries it requires (zlib is looked for first, so jpeg may be missing too).
PILLOW_LIBS = {
    "zlib": ("zlib.h", ["zlib1g-dev", "libjpeg-dev"]),
    "jpeg": ("jpeglib.h", ["libjpeg-dev"]),
    "freetype": ("ft2build.h", ["libfreetype-dev"]),
    "tiff": ("tiffio.h", ["libtiff-dev"]),
    "lcms": ("lcms2.h", ["liblcms2-dev"]),
    "webp": ("webp/decode.h", ["libwebp-dev"]),
    "jpeg2000": ("openjpeg.h", ["libopenjp2-7-dev"]),
}
# pkg-config names and the Debian packages that ship their .pc files.
PKG_CONFIG_NAMES = {
    "libpq": ["libpq-dev"],
    "libffi": ["libffi-dev"],
    "libxml-2.0": ["libxml2-dev"],
    "libxslt": ["libxslt1-dev"],
    "xmlsec1": ["libxmlsec1-dev"],
    "xmlsec1-openssl": ["libxmlsec1-dev"],
    "mysqlclient": ["default-libmysqlclient-dev"],
    "mariadb": ["default-libmysqlclient-dev"],
    "libmariadb": ["default-libmysqlclient-dev"],
    "openssl": ["libssl-dev"],
    "libssl": ["libssl-dev"],
    "zlib": ["zlib1g-dev"],
    "libjpeg": ["libjpeg-dev"],
    "cairo": ["libcairo2-dev"],
    "dbus-1": ["libdbus-1-dev"],
    "libsystemd": ["libsystemd-dev"],
    "krb5": ["libkrb5-dev"],
    "krb5-gssapi": ["libkrb5-dev"],
    "icu-uc": ["libicu-dev"],
    "icu-i18n": ["libicu-dev"],
    "libsasl2": ["libsasl2-dev"],
    "ldap": ["libldap-dev"],
    "lber": ["libldap-dev"],
    "libmemcached": ["libmemcached-dev"],
    "yaml-0.1": ["libyaml-dev"],
    "sqlite3": ["libsqlite3-dev"],
}
# Packages in the default django_app_packages: missing only where that list was changed.
DEFAULT_PACKAGES = ("build-essential", "python3-dev")


def normalize(name):
    """A project name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _clean(output):
    text = output if isinstance(output, str) else ("" if output is None else str(output))
    text = ANSI_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    for fancy, plain in QUOTES.items():
        text = text.replace(fancy, plain)
    return text


def _one_line(text):
    return " ".join(str(text).split())


def _clip(text, length=DETAIL_LENGTH):
    text = _one_line(text)
    return text if len(text) <= length else text[:length - 3].rstrip() + "..."


def _first(patterns, text):
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match
    return None


def _blocks(lines):
    """[(title, first line index, content lines)] of the subprocess outputs pip printed, in order."""
    blocks = []
    index = 0
    title, title_index = None, -1
    while index < len(lines):
        line = lines[index]
        match = BLOCK_TITLE_RE.match(line)
        if match:
            title, title_index = match.group("title"), index
        if BLOCK_START_RE.search(line) or OLD_BLOCK_START_RE.match(line):
            title = title if index - title_index <= 3 else None
            end_re = BLOCK_END_RE if BLOCK_START_RE.search(line) else OLD_BLOCK_END_RE
            start = index
            content = []
            index += 1
            while index < len(lines) and not end_re.match(lines[index]):
                content.append(lines[index].strip())
                index += 1
            blocks.append((title or "", start, content))
            title = None
        index += 1
    return blocks


def _python(python_version, text):
    """"3.13" from the caller's version (a string, [3, 13], or Ansible's python facts), else from the build's paths."""
    version = python_version
    if isinstance(version, dict):
        version = "%s.%s" % (version.get("major"), version.get("minor")) if "major" in version else None
    elif isinstance(version, (list, tuple)):
        version = ".".join(str(part) for part in version[:2])
    if version not in (None, ""):
        match = re.match(r"^\s*(\d+)\.(\d+)", str(version))
        return "%s.%s" % match.groups() if match else _one_line(version)
    match = PY_CPYTHON_RE.search(text) or PY_PATH_RE.search(text)
    return "3.%s" % match.group(1) if match else None


class _Pip:
    """What pip's output says about the requirements it collected."""

    def __init__(self, text):
        self.text = text
        self.lines = text.split("\n")
        self.versions = {}
        self.sdists = set()
        self.collected = []
        self.failed = []
        for number, line in enumerate(self.lines):
            match = COLLECTING_RE.match(line)
            if match:
                req = match.group("req")
                name = NAME_RE.match(req).group(0)
                self.collected.append((number, name))
                pinned = re.search(r"===?\s*([\w.+!]+)", req)
                if pinned:
                    self.versions.setdefault(normalize(name), pinned.group(1))
            match = SDIST_RE.match(line)
            if match:
                name = normalize(match.group("name"))
                self.versions[name] = match.group("version")
                self.sdists.add(name)
                if not self.collected or normalize(self.collected[-1][1]) != name:
                    self.collected.append((number, match.group("name")))
            for pattern in FAILED_NAMES_RES:
                match = pattern.match(line)
                if match:
                    for name in re.split(r"[,\s]+", match.group("names").strip()):
                        if name and normalize(name) not in [normalize(known) for known in self.failed]:
                            self.failed.append(name)

    def block_name(self, title, start):
        for pattern in BLOCK_NAME_RES:
            match = pattern.match(title)
            if match:
                return match.group("name")
        # Metadata and build requirements: pip stops at the first failure, the last requirement it collected.
        before = [name for number, name in self.collected if number < start]
        if before:
            return before[-1]
        if self.failed:
            return self.failed[0]
        return self.collected[-1][1] if self.collected else None

    def label(self, name):
        if not name:
            return "a requirement"
        version = self.versions.get(normalize(name))
        return "%s %s" % (name, version) if version else name


def _packages(debs):
    return ", ".join(debs)


def _fix(debs):
    fix = FIX % _packages(debs)
    defaults = [deb for deb in debs if deb in DEFAULT_PACKAGES]
    if defaults:
        fix += " (%s in the default django_app_packages)" % ("both are" if len(defaults) > 1 else "it is")
    return fix


def _for_python(python):
    return "for Python %s" % python if python else "for this Python"


def _diagnose(text, name):
    """(kind, cause, Debian packages) of the output of one build, or None."""
    match = _first(COMPILER_MISSING_RES, text)
    if match:
        return "build", "no C compiler (%s not found)" % match.group("tool"), ["build-essential", "python3-dev"]
    if _first(RUST_MISSING_RES, text):
        cause = "it needs a Rust compiler and the host has none"
        if RUST_DOWNLOAD_RE.search(text):
            cause += " (the build could not download one)"
        return "rust", cause, ["rustc", "cargo"]
    match = _first(RUST_OLD_RES, text)
    if match and re.search(r"\b(?:cargo|rustc|maturin|setuptools[_-]rust)\b", text, re.I):
        return "rust-old", "Debian's Rust is too old for it (%s)" % _clip(match.group(0), 80), []
    match = _first(CRATES_RES, text)
    if match:
        return "crates", "cargo could not download its crates (%s)" % _clip(match.group(0), 80), []
    match = HEADER_RE.search(text)
    if match:
        header = match.group("header")
        return "build", "%s is missing" % header, HEADERS.get(header)
    match = _first(PG_CONFIG_RES, text)
    if match:
        return "build", "pg_config executable not found", ["libpq-dev"]
    match = _first(MYSQL_RES, text)
    if match:
        if "tool" in match.re.groupindex and match.group("tool"):
            cause = "%s not found" % match.group("tool")
        elif _first(PKG_CONFIG_MISSING_RES, text):
            cause = "pkg-config is not installed"
        else:
            cause = "pkg-config finds no MySQL or MariaDB client library"
        return "build", cause, ["default-libmysqlclient-dev", "pkg-config"]
    if _first(LXML_RES, text):
        return "build", "the libxml2 and libxslt headers are missing", ["libxml2-dev", "libxslt1-dev"]
    match = PILLOW_RE.search(text)
    if match:
        lib = match.group("lib")
        header, debs = PILLOW_LIBS.get(lib, (None, None))
        cause = "the headers of %s (%s) are missing" % (lib, header) if header else "the headers of %s are missing" % lib
        return "build", cause, debs
    xmlsec = name and normalize(name) == "xmlsec"
    if XMLSEC_RE.search(text):
        return "build", "pkg-config finds no xmlsec1", ["libxmlsec1-dev", "pkg-config"]
    if _first(PKG_CONFIG_MISSING_RES, text):
        return "build", "pkg-config is not installed", ["libxmlsec1-dev", "pkg-config"] if xmlsec else ["pkg-config"]
    match = _first(PKG_CONFIG_PACKAGE_RES, text)
    if match:
        pc = match.group("pc")
        debs = PKG_CONFIG_NAMES.get(pc)
        return "build", "pkg-config finds no %s" % pc, debs + ["pkg-config"] if debs else None
    for line in text.split("\n"):
        match = C_ERROR_RE.search(line)
        if match and PYTHON_API_RE.search(match.group("error")):
            return "python-api", _clip(_c_error(match), 110), []
    match = _first(NETWORK_RES, text)
    if match:
        return "network", _clip(match.group(0), 80), []
    return None


def _c_error(match):
    """A compiler's error without its suggestion and warning flag: `file.c: what`."""
    return "%s: %s" % (match.group("file"), C_ERROR_NOISE_RE.sub("", match.group("error")))


def _meaningful(lines):
    """The line of a build's output that says most about its failure."""
    lines = [line.strip() for line in lines if line.strip()]
    for line in lines:
        match = C_ERROR_RE.search(line)
        if match:
            return _c_error(match)
    for index in range(len(lines) - 1, -1, -1):
        match = EXCEPTION_RE.match(lines[index])
        if match and not BOILERPLATE_RE.match(lines[index]) and not lines[index].startswith("SystemExit: error: Command"):
            if match.group("msg"):
                return lines[index]
            following = lines[index + 1:index + 3]
            return " ".join([lines[index]] + following) if following else lines[index]
    errors = [line for line in lines if ERROR_LINE_RE.match(line) or " error: " in line]
    useful = [line for line in errors if not BOILERPLATE_RE.match(line)]
    if useful:
        return useful[-1]
    if errors:
        return errors[-1]
    return lines[-1] if lines else ""


def _network(pip):
    match = _first(NETWORK_RES, pip.text)
    if not match:
        return None
    host = HOST_RE.search(pip.text)
    where = host.group("host") if host else "the package index"
    missing = NOT_FOUND_RE.search(pip.text)
    found = ", so it found no %s" % missing.group("req") if missing else ""
    return "pip could not reach %s (%s)%s: check the host's DNS, proxy and firewall (or PIP_INDEX_URL), or give the app a wheelhouse" % (
        where, _clip(match.group(0), 80), found)


def _not_found(pip, python):
    missing = NOT_FOUND_RE.search(pip.text)
    if not missing:
        return None
    req = missing.group("req")
    name = NAME_RE.match(req).group(0) if NAME_RE.match(req) else req
    versions = VERSIONS_RE.search(pip.text)
    available = [version.strip() for version in versions.group("versions").split(",")] if versions else []
    available = [version for version in available if version and version != "none"]
    finals = [version for version in available if FINAL_VERSION_RE.match(version)]
    newest = (finals or available or [None])[-1]
    ignored = IGNORED_PYTHON_RE.search(pip.text)
    pinned = re.search(r"===?([\w.+!]+)$", req)
    if ignored:
        needs = {entry.group("version"): entry.group("spec").strip() for entry in IGNORED_ENTRY_RE.finditer(ignored.group("list"))}
        spec = needs.get(pinned.group(1)) if pinned else None
        if spec or not available:
            spec = spec or sorted(set(needs.values()))[-1]
            which = "%s %s" % (name, pinned.group(1)) if pinned and pinned.group(1) in needs else "every matching release of %s" % name
            venv = "the virtualenv's python %s" % python if python else "the virtualenv's python"
            newest_for = " (the newest for it is %s)" % newest if newest else ""
            return "%s requires Python %s, not %s: pin a release of %s that supports it%s, or give the app a python that matches" % (
                which, spec, venv, name, newest_for)
    if not available and re.search(r"^\s*Looking in links: ", pip.text, re.M):
        return "No matching distribution found for %s in the app's wheelhouse: add a wheel of %s %s to it" % (
            req, name, _for_python(python))
    if newest:
        return "No matching distribution found for %s (the newest release on the index is %s): correct the requirement" % (req, newest)
    return "No matching distribution found for %s (the index has no release of %s): correct the requirement" % (req, name)


def _build_failure(pip, python, name, content):
    text = "\n".join(content)
    label = pip.label(name)
    diagnosis = _diagnose(text, name)
    from_source = name is None or normalize(name) in pip.sdists or not pip.sdists
    binary_only = name is not None and normalize(name).endswith("-binary")
    if diagnosis is None:
        detail = _clip(_meaningful(content))
        if binary_only and from_source:
            diagnosis = ("no-wheel", detail, [])
        else:
            return "%s failed to build from source: %s" % (label, detail)
    kind, cause, debs = diagnosis
    if kind == "network":
        return "%s failed to build: pip could not reach the package index (%s): check the host's DNS, proxy and firewall, or give the app a wheelhouse" % (
            label, cause)
    if (binary_only and from_source) or kind in ("python-api", "no-wheel"):
        newer = "pin a newer %s that has a wheel %s" % (name or "release", _for_python(python))
        return "no wheel of %s %s and its source does not build on it (%s): %s, or give the app another python" % (
            label, _for_python(python), cause, newer)
    with_wheel = "pin a release of %s with a wheel %s" % (name or "it", _for_python(python))
    if kind == "rust":
        return "%s failed to build from source: %s; %s, or %s" % (label, cause, FIX % _packages(debs), with_wheel)
    if kind in ("rust-old", "crates"):
        return "%s failed to build from source: %s; %s" % (label, cause, with_wheel)
    if not debs:
        header = re.match(r"^(\S+\.h\S*) is missing$", cause)
        if header:
            return "%s failed to build from source: %s; add the Debian package that ships it to the app's system_packages (apt-file search %s)" % (
                label, cause, header.group(1))
        return "%s failed to build from source: %s; add the Debian package that provides it to the app's system_packages" % (label, cause)
    return "%s failed to build from source: %s; %s" % (label, cause, _fix(debs))


def _also(message, pip, name):
    others = [other for other in pip.failed if name is None or normalize(other) != normalize(name)]
    if others:
        longer = "%s (also failed: %s)" % (message, ", ".join(others))
        if len(longer) <= MAX_LENGTH:
            return longer
    return message


def _last_error(pip):
    lines = [line.strip() for line in pip.lines if line.strip()]
    for prefix_re in (re.compile(r"^ERROR: "), ERROR_LINE_RE):
        candidates = [line for line in lines if prefix_re.match(line)]
        useful = [line for line in candidates if not BOILERPLATE_RE.match(line)]
        if useful or candidates:
            return (useful or candidates)[-1]
    return lines[-1] if lines else "pip failed and printed nothing"


def _without_build_output(pip, python):
    """The line for an output without the framed output of a build (no release, no index, an older pip)."""
    if NOT_FOUND_RE.search(pip.text) and re.search(r"\(from versions: none\)", pip.text):
        network = _network(pip)
        if network:
            return network
    found = _not_found(pip, python)
    if found:
        return found
    # No build ran: a connection error is pip's own.
    network = _network(pip)
    if network:
        return network
    name = pip.failed[0] if pip.failed else (pip.collected[-1][1] if pip.collected else None)
    if _diagnose(pip.text, name):
        return _also(_build_failure(pip, python, name, pip.lines), pip, name)
    return _last_error(pip)


def pip_failure(output, python_version=None):
    """One line, the cause of a failed `pip install` and its fix, from what pip printed.

    `output` is pip's standard output and standard error (joined in either order);
    `python_version` the virtualenv's Python (e.g. "3.13"), else read from the build's paths.
    """
    text = _clean(output)
    pip = _Pip(text)
    python = _python(python_version, text)
    blocks = [block for block in _blocks(pip.lines) if any(line for line in block[2])]
    if blocks:
        title, start, content = blocks[0]
        name = pip.block_name(title, start)
        message = _also(_build_failure(pip, python, name, content), pip, name)
    else:
        message = _without_build_output(pip, python)
    message = _one_line(message)
    return message if len(message) <= MAX_LENGTH else message[:MAX_LENGTH - 3].rstrip() + "..."
