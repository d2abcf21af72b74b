"""The page the tests read: who serves the request, and how the request arrived."""

import os

from django.http import HttpResponse


def whoami(request):
    lines = [
        "owner=%s" % os.environ.get("APP_OWNER", ""),
        "greeting=%s" % os.environ.get("GREETING", ""),
        "pid=%d" % os.getpid(),
        "uid=%d" % os.getuid(),
        "secure=%s" % request.is_secure(),
        "remote=%s" % request.META.get("REMOTE_ADDR", ""),
        "script_name=%s" % request.META.get("SCRIPT_NAME", ""),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
