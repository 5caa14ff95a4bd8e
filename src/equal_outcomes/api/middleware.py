"""Every API call goes in the audit log, whatever its answer: who (the token, or "unknown"
for a call without a usable one), which path, the method and the status. The description and
the documentation pages are not calls.

Calls without a usable token are limited per client address
(``EQUAL_OUTCOMES_API_FAILURES_PER_MINUTE``): past the limit they are refused with 429 before
any work, and recorded once, so a flood of made-up tokens can neither fill the audit log nor
hold up the audited work of everyone else (every audit row takes its turn on the chain)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse

from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor

NOT_CALLS = ("/api/openapi.json", "/api/docs")


def _failures_key(request: HttpRequest) -> str:
    return f"api-failures:{request.META.get('REMOTE_ADDR', '')}:{int(time.time() // 60)}"


class ApiAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") or request.path.startswith(NOT_CALLS):
            return self.get_response(request)
        limit = settings.EQUAL_OUTCOMES_API_FAILURES_PER_MINUTE
        key = _failures_key(request)
        if cache.get(key, 0) >= limit:
            refused = JsonResponse(
                {"detail": "too many calls without a usable token: wait a minute"}, status=429
            )
            refused["Retry-After"] = "60"
            return refused
        response = self.get_response(request)
        token = getattr(request, "auth", None)
        prefix = getattr(token, "prefix", None)
        if prefix is None and response.status_code == 401:
            cache.add(key, 0, timeout=120)
            failures = cache.incr(key)
            if failures > limit:
                return response
        agreement = getattr(token, "agreement", None)
        Auditor.record(
            actor=f"api:{prefix}" if prefix else "api:unknown",
            action=AuditAction.API,
            target_type="api",
            target_id=request.path[:64],
            section=getattr(agreement, "partner", "")[:64],
            purpose=f"{request.method} {response.status_code}",
        )
        return response
