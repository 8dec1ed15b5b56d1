"""Forms of the Team pages: inviting a person (admin) and accepting an invitation (her own page)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from editorial.access import visible
from editorial.invitations import invitation_password_check
from editorial.roles import ROLES, role_label
from organisations.models import Organisation


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=150,
                             widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect,
                             help_text=_("Editor: news, feeds, digests and sends, no subscriber rows. "
                                         "Administrator: everything in her organisations."))
    organisations = forms.ModelMultipleChoiceField(label=_("Organisations"), queryset=Organisation.objects.none(),
                                                   widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=_("Language of the invitation email"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, role_label(role)) for role in ROLES]
        # Only her own organisations are offered (all of them to a superuser): editorial.access.
        choices = visible(Organisation.objects.order_by("name"), user)
        self.fields["organisations"].queryset = choices
        if len(choices) == 1:
            self.fields["organisations"].initial = [choices[0].pk]


class AcceptForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False,
                                 widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False,
                                widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "family-name"}))
    password1 = forms.CharField(label=_("Choose a password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "dir": "ltr"}))
    password2 = forms.CharField(label=_("The same password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "dir": "ltr"}))

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        elif first:
            try:
                invitation_password_check(invitation=self.invitation, password=first,
                                          first_name=data.get("first_name", ""), last_name=data.get("last_name", ""))
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class SubscriberLookupForm(forms.Form):
    # One exact address: no partial search, so the page cannot list or enumerate an audience (editorial.lookup).
    email = forms.EmailField(label=_("Email address"), max_length=254,
                             widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off", "autofocus": True,
                                                            "inputmode": "email"}))
