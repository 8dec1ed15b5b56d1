"""Our Mailgun backend must put exactly what anymail's puts into each call, only cheaper to build."""

from urllib.parse import parse_qsl

import pytest
from anymail.exceptions import AnymailInvalidAddress
from anymail.utils import EmailAddress
from django.core.mail import get_connection

from tests.support.fake_mailgun import FakeMailgun, _parse_multipart
from worker.mailgun_backend import PlainAddress, multipart_form, recipients_parse
from worker.messages import Envelope, Recipient, merged_message

ADDRESSES = [
    "ann@example.org",
    "o'brien+news@sub.example.co.uk",
    "x_y-z.w@example.org",
    '"quoted local"@example.org',  # not a dot-atom: anymail parses it
    "lea@exämple.org",  # IDN domain: anymail parses it and encodes the domain
]


def _batch(addresses: list[str]):
    envelope = Envelope(
        digest_id=4, list_id=2, from_email='"Réseau MMM" <news@mmm.example.org>', reply_to=["team@mmm.example.org"],
        subject="Nouvelles", html="<p>مرحبا %%name%% <a href='%%unsubscribe_url%%'>x</a></p>",
        text="Bonjour %%name%%\r\n%%preferences_url%%", domain="mmm.example.org",
        headers={"List-Id": '"MMM" <mmm.lists.mmm.example.org>', "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    recipients = [Recipient(delivery_id=10 + i, subscriber_id=100 + i, email=address, name=f'Zoé "{i}", <&>')
                  for i, address in enumerate(addresses)]
    return merged_message(envelope=envelope, recipients=recipients, merge_syntax="%recipient.{key}%")


def _anymail_fields(message) -> list[tuple[str, str]]:
    backend = get_connection("anymail.backends.mailgun.EmailBackend")
    params = backend.build_message_payload(message, backend.send_defaults).get_request_params(backend.api_url)
    return parse_qsl(_encode_like_requests(params["data"]), keep_blank_values=True)


def _encode_like_requests(data: dict) -> str:
    import requests

    return requests.Request("POST", "http://x/", data=data).prepare().body


def _our_params(message) -> dict:
    backend = get_connection("worker.mailgun_backend.EmailBackend")
    return backend.build_message_payload(message, backend.send_defaults).get_request_params(backend.api_url)


@pytest.fixture(autouse=True)
def _mailgun_settings(settings):
    settings.ANYMAIL = {"MAILGUN_API_KEY": "key-test", "MAILGUN_SENDER_DOMAIN": "mg.example.org"}


def test_it_sends_the_same_form_fields_as_anymails_backend():
    message = _batch(ADDRESSES)
    ours = _our_params(message)
    content_type = ours["headers"]["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    assert _parse_multipart(content_type, ours["data"]) == _anymail_fields(message)


def test_it_calls_the_same_endpoint_with_the_same_credentials():
    message = _batch(ADDRESSES[:2])
    backend = get_connection("anymail.backends.mailgun.EmailBackend")
    theirs = backend.build_message_payload(message, backend.send_defaults).get_request_params(backend.api_url)
    ours = _our_params(message)
    assert (ours["method"], ours["url"], ours["auth"]) == (theirs["method"], theirs["url"], theirs["auth"])


def test_it_takes_the_short_path_only_for_plain_ascii_addresses():
    parsed = recipients_parse(ADDRESSES[:3])
    assert all(isinstance(address, PlainAddress) for address in parsed)
    for address, plain in zip(ADDRESSES[:3], parsed, strict=True):
        full = EmailAddress(addr_spec=address)
        assert (plain.addr_spec, plain.username, plain.domain, plain.format()) == (
            full.addr_spec, full.username, full.domain, full.format())
    assert all(isinstance(address, EmailAddress) for address in recipients_parse(ADDRESSES))


@pytest.mark.parametrize("address", ["Ann <ann@example.org>", "ann@example", "ann@@example.org", "ann@ex ample.org"])
def test_it_leaves_anything_but_a_plain_addr_spec_to_anymails_parser(address):
    try:
        parsed = recipients_parse([address])
    except AnymailInvalidAddress:
        return  # anymail's own refusal, as before
    assert not isinstance(parsed[0], PlainAddress)


def test_it_keeps_values_with_line_breaks_quotes_and_any_script_intact_in_the_form():
    fields = {"text": "a\r\n--b\r\n\r\nc", "subject": 'Zoé "quoted"', "to": ["a@x.org", "b@x.org"], "n": 7}
    body, content_type = multipart_form(fields)
    assert _parse_multipart(content_type, body) == [
        ("text", "a\r\n--b\r\n\r\nc"), ("subject", 'Zoé "quoted"'), ("to", "a@x.org"), ("to", "b@x.org"), ("n", "7")]


def test_it_sends_a_batch_that_mailgun_expands_for_every_recipient(settings):
    with FakeMailgun() as fake:
        settings.ANYMAIL = {"MAILGUN_API_KEY": fake.api_key, "MAILGUN_API_URL": fake.api_url,
                            "MAILGUN_SENDER_DOMAIN": fake.domain}
        message = _batch(ADDRESSES[:3])
        get_connection("worker.mailgun_backend.EmailBackend").send_messages([message])
    assert fake.accepted_calls == 1
    received = fake.by_recipient()
    assert sorted(received) == sorted(ADDRESSES[:3])
    first = received["ann@example.org"][0]
    assert first.text.startswith('Bonjour Zoé "0", <&>')
    assert "Zoé &quot;0&quot;, &lt;&amp;&gt;" in first.html
    assert first.headers["List-Unsubscribe"].startswith("<http")
    assert message.anymail_status.recipients["ann@example.org"].status == "queued"
