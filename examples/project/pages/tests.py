# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of the pages app: DEBUG=true python manage.py test

They need no service: without DATABASE_URL and CACHE_URL they run on SQLite
and the in-process cache. Requests are made as HTTPS (secure=True), as nginx
would forward them, so they pass with the production security settings too.
"""

import platform
import shutil
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client, TestCase, TransactionTestCase, override_settings

from .models import Greeting, Heartbeat, Upload
from .views import HOME_CACHE_KEY


class CacheClearingTestCase(TestCase):
    """Each test starts with an empty cache (the in-process cache outlives a test)."""

    def setUp(self):
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)


class HomePageTests(CacheClearingTestCase):
    def test_shows_the_greeting_of_the_data_migration(self):
        response = self.client.get("/", secure=True)
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "pages/home.html")
        self.assertContains(response, "Hello from PostgreSQL")
        self.assertContains(response, "<h1>djangostack example</h1>", html=True)

    def test_links_the_stylesheet_and_the_logo(self):
        response = self.client.get("/", secure=True)
        self.assertContains(response, 'href="/static/pages/site.css"')
        self.assertContains(response, 'src="/static/pages/logo.svg"')

    def test_has_an_upload_form(self):
        response = self.client.get("/", secure=True)
        self.assertContains(response, 'action="/upload/"')
        self.assertContains(response, 'enctype="multipart/form-data"')
        self.assertContains(response, 'name="file"')
        self.assertContains(response, "csrfmiddlewaretoken")

    def test_data_is_cached_for_a_minute(self):
        self.client.get("/", secure=True)
        self.assertIn("Hello from PostgreSQL", cache.get(HOME_CACHE_KEY)["greetings"])

        # A change made behind Django's back shows only once the entry expires ...
        Greeting.objects.filter(text="Hello from PostgreSQL").update(text="Changed in SQL")
        self.assertContains(self.client.get("/", secure=True), "Hello from PostgreSQL")
        cache.delete(HOME_CACHE_KEY)
        self.assertContains(self.client.get("/", secure=True), "Changed in SQL")

        # ... while saving a model through Django drops the entry at once.
        Greeting.objects.create(text="A second greeting")
        self.assertContains(self.client.get("/", secure=True), "A second greeting")


def checks(response):
    """What the health check found, without the versions it reports."""
    return {key: value for key, value in response.json().items() if key in ("status", "database", "cache")}


class SlowTests(TestCase):
    def test_off_by_default(self):
        self.assertEqual(self.client.get("/slow/?seconds=0", secure=True).status_code, 404)

    @override_settings(EXAMPLE_SLOW_MAX=2)
    def test_sleeps_at_most_the_maximum(self):
        with mock.patch("pages.views.time.sleep") as sleep:
            response = self.client.get("/slow/?seconds=10", secure=True)
        self.assertEqual((response.status_code, response.content), (200, b"slept 2 s\n"))
        sleep.assert_called_once_with(2)

    @override_settings(EXAMPLE_SLOW_MAX=2)
    def test_seconds_must_be_a_number(self):
        self.assertEqual(self.client.get("/slow/?seconds=x", secure=True).status_code, 400)


class HealthTests(CacheClearingTestCase):
    def test_ok(self):
        response = self.client.get("/health/", secure=True)
        self.assertEqual(response.status_code, 200)
        found = response.json()
        self.assertEqual({key: found[key] for key in ("status", "database", "cache")},
                         {"status": "ok", "database": "ok", "cache": "ok"})
        self.assertEqual(found["python"], platform.python_version())
        self.assertIn("no-cache", response["Cache-Control"])

    def test_cache_failure_is_a_503(self):
        with (
            mock.patch("pages.views.cache.set", side_effect=ConnectionRefusedError("no memcached")),
            self.assertLogs("pages.views", "ERROR"),
            self.assertLogs("django.request", "ERROR"),
        ):
            response = self.client.get("/health/", secure=True)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(checks(response), {"status": "error", "database": "ok", "cache": "error"})

    def test_database_failure_is_a_503(self):
        with (
            mock.patch("pages.views.connection.cursor", side_effect=OperationalError("no database")),
            self.assertLogs("pages.views", "ERROR"),
            self.assertLogs("django.request", "ERROR"),
        ):
            response = self.client.get("/health/", secure=True)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(checks(response), {"status": "error", "database": "error", "cache": "ok"})


class UploadTests(CacheClearingTestCase):
    def setUp(self):
        super().setUp()
        media_root = tempfile.mkdtemp(prefix="example-media-")
        self.addCleanup(shutil.rmtree, media_root, ignore_errors=True)
        overridden = override_settings(MEDIA_ROOT=media_root)
        overridden.enable()
        self.addCleanup(overridden.disable)
        self.media_root = Path(media_root)

    def test_upload_is_stored_and_listed(self):
        self.client.get("/", secure=True)  # the home page data is now cached
        with self.assertLogs("pages.views", "INFO"):
            response = self.client.post(
                "/upload/",
                {"file": SimpleUploadedFile("notes.txt", b"some notes\n", content_type="text/plain")},
                secure=True,
            )
        self.assertRedirects(response, "/", status_code=303)

        upload = Upload.objects.get()
        self.assertEqual(upload.file.name, "uploads/notes.txt")
        self.assertEqual((self.media_root / "uploads" / "notes.txt").read_bytes(), b"some notes\n")

        home = self.client.get("/", secure=True)
        self.assertContains(home, '<strong id="upload-count">1</strong>', html=True)
        self.assertContains(home, '<a href="/media/uploads/notes.txt">notes.txt</a>', html=True)

    def test_too_large_is_a_400(self):
        with override_settings(PAGES_MAX_UPLOAD_SIZE=10), self.assertLogs("django.request", "WARNING"):
            response = self.client.post("/upload/", {"file": SimpleUploadedFile("big.bin", b"x" * 11)}, secure=True)
        self.assertContains(response, "The file is too large", status_code=400)
        self.assertFalse(Upload.objects.exists())

    def test_missing_file_is_a_400(self):
        with self.assertLogs("django.request", "WARNING"):
            response = self.client.post("/upload/", {}, secure=True)
        self.assertContains(response, "This field is required", status_code=400)

    def test_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        with self.assertLogs("django.security.csrf", "WARNING"):
            response = client.post("/upload/", {"file": SimpleUploadedFile("a.txt", b"a")}, secure=True)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Upload.objects.exists())

    def test_get_is_not_allowed(self):
        with self.assertLogs("django.request", "WARNING"):
            response = self.client.get("/upload/", secure=True)
        self.assertEqual(response.status_code, 405)


class RecordHeartbeatTests(TestCase):
    def test_inserts_a_row_and_prints_the_count(self):
        out = StringIO()
        call_command("record_heartbeat", stdout=out)
        call_command("record_heartbeat", stdout=out)
        self.assertEqual(list(Heartbeat.objects.values_list("source", flat=True)), ["cron", "cron"])
        lines = out.getvalue().splitlines()
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[-1].endswith("heartbeats in total: 2"), lines[-1])


# The worker recycles its database connection between rounds, which a
# TestCase's enclosing transaction would not survive on every database.
class RunWorkerTests(TransactionTestCase):
    def test_records_a_heartbeat_each_round(self):
        out = StringIO()
        call_command("run_worker", interval=0, rounds=2, stdout=out)
        self.assertEqual(Heartbeat.objects.filter(source="worker").count(), 2)
        self.assertIn("heartbeats: 2, uploads: 0", out.getvalue())
        self.assertIn("worker: stopped", out.getvalue())
