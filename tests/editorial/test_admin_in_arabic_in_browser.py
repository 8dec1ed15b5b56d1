"""The admin in Arabic as an editor sees it in headless Chromium: she picks AR in the header's language switch,
and every admin page after that is right-to-left with Arabic labels. Screenshots go to test-artifacts/."""

import pytest
from django.test import Client
from playwright.sync_api import sync_playwright

from newsletter.models import Digest
from tests.support.processes import ROOT
from tests.worker.factories import make_digest, make_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts"
# The digest form's labels as newsletter/locale/translate.py gives them in Arabic.
# Per-language texts have one input per language (subscribers.admin_texts): the Arabic subject's is `id_subject_ar`.
ARABIC_LABELS = {"id_mailing_list": "القائمة البريدية", "id_subject_ar": "الموضوع", "id_preheader_ar": "النص التمهيدي",
                 "id_intro_ar": "المقدمة"}
_BOX = "selector => { const r = document.querySelector(selector).getBoundingClientRect(); return [r.left, r.right]; }"


def test_it_turns_every_admin_page_right_to_left_with_arabic_labels_once_the_editor_picks_arabic(live_server, editor):
    # Rows are made before Playwright starts: its event loop makes Django refuse database calls in this thread.
    digest = make_digest(make_list(name="OUM-Action"), status=Digest.Status.DRAFT, subject="Nos nouvelles")
    client = Client()
    client.force_login(editor)
    session = client.cookies["sessionid"].value
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/")
        before = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")

        with page.expect_navigation():
            page.click("#user-tools .language-switch button[value='ar']")
        index = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
        index_text = page.inner_text("#content")
        page.screenshot(path=str(ARTIFACTS / "admin-index-ar.png"), full_page=True)

        page.goto(f"{live_server.url}/admin/newsletter/digest/{digest.pk}/change/")
        change = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
        labels = {field: page.inner_text(f"label[for='{field}']") for field in ARABIC_LABELS}
        direction = page.evaluate("getComputedStyle(document.querySelector('#digest_form')).direction")
        label_box, input_box = page.evaluate(_BOX, "label[for='id_subject_ar']"), page.evaluate(_BOX, "#id_subject_ar")
        page.screenshot(path=str(ARTIFACTS / "admin-digest-change-ar.png"), full_page=True)
        browser.close()

    assert before[1] == "ltr"
    assert index == ["ar", "rtl"]
    assert "الأخبار والنشرات" in index_text and "News and digests" not in index_text  # the app names too
    assert change == ["ar", "rtl"]
    assert direction == "rtl"
    for field, arabic in ARABIC_LABELS.items():
        assert arabic in labels[field], f"{field}: {labels[field]!r}"
    # Right to left: each label stands at the right of its field.
    assert label_box[0] >= input_box[1] - 1, (label_box, input_box)
