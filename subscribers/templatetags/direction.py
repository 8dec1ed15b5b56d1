"""Template side of subscribers.direction: the attributes that give a block or a run its own direction.

    {% load direction %}
    <td{% dir_attrs item.language %}>      lang, dir, align and text-align when the item's language is not the page's
    <span{% dir_span language within=item.language %}>   lang and dir of a run inside a block of another language
    <td{% dir_auto digest.intro %}>        dir="auto" and the alignment of the text's first strong character
    {{ list.name|mark_run }}               (text parts) direction marks around a run of the other direction
    {{ list.welcome_body|auto_paragraphs }}  (text parts) each paragraph of free text in its own direction
"""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.html import format_html

from subscribers import direction as bidi

register = template.Library()


def _block(language: str, resolved: bidi.Direction) -> str:
    lang = format_html(' lang="{}"', language) if language else ""
    return format_html('{} dir="{}" align="{}" style="text-align: {};"', lang, resolved.dir, resolved.align, resolved.align)


@register.simple_tag
def dir_attrs(language: str, within: str | None = None) -> str:
    """Block attributes for text in `language` inside a block in `within` (default: the active language); nothing
    when they are the same language."""
    if not language or language == (within or translation.get_language()):
        return ""
    return _block(language, bidi.direction(language))


@register.simple_tag
def dir_span(language: str, within: str | None = None) -> str:
    """Inline attributes (lang, dir) for a run in `language` inside a block in `within`; nothing when the same."""
    if not language or language == (within or translation.get_language()):
        return ""
    return format_html(' lang="{}" dir="{}"', language, bidi.direction(language).dir)


@register.simple_tag
def dir_auto(text: str, within: str | None = None) -> str:
    """Block attributes for text of unknown language: dir="auto" and the side its first strong character gives."""
    return _block("", bidi.auto_direction(str(text or ""), fallback=within))


@register.filter
def mark_run(text: str) -> str:
    return bidi.mark_run(str(text or ""))


@register.filter
def auto_paragraphs(text: str) -> str:
    return bidi.auto_paragraphs(str(text or ""))


@register.simple_tag
def language_dir(language: str) -> str:
    """"ltr" or "rtl" for a page or email in `language` (its <html dir>)."""
    return bidi.direction(language).dir


@register.filter
def isolate(text: str) -> str:
    """HTML: a name of unknown language set into a translated sentence, isolated in its own direction."""
    return format_html('<span dir="auto">{}</span>', text)
