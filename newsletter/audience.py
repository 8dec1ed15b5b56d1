"""Who a digest would reach if it were sent now, as the editor reads it before confirming a send.

Counted with the send's own audience and language rule (worker.planning.readers_per_variant), never another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from newsletter.checks import LANGUAGE_NAMES, Problem, blocking, digest_check
from newsletter.lifecycle import digest_is_editable
from newsletter.models import Digest, DigestVariant
from subscribers.segments import SegmentFilterError
from worker.planning import readers_per_variant


@dataclass(frozen=True)
class Audience:
    total: int
    per_language: list[tuple[str, int]]  # (language code, readers), most readers first
    usable: bool = True  # False: the segment's filters cannot be used (the pre-send checks say why)

    def sentence(self) -> str:
        """ "37 people: 20 in French, 12 in Arabic, 5 in English" in the interface's language."""
        people = ngettext("%(count)d person", "%(count)d people", self.total) % {"count": self.total}
        if not self.per_language:
            return people
        names = dict(LANGUAGE_NAMES)
        parts = [_("%(count)d in %(language)s") % {"count": count, "language": names.get(language, language)}
                 for language, count in self.per_language]
        return _("%(people)s: %(languages)s") % {"people": people, "languages": ", ".join(parts)}


def digest_audience(*, digest: Digest, variants: list[DigestVariant]) -> Audience:
    """The audience of `digest` per variant language (its rendered `variants`), counted now."""
    try:
        readers = readers_per_variant(digest=digest, variants=variants)
    except SegmentFilterError:
        return Audience(total=0, per_language=[], usable=False)
    per_language = sorted(((language, count) for language, count in readers.items() if count),
                          key=lambda pair: (-pair[1], pair[0]))
    return Audience(total=sum(count for _language, count in per_language), per_language=per_language)


class SendReview(NamedTuple):
    """What an editor reads before she confirms a send: blocking problems, warnings, the variants, the audience."""

    problems: list[Problem]
    warnings: list[Problem]
    variants: list[DigestVariant]
    audience: Audience


def digest_send_review(*, digest: Digest) -> SendReview:
    """The pre-send check of a draft (its variants rendered and stored first) and who it would reach now; a digest
    past draft is not checked again (its variants are what is sent)."""
    found = digest_check(digest_id=digest.id) if digest_is_editable(digest.status) else []
    variants = list(DigestVariant.objects.filter(digest=digest).order_by("language"))
    audience = digest_audience(digest=digest, variants=variants)
    return SendReview(blocking(found), [problem for problem in found if not problem.blocking], variants, audience)
