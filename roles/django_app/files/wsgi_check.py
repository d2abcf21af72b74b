# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Health check of a release before it goes live.

Installed by djangostack.deploy.django_app and run by the app's manage wrapper
(`<app>-manage --release DIR --python wsgi_check.py ...`), so it runs as the app
user, with the app's environment, in the release's project directory and
virtualenv. It imports the release's WSGI application and sends it one GET
request as nginx would (Host, X-Forwarded-Proto: https), without any server and
before any link points at the release. Exit status 0 when the answer is below
400, 1 otherwise, with the status and the start of the body on stderr.
"""

import argparse
import importlib
import io
import os
import sys


def build_environ(host, path):
    path, _sep, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_FOR": "127.0.0.1",
        "HTTP_USER_AGENT": "djangostack-health-check",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": True,
    }


def request(application, host, path):
    """The status code and the body of one GET request."""
    status = {}

    def start_response(line, headers, exc_info=None):
        status["line"] = line
        return lambda data: None

    result = application(build_environ(host, path), start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return int(status["line"].split()[0]), body


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wsgi", required=True, help="module:callable")
    parser.add_argument("--host", required=True, help="the Host header (a name in ALLOWED_HOSTS)")
    parser.add_argument("--path", default="/", help="the path to request")
    args = parser.parse_args(argv)
    sys.path.insert(0, os.getcwd())
    module_name, _sep, attribute = args.wsgi.partition(":")
    try:
        application = getattr(importlib.import_module(module_name), attribute or "application")
        code, body = request(application, args.host, args.path)
    except Exception as exc:  # pylint: disable=broad-except
        sys.stderr.write("health check: %s failed to load or answer: %s: %s\n"
                         % (args.wsgi, type(exc).__name__, exc))
        return 1
    if code >= 400:
        snippet = body[:300].decode("utf-8", "replace").replace("\n", " ")
        sys.stderr.write("health check: GET https://%s%s answered %d: %s\n" % (args.host, args.path, code, snippet))
        return 1
    sys.stdout.write("health check: GET https://%s%s answered %d\n" % (args.host, args.path, code))
    return 0


if __name__ == "__main__":
    sys.exit(main())
