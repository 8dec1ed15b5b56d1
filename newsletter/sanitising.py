"""The one place editor and feed HTML is cleaned (nh3, a maintained Rust sanitiser)."""

from __future__ import annotations

import html
import re

import nh3
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe

# NUL cannot be stored in PostgreSQL text, and these control characters are not allowed in XML
# (the Atom feed) or useful in an email: they are dropped from everything editors and feeds send.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "div", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"dir", "lang"},
}


def clean_html(value: str) -> str:
    """Keep text structure, links and images; drop scripts, styles, event handlers and unsafe URLs."""
    if not value:
        return ""
    return nh3.clean(
        strip_control_characters(value),
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text(value: str) -> str:
    """Text fields (titles, summaries) from feeds often carry markup: keep the text only."""
    return strip_control_characters(html.unescape(nh3.clean(strip_control_characters(value or ""), tags=set()))).strip()


def strip_control_characters(value: str) -> str:
    """Drop NUL and the other C0 controls except tab, newline and carriage return."""
    return _CONTROL.sub("", value)


# An intro written in the desk's rich-text editor is HTML and starts with a block; one typed as plain text in the
# admin (or by a recurring digest) is not, and keeps its line breaks.
_HTML_BLOCK_START = re.compile(r"\s*<(p|h[1-6]|ul|ol|blockquote|div)[\s>]", re.I)


def intro_html(value: str) -> SafeString:
    """A digest intro as readers get it: rich text cleaned again at display, plain text escaped with its breaks."""
    if not value:
        return mark_safe("")
    if _HTML_BLOCK_START.match(value):
        return mark_safe(clean_html(value))  # noqa: S308 - cleaned by nh3 just now
    return linebreaksbr(strip_control_characters(value), autoescape=True)


def intro_plain(value: str) -> str:
    """The intro's words without markup (direction detection, feeds)."""
    return plain_text(value)
