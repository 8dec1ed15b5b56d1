"""Only the configured provider's anymail webhooks exist; every other provider's routes answer 404."""

import json

import pytest
from django.test import Client

from subscribers import webhook_urls
from subscribers.models import EmailEvent, Suppression

pytestmark = pytest.mark.django_db

ROUTES = ["/anymail/mailgun/tracking/", "/anymail/postmark/tracking/", "/anymail/resend/tracking/",
          "/anymail/amazon_ses/tracking/", "/anymail/sendgrid/inbound/", "/anymail/mandrill/"]


def _post(url: str):
    return Client(raise_request_exception=False).post(url, json.dumps({"event": "spam"}), content_type="application/json")


def test_it_answers_404_on_every_anymail_route_when_the_provider_sends_locally(settings):
    settings.EMAIL_PROVIDER = "locmem"
    for url in ROUTES:
        assert _post(url).status_code == 404, url
    assert not EmailEvent.objects.exists() and not Suppression.objects.exists()


def test_it_answers_404_for_other_providers_and_serves_the_configured_one(settings):
    settings.EMAIL_PROVIDER = "postmark"
    assert _post("/anymail/mailgun/tracking/").status_code == 404
    assert _post("/anymail/resend/tracking/").status_code == 404
    # The configured provider's route exists; an unauthenticated body changes nothing there.
    served = _post("/anymail/postmark/tracking/").status_code
    assert served != 404 and served < 500
    assert not EmailEvent.objects.exists() and not Suppression.objects.exists()


def test_it_guards_every_route_anymail_defines_by_its_provider():
    providers = {webhook_urls.provider_of(pattern.callback.view_class.__mro__[1]) for pattern in webhook_urls.urlpatterns}
    assert {"mailgun", "postmark", "resend", "amazon_ses", "brevo", "sendgrid"} <= providers
    assert all(pattern.callback.view_class.__name__.startswith("Guarded") for pattern in webhook_urls.urlpatterns)
