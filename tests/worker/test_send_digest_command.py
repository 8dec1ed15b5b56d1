from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from newsletter.models import Digest, DigestItem
from tests.newsletter.factories import make_item
from tests.support.fake_mailgun import FakeMailgun
from tests.support.premailer import counting_premailer, runs_counted
from tests.support.processes import start_worker
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from tests.worker.test_send_mailgun import FAST
from worker.models import Batch, Delivery
from worker.planning import audience_plan


def run(*args) -> str:
    out = StringIO()
    call_command("send_digest", *[str(a) for a in args], stdout=out)
    return out.getvalue()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_it_sends_now_and_waits_with_a_progress_bar_and_the_final_account(tmp_path):
    mailing_list = make_list()
    make_audience(mailing_list, 120)
    digest = make_digest(mailing_list, status=Digest.Status.DRAFT, send_at=None)
    DigestItem.objects.create(digest=digest, news_item=make_item(mailing_list=mailing_list), position=0)
    premailer_count = tmp_path / "premailer-runs"
    with FakeMailgun() as fake:
        worker = start_worker(tmp_path, SEND_BATCH_SIZE="50", premailer_count=premailer_count, **FAST, **fake.env())
        try:
            with counting_premailer() as checks:
                output = run(digest.id, "--now", "--wait", "--interval", "0.2")
        finally:
            worker.stop()

    assert f"Digest {digest.id} scheduled to send now." in output
    assert "[" + "#" * 30 + "] 120/120 sent" in output
    assert "sent: 120  failed: 0  uncertain: 0  skipped: 0  (of 120)" in output
    assert "provider calls: 3" in output
    # Scheduling ran the pre-send checks, which inlined the variant; preparing (in the worker) found it unchanged.
    assert (checks.calls, runs_counted(premailer_count)) == (1, 0)
    assert len(fake.by_recipient()) == 120


@pytest.mark.django_db
def test_it_pauses_resumes_cancels_and_explains_what_it_cannot_do():
    mailing_list = make_list()
    make_audience(mailing_list, 2)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=10)

    assert "paused" in run(digest.id, "--pause")
    with pytest.raises(CommandError, match="it can be paused only when it is sending"):
        run(digest.id, "--pause")
    assert "resumed" in run(digest.id, "--resume")
    assert "cancelled" in run(digest.id, "--cancel")
    digest.refresh_from_db()
    assert digest.status == Digest.Status.CANCELLED
    with pytest.raises(CommandError, match="There is no digest with id 424242"):
        run(424242, "--now")


@pytest.mark.django_db
def test_it_lists_uncertain_batches_in_the_account_and_resends_them_on_request():
    mailing_list = make_list()
    make_audience(mailing_list, 2)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=10).batch_ids
    Batch.objects.filter(pk=batch_id).update(status=Batch.Status.UNCERTAIN, error="worker lost during the call")
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.UNCERTAIN)
    Digest.objects.filter(pk=digest.id).update(status=Digest.Status.SENT)

    report = run(digest.id, "--report")
    resent = run(digest.id, "--resend-uncertain")

    assert "sent: 0  failed: 0  uncertain: 2  skipped: 0  (of 2)" in report
    assert f"uncertain: batch {batch_id} (2 recipients): worker lost during the call" in report
    assert f"manage.py send_digest {digest.id} --resend-uncertain" in report
    assert "2 uncertain recipient(s)" in resent
    assert Batch.objects.filter(digest=digest, status=Batch.Status.PENDING).count() == 1


@pytest.mark.django_db
def test_it_keeps_waiting_through_a_database_restart_and_ends_with_the_account(monkeypatch):
    from django.db import OperationalError

    from worker.management.commands import send_digest
    from worker.selectors import digest_progress

    mailing_list = make_list()
    make_audience(mailing_list, 2)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    answers = iter(["down", "down", "sending", "sent"])

    def progress_through_a_restart(*, digest_id):
        answer = next(answers)
        if answer == "down":
            raise OperationalError("terminating connection due to administrator command")
        if answer == "sent":
            Digest.objects.filter(pk=digest_id).update(status=Digest.Status.SENT)
        return digest_progress(digest_id=digest_id)

    monkeypatch.setattr(send_digest, "digest_progress", progress_through_a_restart)
    monkeypatch.setattr(send_digest.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(send_digest.connection, "close", lambda: None)  # the test's own transaction stays

    out = StringIO()
    call_command("send_digest", digest.id, "--report", "--wait", stdout=out)

    output = out.getvalue()
    assert "The database is not answering (OperationalError)" in output
    assert "The database answers again." in output
    assert f"Digest {digest.id}: sent" in output


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "code"), [(Digest.Status.FAILED, 1), (Digest.Status.CANCELLED, 1),
                                               (Digest.Status.PAUSED, 2)])
def test_it_ends_a_wait_with_an_exit_code_that_says_what_is_left_to_do(status, code):
    digest = make_digest(make_list(), status=status)

    with pytest.raises(CommandError) as ended:
        call_command("send_digest", digest.id, "--report", "--wait", stdout=StringIO())

    assert ended.value.returncode == code
