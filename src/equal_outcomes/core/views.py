"""The pages for refused and limited requests, and the rate limits views share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import ALL, is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited


def conflict(request: HttpRequest, target: Any = None) -> HttpResponse:
    """A save that lost a race outside an edit form (django-concurrency's 409 handler)."""
    return render(request, "409.html", status=409)


def bad_request(request: HttpRequest, problem: str, back: str) -> HttpResponse:
    """A refused request as a page of the service, in its layout: the reason (escaped like any
    text on a page, never echoed as markup) and a way back to ``back``."""
    return render(request, "400.html", {"problem": problem, "back": back}, status=400)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A page over its rate limit: 429, and when to try again."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


def _per_minute(setting: str) -> Callable[[str, HttpRequest], str]:
    return lambda group, request: f"{getattr(settings, setting)}/m"


def _per_hour(setting: str) -> Callable[[str, HttpRequest], str]:
    return lambda group, request: f"{getattr(settings, setting)}/h"


def limit_sign_in(view: Any) -> Any:
    """Sign-in attempts per address (django-axes also locks a username out after failures)."""
    return ratelimit(key="ip", rate=_per_minute("EQUAL_OUTCOMES_SIGN_IN_PER_MINUTE"),
                     method="POST", group="sign-in")(view)  # fmt: skip


def limit_search(view: Any) -> Any:
    """Searches per user: enough for a busy advisor, too few to page through every customer."""
    return ratelimit(key="user_or_ip", rate=_per_minute("EQUAL_OUTCOMES_SEARCH_PER_MINUTE"),
                     group="search")(view)  # fmt: skip


def limit_job_packs(view: Any) -> Any:
    """Job packs read per user: a day's visits and more, too few to read every home's."""
    return ratelimit(key="user_or_ip", rate=_per_hour("EQUAL_OUTCOMES_JOB_PACKS_PER_HOUR"),
                     group="job-packs")(view)  # fmt: skip


def job_packs_over_limit(request: HttpRequest, key: str) -> bool:
    """Counts one job pack read by ``key`` (an API token's prefix), and says whether it is
    over the hourly limit the web pages have too."""
    return bool(
        is_ratelimited(
            request, group="job-packs", key=lambda group, request: key, method=ALL,
            increment=True, rate=_per_hour("EQUAL_OUTCOMES_JOB_PACKS_PER_HOUR"),
        )
    )  # fmt: skip


def limit_exports(view: Any, methods: tuple[str, ...] = ("POST",)) -> Any:
    """Bulk exports and reports per user, all counted together: the request that makes one
    (a POST, or for downloads made by GET, ``methods=("GET",)``)."""

    @wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.method in methods and is_ratelimited(
            request, group="exports", key="user_or_ip", method=ALL, increment=True,
            rate=_per_hour("EQUAL_OUTCOMES_EXPORTS_PER_HOUR"),
        ):  # fmt: skip
            raise Ratelimited
        return view(request, *args, **kwargs)

    return limited
