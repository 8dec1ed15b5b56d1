"""The segment editor: plain fields (languages, countries, topics, dates, attributes, engagement) that
build the segment's filters JSON, so editors never type JSON. The admin's live count posts the same
fields, so the count always matches what saving would store."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from subscribers.models import LANGUAGE_CHOICES, MailingList, Segment, Topic
from subscribers.segments import SegmentFilterError, validate_filters


def _slugs(queryset_label, model) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        model.objects.all(), to_field_name="slug", required=False, widget=forms.CheckboxSelectMultiple,
        label=queryset_label,
    )


class SegmentFiltersForm(forms.Form):
    language = forms.MultipleChoiceField(choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
                                         label=_("Language"))
    country = forms.CharField(required=False, max_length=400, label=_("Country"),
                              help_text=_("Two-letter codes separated by commas, e.g. LB, MA"))
    topics_any = _slugs(_("Has any of these topics"), Topic)
    topics_all = _slugs(_("Has all of these topics"), Topic)
    lists_any = _slugs(_("Also on one of these lists"), MailingList)
    subscribed_after = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                       label=_("Subscribed on or after"), help_text=_("Joined this list on or after this day"))
    subscribed_before = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                        label=_("Subscribed before"), help_text=_("Joined this list before this day"))
    attributes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 label=_("Attributes"),
                                 help_text=_("Custom attribute equals: one name=value per line, e.g. member=yes"))
    opened_within_days = forms.IntegerField(required=False, min_value=1, max_value=3650,
                                            label=_("Opened within (days)"),
                                            help_text=_("Opened a message in the last N days (lists with tracking only)"))
    clicked_within_days = forms.IntegerField(required=False, min_value=1, max_value=3650,
                                             label=_("Clicked within (days)"),
                                             help_text=_("Clicked a link in the last N days (lists with tracking only)"))

    FILTER_FIELDS = ("language", "country", "topics_any", "topics_all", "lists_any", "subscribed_after",
                     "subscribed_before", "attributes", "opened_within_days", "clicked_within_days")

    def clean_attributes(self) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["attributes"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip():
                raise forms.ValidationError(_("Line %(number)d: write name=value, e.g. member=yes.") % {"number": number})
            pairs[name.strip()] = value.strip()
        return pairs

    def filters_from_fields(self) -> dict:
        """The filters JSON for the cleaned fields (call after is_valid())."""
        data = self.cleaned_data
        filters: dict = {}
        if data.get("language"):
            filters["language"] = list(data["language"])
        countries = [c.strip() for c in (data.get("country") or "").split(",") if c.strip()]
        if countries:
            filters["country"] = countries
        for key in ("topics_any", "topics_all", "lists_any"):
            if data.get(key):
                filters[key] = [obj.slug for obj in data[key]]
        for key in ("subscribed_after", "subscribed_before"):
            if data.get(key):
                filters[key] = data[key].isoformat()
        if data.get("attributes"):
            filters["attributes"] = data["attributes"]
        for key in ("opened_within_days", "clicked_within_days"):
            if data.get(key):
                filters[key] = data[key]
        return filters

    @classmethod
    def initial_from_filters(cls, filters: dict) -> dict:
        initial = {key: value for key, value in (filters or {}).items() if key in cls.FILTER_FIELDS}
        if "country" in initial:
            initial["country"] = ", ".join(initial["country"])
        if "attributes" in initial:
            initial["attributes"] = "\n".join(f"{k}={v}" for k, v in initial["attributes"].items())
        return initial


class SegmentForm(SegmentFiltersForm, forms.ModelForm):
    class Meta:
        model = Segment
        fields = ("mailing_list", "name")

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs["initial"] = {**self.initial_from_filters(instance.filters), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        mailing_list = cleaned.get("mailing_list")
        if mailing_list is not None and not self.errors:
            try:
                self.instance.filters = validate_filters(self.filters_from_fields(), mailing_list=mailing_list)
            except SegmentFilterError as exc:
                raise forms.ValidationError(str(exc)) from None
        return cleaned
