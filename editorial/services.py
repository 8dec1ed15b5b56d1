"""Writes of the editorial app: the audit trail and role grants."""

from __future__ import annotations

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction

from editorial.access import organisation_id_of
from editorial.models import AuditEntry, OrganisationMembership
from editorial.roles import ROLES

# Objects whose str() is personal data (an email address): the trail names them by id only, so an
# erasure leaves no address behind in it.
_PERSONAL_MODELS = {"subscribers.subscriber", "subscribers.subscription", "subscribers.consentrecord"}

_ACTIONS = set(AuditEntry.Action.values)


class AuditError(ValueError):
    """An audit_record call that cannot be stored as given (an unknown action)."""


def audit_record(
    *,
    actor_id: int | None,
    action: str,
    target: models.Model | None = None,
    description: str = "",
    extra: dict | None = None,
) -> AuditEntry:
    """Write one audit entry: `actor_id` did `action` (an AuditEntry.Action value) to `target`.

    `actor_id` None means the system (a command, a beat task). `description` is a sentence for people;
    `extra` holds JSON-serialisable details (counts, times). Raises AuditError on an unknown action.
    """
    if action not in _ACTIONS:
        raise AuditError(f"Unknown audit action {action!r}; use one of editorial.models.AuditEntry.Action.")
    actor_name = ""
    if actor_id is not None:
        actor_name = get_user_model().objects.filter(pk=actor_id).values_list("username", flat=True).first() or ""
    target_type = target_id = target_repr = ""
    organisation_id = None
    if target is not None:
        organisation_id = organisation_id_of(target)
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_repr = f"{target._meta.verbose_name} #{target.pk}" if target_type in _PERSONAL_MODELS else str(target)
    return AuditEntry.objects.create(
        actor_id=actor_id if actor_name else None,
        actor_name=actor_name,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr[:300],
        description=description,
        extra=extra or {},
        organisation_id=organisation_id,
    )


def audit_command(
    *, command: str, action: str, target: models.Model | None = None, description: str = "", extra: dict | None = None
) -> AuditEntry:
    """audit_record for a management command: no signed-in person, so the entry names the command and
    the operating-system account that ran it."""
    try:
        os_user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        os_user = ""
    return audit_record(actor_id=None, action=action, target=target, description=description,
                        extra={"command": f"manage.py {command}", "os_user": os_user, **(extra or {})})


def user_grant_role(*, user_id: int, role: str, actor_id: int | None = None) -> None:
    """Put a person in the Editor or Administrator group and let her into the admin (is_staff)."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    user = get_user_model().objects.get(pk=user_id)
    group = Group.objects.get(name=role)  # created by the editorial migration
    with transaction.atomic():
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)
        audit_record(actor_id=actor_id, action=AuditEntry.Action.ROLE_GRANTED, target=user,
                     description=f"{user.get_username()} is now {role}.", extra={"role": role})


def user_join_organisation(*, user_id: int, organisation_id: int, actor_id: int | None = None) -> bool:
    """Make a person a member of an organisation (she then sees its lists and everything on them). Returns
    False when she already was one."""
    from organisations.models import Organisation

    user = get_user_model().objects.get(pk=user_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    with transaction.atomic():
        _, created = OrganisationMembership.objects.get_or_create(user_id=user.pk, organisation_id=organisation.pk)
        if created:
            audit_record(actor_id=actor_id, action=AuditEntry.Action.ORGANISATION_JOINED, target=organisation,
                         description=f"{user.get_username()} is now a member of {organisation.name}.",
                         extra={"user_id": user.pk})
    return created
