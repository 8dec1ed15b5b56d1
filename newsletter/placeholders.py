"""Placeholders for per-recipient values in rendered digest variants.

Rendering (newsletter) writes these into the HTML and text once per variant; delivery (worker)
replaces them per recipient, or rewrites them into the provider's merge syntax once per batch
(Mailgun: `%recipient.unsubscribe_url%`). They survive premailer and html2text unchanged.
"""

import html

NAME = "%%name%%"
EMAIL = "%%email%%"
UNSUBSCRIBE_URL = "%%unsubscribe_url%%"
PREFERENCES_URL = "%%preferences_url%%"
WEB_URL = "%%web_url%%"

ALL = {
    "name": NAME,
    "email": EMAIL,
    "unsubscribe_url": UNSUBSCRIBE_URL,
    "preferences_url": PREFERENCES_URL,
    "web_url": WEB_URL,
}


def fill(template: str, values: dict[str, str]) -> str:
    """Replace every placeholder named in `values` (keys as in ALL) in one pass per key."""
    for key, value in values.items():
        template = template.replace(ALL[key], value)
    return template


def fill_html(template: str, values: dict[str, str]) -> str:
    """`fill` for an HTML part: each value escaped (the web version's `&lang=` must read `&amp;lang=` in an href).

    Once per variant or preview, never per recipient: the send path escapes only the values a person typed
    (worker.messages.html_values), since the signed links hold no character HTML gives a meaning to.
    """
    return fill(template, {key: html.escape(value) for key, value in values.items()})
