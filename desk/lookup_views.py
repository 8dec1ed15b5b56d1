"""The subscriber look-up inside the desk's frame: the same form, rate limit, audit and answer as the admin's
(editorial.views.subscriber_lookup_answer, editorial.lookup); read only, never an export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from desk.access import desk_view
from editorial.views import LOOKUP_PERMISSION, subscriber_lookup_answer


@never_cache
@desk_view(LOOKUP_PERMISSION)
def subscriber_lookup(request: HttpRequest) -> HttpResponse:
    answer, status = subscriber_lookup_answer(request)
    return render(request, "desk/lookup/lookup.html", {**answer, "lookup_action": reverse("desk:subscriber_lookup")},
                  status=status)
