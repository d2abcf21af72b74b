# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""run_worker: a long-running background process (the Procfile's "worker").

Every --interval seconds it records a Heartbeat (source "worker") and logs a
line with the number of heartbeats and uploads. SIGTERM (what supervisord
sends to stop it) or SIGINT ends it cleanly, with exit status 0, after the
round in progress.
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from pages.models import Heartbeat, Upload


class Command(BaseCommand):
    help = "Record a heartbeat every --interval seconds until stopped by SIGTERM or SIGINT."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between rounds (default: 30)")
        parser.add_argument("--rounds", type=int, default=0, help="stop after this many rounds (default: 0, never)")

    def handle(self, *args, **options):
        interval, rounds = options["interval"], options["rounds"]
        if interval < 0 or rounds < 0:
            raise CommandError("--interval and --rounds cannot be negative.")

        stop = threading.Event()
        received = []

        def request_stop(signum, frame):  # pylint: disable=unused-argument
            # Only note it here: writing to stdout from a signal handler can
            # collide with a write in progress.
            received.append(signal.Signals(signum).name)
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.say(f"worker: started, one round every {interval:g} s")
            done = 0
            while not stop.is_set():
                self.one_round()
                done += 1
                if rounds and done >= rounds:
                    break
                stop.wait(interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            close_old_connections()
        self.say(f"worker: stopped ({received[0] if received else 'all rounds done'})")

    def one_round(self):
        # A long-running process has no request cycle to recycle its database
        # connection, so do it here (CONN_MAX_AGE and health checks apply).
        close_old_connections()
        try:
            Heartbeat.objects.create(source="worker")
            heartbeats, uploads = Heartbeat.objects.count(), Upload.objects.count()
        except DatabaseError as exc:
            # Keep going: the database may be back by the next round.
            self.say(f"worker: database error, will retry: {exc}", self.stderr)
            return
        self.say(f"worker: heartbeat recorded; heartbeats: {heartbeats}, uploads: {uploads}")

    def say(self, line, stream=None):
        """One line (on stdout by default), flushed at once so that supervisord's log is current."""
        stream = stream or self.stdout
        stream.write(line)
        stream.flush()
