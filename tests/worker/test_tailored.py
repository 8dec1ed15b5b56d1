"""Tailored digests: each reader gets exactly the items of the topics she chose, from one variant per language and
item set, premailer once per variant; readers whose interests match no item are skipped with that reason."""

from __future__ import annotations

import html
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from editorial.selectors import sending_progress
from newsletter.checks import digest_check
from newsletter.models import Digest, DigestVariant
from newsletter.services import digest_compose
from newsletter.tailoring import SKIP_REASON
from subscribers.models import Subscription, Topic
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber
from tests.support.fake_mailgun import FakeMailgun
from tests.support.premailer import runs_counted
from tests.support.processes import start_worker
from tests.worker.test_send_mailgun import FAST
from worker.models import Batch, Delivery, DigestSend
from worker.planning import digests_claim_due
from worker.selectors import digest_account

pytestmark = [pytest.mark.django_db]


def topic(slug: str) -> Topic:
    return Topic.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]


def reader(mailing_list, language: str, *topics: str):
    subscriber = make_subscriber(mailing_list=mailing_list, language=language)
    subscriber.topics.set([topic(slug) for slug in topics])
    return subscriber


def item(title: str, *topics: str):
    news = make_item(title=title)
    news.topics.set([topic(slug) for slug in topics])
    return news


def tailored_digest(mailing_list, items, **fields) -> Digest:
    return make_digest(mailing_list=mailing_list, items=items, tailored=True, status=Digest.Status.SCHEDULED,
                       send_at=timezone.now() - timedelta(seconds=1), **fields)


def send(run_after_commit) -> None:
    with run_after_commit():
        digests_claim_due()


def titles_received(subscriber, titles: list[str]) -> list[str]:
    [message] = [m for m in mail.outbox if m.to == [subscriber.email]]
    html = message.alternatives[0][0]
    for title in titles:  # each title is in the text part exactly when it is in the HTML part
        assert (title in html) == (title in message.body), title
    return [title for title in titles if title in html]


TITLES = ["Water in the camps", "Health of mothers", "Letter from the board"]


def test_it_gives_each_reader_exactly_the_items_of_her_topics_with_one_premailer_run_per_variant(
        run_after_commit, premailer_runs):
    mailing_list = make_list(default_language="en")
    water_en = reader(mailing_list, "en", "water")
    water_and_health_fr = reader(mailing_list, "fr", "water", "health")
    water_fr = reader(mailing_list, "fr", "water")
    nothing_chosen_ar = reader(mailing_list, "ar")
    nothing_chosen_en = reader(mailing_list, "en")
    other_topic_en = reader(mailing_list, "en", "education")
    other_topic_ar = reader(mailing_list, "ar", "education", "culture")
    digest = tailored_digest(mailing_list, [item(TITLES[0], "water"), item(TITLES[1], "health"), item(TITLES[2])])

    send(run_after_commit)

    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENT
    assert titles_received(water_en, TITLES) == [TITLES[0], TITLES[2]]
    assert titles_received(water_and_health_fr, TITLES) == TITLES
    assert titles_received(water_fr, TITLES) == [TITLES[0], TITLES[2]]
    assert titles_received(nothing_chosen_ar, TITLES) == TITLES
    assert titles_received(nothing_chosen_en, TITLES) == TITLES
    # Topics no item carries: only the items without a topic, which go to everybody.
    assert titles_received(other_topic_en, TITLES) == [TITLES[2]]
    assert titles_received(other_topic_ar, TITLES) == [TITLES[2]]
    assert len(mail.outbox) == 7
    variants = {(v.language, v.item_key) for v in DigestVariant.objects.filter(digest=digest)}
    ids = list(digest.digest_items.order_by("position").values_list("news_item_id", flat=True))
    every, water_only, none = ",".join(map(str, sorted(ids))), f"{ids[0]},{ids[2]}", str(ids[2])
    assert variants == {("en", water_only), ("en", every), ("en", none), ("fr", every), ("fr", water_only),
                        ("ar", every), ("ar", none)}
    assert premailer_runs.calls == len(variants)
    # Each batch holds one variant's readers: all French water readers in one batch, sent from one variant.
    assert sorted(Batch.objects.filter(digest=digest).values_list("language", "size")) == [
        ("ar", 1), ("ar", 1), ("en", 1), ("en", 1), ("en", 1), ("fr", 1), ("fr", 1)]


def test_it_skips_the_readers_whose_interests_match_no_item_and_counts_them_with_the_reason(run_after_commit):
    mailing_list = make_list()
    water = reader(mailing_list, "en", "water")
    everything = reader(mailing_list, "fr")
    education = reader(mailing_list, "en", "education")
    culture = reader(mailing_list, "ar", "culture")
    digest = tailored_digest(mailing_list, [item(TITLES[0], "water"), item(TITLES[1], "health")])

    send(run_after_commit)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([water.email, everything.email])
    assert titles_received(water, TITLES) == [TITLES[0]]
    assert titles_received(everything, TITLES) == TITLES[:2]
    skipped = Delivery.objects.filter(digest=digest, status=Delivery.Status.SKIPPED)
    assert sorted(skipped.values_list("subscriber_id", "error", "batch_id")) == sorted(
        [(education.id, SKIP_REASON, None), (culture.id, SKIP_REASON, None)])
    assert digest_account(digest_id=digest.id) | {} == {"sent": 2, "failed": 0, "uncertain": 0, "skipped": 2,
                                                         "pending": 0, "total": 4}
    assert DigestSend.objects.get(digest=digest).total == 4
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENT
    # Consent: skipping changes nobody's subscription.
    assert set(Subscription.objects.filter(mailing_list=mailing_list).values_list("status", flat=True)) == {"active"}


def test_it_sends_a_digest_that_is_not_tailored_to_everybody_whatever_her_topics(run_after_commit):
    mailing_list = make_list()
    education = reader(mailing_list, "en", "education")
    digest = make_digest(mailing_list=mailing_list, items=[item(TITLES[0], "water"), item(TITLES[1], "health")],
                         status=Digest.Status.SCHEDULED, send_at=timezone.now() - timedelta(seconds=1))

    send(run_after_commit)

    assert titles_received(education, TITLES) == TITLES[:2]
    assert list(DigestVariant.objects.filter(digest=digest).values_list("language", "item_key")) == [("en", "")]


def test_it_refuses_a_tailored_digest_needing_more_variants_than_the_setting_allows(settings, run_after_commit):
    settings.TAILORED_VARIANTS_MAX = 2
    mailing_list = make_list()
    for slug in ("water", "health", "education"):
        reader(mailing_list, "en", slug)
    items = [item(TITLES[0], "water"), item(TITLES[1], "health"), item(TITLES[2], "education")]
    draft = make_digest(mailing_list=mailing_list, items=items, tailored=True)

    problems = digest_check(digest_id=draft.id)

    assert [(p.code, p.blocking) for p in problems] == [("too_many_variants", True)]
    assert "needs 3 variants" in problems[0].message and "at most 2" in problems[0].message
    assert not DigestVariant.objects.filter(digest=draft).exists()
    due = tailored_digest(mailing_list, items)
    send(run_after_commit)
    due.refresh_from_db()
    assert due.status == Digest.Status.FAILED and "needs 3 variants" in due.status_detail
    assert mail.outbox == []


def test_it_sends_a_resent_reader_the_variant_of_her_interests(run_after_commit):
    from worker.planning import batches_cut

    mailing_list = make_list()
    water = reader(mailing_list, "en", "water")
    health = reader(mailing_list, "en", "health")
    digest = tailored_digest(mailing_list, [item(TITLES[0], "water"), item(TITLES[1], "health")])
    send(run_after_commit)
    # Both come back without a batch, as an editor's resend of uncertain recipients leaves them.
    Delivery.objects.filter(digest=digest).update(status=Delivery.Status.PENDING, batch=None)
    health.topics.set([topic("education")])

    batch_ids = batches_cut(digest_id=digest.id, batch_size=10)

    [batch] = Batch.objects.filter(pk__in=batch_ids)
    assert batch.variant.item_key == str(digest.items.get(title=TITLES[0]).pk)
    assert list(batch.deliveries.values_list("subscriber_id", flat=True)) == [water.id]
    assert Delivery.objects.get(digest=digest, subscriber=health).status == Delivery.Status.SKIPPED


def test_it_lists_the_variants_with_their_items_and_readers_on_the_preview_and_the_confirmation(admin_client):
    mailing_list = make_list()
    reader(mailing_list, "en", "water")
    reader(mailing_list, "en", "water")
    reader(mailing_list, "fr")
    reader(mailing_list, "en", "education")
    digest = make_digest(mailing_list=mailing_list, items=[item(TITLES[0], "water"), item(TITLES[1], "health")],
                         tailored=True)

    page = admin_client.get(reverse("admin:newsletter_digest_preview", args=[digest.pk])).content.decode()
    confirm = admin_client.post(reverse("admin:newsletter_digest_action", args=[digest.pk, "send_now"])).content.decode()

    expected = ("2 variants: English with “Water in the camps” (2 readers); French with every item (1 reader); "
                "1 reader skipped: no item matches her interests")
    for body in (page, confirm):
        assert html.unescape(expected) in html.unescape(body)
        assert "3 people: 2 in English, 1 in French" in body
    water = DigestVariant.objects.get(digest=digest, language="en")
    frame = admin_client.get(reverse("admin:newsletter_digest_preview_html", args=[digest.pk, "en"]),
                             {"items": water.item_key}).content.decode()
    assert TITLES[0] in frame and TITLES[1] not in frame


def test_it_says_in_the_account_how_many_were_skipped_because_no_item_matches_her_interests(run_after_commit,
                                                                                            admin_client):
    mailing_list = make_list()
    reader(mailing_list, "en", "water")
    reader(mailing_list, "en", "education")
    digest = tailored_digest(mailing_list, [item(TITLES[0], "water")])
    send(run_after_commit)
    out = StringIO()

    call_command("send_digest", str(digest.id), "--report", stdout=out)
    detail = admin_client.get(reverse("admin:worker_send_change", args=[digest.pk])).content.decode()
    progress = sending_progress(digest=Digest.objects.select_related("mailing_list").get(pk=digest.pk))

    assert "skipped: 1 no item matches her interests" in out.getvalue()
    assert "Skipped: no item matches her interests</th><td>1</td>" in detail
    assert "Skipped (no longer subscribed)" not in detail
    assert progress["skipped_text"] == "1 skipped: no item matches her interests"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_it_sends_a_tailored_digest_through_a_real_worker_with_one_premailer_run_per_variant(tmp_path):
    mailing_list = make_list()
    readers = {reader(mailing_list, "en", "water"): [TITLES[0], TITLES[2]],
               reader(mailing_list, "fr", "health"): [TITLES[1], TITLES[2]],
               reader(mailing_list, "ar"): TITLES,
               reader(mailing_list, "ar", "education"): [TITLES[2]]}
    digest = make_digest(mailing_list=mailing_list, tailored=True,
                         items=[item(TITLES[0], "water"), item(TITLES[1], "health"), item(TITLES[2])])
    premailer_count = tmp_path / "premailer-runs"
    with FakeMailgun() as fake:
        worker = start_worker(tmp_path, premailer_count=premailer_count, **FAST, **fake.env())
        try:
            out = StringIO()
            call_command("send_digest", str(digest.id), "--now", "--wait", "--interval", "0.2", stdout=out)
        finally:
            worker.stop()

    received = fake.by_recipient()
    for subscriber, titles in readers.items():
        [message] = received[subscriber.email]
        assert [title for title in TITLES if title in message.html] == titles
    variants = DigestVariant.objects.filter(digest=digest).count()
    assert variants == 4
    # Scheduling ran the pre-send checks, which rendered the four variants; preparing found them unchanged.
    assert runs_counted(premailer_count) == 0
    assert "sent: 4  failed: 0  uncertain: 0  skipped: 0  (of 4)" in out.getvalue()


def test_it_lets_an_editor_mark_a_digest_tailored_when_composing_it_or_on_its_form(admin_client):
    mailing_list = make_list()
    item(TITLES[0], "water").mailing_lists.add(mailing_list)

    admin_client.post(reverse("admin:newsletter_digest_compose"),
                      {"mailing_list": mailing_list.pk, "subject": "Our news", "tailored": "on"})
    form = admin_client.get(reverse("admin:newsletter_digest_change", args=[Digest.objects.get().pk])).content.decode()

    assert Digest.objects.get().tailored
    assert 'name="tailored"' in form and "Each reader gets only the items of the topics she chose" in form
    assert not digest_compose(mailing_list_id=mailing_list.pk, subject="Plain").tailored


def test_it_renders_during_the_plan_the_variant_of_a_reader_who_joined_after_the_rendering(premailer_runs):
    from newsletter.rendering import render_digest_variants
    from worker.planning import audience_plan

    mailing_list = make_list()
    reader(mailing_list, "en", "water")
    digest = make_digest(mailing_list=mailing_list, items=[item(TITLES[0], "water"), item(TITLES[1], "health")],
                         tailored=True, status=Digest.Status.SENDING)
    variants = render_digest_variants(digest_id=digest.id)
    latecomer = reader(mailing_list, "fr", "health")
    before = premailer_runs.calls

    plan = audience_plan(digest=digest, variants=variants, batch_size=10)

    assert (plan.total, len(variants), premailer_runs.calls - before) == (2, 1, 1)
    batch = Delivery.objects.get(digest=digest, subscriber=latecomer).batch
    assert (batch.variant.language, batch.variant.item_key) == ("fr", str(digest.items.get(title=TITLES[1]).pk))
