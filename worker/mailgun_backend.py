"""Anymail's Mailgun backend, with the per-recipient costs of a 1,000-recipient batch call taken out.

Everything that talks to Mailgun stays anymail's: the payload fields and `recipient-variables`, the
session, timeouts, error classes and the reading of the answer. Three steps cost more than the rest of a
batch together (bench/README.md, "batch anatomy") and are replaced here by equivalents that produce
the same request:

- the `to` list: anymail parses every address with the email package's header parser (twice, to read
  and to format it). Our recipients' addresses were validated when they subscribed and are plain ASCII
  addr-specs, for which parsing and formatting give back the same string; only those take the short
  path, any other address goes through anymail's parser as before.
- anymail's walk over every merge value looking for lazy translation strings (ours are plain str).
- the body: with no attachment, requests percent-encodes the whole form (0.8 MB for 1,000 recipients)
  one character at a time in Python. Mailgun takes multipart/form-data as well (anymail itself sends
  it whenever there is an attachment), which carries the UTF-8 text as it is: the body is joined once.
"""

from __future__ import annotations

import re
import uuid

from anymail.backends.mailgun import EmailBackend as AnymailMailgunBackend
from anymail.backends.mailgun import MailgunPayload as AnymailMailgunPayload
from anymail.utils import parse_address_list

# A dot-atom local part and an ASCII host name: the addresses for which anymail's parse-then-format
# round trip is the identity. Anything else (quoted local parts, display names, IDN) is parsed as before.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\Z"
)


class PlainAddress:
    """What anymail's Mailgun payload reads of an `EmailAddress`, for an address known to be a plain addr-spec."""

    __slots__ = ("addr_spec", "username", "domain")
    display_name = ""
    uses_eai = False

    def __init__(self, addr_spec: str) -> None:
        self.addr_spec = addr_spec
        self.username, self.domain = addr_spec.rsplit("@", 1)

    @property
    def address(self) -> str:
        return self.addr_spec

    def format(self, *, use_rfc2047: bool = False, idna_encode=None) -> str:
        return self.addr_spec

    def __str__(self) -> str:
        return self.addr_spec


def recipients_parse(addresses) -> list:
    """anymail's `parse_address_list`, short-cut when every address is a plain ASCII addr-spec."""
    if all(isinstance(address, str) and _PLAIN_ADDRESS.match(address) for address in addresses):
        return [PlainAddress(address) for address in addresses]
    return parse_address_list(addresses, field="to")


# The engine's merge values are plain str and int (worker.messages.merged_message): anymail's walk that
# turns lazy translations into str visited 6,000 values a call for nothing.
_PLAIN_MERGE_ATTRS = {"merge_data", "merge_metadata"}


class MailgunPayload(AnymailMailgunPayload):
    base_message_attrs = tuple(
        (attr, combiner, recipients_parse if attr == "to" else converter)
        for attr, combiner, converter in AnymailMailgunPayload.base_message_attrs
    )
    anymail_message_attrs = tuple(
        (attr, combiner, None if attr in _PLAIN_MERGE_ATTRS else converter)
        for attr, combiner, converter in AnymailMailgunPayload.anymail_message_attrs
    )

    def get_request_params(self, api_url):
        params = super().get_request_params(api_url)
        if not params.get("files"):
            body, content_type = multipart_form(params["data"])
            params["data"] = body
            params["headers"] = {**(params.get("headers") or {}), "Content-Type": content_type}
        return params


def multipart_form(fields: dict) -> tuple[bytes, str]:
    """A multipart/form-data body for {name: value or [values]}, as requests would send it with files."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, values in fields.items():
        for value in values if isinstance(values, list | tuple) else [values]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n')
            parts.append(value if isinstance(value, str) else str(value))
            parts.append("\r\n")
    parts.append(f"--{boundary}--\r\n")
    body = "".join(parts)
    if body.count(boundary) != sum(len(v) if isinstance(v, list | tuple) else 1 for v in fields.values()) + 1:
        # A random 128-bit boundary inside the content: never seen, but it would corrupt the form.
        return multipart_form(fields)
    return body.encode(), f"multipart/form-data; boundary={boundary}"


class EmailBackend(AnymailMailgunBackend):
    def build_message_payload(self, message, defaults):
        return MailgunPayload(message, defaults, self)
