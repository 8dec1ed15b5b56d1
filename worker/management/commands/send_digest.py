"""manage.py send_digest ID [--now] [--wait] [--pause | --resume | --cancel | --resend-uncertain | --report]"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from newsletter.lifecycle import Actor
from newsletter.models import Digest
from worker import control
from worker.selectors import (
    digest_cost,
    digest_progress,
    failed_batches,
    skipped_no_match,
    uncertain_batches,
    zone_progress,
)
from worker.sql import CONNECTION_ERRORS

_ACTOR = Actor(command="send_digest")
_FINAL = (Digest.Status.SENT, Digest.Status.FAILED, Digest.Status.CANCELLED)
_WAITING_FOR_EDITOR = (Digest.Status.NEEDS_CONFIRMATION, Digest.Status.PAUSED, Digest.Status.DRAFT)
_BAR = 30
# --wait keeps asking through database restarts; it gives up only after this long without an answer.
_UNREACHABLE_LIMIT = 900.0
# Exit codes of --wait: what a script or a cron job needs to know.
EXIT_SENT, EXIT_FAILED, EXIT_NEEDS_EDITOR, EXIT_UNREACHABLE = 0, 1, 2, 3
T = TypeVar("T")


class Command(BaseCommand):
    help = (
        "Schedule a digest for sending (draft, scheduled, or waiting for confirmation), or pause, resume, "
        "cancel it, or resend its uncertain recipients. With --wait, show progress until it is done and print "
        "the final account; the exit code is then 0 when it was sent with no uncertain recipient, 1 when it "
        "failed or was cancelled, 2 when it waits for an editor (paused, to confirm, uncertain recipients to "
        "decide on) and 3 when the database stayed unreachable."
    )

    def add_arguments(self, parser):
        parser.add_argument("digest_id", type=int)
        parser.add_argument("--now", action="store_true", help="send now instead of at the digest's send time")
        parser.add_argument("--wait", action="store_true",
                            help="show a progress bar until the send is done (with --report: watch a send already going)")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between progress updates")
        actions = parser.add_mutually_exclusive_group()
        actions.add_argument("--pause", action="store_true")
        actions.add_argument("--resume", action="store_true")
        actions.add_argument("--cancel", action="store_true")
        actions.add_argument("--resend-uncertain", action="store_true",
                             help="send again to recipients whose outcome is unknown (they may get a second copy)")
        actions.add_argument("--report", action="store_true", help="only print the account as it stands")

    def handle(self, *args, digest_id: int, now: bool, wait: bool, interval: float, pause: bool, resume: bool,
               cancel: bool, resend_uncertain: bool, report: bool, **options):
        try:
            if report:
                if not Digest.objects.filter(pk=digest_id).exists():
                    raise control.SendControlError(f"There is no digest {digest_id}.")
                if not wait:
                    progress = self._ask(lambda: digest_progress(digest_id=digest_id))
                    self._ask(lambda: self._account(digest_id, progress))
                    return
            elif pause:
                control.digest_pause(digest_id=digest_id, actor=_ACTOR)
                self.stdout.write(f"Digest {digest_id} paused: no new batch will be claimed until --resume.")
            elif resume:
                control.digest_resume(digest_id=digest_id, actor=_ACTOR)
                self.stdout.write(f"Digest {digest_id} resumed.")
            elif cancel:
                control.digest_cancel(digest_id=digest_id, actor=_ACTOR)
                self.stdout.write(f"Digest {digest_id} cancelled: batches not yet sent are skipped.")
            elif resend_uncertain:
                count = control.digest_resend_uncertain(digest_id=digest_id, actor=_ACTOR)
                self.stdout.write(f"{count} uncertain recipient(s) of digest {digest_id} queued again.")
            else:
                digest = control.digest_schedule_send(digest_id=digest_id, now=now, actor=_ACTOR)
                when = "now" if digest.send_at <= timezone.now() else f"at {digest.send_at.isoformat()}"
                self.stdout.write(f"Digest {digest_id} scheduled to send {when}.")
        except control.SendControlError as exc:
            raise CommandError(str(exc)) from None
        if wait:
            self._wait(digest_id, interval)

    def _wait(self, digest_id: int, interval: float) -> None:
        while True:
            progress = self._ask(lambda: digest_progress(digest_id=digest_id), interval=interval)
            self._draw(progress)
            if progress["status"] in _FINAL or progress["status"] in _WAITING_FOR_EDITOR:
                break
            time.sleep(interval)
        self.stdout.write("")
        self._finish(digest_id, progress)

    def _ask(self, read: Callable[[], T], *, interval: float = 1.0) -> T:
        """Read through database restarts: the send goes on without us, so we reconnect and keep showing it."""
        down_since = None
        while True:
            try:
                answer = read()
            except CONNECTION_ERRORS as exc:
                now = time.monotonic()
                if down_since is None:
                    down_since = now
                    self.stdout.write(f"\nThe database is not answering ({type(exc).__name__}); the send goes on, "
                                      "and progress will show again when it answers.")
                elif now - down_since > _UNREACHABLE_LIMIT:
                    raise CommandError("The database stayed unreachable; the send may still be going on. Ask again "
                                       "with --report.", returncode=EXIT_UNREACHABLE) from None
                connection.close()
                time.sleep(max(interval, 1.0))
                continue
            if down_since is not None:
                self.stdout.write("The database answers again.")
            return answer

    def _finish(self, digest_id: int, progress: dict) -> None:
        """Print the account and end with the exit code that says what is left to do."""
        self._ask(lambda: self._account(digest_id, progress))
        status = progress["status"]
        if status in (Digest.Status.FAILED, Digest.Status.CANCELLED):
            raise CommandError(f"Digest {digest_id} {status}.", returncode=EXIT_FAILED)
        if status != Digest.Status.SENT or progress["uncertain"]:
            raise CommandError(f"Digest {digest_id} waits for an editor ({status}"
                               f"{', uncertain recipients' if progress['uncertain'] else ''}).",
                               returncode=EXIT_NEEDS_EDITOR)

    def _draw(self, p: dict) -> None:
        total = p["total"] or 0
        filled = int(_BAR * p["done"] / total) if total else 0
        eta = f"ETA {p['eta']:.0f}s" if p["eta"] is not None else "ETA -"
        line = (f"\r[{'#' * filled}{'-' * (_BAR - filled)}] {p['sent']}/{total} sent  "
                f"{p['rate']:.1f}/s  {eta}  ({p['status']})")
        self.stdout.write(line, ending="")
        self.stdout.flush()

    def _account(self, digest_id: int, p: dict) -> None:
        cost = digest_cost(digest_id=digest_id)
        self.stdout.write(f"Digest {digest_id}: {p['status']}")
        self.stdout.write(f"  sent: {p['sent']}  failed: {p['failed']}  uncertain: {p['uncertain']}  "
                          f"skipped: {p['skipped']}  (of {p['total']})")
        if p["skipped"] and (no_match := skipped_no_match(digest_id=digest_id)):
            self.stdout.write(f"  skipped: {no_match} no item matches her interests")
        self.stdout.write(f"  provider calls: {cost['provider_calls']}")
        for zone in zone_progress(digest_id=digest_id):
            self.stdout.write(f"  zone {zone.zone}: {zone.state} from {zone.starts_at:%Y-%m-%d %H:%M} UTC, "
                              f"{zone.readers} readers, {zone.batches_done}/{zone.batches} batches done")
        for batch in uncertain_batches(digest_id=digest_id):
            self.stdout.write(f"  uncertain: batch {batch.id} ({batch.uncertain} recipients): {batch.error[:200]}")
        for batch in failed_batches(digest_id=digest_id):
            self.stdout.write(f"  failed: batch {batch.id} ({batch.size} recipients): {batch.error[:200]}")
        if p["uncertain"]:
            self.stdout.write(f"  Resend them with: manage.py send_digest {digest_id} --resend-uncertain")
        if p["status"] in _WAITING_FOR_EDITOR and p["status"] not in _FINAL:
            self.stdout.write(f"  Waiting for an editor ({p['status']}).")
