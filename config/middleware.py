"""Security headers every page carries, and which forwarding headers are believed."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from config.client_ip import from_trusted_proxy

# Inline styles are allowed because email previews and the admin use them; scripts only from us.
_DEFAULT_CSP = (
    "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'"
)


def content_security_policy(*, script_hashes: tuple[str, ...] = ()) -> str:
    """The policy, allowing also the inline scripts whose sha256 (base64) are given (e.g. an import map)."""
    if not script_hashes:
        return _DEFAULT_CSP
    allowed = " ".join(f"'sha256-{value}'" for value in script_hashes)
    return _DEFAULT_CSP.replace("script-src 'self'", f"script-src 'self' {allowed}")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", _DEFAULT_CSP)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


class ForwardedProtoFromTrustedProxiesMiddleware:
    """Django believes X-Forwarded-Proto from anyone once SECURE_PROXY_SSL_HEADER is set; we believe it only
    from TRUSTED_PROXIES, so a client talking to the app directly cannot claim https it does not have."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_X_FORWARDED_PROTO" in request.META and not from_trusted_proxy(request):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)
