"""Invitations to the editors' desk: an Administrator names a person's address, role and organisations; the
person follows the emailed link once, before it expires, chooses her password and is signed in with that role.

The link carries a random token; only its SHA-256 is stored (a copy of the database opens no account). A link
works once: acceptance claims the row with a conditional UPDATE. Reasons: docs/decisions/0019-invitations.md.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from editorial.access import visible_organisation_ids
from editorial.models import AuditEntry, Invitation, OrganisationMembership
from editorial.roles import ADMINISTRATOR, ROLES, role_label
from editorial.services import audit_record, user_grant_role, user_join_organisation
from subscribers import direction, email_shells
from subscribers.notifications import render_text

log = logging.getLogger(__name__)

# The invitation link's place in the email's HTML shell (subscribers.email_shells), filled per message.
INVITATION_URL = "%%invitation_url%%"


class InvitationError(ValueError):
    """An invitation that cannot be made or accepted as asked; the message is for the person."""


class LinkState(Enum):
    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REPLACED = "replaced"


@dataclass(frozen=True)
class Found:
    state: LinkState
    invitation: Invitation | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def invitation_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('invitation_accept', args=[token])}"


def account_of(email: str):
    """The account that already uses this address (as address or as username), or None."""
    users = get_user_model().objects
    return (users.filter(email__iexact=email).order_by("pk").first()
            or users.filter(username__iexact=email).order_by("pk").first())


def _check_organisations(actor, organisation_ids: list[int]) -> None:
    if not organisation_ids:
        raise InvitationError(_("Choose at least one organisation."))
    allowed = visible_organisation_ids(actor)
    if allowed is not None and not set(organisation_ids) <= allowed:
        # The same words as for a missing one: an id tells nothing about other organisations.
        raise InvitationError(_("You can only invite people into your own organisations."))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvitationError(_("Choose Editor or Administrator."))


def invitation_create(*, email: str, role: str, organisation_ids: list[int], language: str,
                      actor) -> tuple[Invitation, str]:
    """Record an invitation and return it with its token (the only copy: put it in the email, then forget it).
    An earlier invitation to the same address that is still waiting is replaced: only the newest link works."""
    _check_role(role)
    _check_organisations(actor, organisation_ids)
    email = get_user_model().objects.normalize_email(email.strip())
    if account_of(email) is not None:
        raise InvitationError(_("This address already has an account."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, replaced_at__isnull=True).update(
            replaced_at=now)
        invitation = Invitation.objects.create(
            email=email, role=role, language=language, token_hash=token_hash(token), invited_by=actor,
            created_at=now, expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS))
        invitation.organisations.set(organisation_ids)
        audit_record(actor_id=actor.pk, action=AuditEntry.Action.INVITATION_SENT, target=invitation,
                     description=f"{email} invited as {role}.",
                     extra={"role": role, "organisations": sorted(organisation_ids), "email": email})
    log.info("event=invitation_created", extra={"invitation": invitation.pk, "role": role})
    return invitation, token


def invitation_email_send(*, invitation_id: int, token: str) -> None:
    """Email the invitation in its language, a text part with the first organisation's branded HTML (like the
    confirmation emails: subscribers.email_shells). Call after the invitation committed (a network call)."""
    invitation = Invitation.objects.select_related("invited_by").get(pk=invitation_id)
    inviter = invitation.invited_by
    organisations = sorted(invitation.organisations.all(), key=lambda o: (o.name.casefold(), o.pk))
    language = invitation.language
    url = invitation_url(token)
    with translation.override(language):
        context = {
            "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
            "role": str(role_label(invitation.role)),
            "organisations": ", ".join(o.name for o in organisations),
            "url": url,
            "expires": date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT"),
            "site_url": settings.SITE_URL,
        }
        subject = render_text("editorial/emails/invitation_subject.txt", context).strip()
        body = direction.mark_text_part(render_text("editorial/emails/invitation.txt", context), language)
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                                     to=[invitation.email], reply_to=[inviter.email] if inviter and inviter.email else None)
    if organisations:
        # The link is a secret: the shell (kept in this process) holds a placeholder, only this message the link.
        shell = email_shells.shell("editorial/emails/invitation.html", {
            **email_shells.organisation_branding(organisations[0], language=language), **context,
            "subject": subject, "masthead": context["organisations"], "url": INVITATION_URL})
        message.attach_alternative(email_shells.fill(shell, {INVITATION_URL: url}), "text/html")
    message.send()
    log.info("event=invitation_email_sent", extra={"invitation": invitation.pk})


def invitation_find(token: str) -> Found:
    """What the link stands for now: valid, or why not (used, expired, replaced, unknown)."""
    invitation = Invitation.objects.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        return Found(LinkState.UNKNOWN, None)
    if invitation.accepted_at is not None:
        return Found(LinkState.USED, invitation)
    if invitation.replaced_at is not None:
        return Found(LinkState.REPLACED, invitation)
    if invitation.expires_at <= timezone.now():
        return Found(LinkState.EXPIRED, invitation)
    return Found(LinkState.VALID, invitation)


def invitation_password_check(*, invitation: Invitation, password: str, first_name: str = "", last_name: str = "") -> None:
    """Django's password validators, against the account she is about to get (raises ValidationError)."""
    candidate = get_user_model()(username=invitation.email, email=invitation.email, first_name=first_name,
                                 last_name=last_name)
    password_validation.validate_password(password, user=candidate)


def invitation_accept(*, token: str, password: str, first_name: str = "", last_name: str = ""):
    """Turn a valid invitation into an account with her password, its role and organisations; returns the user.
    Raises InvitationError when the link is no longer valid (someone used it a moment ago, it expired)."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Invitation.objects.filter(token_hash=token_hash(token), accepted_at__isnull=True,
                                            replaced_at__isnull=True, expires_at__gt=now).update(accepted_at=now)
        if not claimed:
            raise InvitationError(_("This invitation link can no longer be used."))
        invitation = Invitation.objects.select_related("invited_by").get(token_hash=token_hash(token))
        if account_of(invitation.email) is not None:
            raise InvitationError(_("This address already has an account. Sign in with it instead."))
        user = get_user_model().objects.create_user(username=invitation.email, email=invitation.email,
                                                    password=password, first_name=first_name, last_name=last_name)
        Invitation.objects.filter(pk=invitation.pk).update(user=user)
        inviter_id = invitation.invited_by_id
        # The role and memberships are the inviter's decision: the trail names her for them.
        user_grant_role(user_id=user.pk, role=invitation.role, actor_id=inviter_id)
        for organisation_id in invitation.organisations.values_list("pk", flat=True):
            user_join_organisation(user_id=user.pk, organisation_id=organisation_id, actor_id=inviter_id)
        audit_record(actor_id=user.pk, action=AuditEntry.Action.INVITATION_ACCEPTED, target=invitation,
                     description=f"{invitation.email} accepted the invitation as {invitation.role}.",
                     extra={"role": invitation.role, "invitation": invitation.pk})
    log.info("event=invitation_accepted", extra={"invitation": invitation.pk, "user": user.pk})
    return user


def access_add(*, user, role: str, organisation_ids: list[int], actor) -> None:
    """Give an existing account a role and organisations instead of inviting her address again.

    Roles hold for every organisation she belongs to: making someone who also works for organisations the actor
    does not manage an Administrator would reach into those, so only a superuser may do that."""
    _check_role(role)
    _check_organisations(actor, organisation_ids)
    if user.is_superuser:
        raise InvitationError(_("This person is a superuser: she already sees every organisation."))
    allowed = visible_organisation_ids(actor)
    elsewhere = OrganisationMembership.objects.filter(user_id=user.pk)
    if allowed is not None:
        elsewhere = elsewhere.exclude(organisation_id__in=allowed)
    if role == ADMINISTRATOR and allowed is not None and elsewhere.exists():
        raise InvitationError(_("This person also works for organisations you do not manage: only a superuser can "
                                "make her an Administrator."))
    with transaction.atomic():
        if not user.groups.filter(name=role).exists() or not user.is_staff:
            user_grant_role(user_id=user.pk, role=role, actor_id=actor.pk)
        for organisation_id in organisation_ids:
            user_join_organisation(user_id=user.pk, organisation_id=organisation_id, actor_id=actor.pk)

