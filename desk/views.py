"""The desk's own pages. Thin: authorise (desk.access.desk_view), read through selectors, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from desk.access import desk_view
from editorial.access import visible
from organisations.models import Organisation


@desk_view()
def home(request: HttpRequest) -> HttpResponse:
    organisations = visible(Organisation.objects.order_by("name"), request.user)
    return render(request, "desk/home.html", {"organisations": organisations})
