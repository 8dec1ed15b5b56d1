"""anymail's webhook URLs (/anymail/<provider>/tracking/ ...), each view guarded against malformed bodies.

anymail's parsers assume the provider's payload shape: a correctly signed but malformed body (a
missing "event", a dict where a string belongs) raises KeyError/TypeError inside anymail and would
answer 500. The guarded views answer 400 instead and dispatch nothing. Authentication is unchanged:
validators (WEBHOOK_SECRET basic auth, provider signatures) run first, exactly as in anymail.

Only the configured EMAIL_PROVIDER's routes answer: every other provider's view would run with no
credentials configured and fail (a 500 for any POST), so they answer 404 as if they did not exist. The
check reads the setting on each request, so tests (and a changed setting) need no URL reload.
"""

from __future__ import annotations

from functools import wraps

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailWebhookValidationFailure
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import URLPattern

app_name = "anymail"


class MalformedWebhook(Exception):
    """The provider's body could not be parsed into events."""


def provider_of(view_class: type) -> str:
    """anymail's provider name for a webhook view (anymail.webhooks.<provider>), as EMAIL_PROVIDER spells it."""
    return view_class.__module__.rpartition(".")[2]


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
        raise TypeError(f"anymail route {pattern.pattern} is not a webhook view this module knows how to guard")
    view = _guarded(view_class).as_view()
    provider = provider_of(view_class)

    # Checked before the view exists: anymail's views read their provider's credentials when created.
    @wraps(view)
    def configured_only(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if settings.EMAIL_PROVIDER != provider:
            raise Http404(f"No {provider} webhooks here: the email provider is {settings.EMAIL_PROVIDER}.")
        return view(request, *args, **kwargs)

    return URLPattern(pattern.pattern, configured_only, pattern.default_args, pattern.name)


urlpatterns = [_guard(pattern) for pattern in anymail_urls.urlpatterns]
