"""Segment filters: validation of the saved JSON and its compilation to one SQL condition.

The filters JSON (all keys optional, all conditions ANDed):
    {
      "language": ["en", "fr"],            # subscriber language is one of these
      "country": ["LB", "MA"],             # ISO codes, upper case
      "topics_any": ["women-rights"],      # has at least one of these topic slugs
      "topics_all": ["health", "work"],    # has every one of these topic slugs
      "lists_any": ["lebanon"],            # also active on one of these other lists (slugs)
      "subscribed_after": "2025-01-31",    # joined this list on or after this date (UTC)
      "subscribed_before": "2025-06-30",   # joined this list before this date (UTC)
      "attributes": {"member": "yes"},     # custom attribute equals (compared as text)
      "opened_within_days": 30,            # opened a message in the last N days (list must allow tracking)
      "clicked_within_days": 90            # clicked a link in the last N days (list must allow tracking)
    }
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext as _

from subscribers.models import LANGUAGE_CHOICES, EmailEvent, MailingList, Subscriber, Subscription, Topic

_LANGUAGES = {code for code, _ in LANGUAGE_CHOICES}
_LIST_KEYS = ("language", "country", "topics_any", "topics_all", "lists_any")
_DATE_KEYS = ("subscribed_after", "subscribed_before")
_DAYS_KEYS = {"opened_within_days": "opened", "clicked_within_days": "clicked"}
KNOWN_KEYS = set(_LIST_KEYS) | set(_DATE_KEYS) | set(_DAYS_KEYS) | {"attributes"}


class SegmentFilterError(ValueError):
    """The filters JSON cannot be used; the message says which key and why, for a person to read."""


def validate_filters(filters: Any, *, mailing_list: MailingList) -> dict:
    """Return a cleaned copy of `filters` or raise SegmentFilterError naming every problem."""
    if filters in (None, ""):
        return {}
    if not isinstance(filters, dict):
        raise SegmentFilterError(_("Filters must be a JSON object, e.g. {\"language\": [\"fr\"]}."))
    errors: list[str] = []
    cleaned: dict[str, Any] = {}
    for key in sorted(set(filters) - KNOWN_KEYS):
        errors.append(_("Unknown filter %(key)r; use one of: %(known)s.") % {"key": key, "known": ", ".join(sorted(KNOWN_KEYS))})
    for key in _LIST_KEYS:
        if key not in filters:
            continue
        value = filters[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            errors.append(_("%(key)r must be a non-empty list of texts.") % {"key": key})
            continue
        value = [v.strip() for v in value]
        if key == "language":
            bad = [v for v in value if v not in _LANGUAGES]
            if bad:
                errors.append(_("Unknown language %(bad)s; use %(known)s.")
                              % {"bad": ", ".join(bad), "known": ", ".join(sorted(_LANGUAGES))})
        elif key == "country":
            value = [v.upper() for v in value]
            bad = [v for v in value if len(v) != 2 or not v.isalpha()]
            if bad:
                errors.append(_("Countries must be two-letter ISO codes; got %(bad)s.") % {"bad": ", ".join(bad)})
        elif key in ("topics_any", "topics_all"):
            known = set(Topic.objects.filter(slug__in=value).values_list("slug", flat=True))
            bad = [v for v in value if v not in known]
            if bad:
                errors.append(_("Unknown topic %(bad)s in %(key)r.") % {"bad": ", ".join(bad), "key": key})
        elif key == "lists_any":
            known = set(MailingList.objects.filter(slug__in=value).values_list("slug", flat=True))
            bad = [v for v in value if v not in known]
            if bad:
                errors.append(_("Unknown list %(bad)s in 'lists_any'.") % {"bad": ", ".join(bad)})
        cleaned[key] = value
    for key in _DATE_KEYS:
        if key not in filters:
            continue
        try:
            cleaned[key] = date.fromisoformat(str(filters[key])).isoformat()
        except ValueError:
            errors.append(_("%(key)r must be a date like 2025-01-31; got %(value)r.") % {"key": key, "value": filters[key]})
    for key in _DAYS_KEYS:
        if key not in filters:
            continue
        value = filters[key]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3650:
            errors.append(_("%(key)r must be a whole number of days between 1 and 3650.") % {"key": key})
            continue
        if not mailing_list.tracking_enabled:
            errors.append(_("%(key)r needs tracking, which is turned off for the list %(list)r.")
                          % {"key": key, "list": mailing_list.name})
            continue
        cleaned[key] = value
    if "attributes" in filters:
        attrs = filters["attributes"]
        if not isinstance(attrs, dict) or not attrs or not all(isinstance(k, str) and k for k in attrs):
            errors.append(_("'attributes' must be an object of attribute name to value, e.g. {\"member\": \"yes\"}."))
        elif not all(isinstance(v, str | int | float | bool) for v in attrs.values()):
            errors.append(_("'attributes' values must be texts or numbers."))
        else:
            cleaned["attributes"] = {k: _as_text(v) for k, v in attrs.items()}
    if errors:
        raise SegmentFilterError(" ".join(errors))
    return cleaned


def filters_condition(filters: dict, *, mailing_list: MailingList) -> Q:
    """Compile validated filters into one Q on Subscriber (correlated EXISTS sub-queries, no joins that duplicate rows)."""
    filters = validate_filters(filters, mailing_list=mailing_list)
    condition = Q()
    if "language" in filters:
        condition &= Q(language__in=filters["language"])
    if "country" in filters:
        condition &= Q(country__in=filters["country"])
    through = Subscriber.topics.through
    if "topics_any" in filters:
        condition &= Q(Exists(through.objects.filter(subscriber_id=OuterRef("pk"), topic__slug__in=filters["topics_any"])))
    for slug in filters.get("topics_all", []):
        condition &= Q(Exists(through.objects.filter(subscriber_id=OuterRef("pk"), topic__slug=slug)))
    if "lists_any" in filters:
        condition &= Q(
            Exists(
                Subscription.objects.filter(
                    subscriber_id=OuterRef("pk"),
                    mailing_list__slug__in=filters["lists_any"],
                    status=Subscription.Status.ACTIVE,
                )
            )
        )
    joined = Subscription.objects.filter(subscriber_id=OuterRef("pk"), mailing_list_id=mailing_list.pk)
    if "subscribed_after" in filters:
        condition &= Q(Exists(joined.filter(confirmed_at__gte=_day_start(filters["subscribed_after"]))))
    if "subscribed_before" in filters:
        condition &= Q(Exists(joined.filter(confirmed_at__lt=_day_start(filters["subscribed_before"]))))
    for name, value in filters.get("attributes", {}).items():
        # attributes->>'name' compared as text, so "1" and 1 from a CSV and from JSON match alike.
        condition &= Q(Exact(KeyTextTransform(name, "attributes"), value))
    for key, event_type in _DAYS_KEYS.items():
        if key in filters:
            since = timezone.now() - timedelta(days=filters[key])
            condition &= Q(
                Exists(
                    EmailEvent.objects.filter(
                        recipient_hash=OuterRef("email_hash"), event_type=event_type, occurred_at__gte=since
                    )
                )
            )
    return condition


def _day_start(iso_day: str) -> datetime:
    return datetime.combine(date.fromisoformat(iso_day), time.min, tzinfo=UTC)


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
