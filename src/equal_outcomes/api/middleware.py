"""Every API call goes in the audit log, whatever its answer: who (the token, or "unknown"
for a call without a usable one), which path, the method and the status. The description and
the documentation pages are not calls."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from equal_outcomes.audit.services import Auditor

NOT_CALLS = ("/api/openapi.json", "/api/docs")


class ApiAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/") and not request.path.startswith(NOT_CALLS):
            token = getattr(request, "auth", None)
            prefix = getattr(token, "prefix", None)
            agreement = getattr(token, "agreement", None)
            Auditor.record(
                actor=f"api:{prefix}" if prefix else "api:unknown",
                action="api",
                target_type="api",
                target_id=request.path[:64],
                section=getattr(agreement, "partner", "")[:64],
                purpose=f"{request.method} {response.status_code}",
            )
        return response
