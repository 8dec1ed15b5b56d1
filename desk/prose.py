"""The rich-text editor of desk pages (django-prose-editor) and the one exception it needs in the strict CSP.

The widget loads its modules through an inline `<script type="importmap">` (django-js-asset). Pages that show
the editor answer with a policy that allows exactly that script, by its sha256, and no other inline script.
Whatever the editor sends is cleaned server-side (newsletter.sanitising) before it is stored."""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from django.http import HttpResponse
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import ProseEditorWidget, prose_editor_media

from config.middleware import csp_allowing_inline_scripts

# A small set: what an intro needs, and what newsletter.sanitising keeps.
EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Heading": {"levels": [2, 3]},
    "HardBreak": True,
    "History": True,
}

_IMPORTMAP = re.compile(r'<script type="importmap">(.*?)</script>', re.S)


def prose_field(*, attrs: dict | None = None, **kwargs) -> ProseEditorFormField:
    """A form field with the desk's editor (the widget's own cleaning first; newsletter.sanitising has the last word
    where the text is stored and shown)."""
    return ProseEditorFormField(config={"extensions": EXTENSIONS}, sanitize=True,
                                widget=ProseEditorWidget(attrs=attrs or {}), **kwargs)


@cache
def _importmap_digests() -> tuple[str, ...]:
    rendered = str(prose_editor_media(preset="configurable"))
    return tuple(base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                 for body in _IMPORTMAP.findall(rendered))


def allow_prose_editor(response: HttpResponse) -> HttpResponse:
    """Set the page's CSP so the editor's importmap (and only it) runs."""
    response["Content-Security-Policy"] = csp_allowing_inline_scripts(*_importmap_digests())
    return response
