"""Session timeouts and the two-factor requirement, enforced on every request."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from equal_outcomes.accounts.roles import requires_two_factor

STARTED = "eo_started_at"
LAST_SEEN = "eo_last_seen_at"


class SessionTimeoutMiddleware:
    """Signs a user out after ``SESSION_IDLE_SECONDS`` without a request, or
    ``SESSION_ABSOLUTE_SECONDS`` after signing in, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(STARTED, now)
            seen = request.session.get(LAST_SEEN, now)
            idle = now - seen > settings.SESSION_IDLE_SECONDS
            if idle or now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.SESSION_IDLE_SECONDS // 60}
                    if idle
                    else _("You were signed out because your session reached its time limit."),
                )
                return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.path})}")
            request.session[LAST_SEEN] = now
        return self.get_response(request)


EXEMPT_URLS = ("accounts:login", "accounts:logout", "accounts:two_factor", "set_language")


class TwoFactorRequiredMiddleware:
    """Staff whose role can see sensitive data must confirm an authenticator code first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and requires_two_factor(user.role)
            and not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
            and request.path not in {reverse(name) for name in EXEMPT_URLS}
            and not request.path.startswith(settings.STATIC_URL)
        ):
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': request.path})}")
        return self.get_response(request)
