"""Address hashes are keyed with ADDRESS_HASH_KEY, which outlives SECRET_KEY (docs/decisions/0002-address-hash-key.md):
rotating SECRET_KEY changes no suppression, erasure or audience, and a key mismatch is reported, never used silently."""

import pytest
from anymail.signals import AnymailTrackingEvent
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

from subscribers import services, tokens
from subscribers.emails import email_hash, email_hash_with
from subscribers.imports import subscribers_import
from subscribers.models import EmailEvent, Subscriber, Subscription, Suppression
from subscribers.provider_events import provider_event_record
from subscribers.selectors import audience_subscribers
from tests.subscribers.factories import make_list, make_subscriber, subscribe

pytestmark = pytest.mark.django_db

OLD_SECRET = "the-secret-key-this-installation-started-with-0123456789"
NEW_SECRET = "the-secret-key-chosen-after-the-leak-was-found-987654321"
FRESH_ADDRESS_KEY = "a-fresh-random-address-hash-key-nobody-has-seen-0123456789"
DEV_KEY = "insecure-local-development-key-do-not-use-in-production"


def _installation_before_address_hash_key(settings):
    """Hashes as every installation made them before ADDRESS_HASH_KEY existed: with SECRET_KEY."""
    settings.SECRET_KEY = OLD_SECRET
    settings.SECRET_KEY_FALLBACKS = []
    settings.ADDRESS_HASH_KEY = OLD_SECRET
    settings.ADDRESS_HASH_KEY_IS_SET = False


def _audience(mailing_list) -> set[str]:
    return set(audience_subscribers(list_id=mailing_list.id).values_list("email", flat=True))


def _consent() -> services.ConsentContext:
    return services.ConsentContext(source="form", text="Send me the news", version="1")


def _bounce(address: str, event_id: str) -> None:
    provider_event_record(event=AnymailTrackingEvent(event_type="bounced", recipient=address, event_id=event_id,
                                                     description="550 no such mailbox"), esp_name="Mailgun")


def _error_ids(**kwargs) -> set[str]:
    return {message.id for message in run_checks(**kwargs) if message.id and message.id.startswith("subscribers.E")}


def test_it_keeps_suppressions_erasures_and_audience_when_secret_key_rotates(settings, run_after_commit):
    _installation_before_address_hash_key(settings)
    settings.ADDRESS_HASH_KEY_IS_SET = True  # the upgrade step: ADDRESS_HASH_KEY set to the value SECRET_KEY had
    news = make_list(slug="news")
    for address in ("staying@example.org", "bouncing@example.org", "later@example.org", "erased@example.org"):
        subscribe(make_subscriber(address), news)
    _bounce("bouncing@example.org", "ev-before")
    services.suppression_add(email="complained@example.org", reason="complaint")
    services.subscriber_erase(subscriber_id=Subscriber.objects.get(email="erased@example.org").id)
    staying = Subscriber.objects.get(email="staying@example.org")
    old_link = tokens.make_unsubscribe_token(subscriber_id=staying.id, list_id=news.id)
    assert _audience(news) == {"staying@example.org", "later@example.org"}

    settings.SECRET_KEY = NEW_SECRET
    settings.SECRET_KEY_FALLBACKS = [OLD_SECRET]
    for person in Subscriber.objects.all():
        person.save()  # every write recomputes the stored hash, under whatever key is in force now

    assert _audience(news) == {"staying@example.org", "later@example.org"}
    _bounce("later@example.org", "ev-after")  # a hard bounce after the rotation still takes her out
    assert _audience(news) == {"staying@example.org"}
    with run_after_commit():
        for address in ("bouncing@example.org", "complained@example.org"):
            services.subscription_request(email=address, name="", language="en", list_slugs=["news"],
                                          topic_slugs=[], consent=_consent())
    assert not Subscriber.objects.filter(email="complained@example.org").exists()
    assert Subscription.objects.get(subscriber__email="bouncing@example.org").status == "active"  # and suppressed
    report = subscribers_import(data=b"email\nerased@example.org\ncomplained@example.org\nbouncing@example.org\n",
                                list_slug="news")
    assert [(row.outcome, row.reason) for row in report.rows] == [
        ("skipped", "erased on request"), ("skipped", "suppressed (complaint)"), ("skipped", "suppressed (hard_bounce)"),
    ]
    assert not Subscriber.objects.filter(email__in=["erased@example.org", "complained@example.org"]).exists()
    assert _audience(news) == {"staying@example.org"}
    assert tokens.read_unsubscribe_token(old_link) == (staying.id, news.id)  # through SECRET_KEY_FALLBACKS


def test_it_never_keys_an_address_hash_with_secret_key(settings):
    settings.ADDRESS_HASH_KEY = FRESH_ADDRESS_KEY

    assert email_hash(" Amal@Example.org") == email_hash_with("amal@example.org", key=FRESH_ADDRESS_KEY)
    settings.SECRET_KEY = NEW_SECRET
    assert email_hash("amal@example.org") == email_hash_with("amal@example.org", key=FRESH_ADDRESS_KEY)
    assert email_hash("amal@example.org") != email_hash_with("amal@example.org", key=NEW_SECRET)


@pytest.mark.parametrize(
    ("key", "is_set", "fallbacks", "production", "errors"),
    [
        (OLD_SECRET, False, [], True, {"subscribers.E001"}),  # unset in production: SECRET_KEY in its place
        (DEV_KEY, True, [], True, {"subscribers.E002"}),
        ("short-key-0123456789", True, [], True, {"subscribers.E003"}),
        (FRESH_ADDRESS_KEY, True, [OLD_SECRET], True, set()),
        (OLD_SECRET, False, [], False, set()),  # local development may use the default
        (OLD_SECRET, False, [NEW_SECRET], False, {"subscribers.E001"}),  # a rotation under way, wherever it runs
    ],
)
def test_it_refuses_a_missing_public_or_short_address_hash_key_in_production(settings, key, is_set, fallbacks,
                                                                             production, errors):
    settings.DEBUG = False
    settings.REQUIRE_SECRET_KEY = production
    settings.ALLOW_LOCAL_EMAIL_PROVIDER = True  # the suite's locmem provider is refused in production otherwise
    settings.ADDRESS_HASH_KEY, settings.ADDRESS_HASH_KEY_IS_SET, settings.SECRET_KEY_FALLBACKS = key, is_set, fallbacks

    messages = [m for m in run_checks() if m.id in errors]
    assert _error_ids() == errors
    assert all("never change" in m.hint for m in messages)


def test_it_reports_hashes_made_with_another_key_at_migrate_and_in_the_command(settings):
    _installation_before_address_hash_key(settings)
    news = make_list(slug="news")
    for n in range(3):
        subscribe(make_subscriber(f"reader{n}@example.org"), news)
    services.suppression_add(email="reader0@example.org", reason="hard_bounce")
    assert _error_ids(databases=["default"]) == set()
    call_command("rekey_address_hashes")

    # The careless rotation: SECRET_KEY changed, ADDRESS_HASH_KEY left unset, so it follows SECRET_KEY.
    settings.SECRET_KEY = settings.ADDRESS_HASH_KEY = NEW_SECRET
    settings.SECRET_KEY_FALLBACKS = [OLD_SECRET]
    assert _error_ids(databases=["default"]) == {"subscribers.E001", "subscribers.E004"}
    mismatch = next(m for m in run_checks(databases=["default"]) if m.id == "subscribers.E004")
    assert "3 of 3 sampled" in mismatch.msg and "SECRET_KEY_FALLBACKS[0]" in mismatch.msg
    assert OLD_SECRET not in mismatch.msg + mismatch.hint
    with pytest.raises(CommandError, match=r"3 of 3 .* \(3 with SECRET_KEY_FALLBACKS\[0\]\)"):
        call_command("rekey_address_hashes")

    settings.ADDRESS_HASH_KEY, settings.ADDRESS_HASH_KEY_IS_SET = OLD_SECRET, True  # the fix the messages name
    assert _error_ids(databases=["default"]) == set()
    call_command("rekey_address_hashes")
    assert _audience(news) == {"reader1@example.org", "reader2@example.org"}


def test_it_rekeys_hashes_made_with_the_secret_key_from_the_stored_addresses(settings, capsys):
    _installation_before_address_hash_key(settings)
    news = make_list(slug="news")
    for address in ("reader@example.org", "bouncing@example.org", "complained@example.org"):
        subscribe(make_subscriber(address), news)
    _bounce("bouncing@example.org", "ev-1")
    services.suppression_add(email="complained@example.org", reason="complaint")
    settings.ADDRESS_HASH_KEY, settings.ADDRESS_HASH_KEY_IS_SET = FRESH_ADDRESS_KEY, True

    call_command("rekey_address_hashes", "--from-secret-key")
    assert "3 to re-key from their address" in capsys.readouterr().out
    assert not Subscriber.objects.filter(email_hash=email_hash("reader@example.org")).exists()  # a dry run
    call_command("rekey_address_hashes", "--from-secret-key", "--apply")

    assert all(p.email_hash == email_hash(p.email) for p in Subscriber.objects.all())
    assert dict(Suppression.objects.values_list("email_hash", "reason")) == {
        email_hash("bouncing@example.org"): "hard_bounce", email_hash("complained@example.org"): "complaint",
    }
    assert EmailEvent.objects.get().recipient_hash == email_hash("bouncing@example.org")
    assert _audience(news) == {"reader@example.org"}
    call_command("rekey_address_hashes")  # every hash now matches the new key
    settings.SECRET_KEY = NEW_SECRET
    assert _audience(news) == {"reader@example.org"}


def test_it_refuses_to_rekey_a_suppression_it_cannot_carry_over_and_writes_nothing(settings):
    _installation_before_address_hash_key(settings)
    news = make_list(slug="news")
    subscribe(make_subscriber("reader@example.org"), news)
    services.subscriber_erase(subscriber_id=make_subscriber("erased@example.org").id)
    settings.ADDRESS_HASH_KEY, settings.ADDRESS_HASH_KEY_IS_SET = FRESH_ADDRESS_KEY, True
    before = (list(Subscriber.objects.values_list("email_hash", flat=True)),
              list(Suppression.objects.values_list("email_hash", flat=True)))

    with pytest.raises(CommandError, match="1 suppressions match no stored address and cannot be re-keyed; nothing"):
        call_command("rekey_address_hashes", "--from-secret-key", "--apply")

    assert (list(Subscriber.objects.values_list("email_hash", flat=True)),
            list(Suppression.objects.values_list("email_hash", flat=True))) == before
    with pytest.raises(CommandError, match="ADDRESS_HASH_KEY is not set"):
        settings.ADDRESS_HASH_KEY_IS_SET = False
        call_command("rekey_address_hashes", "--from-secret-key")
