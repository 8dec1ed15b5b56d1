"""The navigation every desk page shows."""

from __future__ import annotations

from django.http import HttpRequest

from desk.navigation import sections_for


def desk(request: HttpRequest) -> dict:
    if not request.path.startswith("/desk/") or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"desk_sections": sections_for(request.user)}
