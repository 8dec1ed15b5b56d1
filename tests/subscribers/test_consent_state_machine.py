"""Nobody but the person, through a link only she received, makes a subscription active again
(subscribers.transitions; docs/subscription-states.md). Each test tries one path that used to, or could."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.test import Client

from config.redis_client import shared_client
from subscribers import services, tokens
from subscribers.imports import subscribers_import
from subscribers.models import ConsentRecord, Subscription
from tests.subscribers.factories import make_list, make_subscriber, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    return make_list(name="MMM News", slug="news")


@pytest.fixture
def chapter():
    return make_list(name="Lebanon chapter", slug="lebanon")


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _confirm_paths() -> list[str]:
    return [re.search(r"https?://\S+(/confirm/\S+/)", m.body).group(1) for m in mail.outbox if "/confirm/" in m.body]


def _anonymous_request(email: str, lists: list[str], *, api: bool = False, ip: str = "10.0.0.1"):
    if api:
        body = json.dumps({"email": email, "lists": lists, "consent": True})
        return Client().post("/api/subscribe", body, content_type="application/json", REMOTE_ADDR=ip)
    data = {"email": email, "name": "", "language": "en", "lists": lists, "consent": "on"}
    return Client().post("/subscribe/", data, REMOTE_ADDR=ip)


def _left(person, mailing_list):
    subscribe(person, mailing_list)
    services.subscription_unsubscribe(subscriber_id=person.id, list_id=mailing_list.id, source="link")


@pytest.mark.parametrize("api", [False, True])
def test_it_leaves_an_unsubscribed_subscription_unsubscribed_on_an_anonymous_request(news, run_after_commit, api):
    person = make_subscriber("amal@example.org")
    _left(person, news)
    before = Subscription.objects.values("status", "unsubscribed_at", "unsubscribe_source").get()
    with run_after_commit():
        _anonymous_request("amal@example.org", ["news"], api=api)
    assert Subscription.objects.values("status", "unsubscribed_at", "unsubscribe_source").get() == before


def test_it_lets_no_import_activate_someone_an_anonymous_request_touched(news, run_after_commit):
    """The chain that broke the promise: a stranger types her address, then the organisation imports a list."""
    person = make_subscriber("amal@example.org")
    _left(person, news)
    with run_after_commit():
        _anonymous_request("amal@example.org", ["news"])
    pending = make_subscriber("typed@example.org")
    with run_after_commit():
        _anonymous_request("typed@example.org", ["news"])
    report = subscribers_import(data=b"email\namal@example.org\ntyped@example.org\n", list_slug="news")
    assert [(r.email, r.outcome, r.reason) for r in report.rows] == [
        ("amal@example.org", "skipped", "unsubscribed from this list"),
        ("typed@example.org", "skipped", "waiting for her own confirmation"),
    ]
    assert Subscription.objects.get(subscriber=person).status == "unsubscribed"
    assert Subscription.objects.get(subscriber=pending).status == "pending"


def test_it_kills_a_confirmation_email_sent_before_she_unsubscribed(news, run_after_commit):
    with run_after_commit():
        _anonymous_request("amal@example.org", ["news"])
    [old_link] = _confirm_paths()
    with run_after_commit():
        Client().post(old_link)
    person = Subscription.objects.get().subscriber
    services.subscription_unsubscribe(subscriber_id=person.id, list_id=news.id, source="one-click")
    with run_after_commit():
        page = Client().post(old_link)
    assert Subscription.objects.get().status == "unsubscribed"
    assert "This link no longer works" in page.content.decode()


def test_it_activates_an_ended_subscription_through_the_link_of_her_new_request(news, run_after_commit):
    person = make_subscriber("amal@example.org")
    _left(person, news)
    with run_after_commit():
        _anonymous_request("amal@example.org", ["news"])
    [link] = _confirm_paths()
    assert Subscription.objects.get().status == "unsubscribed"  # the email alone changes nothing
    with run_after_commit():
        Client().post(link)
    subscription = Subscription.objects.get()
    assert subscription.status == "active" and subscription.unsubscribed_at is None


def test_it_sends_a_confirmation_for_another_list_asked_for_within_the_hour(news, chapter, run_after_commit):
    person = make_subscriber("amal@example.org")
    subscribe(person, news)
    _left(person, chapter)
    with run_after_commit():
        _anonymous_request("amal@example.org", ["lebanon"])
    url = _path(tokens.preferences_url(subscriber_id=person.id))
    other = make_list(name="Morocco partner", slug="morocco")
    with run_after_commit():
        page = Client().post(url, {"language": "en", "lists": [news.id, chapter.id, other.id]})
    assert len(_confirm_paths()) == 2  # one for the chapter, then one for Morocco: the second is not swallowed
    assert "We sent you an email: confirm it" in page.content.decode()


def test_it_tells_her_truthfully_when_she_may_ask_for_another_confirmation(news, chapter, run_after_commit):
    person = make_subscriber("amal@example.org")
    subscribe(person, news)
    _left(person, chapter)
    url = _path(tokens.preferences_url(subscriber_id=person.id))
    with run_after_commit():
        Client().post(url, {"language": "en", "lists": [news.id, chapter.id]})
    with run_after_commit():
        page = Client().post(url, {"language": "en", "lists": [news.id, chapter.id], "resend": "1"})
    text = page.content.decode()
    assert len(_confirm_paths()) == 1
    assert "We sent you a confirmation email for this a moment ago" in text
    assert re.search(r"You can ask for a new one in (59|60)\xa0minutes", text)
    redis = shared_client()
    for key in redis.scan_iter(match=cache.make_key("ratelimit:confirm-mail:*")):
        redis.delete(key)  # the hour is over (Redis keeps its own clock)
    with run_after_commit():
        Client().post(url, {"language": "en", "lists": [news.id, chapter.id], "resend": "1"})
    assert len(_confirm_paths()) == 2


def test_it_labels_a_list_waiting_for_her_confirmation_instead_of_showing_it_as_received(news, chapter, run_after_commit):
    person = make_subscriber("amal@example.org")
    subscribe(person, news)
    _left(person, chapter)
    url = _path(tokens.preferences_url(subscriber_id=person.id))
    with run_after_commit():
        Client().post(url, {"language": "en", "lists": [news.id, chapter.id]})
    text = Client().get(url).content.decode()
    assert "Lebanon chapter (waiting for your confirmation: check your inbox)" in text
    assert "MMM News (waiting" not in text
    assert "Send the confirmation email again" in text


def test_it_kills_her_pending_link_when_she_unticks_the_list_again(news, chapter, run_after_commit):
    person = make_subscriber("amal@example.org")
    subscribe(person, news)
    _left(person, chapter)
    url = _path(tokens.preferences_url(subscriber_id=person.id))
    with run_after_commit():
        Client().post(url, {"language": "en", "lists": [news.id, chapter.id]})
    [link] = _confirm_paths()
    Client().post(url, {"language": "en", "lists": [news.id]})
    with run_after_commit():
        Client().post(link)
    assert Subscription.objects.get(mailing_list=chapter).status == "unsubscribed"


def _unsubscribe_page(person, mailing_list) -> tuple[str, str]:
    url = _path(tokens.unsubscribe_url(subscriber_id=person.id, list_id=mailing_list.id))
    page = Client().post(url).content.decode()
    match = re.search(r'name="undo" value="([^"]+)"', page)
    return url, match.group(1) if match else ""


def test_it_undoes_an_unsubscribe_from_the_page_that_made_it(news, run_after_commit):
    person = make_subscriber("amal@example.org")
    subscribe(person, news)
    url, undo = _unsubscribe_page(person, news)
    assert Subscription.objects.get().status == "unsubscribed" and undo
    page = Client().post(url, {"undo": undo})
    assert "you are subscribed again" in page.content.decode()
    assert Subscription.objects.get().status == "active"


def test_it_offers_no_undo_to_a_second_click_on_an_old_link(news):
    """Whoever holds a forwarded email must not be able to revive the unsubscribe she made herself."""
    person = make_subscriber("amal@example.org")
    subscribe(person, news)
    _url, first_undo = _unsubscribe_page(person, news)
    _url, second_undo = _unsubscribe_page(person, news)
    assert first_undo and second_undo == ""


def test_it_refuses_an_undo_token_for_another_person_or_an_older_unsubscribe(news):
    amal, sara = make_subscriber("amal@example.org"), make_subscriber("sara@example.org")
    subscribe(amal, news)
    subscribe(sara, news)
    amal_url, amal_undo = _unsubscribe_page(amal, news)
    sara_url, _sara_undo = _unsubscribe_page(sara, news)
    assert Client().post(sara_url, {"undo": amal_undo}).status_code == 400
    Client().post(amal_url, {"undo": amal_undo})  # amal undoes, then leaves again
    _unsubscribe_page(amal, news)
    Client().post(amal_url, {"undo": amal_undo})  # the first undo token is spent: it was for the older unsubscribe
    assert set(Subscription.objects.values_list("status", flat=True)) == {"unsubscribed"}


def test_it_asks_for_a_confirmation_when_undoing_a_subscription_she_never_confirmed(news, run_after_commit):
    person = make_subscriber("amal@example.org")
    subscribe(person, news, status="pending")
    url, undo = _unsubscribe_page(person, news)
    with run_after_commit():
        page = Client().post(url, {"undo": undo})
    assert Subscription.objects.get().status == "unsubscribed"
    assert "We sent you an email: confirm it" in page.content.decode() and len(_confirm_paths()) == 1


def test_it_lets_no_administrator_start_revive_or_delete_a_subscription(news, client):
    admin = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    person = make_subscriber("amal@example.org")
    _left(person, news)
    subscription = Subscription.objects.get()
    page = client.get(f"/admin/subscribers/subscription/{subscription.id}/change/")
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    client.post(f"/admin/subscribers/subscription/{subscription.id}/change/", {"status": "active"})
    assert client.get("/admin/subscribers/subscription/add/").status_code == 403
    assert client.post(f"/admin/subscribers/subscription/{subscription.id}/delete/", {"post": "yes"}).status_code == 403
    inline = client.get(f"/admin/subscribers/subscriber/{person.id}/change/").content.decode()
    assert 'name="subscriptions-0-status"' not in inline
    assert Subscription.objects.get().status == "unsubscribed"


def test_it_counts_plus_tags_dots_and_quoted_local_parts_as_one_mailbox(news, run_after_commit, settings):
    settings.SUBSCRIBE_PER_IP_LIMIT = 1000
    for email in ("victim@gmail.com", "Victim+news@gmail.com", "v.i.c.t.i.m@googlemail.com", '"victim"@gmail.com'):
        with run_after_commit():
            _anonymous_request(email, ["news"])
    assert len(mail.outbox) == 1
    assert ConsentRecord.objects.count() == 1


def test_it_caps_confirmations_to_one_mailbox_per_week_whatever_the_lists(run_after_commit, settings):
    settings.SUBSCRIBE_PER_IP_LIMIT = 1000
    slugs = [make_list(slug=f"list-{i}").slug for i in range(8)]
    for slug in slugs:
        with run_after_commit():
            _anonymous_request(f"victim+{slug}@example.org", [slug])
    assert len(mail.outbox) == settings.CONFIRMATION_EMAILS_PER_WEEK


def test_it_counts_an_ipv6_client_by_its_64_network(news, settings):
    settings.SUBSCRIBE_PER_IP_LIMIT = 3
    codes = [_anonymous_request(f"p{i}@example.org", ["news"], ip=f"2001:db8:1:2::{i + 1:x}").status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert _anonymous_request("q@example.org", ["news"], ip="2001:db8:1:3::1").status_code == 200


def test_it_runs_the_same_statements_for_every_kind_of_address_before_answering(news):
    """Timing cannot tell a stranger who is known: the answer costs the same queries for everyone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    subscribe(make_subscriber("active@example.org"), news)
    _left(make_subscriber("left@example.org"), news)
    subscribe(make_subscriber("pending@example.org"), news, status="pending")
    services.suppression_add(email="bounced@example.org", reason="hard_bounce")
    services.subscriber_erase(subscriber_id=make_subscriber("erased@example.org").id)
    Client().get("/subscribe/")  # the choices every request below reuses
    shapes = {}
    for email in ("new@example.org", "active@example.org", "left@example.org", "pending@example.org",
                  "bounced@example.org", "erased@example.org"):
        with CaptureQueriesContext(connection) as queries:
            assert _anonymous_request(email, ["news"]).status_code == 200
        shapes[email] = [re.sub(r"'[^']*'|\d+", "?", q["sql"]) for q in queries.captured_queries]
    assert len({tuple(shape) for shape in shapes.values()}) == 1, shapes
    assert not any('"subscribers_subscriber"' in statement for statement in shapes["new@example.org"])  # no lookup


def test_it_promises_in_the_confirmation_email_only_the_limits_that_hold(news, run_after_commit, settings):
    settings.CONFIRMATION_EMAILS_PER_WEEK = 3
    with run_after_commit():
        _anonymous_request("amal@example.org", ["news"])
    body = mail.outbox[0].body
    assert "at most one such email an hour and 3 a week" in body and "nothing more" not in body
