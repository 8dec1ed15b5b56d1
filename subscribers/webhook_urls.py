"""anymail's webhook URLs (/anymail/<provider>/tracking/ ...), each view guarded against malformed bodies.

anymail's parsers assume the provider's payload shape: a correctly signed but malformed body (a
missing "event", a dict where a string belongs) raises KeyError/TypeError inside anymail and would
answer 500. The guarded views answer 400 instead and dispatch nothing. Authentication is unchanged:
validators (WEBHOOK_SECRET basic auth, provider signatures) run first, exactly as in anymail.
"""

from __future__ import annotations

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailWebhookValidationFailure
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import URLPattern

app_name = "anymail"


class MalformedWebhook(Exception):
    """The provider's body could not be parsed into events."""


def _guarded(view_class: type) -> type:
    class Guarded(view_class):
        def validate_request(self, request: HttpRequest) -> None:
            # anymail catches KeyError/ValueError here but not a body of the wrong type (`null`, a list).
            try:
                super().validate_request(request)
            except (TypeError, AttributeError, IndexError) as exc:
                raise AnymailWebhookValidationFailure(f"Malformed webhook body ({type(exc).__name__})") from exc

        def parse_events(self, request: HttpRequest):
            try:
                return super().parse_events(request)
            except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
                raise MalformedWebhook(f"{type(exc).__name__}: {exc}") from exc

        def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return super().post(request, *args, **kwargs)
            except MalformedWebhook as exc:
                return HttpResponseBadRequest(f"Malformed webhook body ({exc})", content_type="text/plain")

    Guarded.__name__ = Guarded.__qualname__ = f"Guarded{view_class.__name__}"
    return Guarded


def _guard(pattern: URLPattern) -> URLPattern:
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is None or not hasattr(view_class, "parse_events"):
        return pattern
    return URLPattern(pattern.pattern, _guarded(view_class).as_view(), pattern.default_args, pattern.name)


urlpatterns = [_guard(pattern) for pattern in anymail_urls.urlpatterns]
