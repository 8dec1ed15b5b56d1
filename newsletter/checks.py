"""Pre-send checks: what an editor must fix before a digest may be scheduled.

They look at the rendered variants (exactly what recipients get), so a problem in any language is
caught. The schedule service refuses a digest while any blocking problem remains; the others are warnings
shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsletter import placeholders
from newsletter.models import Digest, DigestItem, DigestVariant
from newsletter.rendering import render_digest_variants
from newsletter.selectors import digest_items, items_in_language
from newsletter.subjects import digest_text
from newsletter.tailoring import TailoringError
from organisations.sending import alignment_problem
from subscribers.checks import insecure_links_reason, production
from subscribers.models import MailingList
from subscribers.segments import SegmentFilterError
from subscribers.texts import reader_text_chosen

# Language names in the interface's language, for "3 of 5 items have no Arabic text".
LANGUAGE_NAMES = (("en", gettext_lazy("English")), ("fr", gettext_lazy("French")), ("ar", gettext_lazy("Arabic")))

# Gmail clips messages whose HTML is larger than this ("[Message clipped]"), hiding the footer.
GMAIL_CLIP_BYTES = 102 * 1024


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    language: str = ""
    blocking: bool = True  # False: a warning, shown but not refusing the schedule

    def __str__(self) -> str:
        return f"[{self.language}] {self.message}" if self.language else self.message


def digest_check(*, digest_id: int) -> list[Problem]:
    """Render the digest's variants (stored, so the preview shows the same thing) and check each one."""
    problems: list[Problem] = []
    if reason := insecure_links_reason():
        # Refused in production; in development (tests and trials against local servers) only said.
        problems.append(Problem("http_links", _("%(reason)s Set SITE_URL to an https address.") % {"reason": reason},
                                blocking=production()))
    if not DigestItem.objects.filter(digest_id=digest_id).exists():
        problems.append(Problem("empty", _("The digest has no news items.")))
    mailing_list = MailingList.objects.select_related("organisation").filter(digests__id=digest_id).first()
    if mailing_list is not None and (reason := alignment_problem(from_email=mailing_list.from_email,
                                                                  organisation=mailing_list.organisation)):
        problems.append(Problem("dmarc_alignment", reason))
    try:
        variants = render_digest_variants(digest_id=digest_id)
    except SegmentFilterError as exc:
        return [*problems, Problem("segment", _("The segment's filters cannot be used: %(error)s") % {"error": exc})]
    except TailoringError as exc:
        return [*problems, Problem("too_many_variants", str(exc))]
    for variant in variants:
        problems.extend(variant_problems(variant))
    languages = list(dict.fromkeys(variant.language for variant in variants))  # a tailored digest: several each
    problems.extend(fallback_warnings(digest_id=digest_id, languages=languages))
    return problems


# Per-language texts a reader of each variant may get in another language (subscribers.texts' rule).
_FALLBACK_FIELDS = {"subject": gettext_lazy("subject"), "preheader": gettext_lazy("preheader"), "intro": gettext_lazy("intro")}


def fallback_warnings(*, digest_id: int, languages: list[str]) -> list[Problem]:
    """Per audience language, what its readers get in another language: a warning each (the editor decides)."""
    digest = Digest.objects.select_related("mailing_list").get(pk=digest_id)
    items = digest_items(digest_id=digest_id)
    names = dict(LANGUAGE_NAMES)
    warnings = []
    for language in languages:
        for field, label in _FALLBACK_FIELDS.items():
            chosen = digest_text(digest, field, language)
            if chosen.language and chosen.language != language:
                warnings.append(Problem("not_translated", _("%(field)s not translated, falls back to %(fallback)s")
                                        % {"field": label, "fallback": chosen.language}, language, blocking=False))
        chosen = reader_text_chosen(digest.mailing_list, "name", language=language,
                                    default_language=digest.mailing_list.default_language)
        if chosen.language and chosen.language != language:
            warnings.append(Problem("not_translated", _("list name not translated, falls back to %(fallback)s")
                                    % {"fallback": chosen.language}, language, blocking=False))
        # The version each item is shown in, as rendering chooses it (newsletter.selectors.items_in_language).
        missing = sum(1 for shown in items_in_language(items=items, language=language) if shown.language != language)
        if missing:
            warnings.append(Problem("items_not_translated", _("%(missing)d of %(total)d items have no %(language)s text")
                                    % {"missing": missing, "total": len(items), "language": names.get(language, language)},
                                    language, blocking=False))
    return warnings


def blocking(problems: list[Problem]) -> list[Problem]:
    """The problems that refuse the schedule."""
    return [problem for problem in problems if problem.blocking]


def variant_problems(variant: DigestVariant) -> list[Problem]:
    problems = []
    language = variant.language
    if variant.size_bytes > GMAIL_CLIP_BYTES:
        problems.append(
            Problem(
                "too_large",
                _("The HTML is %(size).0f KB; Gmail clips messages over 102 KB. Remove or shorten items.")
                % {"size": variant.size_bytes / 1024},
                language,
            )
        )
    if placeholders.UNSUBSCRIBE_URL not in variant.html or placeholders.UNSUBSCRIBE_URL not in variant.text:
        problems.append(Problem("no_unsubscribe", _("The unsubscribe link is missing from the message."), language))
    document = lxml.html.document_fromstring(variant.html)
    for img in document.iter("img"):
        if not (img.get("alt") or "").strip():
            problems.append(Problem("image_alt", _("Image without alt text: %(src)s") % {"src": img.get("src", "")}, language))
    for anchor in document.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not link_is_acceptable(href):
            text = (anchor.text_content() or "").strip()[:60]
            problems.append(Problem("bad_link", _("Link is not an absolute http(s) address: %(href)r (%(text)s)")
                                    % {"href": href, "text": text},
                                    language))
    return problems


def link_is_acceptable(href: str) -> bool:
    """Absolute http(s) URLs with a host, the personal-link placeholders, or mailto: addresses."""
    if href in placeholders.ALL.values():
        return True
    if href.startswith("mailto:") and "@" in href:
        return True
    parts = urlsplit(href)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in href
