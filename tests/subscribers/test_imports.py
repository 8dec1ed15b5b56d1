import pytest
from django.core.management import CommandError, call_command

from subscribers.emails import email_hash
from subscribers.imports import ImportFailed, subscribers_import
from subscribers.models import ConsentRecord, Subscriber, Subscription, Suppression
from subscribers.services import subscriber_erase, suppression_add
from tests.subscribers.factories import make_list, make_subscriber, make_topic, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    make_topic("health", "Health")
    make_topic("work", "Work")
    return make_list(slug="news", default_language="fr")


def _import(text: str | bytes, **kwargs):
    data = text.encode() if isinstance(text, str) else text
    return subscribers_import(data=data, list_slug=kwargs.pop("list_slug", "news"), **kwargs)


def _nothing_stored():
    return not Subscriber.objects.exists() and not Subscription.objects.exists() and not ConsentRecord.objects.exists()


def test_it_imports_rows_with_topics_custom_attributes_and_a_consent_record(news):
    report = _import(
        "\ufeffEmail,Name,language,country,topics,member,chapter\n"
        "A@Example.org,Amal,ar,lb,health;Work,yes,Beirut\n"
        "b@example.org,Bea,,,,,\n"
    , consent_source="Paper forms at the 2025 conference")
    assert report.written
    assert [(r.line, r.outcome) for r in report.rows] == [(2, "added"), (3, "added")]
    amal = Subscriber.objects.get(email="a@example.org")
    assert (amal.name, amal.language, amal.country) == ("Amal", "ar", "LB")
    assert sorted(amal.topics.values_list("slug", flat=True)) == ["health", "work"]
    assert amal.attributes == {"member": "yes", "chapter": "Beirut"}
    assert Subscriber.objects.get(email="b@example.org").language == "fr"  # the list's default
    assert set(Subscription.objects.values_list("status", flat=True)) == {"active"}
    consent = ConsentRecord.objects.get(subscriber=amal)
    assert (consent.source, consent.text) == ("import", "Paper forms at the 2025 conference")


def test_it_updates_existing_subscribers_and_never_re_adds_suppressed_erased_or_unsubscribed(news):
    known = make_subscriber("known@example.org", name="Old")
    subscribe(known, news)
    waiting = make_subscriber("waiting@example.org", name="Typed by anyone")
    subscribe(waiting, news, status="pending")
    left = make_subscriber("left@example.org")
    subscribe(left, news, status="unsubscribed")
    quit_all = make_subscriber("quit@example.org")
    subscribe(quit_all, make_list(slug="other"), status="unsubscribed")
    suppression_add(email="bounced@example.org", reason="hard_bounce")
    erased = make_subscriber("erased@example.org")
    subscriber_erase(subscriber_id=erased.id)

    report = _import(
        "email,name\nknown@example.org,New\nwaiting@example.org,Imported\nleft@example.org,\nquit@example.org,\n"
        "Bounced@example.org,\nerased@example.org,\n"
    )
    assert [(r.email, r.outcome, r.reason) for r in report.rows] == [
        ("known@example.org", "updated", ""),
        ("waiting@example.org", "skipped", "waiting for her own confirmation"),
        ("left@example.org", "skipped", "unsubscribed from this list"),
        ("quit@example.org", "skipped", "unsubscribed from every list"),
        ("bounced@example.org", "skipped", "suppressed (hard_bounce)"),
        ("erased@example.org", "skipped", "erased on request"),
    ]
    assert "skipped 5 (1 erased on request; 1 suppressed (hard_bounce); 1 unsubscribed from every list; " in report.summary()
    known.refresh_from_db()
    waiting.refresh_from_db()
    assert known.name == "New" and waiting.name == "Typed by anyone"
    assert Subscription.objects.get(subscriber=known).status == "active"
    assert Subscription.objects.get(subscriber=waiting).status == "pending"  # only her own confirmation activates it
    assert Subscription.objects.get(subscriber=left).status == "unsubscribed"
    assert not Subscription.objects.filter(subscriber=quit_all, mailing_list=news).exists()
    assert not Subscriber.objects.filter(email__in=["bounced@example.org", "erased@example.org"]).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("email,name\nok@example.org,Café\n".encode("latin-1"), "not UTF-8"),
        ("name,country\nAmal,LB\n", "no 'email' column"),
        ("", "The file is empty"),
        ("email,email\na@example.org,b@example.org\n", "repeats the column(s) email"),
    ],
)
def test_it_refuses_unreadable_files_with_a_clear_error_and_stores_nothing(news, data, message):
    with pytest.raises(ImportFailed, match=message.replace("(", r"\(").replace(")", r"\)")):
        _import(data)
    assert _nothing_stored()


def test_it_refuses_an_unknown_list_slug(news):
    with pytest.raises(ImportFailed, match="no list with the slug 'nope'"):
        _import("email\na@example.org\n", list_slug="nope")
    assert _nothing_stored()


def test_it_reports_every_invalid_row_and_stores_nothing_from_the_file(news):
    text = (
        "email,name,language,country,topics\n"
        "good@example.org,Good,en,FR,health\n"
        "not-an-email,,,,\n"
        f"long@example.org,{'n' * 201},,,\n"
        "lang@example.org,,de,,\n"
        "country@example.org,,,France,\n"
        "topic@example.org,,,,gardening\n"
        "GOOD@example.org,,,,\n"
        "extra@example.org,,,,,surplus\n"
        f"{'a' * 250}@example.org,,,,\n"
    )
    with pytest.raises(ImportFailed, match="8 row") as failure:
        _import(text)
    reasons = {r.line: r.reason for r in failure.value.report.rows if r.outcome == "invalid"}
    assert reasons == {
        3: "'not-an-email' is not a valid email address",
        4: "the name is longer than 200 characters or has line breaks",
        5: "language 'de' is not one of ar, en, fr",
        6: "country 'FRANCE' is not a two-letter ISO code",
        7: "unknown topic 'gardening'",
        8: "duplicate of line 2",
        9: "6 fields but the header has 5 columns",
        10: "the email is longer than 254 characters",
    }
    assert _nothing_stored()


def test_it_imports_the_valid_rows_with_skip_invalid(news):
    report = _import("email\ngood@example.org\nbad\ngood@example.org\n", skip_invalid=True)
    assert [(r.line, r.outcome) for r in report.rows] == [(2, "added"), (3, "invalid"), (4, "invalid")]
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["good@example.org"]


def test_it_runs_as_a_management_command(news, tmp_path, capsys):
    good = tmp_path / "people.csv"
    good.write_text("email,name\nz@example.org,Zoe\n")
    call_command("import_subscribers", str(good), "--list", "news", "--consent-source", "Signed up at a stand")
    out = capsys.readouterr().out
    assert "line 2: z@example.org: added" in out and "added 1" in out
    assert ConsentRecord.objects.get().text == "Signed up at a stand"

    bad = tmp_path / "bad.csv"
    bad.write_text("email\nnot-valid\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_subscribers", str(bad), "--list", "news")
    with pytest.raises(CommandError, match="no list with the slug"):
        call_command("import_subscribers", str(good), "--list", "missing")
    assert Subscriber.objects.count() == 1


def test_it_keeps_nothing_but_the_hash_when_erasing_and_allows_a_fresh_opt_in_only(news):
    person = make_subscriber("private@example.org", name="Private Person", attributes={"phone": "123"})
    subscribe(person, news)
    ConsentRecord.objects.create(subscriber=person, text="t", version="1", source="form", ip_address="10.1.1.1")

    suppression = subscriber_erase(subscriber_id=person.id)

    assert suppression.reason == "erased"
    assert not Subscriber.objects.exists() and not Subscription.objects.exists() and not ConsentRecord.objects.exists()
    assert "private" not in suppression.detail and len(suppression.email_hash) == 64
    assert Suppression.objects.count() == 1
    assert subscriber_erase(subscriber_id=person.id) is None


def test_it_imports_a_large_file_in_a_bounded_number_of_queries(news):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    subscribe(make_subscriber("p7@example.org", name="Kept"), news)
    lines = ["email,topics,member"] + [f"p{i}@example.org,health,{i % 2}" for i in range(3000)]
    with CaptureQueriesContext(connection) as queries:
        report = _import("\n".join(lines) + "\n")
    assert report.count("added") == 2999 and report.count("updated") == 1
    assert len(queries) < 40
    assert Subscription.objects.filter(mailing_list=news, status="active").count() == 3000
    assert Subscriber.objects.get(email="p7@example.org").name == "Kept"
    assert Subscriber.objects.get(email="p8@example.org").email_hash == email_hash("p8@example.org")
    assert ConsentRecord.objects.count() == 3000
    assert Subscriber.topics.through.objects.count() == 3000
