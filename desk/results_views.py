"""The desk's results: the list of digests that went out, each digest's results, and the live view of sends.

Thin: authorise (desk.access.desk_view), narrow by organisation (editorial.access), read through worker.results,
editorial.selectors and desk.selectors_results, render. The live parts are htmx partials polled every 2 s."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from desk.access import desk_view
from desk.selectors_results import results_overview
from editorial import charts
from editorial.access import visible_or_404
from editorial.selectors import LIVE_STAGES, digest_live_state, live_heading, scheduled_digests, sending_digests
from newsletter.models import Digest
from worker.results import RESULT_LABELS, digest_headline
from worker.results import digest_results as read_digest_results

VIEW_PERMISSION = "newsletter.view_digest"


@never_cache
@desk_view(VIEW_PERMISSION)
def results(request: HttpRequest) -> HttpResponse:
    page, rows = results_overview(user=request.user, page=request.GET.get("page"))
    return render(request, "desk/results/list.html", {"page": page, "rows": rows})


@never_cache
@desk_view(VIEW_PERMISSION)
def digest_results(request: HttpRequest, digest_id: int) -> HttpResponse:
    digest = visible_or_404(Digest.objects.all(), request.user, pk=digest_id)
    found = read_digest_results(digest_id=digest.pk)
    state = digest_live_state(digest_id=digest.pk)
    context = {
        "digest": digest,
        "results": found,
        "state": state,
        "started": state["stage"] != "before",
        "labels": {key: str(label) for key, label in RESULT_LABELS.items()},
        "activity_chart": (charts.activity_columns(buckets=found.activity, title=_("Opens and clicks over time"))
                           if found.activity else None),
    }
    return render(request, "desk/results/digest.html", context)


@never_cache
@desk_view(VIEW_PERMISSION)
def digest_live(request: HttpRequest, digest_id: int) -> HttpResponse:
    """The digest's state now (and, while it goes out, its figures, swapped out of band). When its stage has changed
    since the page showed the phase `shown`, htmx reloads the whole page once: the page is drawn for a stage (no
    figures before the start, the final ones at the end)."""
    digest = visible_or_404(Digest.objects.all(), request.user, pk=digest_id)
    state = digest_live_state(digest_id=digest.pk)
    stage = state["stage"]
    reload = LIVE_STAGES.get(request.GET.get("shown", ""), stage) != stage
    figures = digest_headline(digest_id=digest.pk) if stage == "going" and not reload else None
    response = render(request, "desk/results/_live_digest.html",
                      {"digest": digest, "state": state, "results": figures, "oob": True})
    if reload:
        response["HX-Refresh"] = "true"
    return response


def _live_context(request: HttpRequest) -> dict:
    sending = sending_digests(user=request.user)
    return {"sending": sending, "heading": live_heading(sends=sending),
            "scheduled": scheduled_digests(user=request.user)}


@never_cache
@desk_view(VIEW_PERMISSION)
def live(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/results/live.html", _live_context(request))


@never_cache
@desk_view(VIEW_PERMISSION)
def live_partial(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/results/_live.html", _live_context(request))

