"""Time django-newsletter sending N messages with Django's in-memory backend; print one JSON line.

Run with the peer virtualenv's Python, cwd = this folder, PEER_DATABASE_URL set:
    python send_peer.py COUNT ARTICLES
Setup (subscriptions, message, submission) is not timed; `Submission.submit()` is: it is what
django-newsletter's `submit_newsletter` command and cron job run.
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
    count, articles = int(sys.argv[1]), int(sys.argv[2])
    call_command("migrate", verbosity=0, interactive=False)
    newsletter = Newsletter.objects.create(title="Bench news", slug="bench", email="news@example.org", sender="Bench")
    now = timezone.now()
    Subscription.objects.bulk_create(
        [
            Subscription(
                newsletter=newsletter,
                email_field=f"reader{i}@bench.example.org",
                name_field=f"Reader {i}",
                subscribed=True,
                subscribe_date=now,
                activation_code=f"{i:040d}",
            )
            for i in range(count)
        ],
        batch_size=5000,
    )
    message = Message.objects.create(title="This month", slug="this-month", newsletter=newsletter)
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

    mail.outbox = []
    started = time.perf_counter()
    submission.submit()
    elapsed = time.perf_counter() - started
    sent = len(mail.outbox)
    sample = mail.outbox[0].message().as_bytes() if mail.outbox else b""
    print(json.dumps({"messages": sent, "seconds": elapsed, "sample_bytes": len(sample)}))


if __name__ == "__main__":
    main()
