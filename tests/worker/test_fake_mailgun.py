"""The fake Mailgun server itself: it must expand a batch the way Mailgun does, for both body encodings."""

import pytest
from anymail.message import AnymailMessage
from django.core.mail import get_connection

from tests.support.fake_mailgun import FakeMailgun


@pytest.mark.parametrize("with_attachment", [False, True], ids=["urlencoded", "multipart"])
def test_it_expands_recipient_variables_like_mailgun(settings, with_attachment):
    with FakeMailgun() as fake:
        settings.ANYMAIL = {"MAILGUN_API_KEY": fake.api_key, "MAILGUN_API_URL": fake.api_url,
                            "MAILGUN_SENDER_DOMAIN": fake.domain}
        message = AnymailMessage(subject="Hi %recipient.name%", body="Text for %recipient.name%",
                                 from_email="news@mg.example.org", to=["a@x.org", "b@x.org"])
        message.attach_alternative("<p>Html for %recipient.name%</p>", "text/html")
        message.merge_data = {"a@x.org": {"name": "Ann"}, "b@x.org": {"name": "Bob"}}
        message.merge_headers = {"a@x.org": {"List-Unsubscribe": "<https://s/u/a>"},
                                 "b@x.org": {"List-Unsubscribe": "<https://s/u/b>"}}
        message.merge_metadata = {"a@x.org": {"delivery_id": 1}, "b@x.org": {"delivery_id": 2}}
        if with_attachment:
            message.attach("note.txt", "attached", "text/plain")
        get_connection("anymail.backends.mailgun.EmailBackend").send_messages([message])

    received = fake.by_recipient()
    [ann], [bob] = received["a@x.org"], received["b@x.org"]
    assert (ann.subject, ann.text, ann.html) == ("Hi Ann", "Text for Ann", "<p>Html for Ann</p>")
    assert bob.headers["List-Unsubscribe"] == "<https://s/u/b>"
    assert (ann.variables["delivery_id"], bob.variables["delivery_id"]) == ("1", "2")
    assert fake.calls == 1
