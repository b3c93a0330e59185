"""`rongthuk demo`: set up the demo and serve it with a real Celery worker and beat.

Ctrl-C stops the web server, the worker and the embedded PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from rongthuk.demo import DEMO_PASSWORD, demo_setup


class Command(BaseCommand):
    help = "Set up the demo bodies and accounts, then serve on :8000 with a Celery worker and beat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--setup-only", action="store_true")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--national", action="store_true",
                            help="the whole registry, and a first administrator invited for every body of --province")
        parser.add_argument("--province", default="76", help="DOPA province code for --national (default 76)")

    def handle(self, *args: object, **options: object) -> None:
        accounts = demo_setup(say=self.stdout.write, national=bool(options["national"]),
                              province=str(options["province"]))
        if options["setup_only"]:
            return
        port = int(options["port"])  # type: ignore[call-overload]
        env = dict(os.environ, DEBUG=os.environ.get("DEBUG", "1"), PYTHONUNBUFFERED="1")
        python = sys.executable
        children = [
            subprocess.Popen([python, "-m", "rongthuk.cli", "runserver", "--noreload", f"0.0.0.0:{port}"],
                             env=env),
            subprocess.Popen([python, "-m", "celery", "-A", "rongthuk.celery", "worker", "-B",
                              "--loglevel=INFO", "--concurrency=2"], env=env),
        ]
        self.stdout.write(self.style.SUCCESS("\nRongthuk is running:"))
        self.stdout.write(f"  platform        http://localhost:{port}/")
        self.stdout.write(f"  admin           http://localhost:{port}/admin/")
        self.stdout.write(f"  banlat          http://banlat.localhost:{port}/  (also http://5760601.localhost:{port}/)")
        self.stdout.write(f"\nDemo accounts (password: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.role:<40} {account.where}")
        self.stdout.write("\nCtrl-C stops everything.\n")
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
            if settings.EMBEDDED_DATABASE:
                # Only then: a deployment with DATABASE_URL needs no embedded-server package.
                from rongthuk import embedded

                embedded.stop()
            self.stdout.write("stopped.")
