# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Greetings shown on the home page, uploaded files, and heartbeats."""

import os

from django.db import models


class Greeting(models.Model):
    """A line of text for the home page (migration 0002 adds the first one)."""

    text = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self):
        return self.text


class Upload(models.Model):
    """A file uploaded from the home page, stored under MEDIA_ROOT/uploads/."""

    file = models.FileField(upload_to="uploads/")
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded", "-pk"]

    def __str__(self):
        return self.basename

    @property
    def basename(self):
        return os.path.basename(self.file.name)


class Heartbeat(models.Model):
    """A sign of life from a scheduled command ("cron") or the worker ("worker")."""

    source = models.CharField(max_length=50)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.source} at {self.created:%Y-%m-%d %H:%M:%S}"
