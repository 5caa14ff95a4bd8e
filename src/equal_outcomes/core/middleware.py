"""Response headers that Django does not set by itself, refusing NUL characters, and the client's
address behind trusted proxies."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "script-src 'self'",
        "style-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Adds a strict Content-Security-Policy and stops caching of pages with personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class RejectNulMiddleware:
    """Refuses (400) an address or query string holding a NUL character before anything reads
    it: no page has a use for one, and PostgreSQL cannot store or compare it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in value for _name, values in request.GET.lists() for value in values
        ):
            return HttpResponseBadRequest("NUL characters are not allowed in an address")
        return self.get_response(request)


def client_address(remote: str, forwarded_for: str, trusted_proxies: int) -> str:
    """The address of the client behind ``trusted_proxies`` reverse proxies.

    Each proxy appends the address it was reached from to X-Forwarded-For, so the client is the
    ``trusted_proxies``-th entry from the right; entries further left came from the client and
    may be made up. With no trusted proxy, or a header shorter than the chain (a request that
    did not come through it), the address the connection came from is the client's.
    """
    if trusted_proxies < 1:
        return remote
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    return hops[-trusted_proxies] if len(hops) >= trusted_proxies else remote


class TrustedProxyMiddleware:
    """Puts the client's address in ``REMOTE_ADDR`` behind the configured number of trusted
    proxies (``EQUAL_OUTCOMES_TRUSTED_PROXIES``), first of all, so that the sign-in lock-out,
    the rate limits and every log see the client rather than the proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = settings.EQUAL_OUTCOMES_TRUSTED_PROXIES
        if trusted:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""),
                request.META.get("HTTP_X_FORWARDED_FOR", ""),
                trusted,
            )
        return self.get_response(request)
