from __future__ import annotations

from typing import Any

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equal_outcomes.accounts import organisation, services, users
from equal_outcomes.accounts.forms import (
    NewPasswordForm,
    OrganisationForm,
    ResetRequestForm,
    SignInForm,
    TwoFactorForm,
    UserForm,
)
from equal_outcomes.accounts.guards import AuthenticatedRequest, role_required
from equal_outcomes.accounts.middleware import STARTED
from equal_outcomes.accounts.roles import can_manage_users, requires_two_factor
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
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
    """Where to go after signing in: a path on this site, else the start page. (A bare word
    such as ``dashboard`` is not a path: ``redirect`` would take it for a view's name.)"""
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
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


# Setting and resetting a password (links sent by email)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one-time link from an invitation or reset: Django's own check of the token, which
    it moves out of the address at once; then a new password and, at sign-in, the
    authenticator."""

    template_name = "accounts/set_password.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        Auditor.record(actor=form.user, action=AuditAction.PASSWORD_SET, target_type="user",
                       target_id=form.user.pk)  # fmt: skip
        messages.success(self.request, _("Your password is set. Sign in with it now."))
        return response


@method_decorator(limit_sign_in, name="dispatch")
class ResetRequestView(auth_views.PasswordResetView):
    template_name = "accounts/reset_request.html"
    form_class = ResetRequestForm
    success_url = reverse_lazy("accounts:reset_sent")

    def form_valid(self, form: Any) -> HttpResponse:
        form.save(request=self.request)
        return redirect(self.success_url)


def reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/reset_sent.html")


# Accounts, for administrators


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@role_required(can_manage_users)
def users_page(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "accounts/users.html", {"listed": users.users_listing()})


@role_required(can_manage_users)
@require_http_methods(["GET", "POST"])
def user_invite(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, sent = users.user_add(
                actor=actor, username=data["username"], role=data["role"], email=data["email"],
                name=data["name"], areas=data["areas"], site=_site(request),
            )  # fmt: skip
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("%(name)s is invited: we have emailed them a link to set a password.")
                             % {"name": user.username} if sent else
                             _("%(name)s is added. The email could not be sent just now; it will go as soon as the mail server takes it.")
                             % {"name": user.username})  # fmt: skip
            return redirect("accounts:users")
    context = {"form": form, "title": _("Invite a user"), "back": reverse("accounts:users"),
               "intro": _("They get an email with a link to set a password, then set up an authenticator app when they first sign in.")}  # fmt: skip
    return render(request, "core/form.html", context, status=400 if form.errors else 200)


def _errors(form: Any, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


@role_required(can_manage_users)
@require_http_methods(["GET", "POST"])
def user_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    actor = request.user
    user = users.user_get(pk)
    action = request.POST.get("action", "save")
    if request.method == "POST" and action != "save":
        try:
            if action in {"deactivate", "reactivate"}:
                users.user_active(actor=actor, user=user, active=action == "reactivate")
                messages.success(request, _("Saved."))
            elif action == "reset_two_factor":
                users.user_reset_two_factor(actor=actor, user=user)
                messages.success(
                    request, _("They will set up a new authenticator when they next sign in.")
                )
            elif action == "resend":
                users.invitation_email(user=user, site=_site(request))
                messages.success(request, _("We have emailed them a new link to set a password."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("accounts:user", pk=user.pk)
    initial = {"username": user.username, "name": user.get_full_name(), "email": user.email,
               "role": user.role, "areas": list(user.areas.values_list("code", flat=True))}  # fmt: skip
    form = UserForm(request.POST if request.method == "POST" else None, initial=initial,
                    editing=True)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            users.user_change(actor=actor, user=user, role=data["role"], email=data["email"],
                              name=data["name"], areas=data["areas"])  # fmt: skip
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:users")
    listed = next(item for item in users.users_listing() if item.user.pk == user.pk)
    context = {"form": form, "listed": listed, "person": user}
    return render(request, "accounts/user.html", context, status=400 if form.errors else 200)


@role_required(can_manage_users)
@require_http_methods(["GET", "POST"])
def organisation_page(request: AuthenticatedRequest) -> HttpResponse:
    """The landlord's settings, for the administrator; every change audited."""
    actor = request.user
    found = organisation.organisation()
    days = organisation.retention_days()
    initial = {
        "name": found.name, "nation": found.nation,
        "coverage_achieving": found.coverage_achieving,
        "coverage_excellent": found.coverage_excellent,
        "stale_after_days": organisation.stale_after_days(),
        "privacy_contact": found.privacy_contact,
        **{f"retain_{rule}": value for rule, value in days.items()},
    }  # fmt: skip
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {name: data[name] for name in ("name", "nation", "coverage_achieving",
                  "coverage_excellent", "stale_after_days", "privacy_contact")}  # fmt: skip
        values["retention_days"] = {rule: data[f"retain_{rule}"] for rule in days}
        try:
            organisation.organisation_save(actor=actor, **values)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("accounts:organisation")
    context = {"form": form, "title": _("Settings")}
    return render(request, "core/form.html", context, status=400 if form.errors else 200)
