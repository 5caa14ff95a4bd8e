from __future__ import annotations

from typing import Any

import django_otp
import segno
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equal_outcomes.accounts import services
from equal_outcomes.accounts.forms import SignInForm, TwoFactorForm
from equal_outcomes.accounts.middleware import STARTED
from equal_outcomes.accounts.roles import requires_two_factor
from equal_outcomes.core.views import limit_sign_in


@method_decorator(limit_sign_in, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        self.request.session.pop(STARTED, None)
        services.sign_in_recorded(request=self.request, user=form.get_user())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        username = str(form.data.get("username", ""))
        if username:
            services.failed_sign_in_recorded(
                request=self.request,
                username=username,
                locked_out=getattr(self.request, "axes_locked_out", False),
            )
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Asks for an authenticator code; on first use, shows the secret to set the app up with."""
    user: Any = request.user
    if not requires_two_factor(user.role) or user.is_verified():
        return redirect(_next(request))
    device = services.totp_device(user)
    form = TwoFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if django_otp.verify_token(user, device.persistent_id, form.cleaned_data["code"]):
            device.refresh_from_db()
            services.two_factor_confirmed(user=user, device=device)
            django_otp.login(request, device)
            # A key seen before the second factor is no use after it (session fixation).
            request.session.cycle_key()
            return redirect(_next(request))
        services.two_factor_failed(request=request, user=user)
        form.add_error(
            "code", _("That code is wrong or has been used. Wait for a new code and try again")
        )
    context = {"form": form, "enrolling": not device.confirmed, "next": _next(request)}
    if not device.confirmed:
        context["secret"] = services.totp_secret(device)
        context["qr_code"] = segno.make(device.config_url, error="m").svg_data_uri(
            scale=4, title=_("QR code for your authenticator app")
        )
    return render(request, "accounts/two_factor.html", context)
