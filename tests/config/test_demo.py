import pytest
from django.core.management import call_command

from newsletter.models import NewsItem
from organisations.sending import aligned, sending_domain
from subscribers.emails import email_hash
from subscribers.models import MailingList, Subscriber, Subscription

pytestmark = pytest.mark.django_db


def test_it_loads_the_seed_organisations_news_and_a_multilingual_audience_once(capsys):
    call_command("load_demo")
    call_command("load_demo")

    assert set(MailingList.objects.values_list("slug", flat=True)) == {"mmm-news", "mmm-liban", "oum-action"}
    owners = dict(MailingList.objects.values_list("slug", "organisation__name"))
    assert owners == {"mmm-news": "Make Mothers Matter", "mmm-liban": "Mouvement Mondial des Mères au Liban",
                      "oum-action": "OUM-Action"}
    for mailing_list in MailingList.objects.select_related("organisation"):
        # Each organisation sends through its own domain, aligned with its lists' sender addresses.
        assert aligned(from_email=mailing_list.from_email, domain=sending_domain(mailing_list.organisation))
        assert mailing_list.organisation.sending_domain and mailing_list.organisation.consent_text
    assert NewsItem.objects.filter(dateline="UN New York", title__contains="CSW69").exists()
    assert set(NewsItem.objects.values_list("language", flat=True)) == {"en", "fr", "ar"}
    assert Subscriber.objects.count() == 300
    assert set(Subscriber.objects.values_list("language", flat=True)) == {"en", "fr", "ar"}
    assert Subscription.objects.filter(status="active").count() >= 300
    subscriber = Subscriber.objects.first()
    assert subscriber.email_hash == email_hash(subscriber.email)
    assert "already loaded" in capsys.readouterr().out


def test_it_creates_the_admin_login_once_and_prints_it(capsys, settings, tmp_path):
    settings.VAR_DIR = tmp_path

    call_command("ensure_admin")
    first = capsys.readouterr().out
    call_command("ensure_admin")
    second = capsys.readouterr().out

    password = (tmp_path / "admin-password.txt").read_text().strip()
    assert f"password: {password}" in first
    assert first == second
    from django.contrib.auth import authenticate

    assert authenticate(username="admin", password=password).is_superuser
