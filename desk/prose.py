"""The rich-text editor of the desk (django-prose-editor) and the one exception it needs in the strict CSP.

The widget loads its modules through an inline `<script type="importmap">` (django-js-asset). Pages that show
the editor pass their response through `allow_import_maps`, which allows exactly the import maps the page
contains, by their sha256, and no other inline script. Whatever the editor sends is cleaned server-side
(newsletter.sanitising) by the field and again by the services before it is stored."""

from __future__ import annotations

import base64
import hashlib
import re

from django.http import HttpResponse
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import ProseEditorWidget

from config.middleware import content_security_policy
from newsletter.sanitising import clean_html

# What the toolbar offers: the text structure an email keeps (newsletter.sanitising allows the same and more).
EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Link": {"enableTarget": False},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Heading": {"levels": [2, 3]},
    "HardBreak": True,
    "History": True,
}

_IMPORT_MAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


def rich_text_field(*, attrs: dict | None = None, **kwargs) -> ProseEditorFormField:
    """A form field with the desk's editor; what it returns is sanitised here too (and again by the services)."""
    return ProseEditorFormField(config={"extensions": EXTENSIONS}, sanitize=clean_html,
                                widget=ProseEditorWidget(attrs=attrs or {}), **kwargs)


def allow_import_maps(response: HttpResponse) -> HttpResponse:
    """Set a CSP that allows exactly the import maps the rendered page contains (no other inline script)."""
    if getattr(response, "is_rendered", True) is False:
        response.render()
    hashes = tuple(base64.b64encode(hashlib.sha256(body).digest()).decode()
                   for body in _IMPORT_MAP.findall(response.content))
    if hashes:
        response.headers["Content-Security-Policy"] = content_security_policy(script_hashes=hashes)
    return response
