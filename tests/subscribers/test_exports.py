import csv
import io

import pytest

from subscribers.exports import audience_csv, subscriber_data
from subscribers.imports import subscribers_import
from subscribers.models import ConsentRecord, EmailEvent, Segment
from tests.subscribers.factories import make_list, make_subscriber, make_topic, subscribe

pytestmark = pytest.mark.django_db


def _rows(lines):
    return list(csv.DictReader(io.StringIO("".join(lines))))


def test_it_exports_a_list_and_a_segment_in_the_import_format():
    news = make_list(slug="news")
    health = make_topic("health")
    a = make_subscriber("a@example.org", name="=cmd|' /C calc'!A0", language="fr", topics=[health], attributes={"member": "yes"})
    b = make_subscriber("b@example.org", language="en")
    gone = make_subscriber("gone@example.org")
    subscribe(a, news)
    subscribe(b, news)
    subscribe(gone, news, status="unsubscribed")

    rows = _rows(audience_csv(list_id=news.id))
    assert [r["email"] for r in rows] == ["a@example.org", "b@example.org"]
    assert rows[0]["name"].startswith("'=")  # never a live spreadsheet formula
    assert (rows[0]["topics"], rows[0]["member"], rows[1]["member"]) == ("health", "yes", "")

    segment = Segment.objects.create(mailing_list=news, name="French", filters={"language": ["fr"]})
    assert [r["email"] for r in _rows(audience_csv(list_id=news.id, segment_id=segment.id))] == ["a@example.org"]

    other = make_list(slug="other")
    report = subscribers_import(data="".join(audience_csv(list_id=news.id)).encode(), list_slug="other")
    assert report.count("updated") + report.count("added") == 2
    assert other.subscriptions.count() == 2
    a.refresh_from_db()
    assert a.attributes == {"member": "yes"}  # subscribed_at is not turned into an attribute


def test_it_exports_everything_held_about_one_subscriber():
    news = make_list(slug="news")
    person = make_subscriber("me@example.org", name="Me", attributes={"member": "yes"}, topics=[make_topic("work")])
    subscribe(person, news)
    ConsentRecord.objects.create(subscriber=person, mailing_list=news, text="I agree", version="1", source="form",
                                 ip_address="10.0.0.9", user_agent="Firefox")
    EmailEvent.objects.create(event_id="e1", event_type="opened", recipient_hash=person.email_hash, digest_id=4)

    data = subscriber_data(subscriber_id=person.id)
    assert (data["email"], data["name"], data["topics"]) == ("me@example.org", "Me", ["work"])
    assert data["attributes"] == {"member": "yes"}
    assert data["subscriptions"][0]["list"] == "news" and data["subscriptions"][0]["status"] == "active"
    assert data["consents"][0]["ip_address"] == "10.0.0.9" and data["consents"][0]["text"] == "I agree"
    assert data["email_events"] == [{"type": "opened", "digest_id": 4, "occurred_at": None}]


def test_it_neutralises_formulas_in_every_exported_cell_address_and_header_included():
    news = make_list(slug="news")
    person = make_subscriber("=1+2*3@example.org", name="+SUM(A1)", country="", attributes={"@cmd": "-2+3"})
    subscribe(person, news)
    lines = list(csv.reader(io.StringIO("".join(audience_csv(list_id=news.id)))))
    cells = [cell for line in lines for cell in line]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
    assert "'=1+2*3@example.org" in cells and "'@cmd" in lines[0]


def test_it_reimports_an_exported_file_unchanged():
    news, other = make_list(slug="news"), make_list(slug="other")
    person = make_subscriber("=1+2*3@example.org", name="+SUM(A1)", attributes={"score": "-5"})
    subscribe(person, news)
    report = subscribers_import(data="".join(audience_csv(list_id=news.id)).encode(), list_slug="other")
    assert report.count("added") == 1, report.lines()  # known person, new to this list
    person.refresh_from_db()
    assert (person.email, person.name, person.attributes) == ("=1+2*3@example.org", "+SUM(A1)", {"score": "-5"})
    assert other.subscriptions.count() == 1
