"""Forms for the public pages and the JSON API. They validate; services write."""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from newsletter.models import validate_time_zone
from subscribers import choices
from subscribers.address_rules import validate_public_domain
from subscribers.models import LANGUAGE_CHOICES, MailingList, Subscriber, Topic, list_label
from subscribers.texts import list_text, topic_name


class SlugMultipleChoiceField(forms.MultipleChoiceField):
    """Choices by slug, so forms embedded elsewhere and the API name lists and topics readably.

    The choices come from subscribers.choices (a few seconds old at most, read without a query);
    cleaned data is the list of chosen slugs.
    """

    def __init__(self, load, **kwargs):
        super().__init__(choices=load, **kwargs)


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the emails"), choices=LANGUAGE_CHOICES, initial="en")
    lists = SlugMultipleChoiceField(
        choices.public_lists,
        label=_("Newsletters"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one newsletter."),
                        "invalid_choice": _("%(value)s is not a newsletter you can subscribe to.")},
    )
    topics = SlugMultipleChoiceField(
        choices.topics,
        label=_("Interests (optional)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("%(value)s is not a known interest.")},
    )
    consent = forms.BooleanField(
        error_messages={"required": _("Please tick the box to agree to receive our emails.")},
    )
    # Honeypot: hidden from people by CSS; bots fill every field they see.
    website = forms.CharField(required=False, label=_("Leave this field empty"), max_length=500)
    # What the browser reports (subscribers/static/subscribers/time_zone.js); digests sent at a local hour use it.
    time_zone = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_time_zone(self) -> str:
        return browser_time_zone(self.cleaned_data.get("time_zone") or "")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        validate_public_domain(email)
        return email

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if any(ch in name for ch in "\r\n\x00"):
            raise forms.ValidationError(_("The name cannot contain line breaks."))
        return name

    @property
    def offers_topics(self) -> bool:
        """Whether the page shows the interests at all (there may be none)."""
        return bool(choices.topics())

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


def browser_time_zone(value: str) -> str:
    """A zone name a browser sent, if the zone database knows it; else "" (unknown: her list's zone is used).
    Never an error: a browser with an odd or no answer must not stop anyone subscribing."""
    value = value.strip()
    if not value:
        return ""
    try:
        validate_time_zone(value)
    except forms.ValidationError:
        return ""
    return value


def time_zone_choices() -> list[tuple[str, str]]:
    """Every zone of the zone database, by name, after "not set" (her list's zone)."""
    return [("", _("Not set: the newsletter's own time zone")),
            *((zone, zone.replace("_", " ")) for zone in sorted(available_timezones()))]


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the emails"), choices=LANGUAGE_CHOICES)
    time_zone = forms.ChoiceField(
        label=_("Your time zone"), choices=time_zone_choices, required=False,
        help_text=_("Newsletters sent at a local hour reach you at that hour on this clock."),
    )
    lists = forms.ModelMultipleChoiceField(
        MailingList.objects.none(), label=_("Newsletters"), widget=forms.CheckboxSelectMultiple, required=False
    )
    topics = forms.ModelMultipleChoiceField(
        Topic.objects.all(), label=_("Interests"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, subscriber: Subscriber, language: str, awaiting: set[int] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.awaiting = awaiting
        # A list she asked for but has not confirmed says so: a plain tick would claim she receives it.
        waiting = _("waiting for your confirmation: check your inbox")
        # Public lists, plus any private list this person is already on (so she can leave it).
        self.fields["lists"].queryset = MailingList.objects.filter(
            Q(is_public=True) | Q(subscriptions__subscriber=subscriber)
        ).select_related("organisation").distinct()
        several = self.fields["lists"].queryset.order_by().values("organisation_id").distinct().count() > 1

        def label(mailing_list: MailingList) -> str:
            name = list_text(mailing_list, "name", language=language)  # names in the page's language
            name = list_label(name, mailing_list.organisation.name) if several else name
            return f"{name} ({waiting})" if mailing_list.pk in awaiting else name

        self.fields["lists"].label_from_instance = label
        self.fields["topics"].label_from_instance = lambda topic: topic_name(topic, language=language)
