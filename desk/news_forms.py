"""The forms of the desk's news items, image library and feeds. Choices are narrowed to what the person sees
(editorial.access.visible); free text gets dir="auto" so Arabic punctuation lands on the right side."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from desk.prose import rich_text_field
from editorial.access import visible, visible_organisation_ids
from newsletter.models import MediaImage, NewsItem
from organisations.models import Organisation
from subscribers.models import LANGUAGE_CHOICES, MailingList, Topic

_AUTO = {"dir": "auto"}


class ImageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MediaImage) -> str:
        return obj.alt_text


class NewsItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=400,
                            widget=forms.Textarea(attrs={**_AUTO, "rows": 2, "class": "wide-title"}))
    dateline = forms.CharField(label=_("Dateline"), max_length=200, required=False,
                               help_text=_('Where it happened, e.g. "UN New York".'), widget=forms.TextInput(attrs=_AUTO))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    mailing_lists = forms.ModelMultipleChoiceField(
        label=_("Lists"), queryset=MailingList.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("The lists whose digests may include this item."))
    topics = forms.ModelMultipleChoiceField(label=_("Topics"), queryset=Topic.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    summary = forms.CharField(label=_("Summary"), required=False, help_text=_("One or two sentences shown in the digest."),
                              widget=forms.Textarea(attrs={**_AUTO, "rows": 3}))
    body_html = rich_text_field(label=_("Body"), required=False)
    link = forms.URLField(label=_("Link"), max_length=1000, required=False, assume_scheme="https",
                          help_text=_("Where readers can read the whole story."), widget=forms.URLInput(attrs=_AUTO))
    image_upload = forms.FileField(label=_("Upload a new image"), required=False,
                                   widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    image = ImageChoiceField(label=_("Or pick one from the library"), queryset=MediaImage.objects.none(),
                             required=False, widget=forms.RadioSelect, empty_label=_("No image from the library"))
    image_alt = forms.CharField(label=_("Image description (alt text)"), max_length=300, required=False,
                                help_text=_("Required with an image: what it shows, for people who cannot see it."),
                                widget=forms.TextInput(attrs=_AUTO))
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)
    translation_of = forms.ModelChoiceField(
        label=_("Translation of"), queryset=NewsItem.objects.none(), required=False,
        help_text=_("If this item is the same story as another item in another language, choose it: a digest "
                    "then gives each reader the version in her language."))

    def __init__(self, *args, user, item: NewsItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.item = user, item
        self.fields["mailing_lists"].queryset = visible(MailingList.objects.order_by("name"), user)
        self.fields["mailing_lists"].required = visible_organisation_ids(user) is not None
        self.fields["image"].queryset = visible(MediaImage.objects.all(), user)
        others = visible(NewsItem.objects.all(), user)
        if item is not None:
            others = others.exclude(pk=item.pk)
        # The latest few hundred (a select cannot hold thousands); an unsliced queryset, which validation needs.
        latest = others.order_by("-published_at").values("pk")[:300]
        self.fields["translation_of"].queryset = NewsItem.objects.filter(pk__in=latest).order_by("-published_at")

    def clean(self):
        data = super().clean()
        if data.get("image_upload") and data.get("image"):
            self.add_error("image", _("Upload a new image or pick one from the library, not both."))
        if data.get("image_upload") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image in a few words (alt text): people who cannot see it hear this."))
        return data

    def organisation_id(self) -> int | None:
        """Whose library an uploaded image joins: the organisation of the first chosen list."""
        lists = self.cleaned_data.get("mailing_lists")
        if lists:
            return lists[0].organisation_id
        first = visible(Organisation.objects.order_by("pk"), self.user).first()
        return first.pk if first else None

    def item_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("title", "dateline", "language", "summary", "body_html", "link",
                                                 "image_alt")}
        new_image = data.get("image_upload") or data.get("image")
        if data.get("remove_image") and not new_image:
            fields["image_url"], fields["image_alt"] = "", ""
        elif self.item is not None and not new_image and not fields["image_alt"]:
            fields["image_alt"] = self.item.image_alt  # the current picture keeps its description
        return fields


class MediaImageForm(forms.Form):
    file = forms.FileField(label=_("Image"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    alt_text = forms.CharField(label=_("Description (alt text)"), max_length=300,
                               help_text=_("What the image shows, for people who cannot see it."),
                               widget=forms.TextInput(attrs=_AUTO))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = visible(Organisation.objects.order_by("name"), user)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first().pk
            self.fields["organisation"].widget = forms.HiddenInput()


class FeedForm(forms.Form):
    url = forms.URLField(label=_("Feed address (RSS or Atom)"), max_length=1000, assume_scheme="https",
                         widget=forms.URLInput(attrs={"dir": "ltr", "placeholder": "https://example.org/feed/"}))
    name = forms.CharField(label=_("Name"), max_length=200, required=False, widget=forms.TextInput(attrs=_AUTO))
    mailing_list = forms.ModelChoiceField(label=_("List"), queryset=MailingList.objects.none(),
                                          help_text=_("Its entries become news items of this list."))
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("As the feed says (else the list's)")), *LANGUAGE_CHOICES])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailing_list"].queryset = visible(MailingList.objects.order_by("name"), user)
