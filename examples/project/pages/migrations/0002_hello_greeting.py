# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Data migration: the first greeting, which the home page shows once migrate ran."""

from django.db import migrations

TEXT = "Hello from PostgreSQL"


def add_greeting(apps, schema_editor):
    greeting = apps.get_model("pages", "Greeting")
    greeting.objects.using(schema_editor.connection.alias).get_or_create(text=TEXT)


def remove_greeting(apps, schema_editor):
    greeting = apps.get_model("pages", "Greeting")
    greeting.objects.using(schema_editor.connection.alias).filter(text=TEXT).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_greeting, remove_greeting),
    ]
