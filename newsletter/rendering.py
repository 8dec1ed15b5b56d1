"""Rendering a digest into one stored variant per language.

Pipeline per language: Django template `templates/emails/digest.html` -> premailer (CSS inlined) ->
plain text (html2text) -> DigestVariant row. Personal values are written as the placeholders of
newsletter.placeholders (name, unsubscribe URL, preferences URL, view-in-browser URL); the delivery
engine fills them per recipient by string substitution. premailer is slow (docs/decisions/0005-per-message-cpu.md),
so it runs exactly ONCE per variant, through `_inline_css`, and never per recipient. A tailored digest has one
variant per language and item set its readers need (newsletter.tailoring), each rendered the same way.

Observability of that rule: every premailer call goes through `_inline_css(html)`; tests and the bench wrap
that function from outside to count the calls.

Scheduling renders the variants for the pre-send checks, and preparing the send renders them again (items
may have changed in between). Each variant keeps the hash of the template's output it was inlined from
(`DigestVariant.source_hash`): when the template renders the same bytes again, the stored inlined HTML and
text are reused, so premailer runs once per variant and content, not once per render.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime

import html2text
import premailer
from django.db import transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator

from newsletter import placeholders, tailoring
from newsletter.colours import DARK_BACKGROUND, LIGHT_BACKGROUND, readable_on
from newsletter.models import Digest, DigestVariant, NewsItem
from newsletter.sanitising import intro_html, intro_plain
from newsletter.selectors import audience_languages, digest_items, items_in_language
from newsletter.subjects import digest_text, variant_subject
from subscribers import direction
from subscribers.texts import list_text

TEMPLATE = "emails/digest.html"

# Change when _inline_css or html_to_text change what they make of the same template output.
_INLINE_VERSION = f"premailer {premailer.__version__}; html2text {html2text.__version__}; v2"

_PREHEADER_RE = re.compile(r'<div class="preheader"[^>]*>.*?</div>', re.S)


@dataclass(frozen=True)
class EmailItem:
    """What the email shows of a news item (already chosen in the variant's language)."""

    title: str
    dateline: str
    published_at: datetime
    email_summary: str
    link: str
    image_url: str
    image_alt: str
    language: str


def render_digest_variants(*, digest_id: int, languages: list[str] | None = None) -> list[DigestVariant]:
    """Render the digest once per language and store (create or replace) its DigestVariant rows.

    `languages` defaults to the languages of the list's active subscribers (the list's default
    language when it has none); with the default, variants of languages nobody reads any more are
    deleted. premailer runs once per variant (through `_inline_css`). Returns the variants in the
    order of `languages`. Raises Digest.DoesNotExist for an unknown id.

    A tailored digest gets one variant per language and item set its readers need instead (render_tailored,
    which `languages` narrows); with the default, variants nobody needs any more are deleted.
    """
    digest = Digest.objects.select_related("mailing_list__organisation").get(pk=digest_id)
    if digest.tailored:
        return _render_tailored(digest=digest, languages=languages)
    prune = languages is None
    if languages is None:
        languages = audience_languages(mailing_list=digest.mailing_list, segment_id=digest.segment_id)
    items = digest_items(digest_id=digest.id)
    wanted = [(language, "", items) for language in dict.fromkeys(languages)]
    return _render_and_store(digest=digest, wanted=wanted, prune=prune)


def _render_tailored(*, digest: Digest, languages: list[str] | None) -> list[DigestVariant]:
    """The variants a tailored digest's audience needs now (newsletter.tailoring), narrowed to `languages`; when
    none is needed (nobody's interests match, or nobody reads it), every item in the first language."""
    from worker.planning import interest_counts

    interests = tailoring.digest_interests(digest_id=digest.id)
    needs = tailoring.variants_needed(counts=interest_counts(digest=digest, interests=interests), interests=interests)
    wanted = [(need.language, need.item_ids) for need in needs if languages is None or need.language in languages]
    if not wanted:
        first = (languages or audience_languages(mailing_list=digest.mailing_list, segment_id=digest.segment_id))[0]
        wanted = [(first, tuple(item for item, _topics in interests.item_topics))]
    return render_tailored(digest_id=digest.id, wanted=wanted, prune=languages is None)


def render_tailored(*, digest_id: int, wanted: list[tuple[str, tuple[int, ...]]], prune: bool = False) -> list[DigestVariant]:
    """Render and store one variant of a tailored digest per (language, item ids) in `wanted`, premailer once each
    (planning calls it for a reader's item set no stored variant has)."""
    digest = Digest.objects.select_related("mailing_list__organisation").get(pk=digest_id)
    items = {item.pk: item for item in digest_items(digest_id=digest.id)}
    return _render_and_store(
        digest=digest, prune=prune,
        wanted=[(language, tailoring.item_key(ids), [items[pk] for pk in ids if pk in items]) for language, ids in wanted],
    )


def _render_and_store(*, digest: Digest, wanted: list[tuple[str, str, list[NewsItem]]], prune: bool) -> list[DigestVariant]:
    """Render each (language, item key, items) of `wanted` and store it as the digest's variant of that language and
    item key; with `prune`, delete the digest's other variants (those no batch uses yet)."""
    stored = {(variant.language, variant.item_key): variant for variant in DigestVariant.objects.filter(
        digest=digest, language__in={language for language, _key, _items in wanted})}

    rendered = []
    for language, key, items in wanted:
        html, text, source_hash = _render_variant(digest=digest, items=items, language=language,
                                                  stored=stored.get((language, key)))
        rendered.append((language, key, html, text, source_hash))

    now = timezone.now()
    variants = []
    with transaction.atomic():
        for language, key, html, text, source_hash in rendered:
            subject = variant_subject(digest, language)
            same = stored.get((language, key))
            if same is not None and same.source_hash == source_hash and same.subject == subject:
                # Unchanged (a send re-renders what its checks rendered): only the time is written. Writing the
                # html and text again stored a new copy of each (PostgreSQL writes a large value anew on every
                # UPDATE that sets it, even to the same value).
                DigestVariant.objects.filter(pk=same.pk).update(rendered_at=now)
                same.rendered_at = now
                variants.append(same)
                continue
            variant, _ = DigestVariant.objects.update_or_create(
                digest=digest,
                language=language,
                item_key=key,
                defaults={
                    "subject": subject,
                    "html": html,
                    "text": text,
                    "size_bytes": len(html.encode()),
                    "source_hash": source_hash,
                    "rendered_at": now,
                },
            )
            variants.append(variant)
        if prune:
            for stale in DigestVariant.objects.filter(digest=digest).exclude(pk__in=[variant.pk for variant in variants]):
                try:
                    with transaction.atomic():
                        stale.delete()
                except ProtectedError:
                    pass  # already planned into batches by the delivery engine: those rows stay
    return variants


def render_unsaved(*, digest: Digest, items: list[NewsItem], language: str) -> str:
    """The inlined HTML readers of `language` would get from `digest` as it stands in memory (a form not yet
    saved), through the same template and premailer run as a variant; nothing is stored."""
    html, _text, _hash = _render_variant(digest=digest, items=items, language=language, stored=None)
    return html


def _render_variant(*, digest: Digest, items: list[NewsItem], language: str,
                    stored: DigestVariant | None) -> tuple[str, str, str]:
    """(inlined html, text, source hash); the stored variant's html and text when its source is the same."""
    with translation.override(language):
        html = render_to_string(TEMPLATE, _context(digest=digest, items=items, language=language))
    source_hash = _source_hash(html)
    if stored is not None and stored.source_hash == source_hash:
        return stored.html, stored.text, source_hash
    return _inline_css(html), text_part(html, language), source_hash


def _source_hash(html: str) -> str:
    # The inlining settings are part of the key: a deploy that changes them must not reuse older output.
    return hashlib.sha256(f"{_INLINE_VERSION}\n{html}".encode()).hexdigest()


def email_items(*, items: list[NewsItem], language: str) -> list[EmailItem]:
    """The digest's items as shown in `language`: translations where they exist, each story once."""
    chosen: list[EmailItem] = []
    seen: set[int] = set()
    for shown in items_in_language(items=items, language=language):
        if shown.pk in seen:
            continue
        seen.add(shown.pk)
        chosen.append(
            EmailItem(
                title=shown.title,
                dateline=shown.dateline,
                published_at=shown.published_at,
                email_summary=shown.summary or Truncator(strip_tags(shown.body_html)).words(50),
                link=shown.link,
                image_url=shown.image_url,
                image_alt=shown.image_alt,
                language=shown.language,
            )
        )
    return chosen


def text_part(html: str, language: str) -> str:
    """The plain-text part of a variant: its HTML (preheader left out) as text, each line marked with the direction
    its block has in the HTML (subscribers.direction.mark_text_part)."""
    text = html_to_text(direction.block_sentinels(_PREHEADER_RE.sub("", html)))
    return direction.mark_text_part(text, language)


def html_to_text(html: str) -> str:
    converter = html2text.HTML2Text()
    converter.body_width = 0  # never wrap: a wrapped URL (or placeholder) breaks
    converter.ignore_images = True
    converter.ignore_emphasis = True
    converter.ignore_tables = True  # layout tables, not data: cells become paragraphs
    converter.unicode_snob = True  # keep Arabic/French punctuation and arrows as they are
    converter.single_line_break = False
    return converter.handle(html).strip() + "\n"


def _context(*, digest: Digest, items: list[NewsItem], language: str) -> dict:
    sides = direction.direction(language)
    preheader = digest_text(digest, "preheader", language).value
    return {
        "digest": digest,
        "subject": variant_subject(digest, language),
        "preheader": preheader,
        # Pads the preview line so mail clients do not fill it with the first words of the body.
        "preheader_padding": range(60 if preheader else 0),
        "intro": intro_html(digest_text(digest, "intro", language).value),
        "intro_text": intro_plain(digest_text(digest, "intro", language).value),
        "mailing_list": digest.mailing_list,
        "list_name": list_text(digest.mailing_list, "name", language=language),
        "accent": digest.mailing_list.accent,
        # Text in the accent colour, made readable on each background where the list's own colour is not.
        "accent_on_light": readable_on(digest.mailing_list.accent, LIGHT_BACKGROUND),
        "accent_on_dark": readable_on(digest.mailing_list.accent, DARK_BACKGROUND),
        "light_background": LIGHT_BACKGROUND,
        "dark_background": DARK_BACKGROUND,
        "items": email_items(items=items, language=language),
        "language": language,
        "direction": sides.dir,
        "start": sides.align,
        "end": sides.end,
        "placeholders": placeholders.ALL,
        "organisation": digest.mailing_list.organisation,
        "organisation_address": digest.mailing_list.organisation.postal_address,
    }


def inline_css(html: str) -> str:
    """premailer with the digest's settings, for the audience's own emails too (subscribers.email_shells). Looks
    `_inline_css` up at each call, so the counters that wrap it count these runs as well."""
    return _inline_css(html)


def _inline_css(html: str) -> str:
    """The only premailer call in the project (tests and the bench wrap it to count the runs)."""
    return premailer.Premailer(
        html,
        # The media queries (small screens, dark mode) sit in a <style data-premailer="ignore"> block.
        keep_style_tags=False,
        # Keep the template's width/height attributes (Outlook sizes images by them).
        disable_basic_attributes=["width", "height"],
        remove_classes=False,
        disable_validation=True,
        allow_network=False,
        cssutils_logging_level=logging.CRITICAL,
    ).transform()
