"""Every time an editor sees is in her own time zone (newsletter.models.EditorSettings, else TIME_ZONE)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from newsletter.services import editor_time_zone


class EditorTimeZoneMiddleware:
    """Activates the signed-in person's time zone for the request; anonymous visitors keep TIME_ZONE.

    Must come after AuthenticationMiddleware. Django renders every aware datetime (admin lists,
    forms, templates) in the active zone, and templates can show its name with {% get_current_timezone %}.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            with timezone.override(editor_time_zone(user_id=user.pk)):
                return self.get_response(request)
        return self.get_response(request)
