"""An invitation as the two people see it, in headless Chromium on a live server: an Administrator fills in "Invite
a person"; the invited person opens the emailed link in her own browser, chooses her password and lands in the
admin, signed in. Screenshots go to test-artifacts/ (look at them)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from playwright.sync_api import sync_playwright

from editorial.access import visible_organisation_ids
from editorial.roles import EDITOR
from tests.support.organisations import default_organisation
from tests.support.processes import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "Gardenia-river-1987"


def test_it_lets_an_invited_person_set_her_password_and_sign_in_from_the_email(live_server, administrator):
    organisation = default_organisation()  # rows before Playwright: its event loop keeps Django off the database
    client = Client()
    client.force_login(administrator)
    session = client.cookies["sessionid"].value
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        admin_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        admin_context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = admin_context.new_page()
        page.goto(f"{live_server.url}/admin/editorial/invitation/")
        page.click("text=Invite a person")
        page.fill("input[name=email]", "nadia@example.org")
        page.check(f"input[name=role][value={EDITOR}]")
        page.screenshot(path=str(ARTIFACTS / "editorial-invite-form.png"), full_page=True)
        with page.expect_navigation():
            page.click("#invite-form input[type=submit]")
        confirmation = page.inner_text(".messagelist")
        page.screenshot(path=str(ARTIFACTS / "editorial-invite-sent.png"), full_page=True)

        [message] = mail.outbox
        link = re.search(r"https?://\S+/team/invitation/[^/\s]+/", message.body).group(0)
        path = "/" + link.split("://", 1)[1].split("/", 1)[1]

        her = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")  # her phone
        mine = her.new_page()
        mine.goto(f"{live_server.url}{path}")
        mine.fill("input[name=first_name]", "Nadia")
        mine.fill("input[name=password1]", PASSWORD)
        mine.fill("input[name=password2]", PASSWORD)
        mine.screenshot(path=str(ARTIFACTS / "editorial-invitation-accept.png"), full_page=True)
        with mine.expect_navigation():
            mine.click("#accept-invitation button[type=submit]")
        landed = mine.url
        header = mine.inner_text(".desk-account")
        mine.screenshot(path=str(ARTIFACTS / "editorial-invitation-signed-in.png"), full_page=True)

        mine.goto(f"{live_server.url}{path}")
        used = mine.inner_text("#invitation-invalid")
        mine.screenshot(path=str(ARTIFACTS / "editorial-invitation-used.png"), full_page=True)
        browser.close()

    assert "Invitation sent to nadia@example.org" in confirmation
    assert landed == f"{live_server.url}/desk/"
    assert "NADIA" in header.upper()
    assert "already used" in used
    user = get_user_model().objects.get(email="nadia@example.org")
    assert user.is_staff and list(user.groups.values_list("name", flat=True)) == [EDITOR]
    assert visible_organisation_ids(user) == {organisation.pk}
