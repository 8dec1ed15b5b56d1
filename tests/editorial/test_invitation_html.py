"""The invitation email: a text part and a branded HTML part in the invitation's language, like the audience's
confirmation emails (subscribers.email_shells), with the link only in this message, never in a kept shell."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from editorial.roles import EDITOR
from subscribers import email_shells
from tests.support.organisations import default_organisation

pytestmark = [pytest.mark.django_db]


def _invite(client, *, language="en"):
    organisation = default_organisation()
    organisation.logo_url = "https://mmm.example.org/logo.png"
    organisation.accent_colour = "#7a1f5c"
    organisation.save()
    client.post(reverse("admin:editorial_invitation_add"), {
        "email": "nadia@example.org", "role": EDITOR, "language": language, "organisations": [organisation.pk]})
    [message] = mail.outbox
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return organisation, message, html


def test_it_sends_the_invitation_as_branded_html_with_a_text_part(administrator_client):
    organisation, message, html = _invite(administrator_client)

    link = re.search(r"https?://\S+/team/invitation/[^/\s]+/", message.body).group(0)
    assert unescape(html).count(f'href="{link}"') == 2  # the button and the link to copy
    assert organisation.name in html and "https://mmm.example.org/logo.png" in html
    assert organisation.postal_address.splitlines()[0] in html
    assert "Choose my password" in html and "Editor" in html
    assert "#7a1f5c" in html  # the accent colour, inlined
    assert "<style" not in html.split("</head>")[1]  # the CSS went inline: no style block in the body
    assert "%%" not in html and "<link" not in html


def test_it_writes_the_html_in_arabic_right_to_left(administrator_client):
    _organisation, _message, html = _invite(administrator_client, language="ar")

    assert re.search(r'<html[^>]+lang="ar"', html) and 'dir="rtl"' in html
    assert "اختيار كلمة المرور" in html


def test_it_keeps_no_invitation_link_in_the_shells_this_process_keeps(administrator_client):
    email_shells.forget()
    _organisation, message, _html = _invite(administrator_client)

    token = re.search(r"/team/invitation/([^/\s]+)/", message.body).group(1)
    assert not any(token in shell for shell in email_shells._shells.values())
