"""The invited person's own page: she follows the emailed link, chooses her password, and is signed in to the
admin with the role and organisations she was invited to. Thin: the work is editorial.invitations."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, password_validation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from editorial.forms import AcceptForm
from editorial.invitations import Found, InvitationError, LinkState, invitation_accept, invitation_find
from editorial.roles import role_label


def _why(found: Found) -> tuple[str, str, bool]:
    """Heading, explanation and whether to offer the sign-in page, for a link that cannot be used."""
    inviter = found.invitation.invited_by if found.invitation else None
    name = (inviter.get_full_name() or inviter.get_username()) if inviter else _("the person who invited you")
    if found.state is LinkState.USED:
        return (_("This invitation was already used"),
                _("Your account is ready: sign in with your email address and the password you chose."), True)
    if found.state is LinkState.EXPIRED:
        return (_("This invitation has expired"),
                _("Invitation links work for %(days)s days. Ask %(name)s to invite you again: the new email will "
                  "have a fresh link.") % {"days": settings.INVITATION_VALID_DAYS, "name": name}, False)
    if found.state is LinkState.REPLACED:
        return (_("This invitation was replaced by a newer one"),
                _("A newer invitation was sent to your address. Use the link in the most recent email."), False)
    return (_("This invitation link is not valid"),
            _("The link is incomplete or was changed. Copy the whole link from the email, or ask the person who "
              "invited you to send a new invitation."), False)


def _invalid(request: HttpRequest, found: Found, *, explanation: str | None = None) -> HttpResponse:
    heading, why, show_login = _why(found)
    response = render(request, "editorial/invitation_invalid.html", {
        "heading": heading, "explanation": explanation or why, "show_login": show_login,
        "login_url": settings.LOGIN_URL}, status=404 if found.state is LinkState.UNKNOWN else 410)
    return response


@never_cache
@sensitive_post_parameters("password1", "password2")
def accept(request: HttpRequest, token: str) -> HttpResponse:
    found = invitation_find(token)
    # In the language of the email she followed.
    with translation.override(found.invitation.language if found.invitation else translation.get_language()):
        response = _accept(request, token, found)
    # The token is in this page's address: never send it along to another site. Not "no-referrer": browsers then
    # send "Origin: null" with the form, and Django's CSRF check refuses it.
    response["Referrer-Policy"] = "same-origin"
    return response


def _accept(request: HttpRequest, token: str, found: Found) -> HttpResponse:
    if found.state is not LinkState.VALID:
        return _invalid(request, found)
    invitation = found.invitation
    form = AcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = invitation_accept(token=token, password=data["password1"], first_name=data["first_name"],
                                     last_name=data["last_name"])
        except InvitationError as error:
            return _invalid(request, invitation_find(token), explanation=str(error))
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        response = HttpResponseRedirect(reverse("desk:home"))
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, invitation.language, samesite="Lax")
        return response
    return render(request, "editorial/invitation_accept.html", {
        "form": form, "invitation": invitation, "role": role_label(invitation.role),
        "organisations": ", ".join(sorted(o.name for o in invitation.organisations.all())),
        "password_help": password_validation.password_validators_help_text_html()})
