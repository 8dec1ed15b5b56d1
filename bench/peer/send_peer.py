"""Time django-newsletter sending N messages with Django's in-memory backend; print one JSON line.

Run with the peer virtualenv's Python, cwd = this folder, PEER_DATABASE_URL set:
    python send_peer.py COUNT ARTICLES WARMUP RUNS
Setup (subscriptions, message, submission) is not timed; `Submission.submit()` is: it is what
django-newsletter's `submit_newsletter` command and cron job run. A submission to WARMUP subscribers of
another newsletter goes first, untimed, as our side does (bench.parts.WARMUP_MESSAGES says why). RUNS
submissions of COUNT messages are set up, each to a newsletter of its own; then, for each line "run" on stdin, the
next one is timed and one JSON line written (the protocol of bench/stepper.py, which alternates the two sides).
"""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_settings")

import django  # noqa: E402

django.setup()

from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from newsletter.models import Article, Message, Newsletter, Submission, Subscription  # noqa: E402


def main() -> None:
    count, articles, warmup, runs = (int(arg) for arg in sys.argv[1:5])
    call_command("migrate", verbosity=0, interactive=False)
    warmup_submission = submission_create("warmup", count=warmup, articles=articles)
    submissions = [submission_create(f"bench{run}", count=count, articles=articles) for run in range(runs)]
    mail.outbox = []
    warmup_submission.submit()
    if len(mail.outbox) != warmup:
        raise SystemExit(f"the warm-up sent {len(mail.outbox)} messages, expected {warmup}")

    print(json.dumps({"ready": True}), flush=True)
    for submission, line in zip(submissions, sys.stdin, strict=False):
        if line.strip() != "run":
            break
        mail.outbox = []
        started = time.perf_counter()
        submission.submit()
        elapsed = time.perf_counter() - started
        sample = mail.outbox[0].message().as_bytes() if mail.outbox else b""
        print(json.dumps({"messages": len(mail.outbox), "seconds": elapsed, "sample_bytes": len(sample)}), flush=True)


def submission_create(slug: str, *, count: int, articles: int) -> Submission:
    newsletter = Newsletter.objects.create(title=f"{slug} news", slug=slug, email="news@example.org", sender="Bench")
    now = timezone.now()
    Subscription.objects.bulk_create(
        [
            Subscription(
                newsletter=newsletter,
                email_field=f"reader{i}@{slug}.example.org",
                name_field=f"Reader {i}",
                subscribed=True,
                subscribe_date=now,
                activation_code=f"{slug}{i:035d}"[-40:],
            )
            for i in range(count)
        ],
        batch_size=5000,
    )
    message = Message.objects.create(title="This month", slug=f"this-month-{slug}", newsletter=newsletter)
    for n in range(articles):
        Article.objects.create(
            post=message,
            title=f"Story {n}: the Commission on the Status of Women",
            text="<p>" + "At this year's session, advocates met delegations about care work. " * 8 + "</p>",
            url=f"https://example.org/news/{n}",
        )
    submission = Submission.from_message(message)
    submission.publish_date = now - timezone.timedelta(seconds=1)
    submission.save()
    return submission


if __name__ == "__main__":
    main()
