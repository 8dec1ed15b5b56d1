"""The desk's frame: who gets in, what the navigation offers, and that it speaks the editor's language."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_sends_a_stranger_to_the_desk_sign_in_page(client):
    response = client.get("/desk/")
    assert response.status_code == 302 and response["Location"].startswith("/desk/login/?next=/desk/")


def test_it_refuses_a_signed_in_reader_without_staff_status(client):
    person = get_user_model().objects.create_user(username="reader", password="pw-reader-123")
    client.force_login(person)
    assert client.get("/desk/").status_code == 403


def test_it_refuses_a_non_staff_account_at_sign_in_with_words_a_person_understands(client):
    get_user_model().objects.create_user(username="reader", password="pw-reader-123")
    response = client.post("/desk/login/", {"username": "reader", "password": "pw-reader-123"})
    assert response.status_code == 200
    assert "This account cannot use the editor" in response.content.decode()


def test_it_signs_an_editor_in_and_shows_her_organisation_and_sections(editor):
    client = Client()
    response = client.post("/desk/login/", {"username": "edith", "password": "pw-edith"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/desk/"
    assert "Welcome, edith" in page
    assert "Look up a subscriber" in page and "Live sends" in page


def test_it_hides_sections_the_person_may_not_open(roles):
    person = get_user_model().objects.create_user(username="staffonly", password="pw", is_staff=True)
    client = Client()
    client.force_login(person)
    page = client.get("/desk/").content.decode()
    assert "Look up a subscriber" not in page
    assert "You belong to no organisation yet" in page


def test_it_speaks_arabic_right_to_left(editor_client):
    editor_client.cookies["django_language"] = "ar"
    page = editor_client.get("/desk/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "مكتب التحرير" in page


def test_it_serves_htmx_from_our_own_static_files(editor_client):
    page = editor_client.get("/desk/").content.decode()
    assert 'src="/static/django_htmx/htmx.min.js"' in page or "django_htmx/htmx" in page
