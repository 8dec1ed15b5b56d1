"""The desk's sections, in the order the navigation shows them: (url name, label, permission).

One line per section; a section appears for a person holding its permission (None: every staff member)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    url_name: str
    label: str
    permission: str | None


SECTIONS: tuple[Section, ...] = (
    Section("desk:home", _("Home"), None),
    Section("desk:digests", _("Digests"), "newsletter.view_digest"),
    Section("desk:news", _("News"), "newsletter.view_newsitem"),
    Section("desk:media", _("Images"), "newsletter.view_mediaimage"),
    Section("desk:feeds", _("Feeds"), "newsletter.view_feed"),
    Section("desk:results", _("Results"), "newsletter.view_digest"),
    Section("desk:live", _("Live sends"), "newsletter.view_digest"),
    Section("desk:subscriber_lookup", _("Look up a subscriber"), "subscribers.view_mailinglist"),
)


def sections_for(user) -> list[dict[str, str]]:
    """The sections `user` may open, with their addresses."""
    return [
        {"url": reverse(section.url_name), "label": str(section.label), "url_name": section.url_name}
        for section in SECTIONS
        if section.permission is None or user.has_perm(section.permission)
    ]
