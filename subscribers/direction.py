"""Text direction: the one place that says which way a language's text runs and how it is aligned.

Every template (emails, pages) and every text part asks `direction()` (through the `direction` template tags or
`mark_text_part`): an English item inside an Arabic email gets dir="ltr" *and* an explicit left alignment, because
many mail clients ignore logical values (`start`, `end`) and would right-align it by inheritance. Text of unknown
language (feed text, reader names, what an editor typed) gets dir="auto", and in text parts the direction of its
first strong character. Why marks and not isolates in text parts: docs/decisions/0013-text-direction.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

RLM = "\u200f"  # RIGHT-TO-LEFT MARK
LRM = "\u200e"  # LEFT-TO-RIGHT MARK

# Private-use characters the HTML-to-text step puts at the start of a block whose direction it knows; they never
# reach a reader (mark_text_part removes them).
_BLOCK_SENTINEL = {"ltr": "\ue000", "rtl": "\ue001", "auto": "\ue002"}
_SENTINEL_DIRECTION = {value: key for key, value in _BLOCK_SENTINEL.items()}
_SENTINELS = re.compile("[\ue000-\ue002]")
# A URL or a per-recipient link placeholder (filled with a URL at send time).
_URL = re.compile(r"(?:https?://[^\s()<>\[\]]+|%%\w+_url%%|%recipient\.\w+_url%)")
_ENDS_WITH_URL = re.compile(_URL.pattern + r"\)*\s*$")
_BLOCK_WITH_DIR = re.compile(r'(<(?:p|h[1-6]|td|th|div|li|blockquote)\b[^>]*?\sdir="(ltr|rtl|auto)"[^>]*>)')


@dataclass(frozen=True)
class Direction:
    dir: str  # "ltr" or "rtl" (or "auto" for text of unknown language)
    align: str  # the physical side text starts from: "left" or "right"
    end: str  # the other side

    @property
    def rtl(self) -> bool:
        return self.align == "right"


_LTR = Direction("ltr", "left", "right")
_RTL = Direction("rtl", "right", "left")


def direction(language: str | None) -> Direction:
    """Direction and alignment of text in `language` ("ar", "fr", "en-GB", ...), from Django's LANGUAGES_BIDI."""
    code = (language or "").lower()
    return _RTL if code in settings.LANGUAGES_BIDI or code.split("-")[0] in settings.LANGUAGES_BIDI else _LTR


def text_direction(text: str, *, fallback: str | None = None) -> Direction:
    """What a reader's browser resolves dir="auto" to: the direction of the first strong character of `text`
    (URLs and link placeholders skipped), else `fallback`'s language (default: the active language)."""
    for character in _URL.sub("", text or ""):
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return _LTR
        if kind in ("R", "AL"):
            return _RTL
    return direction(fallback or translation.get_language())


def auto_direction(text: str, *, fallback: str | None = None) -> Direction:
    """For text of unknown language: dir="auto" with the alignment its first strong character gives."""
    resolved = text_direction(text, fallback=fallback)
    return Direction("auto", resolved.align, resolved.end)


def block_sentinels(html: str) -> str:
    """`html` with a private sentinel at the start of every block that carries a dir attribute, so that the
    plain text made from it (html2text) still knows each block's direction for `mark_text_part`."""
    return _BLOCK_WITH_DIR.sub(lambda match: match.group(1) + _BLOCK_SENTINEL[match.group(2)], html)


def auto_paragraphs(text: str) -> str:
    """Free text of unknown language for a text part: each paragraph read in its own direction."""
    return "\n\n".join(_BLOCK_SENTINEL["auto"] + paragraph if paragraph.strip() else paragraph
                       for paragraph in (text or "").split("\n\n"))


def mark_run(text: str, *, within: str | None = None) -> str:
    """A run of unknown language (a list name, a title) inside a line of a text part: wrapped in marks of its own
    direction when that differs from the line's (`within`, default the active language), so that punctuation at
    its ends stays with it."""
    own = text_direction(text, fallback=within)
    if not text or own == direction(within or translation.get_language()):
        return text
    mark = RLM if own.rtl else LRM
    return f"{mark}{text}{mark}"


def mark_text_part(text: str, language: str) -> str:
    """A plain-text part with Unicode direction marks, for clients that pick each line's direction from its
    first strong character.

    Every line of a right-to-left paragraph starts with RLM; a left-to-right line in a right-to-left email starts
    (and, when it ends in punctuation, ends) with LRM. A URL in a right-to-left line is followed by a space and LRM,
    so its trailing `/` or `)` stays on its side; the space keeps the mark out of what clients turn into a link.
    A left-to-right email keeps its left-to-right lines as they are. A line's direction is its block's (sentinels
    from `block_sentinels`, or `auto_paragraphs`), else the email's; it holds until the next blank line.
    """
    base = direction(language)
    lines = []
    current: str | None = None
    for line in text.split("\n"):
        sentinels = _SENTINELS.findall(line)
        line = _SENTINELS.sub("", line)
        if not line.strip():
            current = None
            lines.append(line)
            continue
        if sentinels:
            current = _SENTINEL_DIRECTION[sentinels[-1]]
            if current == "auto":
                current = text_direction(line, fallback=language).dir
        own = direction_named(current) if current else base
        lines.append(_marked_line(line, own=own, base=base))
    return "\n".join(lines)


def direction_named(name: str) -> Direction:
    return _RTL if name == "rtl" else _LTR


def _marked_line(line: str, *, own: Direction, base: Direction) -> str:
    if own.rtl:
        return RLM + _URL.sub(lambda match: f"{match.group(0)} {LRM}", line)
    if not base.rtl:
        return line
    if _ENDS_WITH_URL.search(line):
        return f"{LRM}{line} {LRM}"
    ends_strong = unicodedata.bidirectional(line.rstrip()[-1:] or " ") == "L"
    return LRM + line + ("" if ends_strong else LRM)
