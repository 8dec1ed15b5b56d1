"""The HTML part of the audience's own emails (confirmation, welcome): the organisation's branding in the
reader's language, in the digest's design (templates/emails/style.html), CSS inlined by the digest's premailer
step (newsletter.rendering).

premailer is slow (docs/decisions/0005-per-message-cpu.md) and a drain sends many confirmations a second from
several threads (docs/decisions/0016-confirmations-in-flight.md), so an email's HTML is a *shell*: rendered and
inlined once per template, language and branding, with the personal links left as placeholders, and kept in
this process. Each email only fills its links in. A shell is keyed by every value its template shows (list
names, logo, colour, address...), not by an id: an edited list or organisation gets a new shell, never a stale
one, and nothing here reads the database (the sending threads must not).
"""

from __future__ import annotations

import html
import threading
from collections.abc import Mapping

from django.template.loader import render_to_string
from django.utils import translation

from newsletter import rendering
from newsletter.colours import DARK_BACKGROUND, LIGHT_BACKGROUND, readable_on
from organisations.models import Organisation
from subscribers import direction
from subscribers.models import MailingList

# Per-recipient links in a shell; the URL pattern of subscribers.direction knows the `%%..._url%%` form.
CONFIRM_URL = "%%confirm_url%%"
UNSUBSCRIBE_URL = "%%unsubscribe_url%%"
PREFERENCES_URL = "%%preferences_url%%"
# Enough for every list and language of an installation; beyond it the oldest shell is rendered again if needed.
MAX_SHELLS = 512

_shells: dict[tuple, str] = {}
# One render per key even when several sending threads miss it at once.
_lock = threading.Lock()


def branding(mailing_list: MailingList, *, language: str) -> dict[str, str]:
    """What an email of `mailing_list` shows of its organisation, and the design's colours and sides for
    `language`. Reads only the list and its organisation, which the caller has loaded (select_related)."""
    return _branding(mailing_list.organisation, logo=mailing_list.logo, accent=mailing_list.accent, language=language)


def organisation_branding(organisation: Organisation, *, language: str) -> dict[str, str]:
    """What an email from `organisation` itself (not one of its lists) shows of it, e.g. an invitation."""
    return _branding(organisation, logo=organisation.logo_url, accent=organisation.accent_colour, language=language)


def _branding(organisation: Organisation, *, logo: str, accent: str, language: str) -> dict[str, str]:
    sides = direction.direction(language)
    return {
        "language": language,
        "direction": sides.dir,
        "start": sides.align,
        "end": sides.end,
        "organisation": organisation.name,
        "organisation_address": organisation.postal_address,
        "logo": logo,
        "accent": accent,
        "accent_on_light": readable_on(accent, LIGHT_BACKGROUND),
        "accent_on_dark": readable_on(accent, DARK_BACKGROUND),
        "light_background": LIGHT_BACKGROUND,
        "dark_background": DARK_BACKGROUND,
    }


def shell(template_name: str, context: Mapping[str, str | list[str] | int]) -> str:
    """The inlined HTML of `template_name` rendered with `context` (plain values only: they make the key) in
    `context["language"]`; premailer runs once per distinct template and context in this process."""
    key = (template_name, tuple(sorted((name, tuple(value) if isinstance(value, list) else value)
                                       for name, value in context.items())))
    found = _shells.get(key)
    if found is not None:
        return found
    with _lock:
        found = _shells.get(key)
        if found is None:
            with translation.override(str(context["language"])):
                found = rendering.inline_css(render_to_string(template_name, dict(context)))
            if len(_shells) >= MAX_SHELLS:
                _shells.pop(next(iter(_shells)))
            _shells[key] = found
    return found


def fill(shell_html: str, links: Mapping[str, str]) -> str:
    """A shell with its link placeholders (CONFIRM_URL...) replaced by this reader's URLs, HTML-escaped."""
    for placeholder, url in links.items():
        shell_html = shell_html.replace(placeholder, html.escape(url))
    return shell_html


def forget() -> None:
    """Drop every shell (tests: one test's shells must not be another's)."""
    with _lock:
        _shells.clear()
