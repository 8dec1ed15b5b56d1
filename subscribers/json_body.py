"""Read a small JSON object from a request body, refusing what could make the parser itself fail.

Python's json parser recurses once per nesting level: a body of a few kilobytes of `[[[[...` raises
RecursionError (a 500) instead of ValueError. The size and depth are checked before parsing, so the
parser only ever sees bodies it can handle, and every refusal is a 4xx with words a person understands.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.http import HttpRequest

MAX_BYTES = 16 * 1024
MAX_DEPTH = 20
EXAMPLE = '{"email": "a@example.org", "lists": ["news"]}'
# Strings may hold brackets; dropped before counting the nesting.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


@dataclass
class BadJsonBody(Exception):
    message: str
    status: int = 400


def json_object_from(request: HttpRequest, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> dict:
    """The body as a dict, or BadJsonBody (too large: 413; not JSON, too deep or not an object: 400)."""
    too_large = BadJsonBody(f"The request is too large: send at most {max_bytes // 1024} KB of JSON, e.g. {EXAMPLE}.", 413)
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:  # refused before reading the body at all
        raise too_large
    body = request.body
    if len(body) > max_bytes:
        raise too_large
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadJsonBody(f"Send a JSON object in UTF-8, e.g. {EXAMPLE}.") from None
    if nesting_depth(text) > max_depth:
        raise BadJsonBody(f"The JSON is nested too deeply (more than {max_depth} levels): send a flat object, e.g. {EXAMPLE}.")
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        payload = None
    if not isinstance(payload, dict):
        raise BadJsonBody(f"Send a JSON object, e.g. {EXAMPLE}.")
    return payload


def nesting_depth(text: str) -> int:
    """The deepest level of [ and { outside strings (an over-count for malformed text, which fails anyway)."""
    depth = deepest = 0
    for char in _STRING.sub("", text):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest
