"""manage.py announce_ready: the last process of `make run` (Procfile.dev). It waits until /healthz says the
database, Redis and every worker answer, then prints the logins and addresses again, below the start-up output
of the other processes, and stays: honcho stops every process of the Procfile when one of them ends."""

from __future__ import annotations

import json
import signal
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def health_answers(url: str, *, workers: int) -> bool:
    """Whether `url` (a /healthz) says everything is up with at least `workers` workers answering."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local web process
            report = json.loads(response.read())
    except (OSError, ValueError):  # not listening yet, 503 (HTTPError is an OSError), half-started
        return False
    return bool(report.get("ok")) and report.get("workers", {}).get("count", 0) >= workers


class Command(BaseCommand):
    help = ("Wait until the web process, database, Redis and the workers answer, then print the logins and "
            "addresses of `make run` again and stay running.")

    def add_arguments(self, parser):
        parser.add_argument("--url", default=settings.SITE_URL, help="where the web process listens")
        parser.add_argument("--workers", type=int, default=3, help="workers that must answer")
        parser.add_argument("--timeout", type=float, default=300, help="seconds to wait before printing anyway")

    def handle(self, *args, url: str, workers: int, timeout: float, **options):
        health = url.rstrip("/") + "/healthz"
        deadline = time.monotonic() + timeout
        ready = health_answers(health, workers=workers)
        while not ready and time.monotonic() < deadline:
            time.sleep(1)
            ready = health_answers(health, workers=workers)
        site = settings.SITE_URL
        if ready:
            self.stdout.write(self.style.SUCCESS(f"Ready: web, database, Redis and {workers} workers answer."))
        else:
            self.stdout.write(self.style.WARNING(f"Not everything answered after {timeout:.0f} s: see {health}"))
        # The commands that made the logins print them: one place says what a login line looks like.
        call_command("ensure_admin", stdout=self.stdout)
        call_command("ensure_demo_editors", stdout=self.stdout)
        self.stdout.write(f"Editor's desk: {site}/desk/  (sign in with an editor login above)")
        self.stdout.write(f"Subscribe page: {site}/   Outbox: {site}/outbox/   Health: {site}/healthz")
        self.stdout.write("Ctrl-C stops everything.")
        self.stdout.flush()
        try:
            while True:
                signal.pause()
        except KeyboardInterrupt:
            return
