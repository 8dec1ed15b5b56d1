"""The consent text shown next to the subscribe checkbox, and its version.

Change CONSENT_VERSION whenever the wording changes: every ConsentRecord stores the text as it was
shown (in the page's language) and this version, so the organisation can prove what a person agreed to.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext

CONSENT_VERSION = "2026-11-1"


def consent_text() -> str:
    """The consent sentence in the active language."""
    return gettext(
        "I agree that %(organisation)s emails me the newsletters I chose. I can unsubscribe at any time "
        "with the link in every email. My address is never shared."
    ) % {"organisation": settings.ORGANISATION_NAME}
