# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The models in Django's admin (/admin/)."""

from django.contrib import admin

from .models import Greeting, Heartbeat, Upload


@admin.register(Greeting)
class GreetingAdmin(admin.ModelAdmin):
    list_display = ["text", "created"]


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["file", "uploaded"]


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["source", "created"]
    list_filter = ["source"]
