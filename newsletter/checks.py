"""Pre-send checks: what an editor must fix before a digest may be scheduled.

They look at the rendered variants (exactly what recipients get), so a problem in any language is
caught. The schedule service refuses a digest while any blocking problem remains; the others are warnings
shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html

from newsletter import placeholders
from newsletter.models import DigestItem, DigestVariant
from newsletter.rendering import render_digest_variants
from organisations.sending import alignment_problem
from subscribers.checks import insecure_links_reason, production
from subscribers.models import MailingList
from subscribers.segments import SegmentFilterError

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
        problems.append(Problem("http_links", f"{reason} Set SITE_URL to an https address.", blocking=production()))
    if not DigestItem.objects.filter(digest_id=digest_id).exists():
        problems.append(Problem("empty", "The digest has no news items."))
    mailing_list = MailingList.objects.select_related("organisation").filter(digests__id=digest_id).first()
    if mailing_list is not None and (reason := alignment_problem(from_email=mailing_list.from_email,
                                                                  organisation=mailing_list.organisation)):
        problems.append(Problem("dmarc_alignment", reason))
    try:
        variants = render_digest_variants(digest_id=digest_id)
    except SegmentFilterError as exc:
        return [*problems, Problem("segment", f"The segment's filters cannot be used: {exc}")]
    for variant in variants:
        problems.extend(variant_problems(variant))
    return problems


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
                f"The HTML is {variant.size_bytes / 1024:.0f} KB; Gmail clips messages over 102 KB. Remove or shorten items.",
                language,
            )
        )
    if placeholders.UNSUBSCRIBE_URL not in variant.html or placeholders.UNSUBSCRIBE_URL not in variant.text:
        problems.append(Problem("no_unsubscribe", "The unsubscribe link is missing from the message.", language))
    document = lxml.html.document_fromstring(variant.html)
    for img in document.iter("img"):
        if not (img.get("alt") or "").strip():
            problems.append(Problem("image_alt", f"Image without alt text: {img.get('src', '')}", language))
    for anchor in document.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not link_is_acceptable(href):
            text = (anchor.text_content() or "").strip()[:60]
            problems.append(Problem("bad_link", f"Link is not an absolute http(s) address: {href!r} ({text})", language))
    return problems


def link_is_acceptable(href: str) -> bool:
    """Absolute http(s) URLs with a host, the personal-link placeholders, or mailto: addresses."""
    if href in placeholders.ALL.values():
        return True
    if href.startswith("mailto:") and "@" in href:
        return True
    parts = urlsplit(href)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in href
