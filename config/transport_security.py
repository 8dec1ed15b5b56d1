"""HTTPS settings derived from SITE_URL: one function decides them, settings.py only reads the environment.

When the site is served over https the browser is told to use nothing else (HSTS) for this host only:
subdomains of an organisation's domain are often other people's servers without TLS, so
include-subdomains and preload stay off. Behind a TLS-terminating proxy, `X-Forwarded-Proto` says the
request came in over https; it is read only from TRUSTED_PROXIES (config.middleware drops it otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

HSTS_DEFAULT_SECONDS = 365 * 24 * 3600
# Health probes of containers and load balancers speak plain http to the app itself.
REDIRECT_EXEMPT = (r"^healthz$",)


@dataclass(frozen=True)
class TransportSecurity:
    https: bool
    hsts_seconds: int
    hsts_include_subdomains: bool
    hsts_preload: bool
    ssl_redirect: bool
    proxy_ssl_header: tuple[str, str] | None


def transport_security(site_url: str, *, hsts_seconds: int, ssl_redirect: bool, behind_proxies: bool) -> TransportSecurity:
    https = site_url.startswith("https://")
    if ssl_redirect and not https:
        raise ImproperlyConfigured(f"SECURE_SSL_REDIRECT=1 needs SITE_URL to start with https://; got {site_url!r}")
    if hsts_seconds < 0:
        raise ImproperlyConfigured(f"SECURE_HSTS_SECONDS must be 0 or more; got {hsts_seconds}")
    return TransportSecurity(
        https=https,
        hsts_seconds=hsts_seconds if https else 0,
        hsts_include_subdomains=False,
        hsts_preload=False,
        ssl_redirect=ssl_redirect,
        proxy_ssl_header=("HTTP_X_FORWARDED_PROTO", "https") if behind_proxies else None,
    )
