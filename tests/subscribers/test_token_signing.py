"""The fast token path must sign exactly as Django's Signer, so links in sent emails keep reading back."""

import pytest
from django.core import signing
from django.test import override_settings

from subscribers import tokens


def test_it_signs_unsubscribe_tokens_exactly_as_djangos_signer():
    for subscriber_id, list_id in [(1, 1), (123456789, 42), (7, 9_000_000_000)]:
        token = tokens.make_unsubscribe_token(subscriber_id=subscriber_id, list_id=list_id)
        assert token == signing.Signer(salt="subscribers.unsubscribe.v1").sign(f"{subscriber_id}.{list_id}")
        assert tokens.read_unsubscribe_token(token) == (subscriber_id, list_id)


def test_it_signs_preferences_tokens_exactly_as_djangos_signer():
    token = tokens.make_preferences_token(subscriber_id=31337)
    assert token == signing.Signer(salt="subscribers.preferences.v1").sign("31337")
    assert tokens.read_preferences_token(token) == 31337


def test_it_signs_with_the_current_secret_key_and_reads_tokens_signed_with_a_fallback_key():
    old_key, new_key = "o" * 50, "n" * 50
    with override_settings(SECRET_KEY=old_key):
        old_token = tokens.make_unsubscribe_token(subscriber_id=5, list_id=6)
    with override_settings(SECRET_KEY=new_key, SECRET_KEY_FALLBACKS=[old_key]):
        new_token = tokens.make_unsubscribe_token(subscriber_id=5, list_id=6)
        assert new_token != old_token
        assert tokens.read_unsubscribe_token(old_token) == (5, 6)
        assert tokens.read_unsubscribe_token(new_token) == (5, 6)


def test_it_never_accepts_a_token_of_one_purpose_for_another():
    with pytest.raises(tokens.BadToken):
        tokens.read_unsubscribe_token(tokens.make_preferences_token(subscriber_id=5))


def test_it_makes_a_batchs_links_exactly_as_the_one_link_functions_with_the_settings_of_when_it_was_made():
    links = tokens.LinkMaker()
    for subscriber_id, list_id in [(1, 1), (123456789, 42)]:
        assert links.unsubscribe_url(subscriber_id=subscriber_id, list_id=list_id) == tokens.unsubscribe_url(
            subscriber_id=subscriber_id, list_id=list_id)
        assert links.preferences_url(subscriber_id=subscriber_id) == tokens.preferences_url(subscriber_id=subscriber_id)
    with override_settings(SECRET_KEY="r" * 50, SITE_URL="https://news.example.org"):
        rotated = tokens.LinkMaker()
        url = rotated.unsubscribe_url(subscriber_id=5, list_id=6)
        assert url == tokens.unsubscribe_url(subscriber_id=5, list_id=6)
        assert url.startswith("https://news.example.org/u/")
    assert links.unsubscribe_url(subscriber_id=5, list_id=6) != url


def test_it_takes_every_signed_token_out_of_a_link(settings):
    settings.SITE_URL = "https://news.example.org"
    personal = [
        tokens.unsubscribe_url(subscriber_id=5, list_id=6, digest_id=7),
        tokens.preferences_url(subscriber_id=5),
        tokens.confirm_url(subscriber_id=5, list_ids=[6]),
    ]
    assert [tokens.link_without_tokens(url) for url in personal] == [
        "https://news.example.org/u/", "https://news.example.org/preferences/", "https://news.example.org/confirm/"]
    token = tokens.make_unsubscribe_token(subscriber_id=5, list_id=6)
    assert tokens.link_without_tokens(f"https://example.org/a?utm_source=news&t={token}#me") == (
        "https://example.org/a?utm_source=news")
    assert tokens.link_without_tokens(f"https://example.org/p/{token}/read") == "https://example.org/p/read"
    # Nothing personal: unchanged, so everyone's copy of a link is one row.
    assert tokens.link_without_tokens("https://example.org/report?id=3&lang=fr") == "https://example.org/report?id=3&lang=fr"
    # Another site's /u/ path is its own business.
    assert tokens.link_without_tokens("https://example.org/u/someone/") == "https://example.org/u/someone/"
