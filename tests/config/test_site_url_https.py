"""One-click unsubscribe links must be https (Gmail, Yahoo): a production start with a provider that really sends
refuses an http SITE_URL, other starts warn, and the pre-send checks say the same."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.checks import run_checks
from django.utils import timezone

from newsletter.checks import digest_check
from newsletter.models import Digest
from newsletter.services import ChecksFailed, digest_schedule
from tests.newsletter.factories import make_digest, make_item, make_list
from tests.support.processes import ROOT


def _messages(ids=("subscribers.E006", "subscribers.W002")):
    return [m for m in run_checks() if m.id in ids]


def _configure(settings, *, provider: str, site_url: str, production: bool) -> None:
    settings.EMAIL_PROVIDER, settings.SITE_URL = provider, site_url
    settings.DEBUG, settings.REQUIRE_SECRET_KEY = False, production
    settings.ALLOW_LOCAL_EMAIL_PROVIDER = True  # the suite's own provider is not what these tests are about


@pytest.mark.parametrize("provider", ["mailgun", "postmark", "smtp"])
def test_it_refuses_an_http_site_url_with_a_real_provider_in_production(settings, provider):
    _configure(settings, provider=provider, site_url="http://news.example.org", production=True)

    [error] = _messages()

    assert error.id == "subscribers.E006" and error.is_serious()
    assert "Gmail and Yahoo ignore one-click unsubscribe links" in error.msg and "not https" in error.msg
    assert f"EMAIL_PROVIDER={provider}" in error.msg
    assert "SITE_URL=https://" in error.hint


def test_it_only_warns_outside_production(settings):
    _configure(settings, provider="mailgun", site_url="http://127.0.0.1:8025", production=False)

    [warning] = _messages()

    assert warning.id == "subscribers.W002" and not warning.is_serious()
    assert "REQUIRE_SECRET_KEY=1" in warning.hint


@pytest.mark.parametrize(
    ("provider", "site_url", "production"),
    [
        ("mailgun", "https://news.example.org", True),
        ("outbox", "http://127.0.0.1:8000", False),  # make run
        ("locmem", "http://testserver", False),  # make test
        ("outbox", "http://staging.example.org", True),  # a staging copy that sends nothing
    ],
)
def test_it_says_nothing_when_links_are_https_or_nothing_is_sent(settings, provider, site_url, production):
    _configure(settings, provider=provider, site_url=site_url, production=production)

    assert _messages() == []


def test_it_refuses_a_production_start_with_http_links_and_a_real_provider(tmp_path):
    environment = {
        "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path),
        "REQUIRE_SECRET_KEY": "1", "SECRET_KEY": "s" * 50, "ADDRESS_HASH_KEY": "a" * 50,
        "EMAIL_PROVIDER": "mailgun", "MAILGUN_API_KEY": "key-test", "WEBHOOK_SECRET": "hook:secret",
    }
    refused = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                             env={**environment, "SITE_URL": "http://news.example.org"}, timeout=120)
    accepted = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                              env={**environment, "SITE_URL": "https://news.example.org"}, timeout=120)

    assert refused.returncode != 0 and "subscribers.E006" in refused.stderr
    assert "Gmail and Yahoo ignore one-click unsubscribe links" in refused.stderr
    assert accepted.returncode == 0, accepted.stderr


def _digest() -> Digest:
    return make_digest(mailing_list=make_list(), items=[make_item()])


@pytest.mark.django_db
def test_it_refuses_to_schedule_a_digest_with_http_links_in_production(settings):
    _configure(settings, provider="mailgun", site_url="http://news.example.org", production=True)
    digest = _digest()

    with pytest.raises(ChecksFailed) as refused:
        digest_schedule(digest_id=digest.id, send_at=timezone.now() + timedelta(hours=1))

    assert [p.code for p in refused.value.problems] == ["http_links"]
    assert "Gmail and Yahoo ignore one-click unsubscribe links" in str(refused.value.problems[0])
    digest.refresh_from_db()
    assert digest.status == Digest.Status.DRAFT


@pytest.mark.django_db
def test_it_warns_but_schedules_a_digest_with_http_links_outside_production(settings):
    _configure(settings, provider="mailgun", site_url="http://127.0.0.1:8025", production=False)
    digest = _digest()

    [warning] = digest_check(digest_id=digest.id)
    scheduled = digest_schedule(digest_id=digest.id, send_at=timezone.now() + timedelta(hours=1))

    assert warning.code == "http_links" and not warning.blocking
    assert scheduled.status == Digest.Status.SCHEDULED


@pytest.mark.django_db
def test_it_shows_the_http_links_warning_on_the_digests_preview(settings, admin_client):
    _configure(settings, provider="mailgun", site_url="http://127.0.0.1:8025", production=False)
    digest = _digest()

    page = admin_client.get(f"/admin/newsletter/digest/{digest.id}/preview/").content.decode()

    assert 'id="presend-warnings"' in page and "Gmail and Yahoo ignore one-click" in page
    assert 'id="presend-problems"' not in page
    assert 'id="schedule-form"' in page  # a warning does not stop the schedule
