"""The rich-text editor of the desk (django-prose-editor) under the strict CSP: its one inline script, the
`<script type="importmap">` django-js-asset writes, is allowed by its sha256 on the responses that show it.

Every page that shows the editor passes its response through `allow_import_maps`; the form field is
`rich_text_field()`, whose output is cleaned by newsletter.sanitising."""

from __future__ import annotations

import base64
import hashlib
import re

from django.http import HttpResponse
from django_prose_editor.fields import ProseEditorFormField

from config.middleware import content_security_policy
from newsletter.sanitising import clean_html

_IMPORT_MAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)

# What the toolbar offers: the text structure an email keeps (newsletter.sanitising allows the same and more).
_EDITOR_CONFIG = {
    "types": ["Bold", "Italic", "Underline", "Strike", "Link", "BulletList", "OrderedList", "Blockquote", "Heading",
              "HorizontalRule", "Subscript", "Superscript"],
    "headingLevels": [2, 3],
    "history": True,
    "html": False,
    "typographic": True,
}


def rich_text_field(**kwargs) -> ProseEditorFormField:
    """A form field with the prose editor; what it returns is sanitised here too (and again by the services)."""
    return ProseEditorFormField(config=dict(_EDITOR_CONFIG), sanitize=clean_html, **kwargs)


def allow_import_maps(response: HttpResponse) -> HttpResponse:
    """Set a CSP that allows exactly the import maps the rendered page contains (no other inline script)."""
    if getattr(response, "is_rendered", True) is False:
        response.render()
    hashes = tuple(base64.b64encode(hashlib.sha256(body).digest()).decode()
                   for body in _IMPORT_MAP.findall(response.content))
    if hashes:
        response.headers["Content-Security-Policy"] = content_security_policy(script_hashes=hashes)
    return response
