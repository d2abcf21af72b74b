# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The home page, the upload form's target and the health check."""

import logging
import platform
import time
import uuid

import django
from django.conf import settings

from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from .forms import UploadForm
from .models import Greeting, Heartbeat, Upload

logger = logging.getLogger(__name__)

# The home page's data lives in the cache under this key for this long; with
# CACHE_KEY_PREFIX=example the memcached key is "example:1:home". Saving or
# deleting a Greeting or an Upload through Django drops it (see signals.py).
HOME_CACHE_KEY = "home"
HOME_CACHE_TIMEOUT = 60
RECENT_UPLOADS = 10


def home_data():
    """What the home page shows, as plain (picklable) data."""
    last = Heartbeat.objects.first()
    return {
        "greetings": list(Greeting.objects.values_list("text", flat=True)),
        "upload_count": Upload.objects.count(),
        "uploads": [
            {"name": upload.basename, "url": upload.file.url} for upload in Upload.objects.all()[:RECENT_UPLOADS]
        ],
        "heartbeat_count": Heartbeat.objects.count(),
        "last_heartbeat": str(last) if last else None,
    }


@require_safe
def home(request):
    return _render_home(request, UploadForm())


def _render_home(request, form, status=200):
    data = cache.get_or_set(HOME_CACHE_KEY, home_data, HOME_CACHE_TIMEOUT)
    return render(request, "pages/home.html", {**data, "form": form}, status=status)


@require_POST
def upload(request):
    """Store the file sent in the multipart field "file", then go back home."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        # The home page again, with the form's error, as a 400.
        return _render_home(request, form, status=400)
    saved = Upload.objects.create(file=form.cleaned_data["file"])
    logger.info("Stored upload %s (%d bytes)", saved.file.name, saved.file.size)
    # 303: the browser follows with a GET, so a reload does not post again.
    return HttpResponseRedirect(reverse("pages:home"), status=303)


@never_cache
@require_safe
def health(request):
    """200 when the database answers a query and the cache stores a value; else 503."""
    result = {"status": "ok", "database": "ok", "cache": "ok",
              "python": platform.python_version(), "django": django.get_version()}

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone() != (1,):
                raise RuntimeError("SELECT 1 did not return 1")
    except Exception:  # any failure means "not healthy"; the log has the details
        logger.exception("Health check: the database failed")
        result["database"] = "error"

    # A key of its own for each check, so that concurrent checks never meet.
    key, token = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, token, timeout=10)
        if cache.get(key) != token:
            raise RuntimeError("the cache did not return the value just stored")
        cache.delete(key)
    except Exception:  # any failure means "not healthy"; the log has the details
        logger.exception("Health check: the cache failed")
        result["cache"] = "error"

    if "error" in result.values():
        result["status"] = "error"
        return JsonResponse(result, status=503)
    return JsonResponse(result)


@never_cache
@require_safe
def slow(request):
    """Answers after ?seconds= (at most EXAMPLE_SLOW_MAX; 404 when that is 0): a request in flight."""
    if settings.EXAMPLE_SLOW_MAX <= 0:
        raise Http404("off")
    try:
        seconds = min(float(request.GET.get("seconds", "1")), settings.EXAMPLE_SLOW_MAX)
    except ValueError:
        return HttpResponse("seconds must be a number\n", status=400, content_type="text/plain")
    time.sleep(max(seconds, 0))
    return HttpResponse(f"slept {seconds:g} s\n", content_type="text/plain")
