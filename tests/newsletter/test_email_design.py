"""The digest as mail clients show it: every coloured text readable (WCAG 4.5:1) in light and dark mode, whatever
the list's accent; a preheader hidden without a background-coloured font; a width that fits a phone even where a
client drops the <style> blocks; the web-version link's `&` escaped; a Date with a real zone."""

import re

import lxml.html
import pytest
from django.core import mail
from playwright.sync_api import sync_playwright

from newsletter import rendering
from newsletter.models import Digest
from newsletter.services import digest_send_test
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber
from worker.messages import Recipient, build_envelope, single_message
from worker.prebuilt_mime import prebuild

pytestmark = pytest.mark.django_db

DEMO_ACCENTS = ["#1a5fb4", "#c2185b", "#00796b", "#1565c0"]
HARD_ACCENTS = ["#ffcc00", "#000000", "#ffffff", "#777777"]


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance, written out here rather than taken from the product."""
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _declarations(style: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return {name.strip().lower(): value.replace("!important", "").strip() for name, value in pairs}


def _dark_rules(html: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) of the `prefers-color-scheme: dark` block the email carries."""
    start = html.index("{", html.index("prefers-color-scheme: dark"))
    depth = 0
    for end in range(start, len(html)):
        depth += {"{": 1, "}": -1}.get(html[end], 0)
        if depth == 0:
            rules = re.findall(r"([^{}]+)\{([^{}]*)\}", html[start + 1:end])
            return [(selector.strip(), _declarations(body)) for selectors, body in rules
                    for selector in selectors.split(",")]
    raise AssertionError("the dark-mode block is not closed")


def _rendered(accent: str = "#1a5fb4", language: str = "en") -> str:
    mailing_list = make_list(accent_colour=accent)
    make_subscriber(mailing_list=mailing_list, language=language)
    item = make_item(title="Commission on the Status of Women", dateline="UN New York",
                     image_url="https://example.org/a.jpg", image_alt="Delegates")
    digest = make_digest(mailing_list=mailing_list, items=[item])
    [variant] = rendering.render_digest_variants(digest_id=digest.id)
    return variant.html


def _coloured_text(document) -> list:
    """Elements that set a text colour inline, except the page itself and the hidden preheader."""
    return [element for element in document.iter() if isinstance(element.tag, str) and element.tag != "body"
            and "color" in _declarations(element.get("style", "")) and "preheader" not in element.get("class", "")]


@pytest.mark.parametrize("accent", DEMO_ACCENTS + HARD_ACCENTS)
def test_it_keeps_every_coloured_text_readable_in_light_and_dark_mode(accent):
    html = _rendered(accent)
    document = lxml.html.document_fromstring(html)
    [container] = document.find_class("container")
    light_background = _declarations(container.get("style"))["background-color"]
    dark = _dark_rules(html)
    [dark_background] = [d["background-color"] for selector, d in dark if selector == ".container"]
    dark_colour = {}
    for selector, declarations in dark:
        if "color" in declarations:
            for element in document.cssselect(selector):
                dark_colour[element] = declarations["color"]

    coloured = _coloured_text(document)
    assert len(coloured) >= 8  # topline, list name, intro, item meta, title, summary, read more, footer links
    for element in coloured:
        text = element.text_content().strip()[:30]
        light = _declarations(element.get("style"))["color"]
        assert _contrast(light, light_background) >= 4.5, (text, light, light_background)
        assert element in dark_colour, f"no dark-mode colour for {element.get('class') or element.tag}: {text!r}"
        assert _contrast(dark_colour[element], dark_background) >= 4.5, (text, dark_colour[element], dark_background)


def test_it_hides_the_preheader_without_a_colour_matching_the_background():
    document = lxml.html.document_fromstring(_rendered())
    [preheader] = document.find_class("preheader")
    style = _declarations(preheader.get("style"))

    assert "color" not in style  # a font the colour of its background is what HTML_FONT_LOW_CONTRAST scores
    assert style["display"] == "none" and style["max-height"] == "0" and style["opacity"] == "0"
    assert style["mso-hide"] == "all" and style["overflow"] == "hidden"
    assert preheader.text_content().startswith("What happened this week")


def _without_style_blocks(html: str) -> str:
    return re.sub(r"<style[^>]*>.*?</style>", "", html, flags=re.S)


def test_it_sets_no_fixed_width_wider_than_a_phone_inline():
    document = lxml.html.document_fromstring(_without_style_blocks(_rendered()))

    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # Outlook's conditional comments hold its own fixed-width table
        style = _declarations(element.get("style", ""))
        assert not re.fullmatch(r"([4-9]\d\d|\d{4,})px", style.get("width", "")), element.get("class")
        if (element.get("width") or "").isdigit() and int(element.get("width")) > 320:
            assert style.get("width") == "100%" and style.get("max-width"), (element.tag, element.get("class"))


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "ar"])
def test_it_fits_a_phone_screen_when_the_client_drops_the_style_blocks(language):
    html = _without_style_blocks(_rendered(language=language))  # rendered before Playwright's event loop starts

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 375, "height": 700})
        page.set_content(html)
        width = page.evaluate("document.documentElement.scrollWidth")
        container = page.evaluate("document.querySelector('.container').getBoundingClientRect().width")
        page.set_viewport_size({"width": 1000, "height": 700})
        wide_container = page.evaluate("document.querySelector('.container').getBoundingClientRect().width")
        browser.close()

    assert width <= 375
    assert container <= 375
    assert wide_container == 600  # and no wider on a large screen


def _sent_html(html_body: str, *, prebuilt: bool) -> tuple[str, str]:
    """(html part, Date header) of a digest message for one reader, through the delivery engine's builders."""
    mailing_list = make_list(from_email="news@mg.example.org")
    envelope = build_envelope(digest_id=7, mailing_list=mailing_list, subject="News", html_body=html_body,
                              text_body="%%web_url%% %%unsubscribe_url%%",
                              web_url="https://news.example.org/archive/7/?k=abc&lang=fr")
    recipient = Recipient(delivery_id=1, subscriber_id=2, email="ann@example.org", name="Ann & Bob")
    message = single_message(envelope=envelope, recipient=recipient,
                             prebuilt=prebuild(envelope, backend=None) if prebuilt else None).message()
    html_part = message.get_payload()[1].get_payload(decode=True).decode()
    return html_part, message["Date"]


@pytest.mark.parametrize("prebuilt", [False, True])
def test_it_escapes_the_web_version_links_ampersand_in_the_html_only(prebuilt):
    html, _ = _sent_html(_rendered(), prebuilt=prebuilt)

    assert 'href="https://news.example.org/archive/7/?k=abc&amp;lang=fr"' in html
    assert "&lang=" not in html


@pytest.mark.parametrize("prebuilt", [False, True])
def test_it_dates_a_digest_message_with_a_real_zone(prebuilt):
    _, date = _sent_html("<p>%%unsubscribe_url%%</p>", prebuilt=prebuilt)

    assert date.endswith(" +0000"), date


def test_it_escapes_the_web_version_link_and_dates_a_test_send(django_user_model):
    editor = django_user_model.objects.create_user("ed", email="ed@example.org", password="x", first_name="Ed & Co")
    digest = make_digest(mailing_list=make_list(), items=[make_item()])
    assert digest.status == Digest.Status.DRAFT

    digest_send_test(digest_id=digest.id, user_id=editor.id)

    [message] = mail.outbox
    html = message.alternatives[0].content
    assert "&amp;lang=en" in html and "&lang=" not in html
    assert message.message()["Date"].endswith(" +0000")
