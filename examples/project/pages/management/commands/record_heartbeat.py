# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""record_heartbeat: write one Heartbeat row; meant to run from cron."""

from django.core.management.base import BaseCommand

from pages.models import Heartbeat


class Command(BaseCommand):
    help = 'Record a heartbeat (source "cron") and print how many there are in all.'

    def add_arguments(self, parser):
        parser.add_argument("--source", default="cron", help='the heartbeat\'s source (default: "cron")')

    def handle(self, *args, **options):
        Heartbeat.objects.create(source=options["source"])
        total = Heartbeat.objects.count()
        self.stdout.write(f"Recorded a heartbeat from {options['source']}; heartbeats in total: {total}")
