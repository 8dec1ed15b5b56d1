"""A supporter's way through the public pages: the thank-you page says what happens next and leads to the archive;
the confirmed page leads to her preferences and the archive; leaving everything is asked once more (without
JavaScript) and nothing there re-subscribes anyone; 404, 403 and 500 are the product's own pages in her language."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

from subscribers import tokens
from subscribers.models import Subscription
from tests.subscribers.factories import make_list, make_subscriber, subscribe

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def news():
    return make_list(name="MMM News", slug="news")


def test_it_tells_her_what_happens_next_and_links_the_archive_after_she_subscribes(news):
    response = Client().post("/subscribe/", {"email": "ana@example.org", "name": "", "language": "en",
                                              "lists": ["news"], "consent": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "What happens next" in page and "press the Confirm button" in page
    assert 'href="/archive/"' in page


def test_it_links_her_preferences_and_the_archive_once_she_has_confirmed(news, run_after_commit):
    person = make_subscriber(language="fr")
    subscribe(person, news, status="pending")
    confirm = _path(tokens.confirm_url(subscriber_id=person.pk, list_ids=[news.pk], topic_ids=[], requested_at=None))

    before = Client().get(confirm).content.decode()
    assert "/preferences/" not in before  # not before she confirmed
    with run_after_commit():
        page = Client().post(confirm).content.decode()

    assert Subscription.objects.get().status == "active"
    [preferences] = re.findall(r'href="[^"]*(/preferences/[^"/]+/)"', page)
    assert tokens.read_preferences_token(preferences.split("/")[2]) == person.pk
    assert 'href="/archive/"' in page
    assert "Lire nos lettres d’information précédentes" in page


def test_it_asks_once_more_before_unsubscribing_her_from_everything(news, run_after_commit):
    campaigns = make_list(name="Campaigns", slug="campaigns")
    person = make_subscriber(language="en")
    subscribe(person, news)
    subscribe(person, campaigns)
    url = _path(tokens.preferences_url(subscriber_id=person.pk))
    client = Client(enforce_csrf_checks=True)

    preferences = client.get(url).content.decode()
    [ask] = re.findall(r'href="(\?unsubscribe_all=1[^"]*)"', preferences)
    assert 'name="unsubscribe_all"' not in preferences  # a link to a question, not a button that acts
    question = client.get(url + ask.replace("&amp;", "&"))
    page = question.content.decode()
    assert question.status_code == 200
    assert "Yes, unsubscribe me from everything" in page and "MMM News" in page and "Campaigns" in page
    assert "No, take me back to my preferences" in page
    assert set(Subscription.objects.values_list("status", flat=True)) == {"active"}  # asking changed nothing

    csrf = client.cookies["csrftoken"].value
    with run_after_commit():
        client.post(url, {"unsubscribe_all": "1", "csrfmiddlewaretoken": csrf})  # the old one-step form
    assert set(Subscription.objects.values_list("status", flat=True)) == {"active"}

    with run_after_commit():
        done = client.post(url, {"unsubscribe_all_confirmed": "1", "csrfmiddlewaretoken": csrf})
    assert done.status_code == 200
    assert set(Subscription.objects.values_list("status", flat=True)) == {"unsubscribed"}
    assert mail.outbox == []  # nothing asked her to come back, nothing re-subscribed her


def test_it_asks_in_arabic_right_to_left_with_a_way_back(news):
    person = make_subscriber(language="ar")
    subscribe(person, news)
    url = _path(tokens.preferences_url(subscriber_id=person.pk))

    page = Client().get(url + "?unsubscribe_all=1").content.decode()
    assert 'dir="rtl"' in page and "نعم، ألغِ اشتراكي في كل شيء" in page
    assert f'href="{url}?lang=ar"' in page


@pytest.mark.parametrize(("language", "direction", "title"),
                         [("fr", "ltr", "Nous n’avons pas trouvé cette page"), ("ar", "rtl", "لم نعثر على هذه الصفحة")])
def test_it_answers_an_unknown_address_with_its_own_page_in_her_language(language, direction, title):
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 404
    assert f'lang="{language}" dir="{direction}"' in page and title in page
    assert 'href="/archive/"' in page


@pytest.mark.parametrize(("language", "direction", "title"),
                         [("fr", "ltr", "Accès refusé"), ("ar", "rtl", "تم رفض الوصول")])
def test_it_renders_its_own_403_page_in_her_language(language, direction, title):
    request = RequestFactory().get("/")
    with translation.override(language):
        response = defaults.permission_denied(request, PermissionDenied())
    page = response.content.decode()
    assert response.status_code == 403
    assert f'lang="{language}" dir="{direction}"' in page and title in page


@pytest.mark.parametrize(("language", "direction", "title"),
                         [("fr", "ltr", "Une erreur s’est produite"), ("ar", "rtl", "حدث خطأ ما")])
def test_it_renders_its_own_500_page_without_a_request_or_the_database(language, direction, title,
                                                                       django_assert_num_queries):
    with translation.override(language), django_assert_num_queries(0):
        response = defaults.server_error(HttpRequest())
        # As Django renders it: no context, no context processors.
        bare = render_to_string("500.html")
    page = response.content.decode()
    assert response.status_code == 500
    assert f'lang="{language}" dir="{direction}"' in page and title in page
    assert bare == page
