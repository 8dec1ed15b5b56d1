from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail

from editorial.models import OrganisationMembership
from newsletter.models import Digest, DigestItem, RecurringDigest
from newsletter.recurring import next_run_after, recurring_digests_run_due
from tests.newsletter.factories import make_digest, make_item, make_list
from tests.support.organisations import make_organisation

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _recurring(mailing_list, **fields):
    return RecurringDigest.objects.create(
        mailing_list=mailing_list,
        cadence=fields.pop("cadence", RecurringDigest.Cadence.DAILY),
        time_of_day=fields.pop("time_of_day", time(8, 0)),
        subject=fields.pop("subject", "{list} news of {date}"),
        next_run_at=fields.pop("next_run_at", MONDAY - timedelta(minutes=1)),
        **fields,
    )


def test_it_computes_weekly_and_monthly_runs_in_the_lists_time_zone():
    mailing_list = make_list(time_zone="Asia/Beirut")
    weekly = _recurring(mailing_list, cadence="weekly", weekday=2, time_of_day=time(8, 0))
    monthly = _recurring(mailing_list, cadence="monthly", day_of_month=31, time_of_day=time(8, 0))

    assert next_run_after(weekly, MONDAY) == datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # Wednesday 08:00 Beirut
    assert next_run_after(monthly, MONDAY) == datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # November has 30 days


@time_machine.travel(MONDAY, tick=False)
def test_it_leaves_a_draft_and_emails_the_editors_when_there_are_new_items():
    ed = get_user_model().objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    get_user_model().objects.create_user("reader", "reader@example.org", "pw", is_staff=False)
    other = get_user_model().objects.create_user("omar", "omar@example.org", "pw", is_staff=True)  # another organisation's
    mailing_list = make_list(name="MMM")
    OrganisationMembership.objects.create(user=ed, organisation=mailing_list.organisation)
    OrganisationMembership.objects.create(user=other, organisation=make_organisation(name="Another organisation"))
    items = [make_item(mailing_list=mailing_list, published_at=MONDAY - timedelta(hours=h)) for h in (1, 2)]
    recurring = _recurring(mailing_list, min_items=2)

    results = recurring_digests_run_due()

    digest = Digest.objects.get()
    assert digest.status == Digest.Status.DRAFT
    assert digest.subject == "MMM news of 23 November 2026"
    assert set(DigestItem.objects.filter(digest=digest).values_list("news_item_id", flat=True)) == {i.id for i in items}
    assert [m.to for m in mail.outbox] == [["ed@example.org"]]
    assert f"/admin/newsletter/digest/{digest.id}/change/" in mail.outbox[0].body
    recurring.refresh_from_db()
    assert recurring.next_run_at == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert "Draft digest" in results[0]


@time_machine.travel(MONDAY, tick=False)
def test_it_composes_nothing_without_enough_new_items():
    mailing_list = make_list()
    make_digest(mailing_list=mailing_list, status=Digest.Status.SENT, send_at=MONDAY - timedelta(days=1))
    make_item(mailing_list=mailing_list, published_at=MONDAY - timedelta(days=2))  # already sent
    make_item(mailing_list=mailing_list, published_at=MONDAY - timedelta(hours=1))
    recurring = _recurring(mailing_list, min_items=2)

    recurring_digests_run_due()

    assert Digest.objects.exclude(status=Digest.Status.SENT).count() == 0
    assert mail.outbox == []
    recurring.refresh_from_db()
    assert recurring.last_result.startswith("1 new item, 2 needed")


@time_machine.travel(MONDAY, tick=False)
def test_it_schedules_at_once_when_auto_send_and_runs_once_per_occurrence():
    mailing_list = make_list()
    make_item(mailing_list=mailing_list, published_at=MONDAY - timedelta(hours=1))
    _recurring(mailing_list, auto_send=True)

    recurring_digests_run_due()
    recurring_digests_run_due()

    digest = Digest.objects.get()
    assert digest.status == Digest.Status.SCHEDULED
    assert digest.send_at == MONDAY


@time_machine.travel(MONDAY, tick=False)
def test_it_does_not_reuse_the_items_of_its_previous_draft():
    mailing_list = make_list()
    make_item(mailing_list=mailing_list, published_at=MONDAY - timedelta(hours=1))
    recurring = _recurring(mailing_list)
    recurring_digests_run_due()

    with time_machine.travel(MONDAY + timedelta(days=1)):
        RecurringDigest.objects.filter(pk=recurring.pk).update(next_run_at=MONDAY + timedelta(hours=23))
        recurring_digests_run_due()

    assert Digest.objects.count() == 1
