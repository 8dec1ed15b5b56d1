"""Who sees what: the one organisation rule behind every admin page, form choice, action, export, preview,
test send, dashboard figure and data URL.

A person belongs to organisations (editorial.models.OrganisationMembership) and sees only what hangs off
those organisations' lists; a superuser sees everything; a staff account in no organisation sees nothing
of any organisation. Every read of a scoped model by a signed-in person goes through `visible()`, which
knows how each model reaches an organisation (`_PATHS`, plus the few rules written out below). A model the
rule does not know raises ScopeUnknown, so a new admin page cannot quietly show every organisation's rows.
Reasons for each rule: docs/decisions/0015-access-by-organisation.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model, Q, QuerySet
from django.db.models.fields.json import KT

# How a row reaches the organisation that owns it (a lookup path ending at the organisation's id).
_PATHS: dict[str, str] = {
    "organisations.organisation": "pk",
    "editorial.organisationmembership": "organisation_id",
    "subscribers.mailinglist": "organisation_id",
    "subscribers.segment": "mailing_list__organisation_id",
    "subscribers.subscription": "mailing_list__organisation_id",
    "subscribers.consentrecord": "mailing_list__organisation_id",
    "newsletter.digest": "mailing_list__organisation_id",
    "worker.send": "mailing_list__organisation_id",
    "newsletter.digestitem": "digest__mailing_list__organisation_id",
    "newsletter.digestvariant": "digest__mailing_list__organisation_id",
    "newsletter.feed": "mailing_list__organisation_id",
    "newsletter.importproblem": "feed__mailing_list__organisation_id",
    "newsletter.recurringdigest": "mailing_list__organisation_id",
    "newsletter.mediaimage": "organisation_id",
    "worker.digestsend": "digest__mailing_list__organisation_id",
    "worker.batch": "digest__mailing_list__organisation_id",
    "worker.delivery": "digest__mailing_list__organisation_id",
}

# Rows that belong to no organisation and say nothing about one: the same for every staff member.
# Topics are the federation's shared vocabulary; a suppression is a hash that blocks an address everywhere
# (changing or deleting one is for superusers: ScopedAdmin below); heartbeats are the platform's;
# the two groups are the roles and permissions their vocabulary; editor settings are already per person
# (newsletter.admin).
GLOBAL = frozenset({
    "subscribers.topic", "subscribers.suppression", "operations.workerheartbeat", "auth.group", "auth.permission",
    "contenttypes.contenttype", "newsletter.editorsettings",
})


class ScopeUnknown(LookupError):
    """A model with no organisation rule was read through visible()."""


def visible_organisation_ids(user) -> frozenset[int] | None:
    """The ids of the organisations `user` may see; None means all of them (a superuser).

    Read once per request (cached on the user object): every page asks many times."""
    if not getattr(user, "is_active", False) or not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.is_superuser:
        return None
    cached = getattr(user, "_visible_organisation_ids", None)
    if cached is None:
        from editorial.models import OrganisationMembership

        cached = frozenset(
            OrganisationMembership.objects.filter(user_id=user.pk).values_list("organisation_id", flat=True))
        user._visible_organisation_ids = cached
    return cached


def is_scoped(model: type[Model]) -> bool:
    """Whether rows of `model` differ by organisation (False for the GLOBAL ones)."""
    return model._meta.label_lower not in GLOBAL


def visible(queryset: QuerySet, user) -> QuerySet:
    """`queryset` narrowed to the rows `user` may see. Raises ScopeUnknown for a model with no rule."""
    ids = visible_organisation_ids(user)
    label = queryset.model._meta.label_lower
    if label in GLOBAL or ids is None:
        return queryset
    if label in _PATHS:
        return queryset.filter(**{f"{_PATHS[label]}__in": ids})
    rule = _RULES.get(label)
    if rule is None:
        raise ScopeUnknown(f"No organisation rule for {label}: add one to editorial/access.py.")
    return rule(queryset, ids, user)


def visible_or_404(queryset: QuerySet, user, **lookup):
    """One visible row, or Http404: another organisation's object answers exactly like a missing one."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(visible(queryset, user), **lookup)


# --- The rules that are not a single path -------------------------------------------------------------------------


def _news_items(queryset, ids, user):
    # An item on no list is suggested for every list's digest (newsletter.selectors.suggested_items): it is
    # the federation's shared pool, read by every member (changed only by superusers: newsletter.admin).
    from newsletter.models import NewsItem

    mine = NewsItem.objects.filter(Q(mailing_lists__organisation_id__in=ids) | Q(mailing_lists__isnull=True))
    return queryset.filter(pk__in=mine.values("pk"))


def _subscribers(queryset, ids, user):
    # Seen by every organisation she has a subscription with (any status: an ended one is still her history
    # with it); each sees only its own subscriptions and consents of her (subscribers.admin inlines).
    from subscribers.models import Subscription

    return queryset.filter(pk__in=Subscription.objects.filter(mailing_list__organisation_id__in=ids)
                           .values("subscriber_id"))


def _audit_entries(queryset, ids, user):
    # Entries about an organisation's objects, and what she did herself (a role grant, an erasure of someone
    # on several organisations' lists) even when it names no single organisation.
    return queryset.filter(Q(organisation_id__in=ids) | Q(actor_id=user.pk))


def _digest_ids(ids):
    from newsletter.models import Digest

    return Digest.objects.filter(mailing_list__organisation_id__in=ids).values("pk")


def _email_events(queryset, ids, user):
    # Events of a digest's messages; events of confirmations and welcomes carry no digest: superusers only.
    return queryset.filter(digest_id__in=_digest_ids(ids))


def _digest_event_counts(queryset, ids, user):
    return queryset.filter(digest_id__in=_digest_ids(ids))


def _outbox_messages(queryset, ids, user):
    # Every message names its list in List-Id (subscribers.list_headers): "<slug.lists.domain>".
    from subscribers.models import MailingList

    condition = Q(pk__in=[])
    for slug in MailingList.objects.filter(organisation_id__in=ids).values_list("slug", flat=True):
        condition |= Q(list_id__contains=f"<{slug}.lists.")
    return queryset.annotate(list_id=KT("headers__List-Id")).filter(condition)


def _rows_on_lists(queryset, ids, field: str, key: str):
    """Rows whose JSON list of list ids (or slugs) names only visible lists: the queues of confirmations and
    subscribe requests, normally empty or nearly, so read in Python."""
    from subscribers.models import MailingList

    lists = set(MailingList.objects.filter(organisation_id__in=ids).values_list(key, flat=True))
    keep = [pk for pk, values in queryset.values_list("pk", field) if values and set(values) <= lists]
    return queryset.filter(pk__in=keep)


def _queued_emails(queryset, ids, user):
    return _rows_on_lists(queryset, ids, "list_ids", "pk")


def _subscribe_requests(queryset, ids, user):
    return _rows_on_lists(queryset, ids, "list_slugs", "slug")


def _users(queryset, ids, user):
    # Colleagues: people who share one of her organisations, and herself; never a superuser (whoever could change
    # a superuser's password would be one).
    from editorial.models import OrganisationMembership

    colleagues = OrganisationMembership.objects.filter(organisation_id__in=ids).values("user_id")
    return queryset.filter(Q(pk=user.pk) | (Q(pk__in=colleagues) & Q(is_superuser=False)))


def _invitations(queryset, ids, user):
    # An invitation into several organisations is seen by those who see all of them (its page names them all).
    from editorial.models import Invitation

    through = Invitation.organisations.through.objects
    return (queryset.filter(pk__in=through.filter(organisation_id__in=ids).values("invitation_id"))
            .exclude(pk__in=through.exclude(organisation_id__in=ids).values("invitation_id")))


_RULES = {
    "newsletter.newsitem": _news_items,
    "subscribers.subscriber": _subscribers,
    "editorial.auditentry": _audit_entries,
    "subscribers.emailevent": _email_events,
    "subscribers.digesteventcount": _digest_event_counts,
    "operations.outboxmessage": _outbox_messages,
    "subscribers.queuedemail": _queued_emails,
    "subscribers.subscriberequest": _subscribe_requests,
    "auth.user": _users,
    "editorial.invitation": _invitations,
}


def people_who_see(organisation_id: int) -> Q:
    """Condition on users: those who see this organisation's objects (to whom a notice about them may go)."""
    return Q(is_superuser=True) | Q(organisation_memberships__organisation_id=organisation_id)


# --- Questions about one object ------------------------------------------------------------------------------------


def organisation_id_of(obj: Model) -> int | None:
    """The organisation an object belongs to (for the audit trail); None for an object of none or of several."""
    label = obj._meta.label_lower
    if obj.pk is None:
        return None
    if label == "subscribers.subscriber":
        from subscribers.models import Subscription

        found = set(Subscription.objects.filter(subscriber_id=obj.pk).values_list("mailing_list__organisation_id",
                                                                                   flat=True))
        return found.pop() if len(found) == 1 else None
    if label == "editorial.invitation":
        found = set(type(obj).organisations.through.objects.filter(invitation_id=obj.pk)
                    .values_list("organisation_id", flat=True))
        return found.pop() if len(found) == 1 else None
    path = _PATHS.get(label)
    if path is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).values_list(path, flat=True).first()


def sees_all_of_subscriber(user, subscriber_id: int) -> bool:
    """Whether every list she is on, and every consent she gave, belongs to an organisation `user` sees.

    What is hers across organisations (her address and name, an erasure, a full data export) may be changed
    or read only by someone who sees all of it: an organisation's administrator must not erase or rename a
    person another organisation also writes to, nor read which of its lists she is on."""
    from subscribers.models import ConsentRecord, Subscription

    ids = visible_organisation_ids(user)
    if ids is None:
        return True
    lists_outside = Subscription.objects.filter(subscriber_id=subscriber_id).exclude(mailing_list__organisation_id__in=ids)
    consents_outside = ConsentRecord.objects.filter(subscriber_id=subscriber_id).exclude(
        mailing_list__organisation_id__in=ids)
    return not lists_outside.exists() and not consents_outside.exists()


def visible_list_slugs(user, slugs: Iterable[str]) -> bool:
    """Whether every list slug given names a list `user` sees (segment filters name lists by slug)."""
    from subscribers.models import MailingList

    wanted = set(slugs)
    return visible(MailingList.objects.filter(slug__in=wanted), user).count() == len(wanted)
