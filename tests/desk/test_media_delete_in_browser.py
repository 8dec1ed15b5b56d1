"""Deleting an image in headless Chromium on a phone-sized screen and in Arabic: the editor opens the image library,
is refused for the picture a news item still shows (the item named), then deletes the other one after confirming.
Screenshots of every step go to test-artifacts/desk-mediadelete-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from newsletter.media_images import media_image_absolute_url, media_image_upload
from newsletter.models import MediaImage
from tests.newsletter.factories import make_item, make_list
from tests.support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, desk_sign_in, in_a_thread
from tests.support.images import image_bytes, upload
from tests.support.organisations import default_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_refuses_an_image_in_use_and_deletes_an_unused_one_after_confirming(live_server, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    organisation_id = default_organisation().pk
    used = media_image_upload(organisation_id=organisation_id, upload=upload(image_bytes()), alt_text="صورة مستخدمة")
    unused = media_image_upload(organisation_id=organisation_id, upload=upload(image_bytes(colour=(20, 120, 60))),
                                alt_text="صورة غير مستخدمة")
    make_item(title="خبر يعرض الصورة", image_url=media_image_absolute_url(used), image_alt="صورة", mailing_list=make_list())
    ARTIFACTS.mkdir(exist_ok=True)

    def shot(page, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"desk-mediadelete-{step}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 812}, locale="ar")
        context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(30_000)
        desk_sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/desk/images/")
        shot(page, "0-library")

        page.click(f"[data-testid=media-delete][data-image='{used.pk}']")
        refusal = page.inner_text("[data-testid=media-delete-in-use]")
        yes_for_used = page.locator("[data-testid=media-delete-yes]").count()
        shot(page, "1-refused-in-use")

        page.goto(f"{live_server.url}/desk/images/")
        page.click(f"[data-testid=media-delete][data-image='{unused.pk}']")
        shot(page, "2-confirm")
        direction = page.get_attribute("html", "dir")
        with page.expect_navigation():
            page.click("[data-testid=media-delete-yes]")
        shot(page, "3-deleted")
        left = page.locator("[data-testid=media-image]").count()
        browser.close()

    assert "خبر يعرض الصورة" in refusal and yes_for_used == 0
    assert direction == "rtl" and left == 1
    assert in_a_thread(lambda: sorted(MediaImage.objects.values_list("pk", flat=True))) == [used.pk]
