import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from editorial.models import AuditEntry
from subscribers.emails import email_hash
from subscribers.models import Segment, Subscriber, Subscription, Suppression
from tests.subscribers.factories import make_list, make_subscriber, make_topic, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    return make_list(name="MMM News", slug="news")


def test_it_lists_and_searches_every_audience_model(admin_client, news):
    subscribe(make_subscriber("findme@example.org"), news)
    for url in ("mailinglist", "topic", "subscriber", "subscription", "segment", "consentrecord", "suppression", "emailevent"):
        assert admin_client.get(f"/admin/subscribers/{url}/").status_code == 200, url
    page = admin_client.get("/admin/subscribers/subscriber/?q=findme&language=en").content.decode()
    assert "findme@example.org" in page


def test_it_normalises_the_email_when_saved_in_the_admin_and_refuses_a_case_duplicate(admin_client, news):
    response = admin_client.post("/admin/subscribers/subscriber/add/", {
        "email": " Mixed@Example.ORG", "name": "", "language": "fr", "country": "lb", "time_zone": "", "attributes": "{}",
        "subscriptions-TOTAL_FORMS": "0", "subscriptions-INITIAL_FORMS": "0",
        "consents-TOTAL_FORMS": "0", "consents-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Subscriber.objects.get()
    assert (person.email, person.email_hash, person.country) == ("mixed@example.org", email_hash("mixed@example.org"), "LB")
    again = admin_client.post("/admin/subscribers/subscriber/add/", {
        "email": "MIXED@example.org", "language": "fr", "attributes": "{}",
        "subscriptions-TOTAL_FORMS": "0", "subscriptions-INITIAL_FORMS": "0",
        "consents-TOTAL_FORMS": "0", "consents-INITIAL_FORMS": "0",
    })
    assert again.status_code == 200 and "already exists" in again.content.decode()
    assert Subscriber.objects.count() == 1


def test_it_shows_the_embeddable_snippet_for_a_list(admin_client, news):
    page = admin_client.get(f"/admin/subscribers/mailinglist/{news.id}/change/").content.decode()
    assert "Embeddable subscribe form" in page
    assert "/api/subscribe" in page and "value=&quot;news&quot;" in page


def test_it_counts_a_segment_live_for_unsaved_filters(admin_client, news):
    subscribe(make_subscriber(language="fr"), news)
    subscribe(make_subscriber(language="en"), news)
    ok = admin_client.get("/admin/subscribers/segment/count/", {"list": news.id, "filters": json.dumps({"language": ["fr"]})})
    assert ok.json() == {"count": 1}
    fields = admin_client.get("/admin/subscribers/segment/count/", {"mailing_list": news.id, "language": ["fr", "en"]})
    assert fields.json() == {"count": 2}
    wrong = admin_client.get("/admin/subscribers/segment/count/", {"mailing_list": news.id, "opened_within_days": "0"})
    assert wrong.status_code == 400 and "opened_within_days" in wrong.json()["error"]
    bad = admin_client.get("/admin/subscribers/segment/count/", {"list": news.id, "filters": '{"opened_within_days": 5}'})
    assert bad.status_code == 400 and "tracking" in bad.json()["error"]
    assert admin_client.get("/admin/subscribers/segment/count/", {"list": news.id, "filters": "{"}).status_code == 400
    form = admin_client.get("/admin/subscribers/segment/add/").content.decode()
    assert "segment-live-count" in form and "subscribers/segment_count.js" in form


def test_it_builds_the_segment_filters_from_plain_fields_and_shows_them_again(admin_client, news):
    make_topic("health")
    make_topic("work")
    response = admin_client.post("/admin/subscribers/segment/add/", {
        "mailing_list": news.id, "name": "French health", "language": ["fr", "ar"], "country": "lb, ma",
        "topics_any": ["health"], "subscribed_after": "2025-01-31", "attributes": "member = yes\nchapter=Beirut",
    })
    assert response.status_code == 302, response.content.decode()[-3000:]
    segment = Segment.objects.get()
    assert segment.filters == {
        "language": ["fr", "ar"], "country": ["LB", "MA"], "topics_any": ["health"], "subscribed_after": "2025-01-31",
        "attributes": {"member": "yes", "chapter": "Beirut"},
    }
    page = admin_client.get(f"/admin/subscribers/segment/{segment.id}/change/").content.decode()
    assert 'value="LB, MA"' in page and "member=yes" in page and 'value="2025-01-31"' in page


def test_it_refuses_to_save_a_segment_with_bad_filters(admin_client, news):
    for fields, message in (
        ({"opened_within_days": "30"}, "needs tracking, which is turned off"),
        ({"country": "France"}, "two-letter ISO codes"),
        ({"attributes": "no equals sign"}, "write name=value"),
        ({"language": ["de"]}, "de is not one of the available choices"),
    ):
        response = admin_client.post("/admin/subscribers/segment/add/", {"mailing_list": news.id, "name": "Bad", **fields})
        assert response.status_code == 200 and message in response.content.decode(), fields
    assert not Segment.objects.exists()


def test_it_imports_a_csv_upload_and_shows_the_per_row_report(admin_client, news):
    upload = SimpleUploadedFile("people.csv", b"email,name\na@example.org,A\nbad-address,B\n", content_type="text/csv")
    response = admin_client.post("/admin/subscribers/mailinglist/import/", {
        "mailing_list": news.id, "file": upload, "consent_source": "Stand", "skip_invalid": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "nothing was imported" in page and "bad-address" in page
    assert not Subscriber.objects.exists()
    upload = SimpleUploadedFile("people.csv", b"email,name\na@example.org,A\n", content_type="text/csv")
    response = admin_client.post("/admin/subscribers/mailinglist/import/", {"mailing_list": news.id, "file": upload})
    assert response.status_code == 200 and "added 1" in response.content.decode()
    assert Subscription.objects.get().status == "active"


def test_it_exports_a_list_as_csv_and_a_subscribers_data_as_json_and_erases(admin_client, news):
    person = make_subscriber("me@example.org", name="Me")
    subscribe(person, news)
    csv_response = admin_client.post("/admin/subscribers/mailinglist/", {"action": "export_csv", "_selected_action": [news.id]})
    assert b"".join(csv_response.streaming_content).decode().splitlines()[1].startswith("me@example.org,Me,")
    data = admin_client.post(
        "/admin/subscribers/subscriber/", {"action": "export_personal_data", "_selected_action": [person.id]}
    )
    assert json.loads(data.content)["email"] == "me@example.org"
    admin_client.post("/admin/subscribers/subscriber/", {"action": "erase", "_selected_action": [person.id]})
    assert not Subscriber.objects.exists()
    assert Suppression.objects.get().reason == "erased"
    trail = list(AuditEntry.objects.order_by("id").values_list("action", "target_repr"))
    assert trail == [
        ("subscribers_exported", "MMM News"),
        ("subscriber_data_exported", f"subscriber #{person.id}"),
        ("subscriber_erased", f"subscriber #{person.id}"),
    ]
    assert "me@example.org" not in str(list(AuditEntry.objects.values()))


def test_it_adds_a_suppression_by_address_storing_only_its_hash_and_finds_it_by_address(admin_client):
    response = admin_client.post(
        "/admin/subscribers/suppression/add/", {"email": "No@Example.org", "reason": "manual", "detail": ""}
    )
    assert response.status_code == 302
    assert Suppression.objects.get().email_hash == email_hash("no@example.org")
    found = admin_client.get("/admin/subscribers/suppression/", {"q": "no@example.org"}).content.decode()
    assert "manual" in found.lower() and "1 suppression" in found.lower()
