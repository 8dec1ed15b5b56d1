"""Security headers every page carries."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Inline styles are allowed because email previews and the admin use them; scripts only from us.
_DEFAULT_CSP = (
    "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", _DEFAULT_CSP)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
