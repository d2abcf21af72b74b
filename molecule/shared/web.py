"""HTTP requests a test host makes to itself (curl on the host), for scenario tests.

Scenario tests import it as `import web`: the verifier's PYTHONPATH holds this
directory (.config/molecule/config.yml).
"""

from collections import namedtuple

Response = namedtuple("Response", "status headers body")


def get(host, curl, url, *options, logs=None):
    """`curl` (a command line with its fixed options) for URL on the host.

    Returns Response(status, headers as a list of (lower-case name, value), body).
    `logs(host)` gives what to show when curl itself fails.
    """
    marker = "\n--status--"
    cmd = host.run(f"{curl} {' '.join(options)} -D /dev/stderr -w '{marker}%{{http_code}}' '{url}'")
    assert cmd.rc == 0, f"curl {url}: rc={cmd.rc} {cmd.stderr}\n{logs(host) if logs else ''}"
    body, status = cmd.stdout.rsplit(marker, 1)
    headers = [tuple(part.strip() for part in line.split(":", 1))
               for line in cmd.stderr.splitlines()[1:] if ":" in line]
    return Response(int(status), [(key.lower(), value) for key, value in headers], body)


def header(headers, key):
    """Every value of the header `key` (lower case)."""
    return [value for name, value in headers if name == key]
