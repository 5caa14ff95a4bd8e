"""The one way a page says who may use it: ``@role_required(rule)`` with a rule function from
``accounts.roles``. A visitor not signed in is sent to sign in; a role the rule refuses gets 403,
recorded as a refusal. Views so guarded take an ``AuthenticatedRequest``, whose ``user`` is a
signed-in ``User``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase

from equal_outcomes.accounts.models import User
from equal_outcomes.accounts.services import require


class AuthenticatedRequest(HttpRequest):
    user: User


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def role_required(rule: Callable[[str], bool]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            require(request, rule(request.user.role))  # type: ignore[union-attr]
            return view(request, *args, **kwargs)

        return login_required(guarded)  # type: ignore[return-value]

    return decorate
