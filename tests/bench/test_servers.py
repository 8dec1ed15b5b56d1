import smtplib
from email.message import EmailMessage
from urllib.parse import quote_plus

from django.core.mail import EmailMessage as DjangoEmailMessage
from django.core.mail import get_connection

from bench.servers import CountingMailgun, SmtpSink, _form_unquote


def test_it_decodes_form_values_exactly_like_urlencoding_encoded_them():
    for text in ['{"a\\\\b": "%41 + 100%"}', "سلام عليكم \\u0627", "plain", "a=b&c=d", "\\x41"]:
        assert _form_unquote(quote_plus(text).encode()).decode() == text


def test_it_counts_the_recipients_of_a_real_anymail_mailgun_batch_call():
    with CountingMailgun(api_key="key-t", domain="mg.example.org") as fake:
        connection = get_connection("anymail.backends.mailgun.EmailBackend", api_key="key-t", api_url=fake.api_url,
                                    sender_domain="mg.example.org")
        message = DjangoEmailMessage("Hi %recipient.name%", "Body", "news@example.org",
                                     ["a@example.org", "b@example.org", "Zaïd <c@example.org>"], connection=connection)
        message.merge_data = {"a@example.org": {"name": "A"}, "b@example.org": {"name": "B \\ + %"},
                              "c@example.org": {"name": "زيد"}}
        message.send()
        bad = get_connection("anymail.backends.mailgun.EmailBackend", api_key="wrong", api_url=fake.api_url,
                             sender_domain="mg.example.org", fail_silently=True)
        DjangoEmailMessage("x", "y", "news@example.org", ["d@example.org"], connection=bad).send()

    assert (fake.accepted_calls, fake.recipients, fake.unmerged, fake.unauthorised) == (1, 3, 0, 1)
    assert message.anymail_status.status == {"queued"}


def test_it_accepts_and_counts_smtp_messages_over_one_connection():
    with SmtpSink() as sink, smtplib.SMTP("127.0.0.1", sink.port) as client:
        for n in range(3):
            mail = EmailMessage()
            mail["From"], mail["To"], mail["Subject"] = "news@example.org", f"r{n}@example.org", "Hi"
            mail.set_content("Body")
            client.send_message(mail)

    assert (sink.handler.messages, sink.handler.recipients, sink.handler.connections) == (3, 3, 1)
