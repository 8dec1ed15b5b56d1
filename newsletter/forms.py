"""Forms of the editor's screens (admin): composing, scheduling, CSV upload, news item entry."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from editorial.access import visible, visible_organisation_ids
from newsletter.models import Digest, NewsItem
from newsletter.sanitising import clean_html
from newsletter.services import MAX_TEST_ADDRESSES
from subscribers.models import MailingList, Segment
from subscribers.texts import languages


class NewsItemForm(forms.ModelForm):
    class Meta:
        model = NewsItem
        fields = "__all__"

    def clean_body_html(self) -> str:
        return clean_html(self.cleaned_data.get("body_html", ""))


class DigestForm(forms.ModelForm):
    """The digest change form: subject and preheader end up in mail headers, so no line breaks."""

    class Meta:
        model = Digest
        fields = "__all__"

    def clean(self):
        data = super().clean()
        # Every language's subject and preheader (subscribers.texts' per-language columns).
        for name in ("subject", "preheader"):
            for language in languages():
                column = f"{name}_{language}"
                value = data.get(column) or ""
                if any(ch in value for ch in "\r\n\x00"):
                    self.add_error(column, _("The %(field)s must be a single line.") % {"field": name})
        return data


class ComposeForm(forms.Form):
    mailing_list = forms.ModelChoiceField(MailingList.objects.all(), label=_("Mailing list"))
    segment = forms.ModelChoiceField(Segment.objects.select_related("mailing_list"), required=False, label=_("Segment"),
                                     help_text=_("Leave empty to send to the whole list."))
    tailored = forms.BooleanField(required=False, label=_("Tailored by interests"),
                                  help_text=Digest._meta.get_field("tailored").help_text)
    subject = forms.CharField(max_length=200, label=_("Subject"))
    preheader = forms.CharField(max_length=200, required=False, label=_("Preheader"),
                                help_text=_("The preview line shown after the subject."))
    intro = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Intro"))
    since = forms.DateTimeField(
        required=False,
        label=_("Since"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Suggest items published after this time. Default: the list's last sent digest."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailing_list"].queryset = visible(self.fields["mailing_list"].queryset, user)
        self.fields["segment"].queryset = visible(self.fields["segment"].queryset, user)

    def clean(self):
        data = super().clean()
        segment, mailing_list = data.get("segment"), data.get("mailing_list")
        if segment and mailing_list and segment.mailing_list_id != mailing_list.id:
            self.add_error("segment", _("This segment belongs to another list."))
        return data


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    # Read and validated by newsletter.services.send_plan, for this form and any other screen that schedules.
    send_mode = forms.ChoiceField(
        label=_("Whose clock"), choices=[
            (Digest.SendMode.AT_ONCE, _("At this moment for everybody (your time zone)")),
            (Digest.SendMode.LOCAL_TIME, _("At this hour on this date in each reader's time zone")),
        ], initial=Digest.SendMode.AT_ONCE, required=False, widget=forms.RadioSelect,
    )

    def clean_send_mode(self) -> str:
        return self.cleaned_data.get("send_mode") or Digest.SendMode.AT_ONCE


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_(
        "UTF-8 CSV with a header row: title, published, dateline, summary, body_html, link, "
        "image_url, image_alt, language, translation_key, source_id, topics"))
    mailing_lists = forms.ModelMultipleChoiceField(MailingList.objects.all(), required=False, label=_("Mailing lists"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["mailing_lists"]
        field.queryset = visible(field.queryset, user)
        # Items on no list are every organisation's (decision 0015): only a superuser imports them.
        field.required = visible_organisation_ids(user) is not None


class TestSendForm(forms.Form):
    """Where a test goes: a few addresses, one per line or separated by commas (empty: the editor's own)."""

    addresses = forms.CharField(
        required=False, label=_("Send a test to"), widget=forms.Textarea(attrs={"rows": 3, "cols": 40, "dir": "ltr"}),
    )
    language = forms.CharField(required=False, label=_("Language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled per request: the help text is in the editor's language.
        self.fields["addresses"].help_text = gettext(
            "Up to %(count)d addresses, one per line or separated by commas. Empty: your own address.",
        ) % {"count": MAX_TEST_ADDRESSES}

    def clean_addresses(self) -> list[str]:
        raw = self.cleaned_data["addresses"] or ""
        addresses = list(dict.fromkeys(part.strip() for part in re.split(r"[,;\s]+", raw) if part.strip()))
        wrong = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                wrong.append(address)
        if wrong:
            raise ValidationError(_("Not an email address: %(addresses)s") % {"addresses": ", ".join(wrong)})
        if len(addresses) > MAX_TEST_ADDRESSES:
            raise ValidationError(_("A test goes to at most %(count)d addresses.") % {"count": MAX_TEST_ADDRESSES})
        return addresses
