"""The prebuilt per-message path (worker.prebuilt_mime) sends what Django's own build of each message sends.

"The same" is read the way a mail client reads it: every header's decoded value (Date and the multipart
boundary aside, which Django draws afresh for each message), the part structure, and the decoded text
and HTML. The reference is `single_message` without a prebuilt variant, i.e. Django's EmailMultiAlternatives.
"""

from __future__ import annotations

import copy
import io
from email import message_from_bytes
from email._policybase import compat32
from email.policy import default as default_policy

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.core.mail.message import forbid_multi_line_headers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from subscribers.models import MailingList
from tests.support.organisations import unsaved_organisation
from tests.support.smtp_sink import SmtpSink
from worker.messages import HeaderInjection, Recipient, build_envelope, single_message
from worker.prebuilt_mime import MIME_BACKENDS, PrebuiltEmail, header_line, prebuild

SMTP = "django.core.mail.backends.smtp.EmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"

TEXT = (
    "Hello %%name%% (%%email%%)\n"
    "مرحبا %%name%%، هذه رسالتنا الشهرية.\n"
    "Read it online: %%web_url%%\n"
    "Dear \t%%name%%\t \n"  # white space next to a placeholder survives
    "Unsubscribe: %%unsubscribe_url%%\r\n"  # CRLF and CR line ends are normalised as Django's generator does
    "Preferences: %%preferences_url%%\r"
    "50% off, 100 %% sure\n"
)
HTML = (
    '<html><body dir="rtl"><p>مرحبا <b>%%name%%</b> &lt;%%email%%&gt;</p>\n'
    '<p><a href="%%web_url%%">View in browser</a></p>\n'
    '<p><a href="%%unsubscribe_url%%">Unsubscribe</a> · <a href="%%preferences_url%%">Preferences</a></p>\n'
    "</body></html>"
)

RECIPIENTS = [
    Recipient(delivery_id=101, subscriber_id=11, email="ann@example.org", name="Ann Smith"),
    Recipient(delivery_id=102, subscriber_id=12, email="fatima@example.org", name="فاطمة الزهراء"),
    Recipient(delivery_id=103, subscriber_id=13, email="empty@example.org", name=""),
    Recipient(delivery_id=104, subscriber_id=14, email="o.brien@example.org", name='O\'Brien, "Jo" <b>&</b> ; x'),
    Recipient(delivery_id=105, subscriber_id=15, email="reader@bücher.example", name="Jürgen Groß"),
    Recipient(delivery_id=106, subscriber_id=16, email="a-very-long-local-part-" + "x" * 40 + "@example.org",
              name="ن" * 200),
]


SUBJECT = "أخبارنا لهذا الشهر: the Commission on the Status of Women, care work and more"


def envelope_for(*, text: str = TEXT, html: str = HTML, subject: str = SUBJECT,
                 from_name: str = 'أمهات "MMM", News', reply_to: str = "team@mmm.example.org"):
    mailing_list = MailingList(id=7, name="Monthly, \"news\"", slug="monthly", from_name=from_name,
                               from_email="news@mmm.example.org", reply_to=reply_to,
                               organisation=unsaved_organisation())
    return build_envelope(digest_id=42, mailing_list=mailing_list, subject=subject, html_body=html, text_body=text,
                          web_url="https://news.example.org/archive/42/")


def read(message) -> dict:
    """A message as a client reads it (policy.default: RFC 2047 decoded, unfolded)."""
    parsed = message_from_bytes(message.message().as_bytes(linesep="\r\n"), policy=default_policy)
    headers = {name: str(value).strip() for name, value in parsed.items()}
    assert parsed["Date"].datetime is not None
    headers.pop("Date")
    assert parsed.get_boundary()
    headers["Content-Type"] = headers["Content-Type"].split(";")[0]
    parts = [(part.get_content_type(), part.get_content_charset()) for part in parsed.iter_parts()]
    text = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    return {"headers": headers, "header_names": sorted(parsed.keys()), "parts": parts,
            "text": text.get_content() if text is not None else None, "html": html.get_content() if html is not None else None}


def both(envelope, recipient, backend: str = SMTP):
    prebuilt = prebuild(envelope, backend=backend)
    assert prebuilt is not None
    return (single_message(envelope=envelope, recipient=recipient, prebuilt=prebuilt),
            single_message(envelope=envelope, recipient=recipient))


@pytest.mark.parametrize("recipient", RECIPIENTS, ids=lambda r: r.email[:20])
def test_it_fills_each_recipient_into_bytes_that_read_like_djangos_own_message(recipient):
    envelope = envelope_for()
    ours, django_built = both(envelope, recipient)

    assert isinstance(ours, PrebuiltEmail) and not isinstance(django_built, PrebuiltEmail)
    assert read(ours) == read(django_built)
    for attribute in ("to", "cc", "bcc", "reply_to", "from_email", "subject", "body", "alternatives", "extra_headers",
                      "metadata", "attachments"):
        assert getattr(ours, attribute) == getattr(django_built, attribute), attribute
    assert ours.recipients() == django_built.recipients() == [recipient.email]


def test_it_writes_the_headers_clients_rely_on():
    envelope = envelope_for()
    [ours, _] = both(envelope, RECIPIENTS[4])

    headers = read(ours)["headers"]
    assert headers["To"] == "reader@xn--bcher-kva.example"  # IDN domain as Django encodes it
    assert headers["From"] == '"أمهات \\"MMM\\", News" <news@mmm.example.org>'
    assert headers["Subject"] == envelope.subject
    assert headers["Reply-To"] == "team@mmm.example.org"
    assert headers["List-Unsubscribe"] == ours.extra_headers["List-Unsubscribe"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Message-ID"] == "<digest-42.delivery-105@mmm.example.org>"
    assert headers["Feedback-ID"] == "digest-42:monthly:mmm"
    raw = ours.message().as_bytes(linesep="\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line end is CRLF on the wire
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


def test_it_quoted_printable_encodes_a_part_whose_lines_are_too_long_for_8bit():
    long_line = "<p>" + "رعاية غير مدفوعة، " * 120 + " %%name%% " + "x" * 300 + '<a href="%%unsubscribe_url%%">u</a></p>'
    envelope = envelope_for(html=HTML + "\n" + long_line + "\n")
    for recipient in RECIPIENTS:
        ours, django_built = both(envelope, recipient)
        assert isinstance(ours, PrebuiltEmail)
        assert read(ours) == read(django_built)
        raw = ours.message().as_bytes()
        html_part = raw.split(b'Content-Type: text/html; charset="utf-8"', 1)[1]
        assert b"Content-Transfer-Encoding: quoted-printable" in html_part.split(b"\n\n", 1)[0]
        assert max(len(line) for line in html_part.split(b"\n")) <= 76


def test_it_builds_djangos_message_for_a_recipient_whose_values_cannot_be_filled_safely():
    envelope = envelope_for(html=HTML + "\n<p>" + "y" * 600 + " %%name%%</p>\n")
    prebuilt = prebuild(envelope, backend=SMTP)
    unsafe = [
        "100% Ann",  # a % could join the text next to it into a placeholder
        "Ann\nBcc: victim@example.org",  # a line break in the body: Django normalises it, substitution would not
        "&" * 200,  # escaped, the 8bit html line would pass 998 octets
        prebuilt.boundary.decode(),  # the boundary inside a part would cut it
    ]
    for n, name in enumerate(unsafe):
        recipient = Recipient(delivery_id=200 + n, subscriber_id=20 + n, email=f"r{n}@example.org", name=name)
        message = single_message(envelope=envelope, recipient=recipient, prebuilt=prebuilt)
        assert not isinstance(message, PrebuiltEmail), name
        assert read(message)["text"] == read(single_message(envelope=envelope, recipient=recipient))["text"]


@pytest.mark.parametrize(("text", "html"), [
    ("", HTML),  # Django leaves an empty text part out
    ("%%name%%", HTML),  # ... and this one is empty for a nameless recipient
    ("Hi %%email%%name%%", HTML),  # sequential filling would read a placeholder across the value
    (TEXT, "<p>%%name%%email%%</p>"),
])
def test_it_does_not_prebuild_a_template_it_cannot_fill_like_placeholders_fill(text, html):
    assert prebuild(envelope_for(text=text, html=html), backend=SMTP) is None


def test_it_keeps_djangos_messages_for_backends_that_read_the_message_api_rather_than_mime():
    envelope = envelope_for()
    for backend in ("anymail.backends.resend.EmailBackend", "worker.resend_backend.EmailBackend",
                    "anymail.backends.postmark.EmailBackend", "anymail.backends.amazon_ses.EmailBackend"):
        assert prebuild(envelope, backend=backend) is None
    for backend in MIME_BACKENDS:
        assert prebuild(envelope, backend=backend) is not None


def test_it_builds_a_variant_once_per_process_and_anew_when_anything_it_reads_changes():
    first = prebuild(envelope_for(), backend=SMTP)

    assert prebuild(envelope_for(), backend=LOCMEM) is first  # the next batch of the same variant
    changed = [prebuild(envelope_for(subject="Another subject"), backend=SMTP),
               prebuild(envelope_for(from_name="Renamed list"), backend=SMTP),
               prebuild(envelope_for(reply_to="other@mmm.example.org"), backend=SMTP),
               prebuild(envelope_for(html=HTML.replace("View in browser", "Read online")), backend=SMTP)]
    assert all(built is not None and built is not first for built in changed)
    assert len({id(built) for built in changed}) == len(changed)
    recipient = RECIPIENTS[0]
    message = single_message(envelope=envelope_for(subject="Another subject"), recipient=recipient, prebuilt=changed[0])
    assert read(message)["headers"]["Subject"] == "Another subject"


def test_it_refuses_header_injection_before_any_message_exists():
    envelope = envelope_for()
    prebuilt = prebuild(envelope, backend=SMTP)
    for email in ("a@example.org\r\nBcc: victim@example.org", "a@example.org\nBcc: victim@example.org"):
        with pytest.raises(HeaderInjection):
            single_message(envelope=envelope, recipient=Recipient(1, 1, email, "Ann"), prebuilt=prebuilt)
    with pytest.raises(HeaderInjection):
        envelope_for(subject="News\r\nBcc: victim@example.org")
    with pytest.raises(HeaderInjection):
        envelope_for(from_name="MMM\nBcc: victim@example.org")
    with pytest.raises(ValueError):  # the encoder itself never writes a second line either
        header_line("To", "a@example.org\r\nBcc: victim@example.org")


header_values = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=300)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(["To", "Message-ID", "List-Unsubscribe", "Date", "X-Long-Header-Name"]), value=header_values)
def test_it_writes_a_header_line_exactly_as_the_email_package_folds_it(name, value):
    _, encoded = forbid_multi_line_headers(name, value, "utf-8")
    assert header_line(name, value) == compat32.fold_binary(name, encoded)


names = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
literal = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="%"), max_size=120)
placeholder = st.sampled_from(["%%name%%", "%%email%%", "%%unsubscribe_url%%", "%%preferences_url%%", "%%web_url%%"])
templates = st.lists(st.one_of(literal, placeholder), min_size=1, max_size=12).map("".join)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=names, text=templates, html=templates)
def test_it_reads_like_djangos_message_for_any_name_and_template(name, text, html):
    envelope = envelope_for(text="Hi " + text, html="<p>" + html)
    prebuilt = prebuild(envelope, backend=SMTP)
    if prebuilt is None:
        return
    recipient = Recipient(delivery_id=1, subscriber_id=1, email="reader@example.org", name=name)
    ours = single_message(envelope=envelope, recipient=recipient, prebuilt=prebuilt)
    assert read(ours) == read(single_message(envelope=envelope, recipient=recipient))


def test_the_in_memory_backend_keeps_independent_copies_that_share_the_variant():
    envelope = envelope_for()
    prebuilt = prebuild(envelope, backend=LOCMEM)
    message = single_message(envelope=envelope, recipient=RECIPIENTS[1], prebuilt=prebuilt)
    mail.outbox = []

    get_connection(LOCMEM).send_messages([message])

    [kept] = mail.outbox
    assert kept is not message and kept._variant is message._variant
    assert kept.to == message.to and kept.to is not message.to
    assert kept.extra_headers == message.extra_headers and kept.extra_headers is not message.extra_headers
    kept.extra_headers["X-Changed"] = "1"
    assert "X-Changed" not in message.extra_headers
    assert read(kept) == read(message)
    assert copy.deepcopy(message).body == message.body


def test_the_console_backend_writes_the_prebuilt_message():
    envelope = envelope_for()
    message = single_message(envelope=envelope, recipient=RECIPIENTS[1], prebuilt=prebuild(envelope, backend=SMTP))
    stream = io.StringIO()

    get_connection("django.core.mail.backends.console.EmailBackend", stream=stream).send_messages([message])

    written = message_from_bytes(stream.getvalue().encode(), policy=default_policy)
    assert "فاطمة الزهراء" in written.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.django_db
def test_the_outbox_backend_stores_the_prebuilt_message_readably():
    from operations.models import OutboxMessage

    envelope = envelope_for()
    recipient = RECIPIENTS[1]
    ours, django_built = both(envelope, recipient, backend="operations.outbox.OutboxEmailBackend")

    get_connection("operations.outbox.OutboxEmailBackend").send_messages([ours, django_built])

    stored_ours, stored_django = OutboxMessage.objects.order_by("id")
    assert stored_ours.subject == stored_django.subject == envelope.subject
    assert stored_ours.to == stored_django.to and stored_ours.from_email == stored_django.from_email
    assert stored_ours.text == stored_django.text and stored_ours.html == stored_django.html
    drop = {"Date", "Content-Type"}
    assert {k: v for k, v in stored_ours.headers.items() if k not in drop} == \
        {k: v for k, v in stored_django.headers.items() if k not in drop}
    raw_ours, raw_django = (message_from_bytes(m.raw.encode(), policy=default_policy) for m in (stored_ours, stored_django))
    assert raw_ours.get_body(preferencelist=("html",)).get_content() == \
        raw_django.get_body(preferencelist=("html",)).get_content()


def test_it_delivers_parseable_messages_over_real_smtp():
    envelope = envelope_for()
    prebuilt = prebuild(envelope, backend=SMTP)
    messages = [single_message(envelope=envelope, recipient=r, prebuilt=prebuilt) for r in RECIPIENTS]
    expected = [read(single_message(envelope=envelope, recipient=r)) for r in RECIPIENTS]
    assert all(isinstance(m, PrebuiltEmail) for m in messages)

    with SmtpSink() as sink:
        connection = get_connection(SMTP, host="127.0.0.1", port=sink.port)
        assert connection.send_messages(messages) == len(RECIPIENTS)

    assert len(sink.messages) == len(RECIPIENTS)
    for received, want in zip(sink.messages, expected, strict=True):
        headers = {name: value for name, value in received.headers.items() if name != "Date"}
        headers["Content-Type"] = headers["Content-Type"].split(";")[0]
        assert headers == want["headers"]
        assert received.text == want["text"] and received.html == want["html"]
    assert sink.messages[4].rcpt_tos == ["reader@xn--bcher-kva.example"]


@pytest.mark.django_db
def test_a_batch_goes_out_prebuilt_over_smtp_and_each_delivery_records_its_message_id(settings):
    from newsletter.models import Digest
    from tests.worker.factories import make_audience, make_digest, make_list, make_variant
    from worker.models import Delivery, DigestSend
    from worker.planning import audience_plan
    from worker.sending import batch_send

    mailing_list = make_list()
    make_audience(mailing_list, 3)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    [batch_id] = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=100).batch_ids
    DigestSend.objects.create(digest=digest)

    with SmtpSink() as sink:
        settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP, "127.0.0.1", sink.port
        outcome = batch_send(batch_id=batch_id)

    assert (outcome.sent, outcome.one_by_one) == (3, True)
    assert len(sink.messages) == 3
    # One skeleton for the batch: Django's own build would have drawn a boundary per message.
    assert len({message.headers["Content-Type"] for message in sink.messages}) == 1
    for message in sink.messages:
        delivery = Delivery.objects.get(provider_message_id=message.headers["Message-ID"])
        assert delivery.status == Delivery.Status.SENT and delivery.sent_at is not None and delivery.error == ""
        assert message.rcpt_tos == [delivery.subscriber.email]
        assert f"Hello {delivery.subscriber.name}" in message.text
