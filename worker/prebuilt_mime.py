"""Per-message mode at the byte level: the MIME message is built once per variant, filled per recipient.

Django builds and serialises an `EmailMultiAlternatives` per recipient: most of a message's Python time
(email package objects, header folding, body encoding) for a message that differs from its neighbours
in a handful of values. Here Django builds the message ONCE per batch with short markers in place of the
personal parts (the To/Date/List-Unsubscribe/Message-ID lines, each part's transfer encoding and body);
the result is cut into literal byte pieces and slots, and a recipient's message is the pieces joined
with her slot values. The message goes through the same Django backends (smtp, locmem, console, our
outbox): `PrebuiltEmail` is an `EmailMultiAlternatives` whose `message()` returns `PrefilledMime`, which
answers what those backends ask of a MIME message (`as_bytes`, `as_string`, headers).
Why: docs/decisions/0005-per-message-cpu.md.

What keeps substitution safe (otherwise `PrebuiltVariant.message` returns None and the caller builds the
message the normal way):
- bodies: 8bit (7bit when all ASCII) when every line stays within RFC 5322's 998 octets after filling,
  else quoted-printable with each value encoded on its own soft-broken lines (no soft break can fall
  inside a placeholder); values with CR/LF, with `%` (they could form a placeholder with the text next
  to them, which sequential `placeholders.fill` would then replace), or holding the boundary fall back;
- headers: Django's own encoder (`forbid_multi_line_headers`: RFC 2047, IDN as punycode) and the
  email package's folding, with a shortcut only for plain ASCII values with no white space;
- header injection is refused by `worker.messages` before a message exists, as on the normal path.

Anymail's HTTP backends read the EmailMessage API (body, alternatives, merge data) rather than MIME, so
they keep Django's messages (`prebuild` answers None for any backend not listed in MIME_BACKENDS).
"""

from __future__ import annotations

import copy
import re
import secrets
import time
from email import message_from_bytes
from email._policybase import compat32
from email.parser import BytesHeaderParser
from email.quoprimime import body_encode as qp_encode
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import EmailAlternative, forbid_multi_line_headers

from newsletter import placeholders
from worker.messages import Envelope, Recipient, html_values, personal_headers, personal_values

# Backends that serialise `message()` (or read its headers): they get prebuilt messages.
MIME_BACKENDS = frozenset({
    "django.core.mail.backends.smtp.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "operations.outbox.OutboxEmailBackend",
})

LINE_LIMIT = 998  # RFC 5322: octets per line, CRLF excluded
# Room left per placeholder on an 8bit line when choosing 8bit at build time (names are at most 200
# characters, 400 octets in Arabic; an escaped one more): a longer line makes the part quoted-printable.
_SLOT_ROOM = 256
_QP_LINE = 75  # one less than RFC 2045's 76, for the soft break after a piece
_NEWLINES = re.compile(r"\r\n|\r|\n")  # what email.generator normalises, and so what Django sends
_PERSONAL_KEYS = tuple(key for key in placeholders.ALL if key != "web_url")  # web_url is filled per variant
_PLACEHOLDER = re.compile("|".join(re.escape(placeholders.ALL[key]) for key in _PERSONAL_KEYS))
_PLACEHOLDER_KEY = {placeholders.ALL[key]: key for key in _PERSONAL_KEYS}
# Text next to a placeholder that could join a value into a new placeholder (see the module docstring).
_JOINS_BEFORE = re.compile(r"%%[a-z_]*\Z")
_JOINS_AFTER = re.compile(r"\A[a-z_]*%%")
# Where email.header folds an ASCII value (its split characters and white space), and encoded words.
_FOLD_POINTS = re.compile(r"[ \t;,]|=\?")


def prebuild(envelope: Envelope, *, backend: str | None) -> PrebuiltVariant | None:
    """The variant's prebuilt message, or None: the backend does not read MIME, or the template is unsafe."""
    if (backend or settings.EMAIL_BACKEND) not in MIME_BACKENDS:
        return None
    # A variant goes out in many batches, most of them through the same worker process: its skeleton is
    # built once per process. The key is everything the build reads, so a changed list name, sender or
    # subject builds anew; a built variant is never changed (see PrebuiltVariant.__deepcopy__).
    key = (envelope.digest_id, envelope.list_id, envelope.from_email, tuple(envelope.reply_to), envelope.subject,
           envelope.html, envelope.text, envelope.domain, tuple(envelope.headers.items()), settings.DEFAULT_CHARSET)
    if key not in _BUILT:
        if len(_BUILT) >= _BUILT_KEEP:
            _BUILT.pop(next(iter(_BUILT)))  # the oldest: a worker moves on from one digest to the next
        _BUILT[key] = PrebuiltVariant.build(envelope)
    return _BUILT[key]


_BUILT: dict[tuple, PrebuiltVariant | None] = {}
_BUILT_KEEP = 8  # variants kept per process (a digest has one per language)


def header_line(name: str, value: str) -> bytes:
    """One header line ("Name: value\\n") as Django's message() and the email generator write it."""
    if value.isascii() and value.isprintable() and not _FOLD_POINTS.search(value) and name.lower() != "subject":
        # Nothing to encode and nowhere to fold (the common case): folding leaves a value that fits the
        # 78-character line as it is, and puts a longer one alone on a continuation line (tests compare).
        if len(name) + len(value) + 2 <= 78:
            return f"{name}: {value}\n".encode()
        return f"{name}: \n {value}\n".encode()
    name, value = forbid_multi_line_headers(name, value, settings.DEFAULT_CHARSET)
    return compat32.fold_binary(name, value)


_date_cache: tuple[int, str, bytes] = (0, "", b"")


def _date_line() -> bytes:
    """Django writes a fresh Date per message(); formatted once per second here (same text)."""
    global _date_cache
    second = int(time.time())
    if _date_cache[0] != second or _date_cache[1] != str(settings.EMAIL_USE_LOCALTIME):
        _date_cache = (second, str(settings.EMAIL_USE_LOCALTIME),
                       header_line("Date", formatdate(second, localtime=settings.EMAIL_USE_LOCALTIME)))
    return _date_cache[2]


class _Part:
    """One text part (plain or html) cut into literal pieces (bytes) and placeholder keys (str)."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        text = _NEWLINES.sub("\n", text)
        literals = _PLACEHOLDER.split(text)
        keys = [_PLACEHOLDER_KEY[m.group(0)] for m in _PLACEHOLDER.finditer(text)]
        # Django leaves an empty text part out: a part that could be empty is not prebuilt.
        self.safe = any(literals) and not any(
            _JOINS_BEFORE.search(literals[i]) or _JOINS_AFTER.search(literals[i + 1]) for i in range(len(keys)))
        self.literal_ascii = text.isascii()
        encoded = [literal.encode() for literal in literals]
        longest = max(len(line) for line in b"".join(encoded).split(b"\n"))
        # 8bit: for each line holding placeholders, its literal octets and its placeholder keys.
        self.lines: list[tuple[int, list[str]]] = []
        line_octets, line_keys = 0, []
        for i, literal in enumerate(encoded):
            segments = literal.split(b"\n")
            line_octets += len(segments[0])
            if len(segments) > 1:
                if line_keys:
                    self.lines.append((line_octets, line_keys))
                line_octets, line_keys = len(segments[-1]), []
            if i < len(keys):
                line_keys.append(keys[i])
        if line_keys:
            self.lines.append((line_octets, line_keys))
        self.qp = longest > LINE_LIMIT or any(octets + _SLOT_ROOM * len(k) > LINE_LIMIT for octets, k in self.lines)
        pieces: list[bytes | str] = []
        for i, literal in enumerate(literals):
            if self.qp:
                pieces.append(qp_encode(literal.encode().decode("latin-1"), _QP_LINE).encode("ascii"))
            else:
                pieces.append(encoded[i])
            if i < len(keys):
                # QP: each value on lines of its own, between soft breaks, so nothing can split a placeholder.
                pieces.extend([b"=\n", f"{name}:{keys[i]}", b"=\n"] if self.qp else [f"{name}:{keys[i]}"])
        self.pieces = [p for p in pieces if p != b""]
        self.slots = {key: f"{name}:{key}" for key in keys}  # placeholder key -> its slot name
        self.cte_slot = f"cte:{name}"

    def fill(self, slots: dict[str, bytes], values: dict[str, str], boundary: bytes) -> bool:
        """Adds this part's value slots and its transfer encoding to `slots`; False if it cannot be done safely.

        `values` hold every key of the part, with no CR, LF or % (PrebuiltVariant.message checks).
        """
        ascii_only = self.literal_ascii
        for key, slot in self.slots.items():
            raw = values[key].encode()
            if boundary in raw:
                return False
            if self.qp:
                slots[slot] = qp_encode(raw.decode("latin-1"), _QP_LINE).encode("ascii")
            else:
                slots[slot] = raw
                ascii_only = ascii_only and raw.isascii()
        if self.qp:
            slots[self.cte_slot] = b"quoted-printable"
            return True
        for octets, keys in self.lines:
            for key in keys:
                octets += len(slots[self.slots[key]])
            if octets > LINE_LIMIT:
                return False
        slots[self.cte_slot] = b"7bit" if ascii_only else b"8bit"
        return True


class PrebuiltVariant:
    """One variant's message as pieces: literal bytes shared by every recipient, and named slots."""

    def __init__(self, envelope: Envelope, pieces: list[bytes | str], parts: list[_Part], boundary: bytes,
                 header_names: list[str]) -> None:
        self.envelope = envelope
        self.pieces = pieces
        self.parts = parts
        self.boundary = boundary
        self.header_names = header_names  # the personal headers, in the order the template holds them
        self.keys = {key for part in parts for key in part.slots}

    def __deepcopy__(self, memo):
        # Shared by every message of the batch and never changed after build: Django's locmem backend
        # deep-copies each message it stores, and copying this (the whole template) each time was its cost.
        return self

    @classmethod
    def build(cls, envelope: Envelope) -> PrebuiltVariant | None:
        parts = [_Part("text", envelope.text), _Part("html", envelope.html)]
        if not all(part.safe for part in parts):
            return None  # an empty part (Django would leave it out) or placeholder-like text around a placeholder
        token = secrets.token_hex(6)
        markers = {"text": f"pbtext{token}", "html": f"pbhtml{token}", "To": f"pbto{token}@prebuilt.invalid"}
        sample = Recipient(delivery_id=0, subscriber_id=0, email="sample@prebuilt.invalid", name="")
        header_names = list(personal_headers(envelope=envelope, recipient=sample,
                                             values=personal_values(envelope=envelope, recipient=sample)))
        markers |= {name: f"<pb{i}{token}>" for i, name in enumerate(header_names)}
        skeleton = EmailMultiAlternatives(
            subject=envelope.subject, body=markers["text"], from_email=envelope.from_email, to=[markers["To"]],
            reply_to=envelope.reply_to, headers={**envelope.headers, **{name: markers[name] for name in header_names}},
        )
        skeleton.attach_alternative(markers["html"], "text/html")
        mime = skeleton.message()
        boundary = f"==============={secrets.randbelow(10**19):019d}=="
        mime.set_boundary(boundary)
        raw = mime.as_bytes(linesep="\n")
        literal_text = envelope.text.encode() + envelope.html.encode()
        if boundary.encode() in literal_text or any(m.encode() in literal_text for m in markers.values()):
            return None
        pieces = cls._cut(raw, markers, header_names, parts)
        if pieces is None:
            return None
        return cls(envelope, pieces, parts, boundary.encode(), header_names)

    @staticmethod
    def _cut(raw: bytes, markers: dict[str, str], header_names: list[str], parts: list[_Part]) -> list | None:
        """Replace each marker (and the Date line) in Django's serialised skeleton with its slot."""
        head_end = raw.index(b"\n\n") + 1
        replacements: list[tuple[int, int, list]] = []
        for name in ["To", *header_names]:
            line = header_line(name, markers[name])
            at = raw.find(b"\n" + line, 0, head_end)
            if at < 0 or raw.find(b"\n" + line, at + 1, head_end) >= 0:
                return None
            replacements.append((at + 1, at + 1 + len(line), [f"h:{name}"]))
        date_at = raw.find(b"\nDate: ", 0, head_end) + 1
        if date_at <= 0:
            return None
        replacements.append((date_at, raw.index(b"\n", date_at) + 1, ["date"]))
        for part in parts:
            target = b"Content-Transfer-Encoding: 7bit\n\n" + markers[part.name].encode()
            at = raw.find(target, head_end)
            if at < 0 or raw.find(target, at + 1) >= 0:
                return None
            replacements.append((at, at + len(target), [b"Content-Transfer-Encoding: ", f"cte:{part.name}", b"\n\n",
                                                        *part.pieces]))
        pieces: list[bytes | str] = []
        position = 0
        for start, end, replacement in sorted(replacements, key=lambda r: r[0]):
            if start < position:
                return None
            pieces.append(raw[position:start])
            pieces.extend(replacement)
            position = end
        pieces.append(raw[position:])
        return [p for p in pieces if p != b""]

    def message(self, *, recipient: Recipient, values: dict[str, str], headers: dict[str, str],
                connection=None) -> PrebuiltEmail | None:
        """The recipient's message, or None if her values cannot be filled in safely (the caller builds it normally).

        `values` and `headers` are the ones the normal path uses (already checked for header injection).
        """
        personal = {name: value for name, value in headers.items() if name not in self.envelope.headers}
        if list(personal) != self.header_names or not self.keys <= values.keys():
            return None
        for value in values.values():
            # A line break would be normalised by Django's generator but not here; a % could join the text
            # next to it into a placeholder that sequential placeholders.fill would then replace.
            if "%" in value or "\n" in value or "\r" in value:
                return None
        slots: dict[str, bytes] = {}
        try:
            slots["h:To"] = header_line("To", recipient.email)
            for name, value in personal.items():
                slots[f"h:{name}"] = header_line(name, value)
        except ValueError:  # an address Django cannot encode: its own message() raises it at send time
            return None
        text_part, html_part = self.parts
        if not (text_part.fill(slots, values, self.boundary) and html_part.fill(slots, html_values(values), self.boundary)):
            return None
        return PrebuiltEmail(self, _Filled(slots, values), to=recipient.email, headers=headers, connection=connection)

    def assemble(self, slots: dict[str, bytes], date_line: bytes) -> bytes:
        return b"".join([piece if piece.__class__ is bytes else (date_line if piece == "date" else slots[piece])
                         for piece in self.pieces])


class _Filled:
    """A recipient's slot bytes and values: never changed once built, so copies may share it."""

    __slots__ = ("slots", "values")

    def __init__(self, slots: dict[str, bytes], values: dict[str, str]) -> None:
        self.slots = slots
        self.values = values

    def __deepcopy__(self, memo):
        return self


class PrebuiltEmail(EmailMultiAlternatives):
    """An EmailMultiAlternatives over a prebuilt variant: same attributes, message() without the MIME build.

    Treat it as read-only (as every message of the send pipeline is): `body` and `alternatives` are read
    from the variant and the recipient's values, and message() always serialises those.
    """

    def __init__(self, variant: PrebuiltVariant, filled: _Filled, *, to: str, headers: dict[str, str], connection=None):
        # Not EmailMessage.__init__: it assigns body and alternatives, which here are views.
        envelope = variant.envelope
        self._variant = variant
        self._filled = filled
        self.to = [to]
        self.cc = []
        self.bcc = []
        self.reply_to = list(envelope.reply_to)
        self.from_email = envelope.from_email
        self.subject = envelope.subject
        self.attachments = []
        self.extra_headers = headers
        self.connection = connection

    @property
    def body(self) -> str:
        return placeholders.fill(self._variant.envelope.text, self._filled.values)

    @property
    def alternatives(self) -> list[EmailAlternative]:
        shown = placeholders.fill(self._variant.envelope.html, html_values(self._filled.values))
        return [EmailAlternative(shown, "text/html")]

    def message(self) -> PrefilledMime:
        return PrefilledMime(self._variant, self._filled, _date_line())

    def __deepcopy__(self, memo):
        # Django's locmem backend deep-copies every message it keeps. The variant and the recipient's filled
        # values are immutable and shared (see their __deepcopy__); the containers hold only strings, so
        # copying the containers is a deep copy; the connection is a live backend, shared rather than cloned.
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__.update(self.__dict__)
        clone.to, clone.cc, clone.bcc, clone.reply_to = list(self.to), list(self.cc), list(self.bcc), list(self.reply_to)
        clone.attachments = copy.deepcopy(self.attachments, memo) if self.attachments else []
        clone.extra_headers = dict(self.extra_headers)
        if "metadata" in self.__dict__:
            metadata = self.metadata
            # The send path's metadata is a few ids: a copy of the dict is a deep copy (copy.deepcopy walks it slowly).
            flat = all(value.__class__ in (int, str) for value in metadata.values())
            clone.metadata = dict(metadata) if flat else copy.deepcopy(metadata, memo)
        return clone


class PrefilledMime:
    """What Django's backends use of a MIME message, over the recipient's bytes.

    Serialising is a join of the variant's pieces; reading headers parses the header block; anything
    else is answered by the parsed message (email.message.Message, as Django's would be).
    """

    def __init__(self, variant: PrebuiltVariant, filled: _Filled, date_line: bytes) -> None:
        self._variant = variant
        self._filled = filled
        self._date_line = date_line
        self._headers = None
        self._parsed = None

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        raw = self._variant.assemble(self._filled.slots, self._date_line)
        if unixfrom:
            raw = f"From nobody {time.ctime(time.time())}\n".encode() + raw
        return raw if linesep == "\n" else raw.replace(b"\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(unixfrom=unixfrom, linesep=linesep).decode("utf-8", "surrogateescape")

    __bytes__ = as_bytes
    __str__ = as_string

    def get_charset(self):
        return None  # a multipart message has none (Django's console backend asks)

    def is_multipart(self) -> bool:
        return True

    def _header_pairs(self) -> list[tuple[str, str]]:
        if self._headers is None:
            parsed = BytesHeaderParser(policy=compat32).parsebytes(self.as_bytes())
            # A value folded onto its own line reads with the folding white space in front; Django's
            # message holds the value as it was set, so that white space is not part of it.
            self._headers = [(name, value.lstrip()) for name, value in parsed.items()]
        return self._headers

    def get_all(self, name: str, failobj=None):
        found = [value for key, value in self._header_pairs() if key.lower() == name.lower()]
        return found or failobj

    def get(self, name: str, failobj=None):
        return (self.get_all(name) or [failobj])[0]

    def __getitem__(self, name: str):
        return self.get(name)

    def __contains__(self, name: str) -> bool:
        return self.get_all(name) is not None

    def __len__(self) -> int:
        return len(self._header_pairs())

    def __iter__(self):
        return iter(self.keys())

    def keys(self) -> list[str]:
        return [key for key, _ in self._header_pairs()]

    def values(self) -> list[str]:
        return [value for _, value in self._header_pairs()]

    def items(self) -> list[tuple[str, str]]:
        return list(self._header_pairs())

    def __getattr__(self, name: str):
        if name.startswith("_"):  # private and dunder names (copy, pickle) are not the message's
            raise AttributeError(name)
        if self._parsed is None:
            self._parsed = message_from_bytes(self.as_bytes(), policy=compat32)
        return getattr(self._parsed, name)
