"""The compose page's form: list, segment, chosen items in order, each language's texts, and what to do after saving."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from desk.prose import rich_text_field
from editorial.access import visible
from newsletter.checks import LANGUAGE_NAMES
from newsletter.forms import ScheduleForm, TestSendForm
from newsletter.models import Digest
from newsletter.sanitising import clean_html
from subscribers.models import MailingList, Segment
from subscribers.texts import languages

TEXT_FIELDS = ("subject", "preheader", "intro")


class ComposeDigestForm(forms.Form):
    THEN_CHOICES = [("save", _("Save")), ("test", _("Send a test")), ("send_now", _("Send now")),
                    ("schedule", _("Schedule"))]

    mailing_list = forms.ModelChoiceField(MailingList.objects.order_by("name"), label=_("Mailing list"),
                                          empty_label=_("Choose a list"))
    segment = forms.ModelChoiceField(Segment.objects.order_by("name"), required=False, label=_("Segment"),
                                     empty_label=_("The whole list"))
    tailored = forms.BooleanField(required=False, label=_("Tailored by interests"),
                                  help_text=Digest._meta.get_field("tailored").help_text)
    items = forms.TypedMultipleChoiceField(coerce=int, required=False, label=_("News items"))
    then = forms.ChoiceField(choices=THEN_CHOICES, required=False, initial="save")
    test_addresses = forms.CharField(required=False, label=_("Send a test to"),
                                     widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr", "id": "test-addresses"}))
    send_at = forms.CharField(required=False, label=_("Send at"),
                              widget=forms.DateTimeInput(attrs={"type": "datetime-local", "id": "send-at"}))
    # The admin's field (its choices and their words); newsletter.services.send_plan reads the pair.
    send_mode = ScheduleForm.base_fields["send_mode"]

    def __init__(self, *args, user, allowed_item_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailing_list"].queryset = visible(self.fields["mailing_list"].queryset, user)
        segments = visible(self.fields["segment"].queryset, user)
        chosen_list = self._chosen_list_id()
        self.fields["segment"].queryset = segments.filter(mailing_list_id=chosen_list) if chosen_list else segments.none()
        self.fields["items"].choices = [(item_id, item_id) for item_id in allowed_item_ids]
        names = dict(LANGUAGE_NAMES)
        for language in languages():
            name = str(names.get(language, language))
            self.fields[f"subject_{language}"] = forms.CharField(
                max_length=200, required=False, label=_("Subject"),
                widget=forms.TextInput(attrs={"dir": "auto", "lang": language, "id": f"subject-{language}"}))
            self.fields[f"preheader_{language}"] = forms.CharField(
                max_length=200, required=False, label=_("Preview line"),
                help_text=_("Shown after the subject in the inbox."),
                widget=forms.TextInput(attrs={"dir": "auto", "lang": language, "id": f"preheader-{language}"}))
            self.fields[f"intro_{language}"] = rich_text_field(
                required=False, label=_("Intro"),
                attrs={"dir": "auto", "lang": language, "id": f"intro-{language}", "aria-label": name})

    def _chosen_list_id(self) -> int | None:
        raw = self.data.get("mailing_list") if self.is_bound else self.initial.get("mailing_list")
        raw = getattr(raw, "pk", raw)
        try:
            return int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def clean(self):
        data = super().clean()
        mailing_list = data.get("mailing_list")
        if mailing_list is not None:
            default = mailing_list.default_language
            if not (data.get(f"subject_{default}") or "").strip():
                self.add_error(f"subject_{default}", _("Write a subject in %(language)s, the list's language.")
                               % {"language": dict(LANGUAGE_NAMES).get(default, default)})
        then = data.get("then") or "save"
        if then == "test":
            addresses = TestSendForm({"addresses": data.get("test_addresses", "")})
            if not addresses.is_valid():
                self.add_error("test_addresses", addresses.errors["addresses"])
            else:
                data["test_addresses"] = addresses.cleaned_data["addresses"]
        if then == "schedule":
            when = ScheduleForm({"send_at": data.get("send_at", ""), "send_mode": data.get("send_mode", "")})
            if not when.is_valid():
                self.add_error("send_at", _("Choose the day and time to send it."))
            else:
                data["send_at_parsed"], data["send_mode"] = when.cleaned_data["send_at"], when.cleaned_data["send_mode"]
        return data

    def texts(self) -> dict[str, dict[str, str]]:
        """Each language's texts as typed; the intro cleaned (nh3) whatever the editor's widget sent."""
        return {
            language: {
                "subject": self.cleaned_data.get(f"subject_{language}", ""),
                "preheader": self.cleaned_data.get(f"preheader_{language}", ""),
                "intro": clean_html(self.cleaned_data.get(f"intro_{language}", "")),
            }
            for language in languages()
        }

    def language_groups(self, default_language: str | None) -> list[dict]:
        """The per-language fields, the list's language first (the tabs of the page)."""
        order = list(dict.fromkeys([default_language or settings.LANGUAGE_CODE, *languages()]))
        names = dict(LANGUAGE_NAMES)
        return [{"code": language, "name": names.get(language, language),
                 "fields": [self[f"{name}_{language}"] for name in TEXT_FIELDS]} for language in order]
