"""The dashboard: what is scheduled, what is sending (live), how the last digests did.

Thin views: authorise, read through editorial.selectors, render. The pause / resume / cancel buttons
call the delivery engine's levers (worker.control), which take the life-cycle step and write the audit trail.
"""

from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache

from editorial import charts, lookup
from editorial.access import visible, visible_or_404
from editorial.forms import SubscriberLookupForm
from editorial.models import AuditEntry
from editorial.selectors import (
    breaker_trips,
    finished_digests,
    list_growth,
    live_heading,
    scheduled_digest_ids,
    scheduled_digests,
    segment_sizes,
    sending_digests,
)
from newsletter.lifecycle import Actor
from newsletter.models import Digest
from worker.control import SendControlError, digest_cancel, digest_pause, digest_resume, digest_schedule_send

VIEW_PERMISSION = "newsletter.view_digest"
# The Send admin's "change" permission is the one its pause/resume/cancel actions stand for.
CONTROL_PERMISSION = "worker.change_send"
# The look-up reads who is on her organisations' lists: Editors and Administrators hold it, nobody else.
LOOKUP_PERMISSION = "subscribers.view_mailinglist"

# Each lever with the audit action whose (translated) label tells the editor it was done.
_CONTROLS = {
    "pause": (digest_pause, AuditEntry.Action.DIGEST_PAUSED),
    "resume": (digest_resume, AuditEntry.Action.DIGEST_RESUMED),
    "cancel": (digest_cancel, AuditEntry.Action.DIGEST_CANCELLED),
    # Also how an editor confirms a digest whose time passed long ago (it waits for her, never sends alone).
    "send_now": (partial(digest_schedule_send, now=True), AuditEntry.Action.DIGEST_SENT_NOW),
}


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _outcome_labels() -> dict[str, str]:
    return {"delivered": _("delivered"), "accepted": _("accepted, no report yet"), "bounced": _("bounced"),
            "failed": pgettext("send account", "failed"), "uncertain": _("uncertain"),
            "skipped": pgettext("send account", "skipped"), "pending": _("pending")}


def _outcome_counts(row) -> dict[str, int]:
    stats = {o.key: o.count or 0 for o in row.outcomes}
    account = row.account
    bounced = min(stats["bounced"], account["sent"])
    delivered = min(stats["delivered"], account["sent"] - bounced)
    return {"delivered": delivered, "accepted": account["sent"] - delivered - bounced, "bounced": bounced,
            "failed": account["failed"], "uncertain": account["uncertain"], "skipped": account["skipped"],
            "pending": account["pending"]}


@never_cache
def dashboard(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW_PERMISSION)
    user = request.user
    finished = finished_digests(user=user)
    sending = sending_digests(user=user)
    growth = list_growth(user=user)
    segments = segment_sizes(user=user)
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "scheduled": scheduled_digests(user=user),
        "scheduled_ids": scheduled_digest_ids(user=user),
        "breaker_trips": breaker_trips(user=user),
        "sending": sending,
        "sending_heading": live_heading(sends=sending),
        "finished": finished,
        "growth": [(g, charts.weekly_joins_leaves(title=g.mailing_list.name, weeks=g.weeks, joins=g.joins, leaves=g.leaves))
                   for g in growth],
        "outcome_chart": charts.outcome_bars(
            rows=[(row.digest.subject, _outcome_counts(row)) for row in finished], labels=_outcome_labels()
        ) if finished else None,
        "segment_chart": charts.segment_bars(
            rows=[(f"{s.segment.name} ({s.segment.mailing_list.name})", s.count, s.list_total) for s in segments]
        ) if segments else None,
        "can_control": request.user.has_perm(CONTROL_PERMISSION),
        "can_look_up": request.user.has_perm(LOOKUP_PERMISSION),
        "can_view_audit": request.user.has_perm("editorial.view_auditentry"),
        "audit": (visible(AuditEntry.objects.select_related("actor"), user)[:8]
                  if user.has_perm("editorial.view_auditentry") else []),
        "progress_url": reverse("editorial:progress"),
        "now": timezone.now(),
    }
    return TemplateResponse(request, "editorial/dashboard.html", context)


@never_cache
def progress(request: HttpRequest) -> JsonResponse:
    """{"digests": [...], "scheduled": [ids], "time": ISO}: the live view (each digest preparing, sending or
    paused with its progress, and those that ended a moment ago with their final account) and the ids of the
    digests waiting for their time, so that a page opened before either changed follows."""
    _require(request, VIEW_PERMISSION)
    now = timezone.now()
    updated = _("Updated at %(time)s") % {"time": date_format(timezone.localtime(now), "H:i:s T")}
    sending = sending_digests(user=request.user, now=now)
    return JsonResponse({"digests": sending, "heading": live_heading(sends=sending),
                         "scheduled": scheduled_digest_ids(user=request.user),
                         "time": now.isoformat(), "updated_text": updated})


def control(request: HttpRequest, digest_id: int, action: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require(request, CONTROL_PERMISSION)
    if action not in _CONTROLS:
        return HttpResponse(status=404)
    # Another organisation's digest answers like a missing one (editorial.access).
    digest = visible_or_404(Digest.objects.all(), request.user, pk=digest_id)
    service, done = _CONTROLS[action]
    done = AuditEntry.Action(done)
    try:
        service(digest_id=digest.pk, actor=Actor(user_id=request.user.pk, where="the dashboard"))
    except SendControlError as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(request, _("%(subject)s: %(action)s.") % {"subject": digest.subject, "action": str(done.label).lower()})
    return HttpResponseRedirect(reverse("editorial:dashboard"))


def subscriber_lookup_answer(request: HttpRequest) -> tuple[dict, int]:
    """The look-up's form and answer for either frame (the admin's, the desk's): the context and the status code.
    One exact address, posted (never in a URL or a log line): what her organisations' lists know of it."""
    form = SubscriberLookupForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "looked_up": False, "limited": False, "found": None}
    status = 200
    if form.is_bound and form.is_valid():
        try:
            context["found"] = lookup.subscriber_look_up(user=request.user, address=form.cleaned_data["email"])
            context["looked_up"] = True
        except lookup.LookupLimited:
            context["limited"] = True
            status = 429
    return context, status


@never_cache
def subscriber_lookup(request: HttpRequest) -> HttpResponse:
    _require(request, LOOKUP_PERMISSION)
    answer, status = subscriber_lookup_answer(request)
    context = {**admin.site.each_context(request), "title": _("Look up a subscriber"), **answer,
               "lookup_action": reverse("editorial:subscriber_lookup")}
    return TemplateResponse(request, "editorial/subscriber_lookup.html", context, status=status)
