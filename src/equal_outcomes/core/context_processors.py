"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    """The service name and the environment, for the header and the phase banner."""
    return {
        "service_name": settings.OTP_TOTP_ISSUER,
        "environment": settings.ENVIRONMENT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
