"""The outbox shows every recipient's address and her personal links: Administrators only, never cached,
and no link in it acts for the recipient by a click."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.mail import EmailMultiAlternatives, get_connection
from django.test import Client

from editorial.roles import ADMINISTRATOR, EDITOR, roles_apply
from editorial.services import user_grant_role, user_join_organisation
from operations.models import OutboxMessage
from operations.outbox import PERSONAL_LINK_NOTE
from subscribers.list_headers import list_id_header
from tests.subscribers.factories import make_list
from tests.support.organisations import default_organisation

pytestmark = pytest.mark.django_db

CONFIRM = "https://news.example.org/confirm/tok-confirm-123/"
UNSUBSCRIBE = "https://news.example.org/u/tok-unsub-456/"
PREFERENCES = "https://news.example.org/preferences/tok-prefs-789/"
ARCHIVE = "https://news.example.org/archive/7/"


def _send() -> OutboxMessage:
    text = f"Please confirm: {CONFIRM}\nUnsubscribe: {UNSUBSCRIBE}.\nPreferences ({PREFERENCES})\nRead online: {ARCHIVE}\n"
    message = EmailMultiAlternatives(
        subject="Confirm your subscription", body=text, from_email="news@example.org", to=["amal@example.org"],
        # A list of the organisation the Administrators below belong to: they see its messages only.
        headers={"List-Id": list_id_header(make_list(slug="news"))},
    )
    message.attach_alternative(
        f'<p><a href="{CONFIRM}" style="color:red">Yes, <b>subscribe</b> me</a></p>'
        f"<p><A HREF='{UNSUBSCRIBE}'>Unsubscribe</A> <a href={PREFERENCES}>Preferences</a></p>"
        f'<p><a href="{ARCHIVE}">Read online</a></p>',
        "text/html",
    )
    get_connection("operations.outbox.OutboxEmailBackend").send_messages([message])
    return OutboxMessage.objects.get()


def _client_as(role: str) -> Client:
    roles_apply(group_model=Group, permission_model=Permission)
    user = get_user_model().objects.create_user(username=role.lower(), password="pw-" + role.lower() * 3)
    user_grant_role(user_id=user.pk, role=role)
    user_join_organisation(user_id=user.pk, organisation_id=default_organisation().pk)
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    return client


def _pages(pk: int) -> list[str]:
    return ["/outbox/", f"/outbox/{pk}/", f"/outbox/{pk}/html"]


def test_it_refuses_every_outbox_page_and_the_outbox_admin_to_editors():
    stored = _send()
    editor = _client_as(EDITOR)

    for url in _pages(stored.pk):
        response = editor.get(url)
        assert response.status_code == 403, url
        assert b"amal@example.org" not in response.content
    assert editor.get("/admin/operations/outboxmessage/").status_code == 403
    assert editor.get(f"/admin/operations/outboxmessage/{stored.pk}/change/").status_code == 403


def test_it_sends_signed_out_people_to_the_login_page():
    stored = _send()

    for url in _pages(stored.pk):
        response = Client().get(url)
        assert response.status_code == 302 and "/admin/login/" in response.headers["Location"], url


def test_it_shows_the_outbox_to_administrators():
    stored = _send()
    administrator = _client_as(ADMINISTRATOR)

    assert b"amal@example.org" in administrator.get("/outbox/").content
    assert administrator.get(f"/outbox/{stored.pk}/").status_code == 200
    assert administrator.get("/admin/operations/outboxmessage/").status_code == 200


def test_it_marks_every_outbox_response_private_and_not_to_be_stored():
    stored = _send()
    administrator, editor = _client_as(ADMINISTRATOR), _client_as(EDITOR)

    responses = [client.get(url) for client in (administrator, editor, Client()) for url in _pages(stored.pk)]
    responses.append(administrator.get(f"/outbox/{stored.pk + 1}/"))  # no such message

    assert [r.status_code for r in responses] == [200] * 3 + [403] * 3 + [302] * 3 + [404]
    assert {r.headers["Cache-Control"] for r in responses} == {"private, no-store"}


def _hrefs(html: str) -> list[str]:
    return re.findall(r"""href\s*=\s*["']?([^"'\s>]+)""", html, re.IGNORECASE)


def test_it_shows_the_recipients_personal_links_as_text_to_copy_never_as_links():
    stored = _send()
    administrator = _client_as(ADMINISTRATOR)

    detail = administrator.get(f"/outbox/{stored.pk}/").content.decode()
    frame = administrator.get(f"/outbox/{stored.pk}/html").content.decode()

    for page in (detail, frame):
        for personal in (CONFIRM, UNSUBSCRIBE, PREFERENCES):
            assert personal in page  # still there to copy
            assert not any("/confirm/" in h or "/u/" in h or "/preferences/" in h for h in _hrefs(page)), _hrefs(page)
        assert PERSONAL_LINK_NOTE in page
    assert frame.count(PERSONAL_LINK_NOTE) == 3
    assert "Yes, <b>subscribe</b> me" in frame  # the email still reads as it was written
    assert ARCHIVE in _hrefs(frame)  # links that act for nobody stay links
    assert detail.count(PERSONAL_LINK_NOTE) == 3 + 1  # the text part's three and the page's explanation
    assert re.search(rf'<code class="personal-link"[^>]*>{re.escape(UNSUBSCRIBE)}</code>', detail)  # full stop left out


def test_it_shows_the_html_part_in_a_sandbox_that_runs_nothing():
    stored = _send()
    administrator = _client_as(ADMINISTRATOR)

    detail = administrator.get(f"/outbox/{stored.pk}/").content.decode()
    frame = administrator.get(f"/outbox/{stored.pk}/html")

    assert re.search(r"<iframe sandbox title=", detail)
    assert frame.headers["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.parametrize(
    "markup",
    [
        f'<img src="{UNSUBSCRIBE}">',  # an image would be fetched as soon as the preview opens
        f'<form action="{CONFIRM}" method="post"><button>Go</button></form>',
        f'<meta http-equiv="refresh" content="0;url={CONFIRM}">',
        f'<map><area href="{PREFERENCES}" alt="prefs"></map>',
        f'<a href="{CONFIRM.replace("/", "&#47;")}">encoded</a>',
        f'<a href="{UNSUBSCRIBE}">never closed',
    ],
)
def test_it_leaves_no_attribute_or_refresh_that_would_reach_a_personal_link(markup):
    from operations.outbox import outbox_html_for_display

    shown = outbox_html_for_display(markup)

    assert not re.search(r"""(href|src|action|url)\s*=\s*["']?[^"'\s>]*(/|&#47;)(confirm|u|preferences)(/|&#47;)""",
                         shown, re.IGNORECASE), shown
