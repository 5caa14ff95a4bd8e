"""Staff accounts: adding people with a role (and, for housing officers, their areas), inviting
them by email to set a password, changing what they may do, and taking access away.

Every change is audited. Nothing here reads equality or needs data: an administrator manages
accounts, never customers. The same services serve ``equal-outcomes users`` and the
administrator's pages.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from equal_outcomes.accounts.mail import send_in_languages
from equal_outcomes.accounts.models import Authenticator, User
from equal_outcomes.accounts.roles import Role
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor

USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
COLUMNS = ("username", "name", "email", "role", "areas")


def _areas(codes: list[str]) -> list[Any]:
    """The areas with these codes (any case), or the codes no area has."""
    area_model = apps.get_model("customers", "Area")
    wanted = [code.strip() for code in codes if code.strip()]
    query = Q()
    for code in wanted:
        query |= Q(code__iexact=code)
    found = {area.code.upper(): area for area in area_model.objects.filter(query)} if wanted else {}
    missing = [code for code in wanted if code.upper() not in found]
    if missing:
        raise ValidationError(
            {"areas": _("No area has the code %(codes)s: import the stock first (import places)")
             % {"codes": ", ".join(missing)}}
        )  # fmt: skip
    return [found[code.upper()] for code in wanted]


def _checked(
    *, username: str, role: str, email: str, areas: list[str], user: User | None = None
) -> list[Any]:
    problems: dict[str, str] = {}
    if not USERNAME.match(username):
        problems["username"] = _("Use 1 to 150 letters, digits and . @ + - _ only")
    elif User.objects.filter(username__iexact=username).exclude(pk=user.pk if user else -1):
        problems["username"] = _("Someone already has this username")
    if role not in Role.values:
        problems["role"] = _("Choose one of: %(roles)s") % {"roles": ", ".join(Role.values)}
    try:
        validate_email(email)
    except ValidationError:
        problems["email"] = _("Enter an email address like name@example.org")
    if areas and role != Role.HOUSING_OFFICER:
        problems["areas"] = _("Only housing officers have areas")
    if problems:
        raise ValidationError(problems)
    return _areas(areas)


def _names(name: str) -> tuple[str, str]:
    first, _space, last = " ".join(name.split()).partition(" ")
    return first[:150], last[:150]


def set_password_link(user: User, site: str) -> str:
    """A one-time link to set a password: it stops working once used, when the password or
    last sign-in changes, or after ``PASSWORD_RESET_TIMEOUT`` (3 days)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site.rstrip("/") + reverse("accounts:set_password", args=[uid, token])


def invitation_email(*, user: User, site: str, reset: bool = False) -> bool:
    """Emails ``user`` the link to set a password (and then their authenticator), in English
    and Welsh. True when sent now; False when kept to send later."""
    context = {
        "user": user,
        "link": set_password_link(user, site),
        "reset": reset,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    return send_in_languages(
        to=user.email, subject_template="accounts/invitation_subject.txt",
        body_template="accounts/invitation_email.txt", context=context, languages=["en", "cy"],
        purpose="password reset" if reset else "staff invitation",
    )  # fmt: skip


def user_add(
    *, actor: Any, username: str, role: str, email: str, name: str = "",
    areas: list[str] | tuple[str, ...] = (), password: str | None = None, site: str = "",
) -> tuple[User, bool]:  # fmt: skip
    """A new account. With ``password`` it can sign in at once; without, it is emailed a
    one-time link to set one (once the account is saved). Returns the user and whether the
    email went now (True when none was needed)."""
    user = _user_saved(actor=actor, username=username, role=role, email=email, name=name,
                       areas=list(areas), password=password)  # fmt: skip
    if password is not None:
        return user, True
    return user, invitation_email(user=user, site=site or settings.EQUAL_OUTCOMES_SITE_URL)


@transaction.atomic
def _user_saved(
    *, actor: Any, username: str, role: str, email: str, name: str, areas: list[str],
    password: str | None,
) -> User:  # fmt: skip
    username, email = username.strip(), email.strip()
    places = _checked(username=username, role=role, email=email, areas=areas)
    first, last = _names(name)
    user = User(username=username, email=email, role=role, first_name=first, last_name=last)
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.is_staff = user.is_superuser = False
    user.save()
    user.areas.set(places)
    Auditor.record(
        actor=actor, action=AuditAction.USER, target_type="user", target_id=user.pk,
        purpose=f"added as {role}" + (f" for {', '.join(a.code for a in places)}" if places else ""),
    )  # fmt: skip
    return user


@transaction.atomic
def user_change(
    *, actor: Any, user: User, role: str, email: str, name: str, areas: list[str]
) -> User:
    places = _checked(username=user.username, role=role, email=email, areas=areas, user=user)
    before = (user.role, sorted(user.areas.values_list("code", flat=True)))
    user.role, user.email = role, email.strip()
    user.first_name, user.last_name = _names(name)
    user.save()
    user.areas.set(places)
    after = (role, sorted(a.code for a in places))
    Auditor.record(
        actor=actor, action=AuditAction.USER, target_type="user", target_id=user.pk,
        purpose=f"changed: role {before[0]} -> {after[0]}, areas {before[1]} -> {after[1]}"[:200],
    )  # fmt: skip
    return user


@transaction.atomic
def user_active(*, actor: Any, user: User, active: bool) -> User:
    """Takes access away (or gives it back). A deactivated user's sessions end at once."""
    if not isinstance(actor, str) and actor.pk == user.pk and not active:
        raise ValidationError({"active": _("You cannot deactivate your own account")})
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        _end_sessions(user)
    Auditor.record(actor=actor, action=AuditAction.USER, target_type="user", target_id=user.pk,
                   purpose="reactivated" if active else "deactivated")  # fmt: skip
    return user


def _end_sessions(user: User) -> None:
    session_model = apps.get_model("sessions", "Session")
    for session in session_model.objects.all():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def user_reset_two_factor(*, actor: Any, user: User) -> None:
    """Removes the user's authenticator: they set up a new one at their next sign-in."""
    Authenticator.objects.filter(user=user).delete()
    _end_sessions(user)
    Auditor.record(actor=actor, action=AuditAction.USER, target_type="user", target_id=user.pk,
                   purpose="two-factor reset")  # fmt: skip


@dataclass(frozen=True)
class Listed:
    user: User
    areas: list[str]
    two_factor: bool

    def as_json(self) -> dict[str, Any]:
        last = self.user.last_login
        return {
            "username": self.user.username,
            "name": self.user.get_full_name(),
            "email": self.user.email,
            "role": self.user.role,
            "areas": self.areas,
            "active": self.user.is_active,
            "last_sign_in": last.isoformat() if isinstance(last, dt.datetime) else None,
            "two_factor": self.two_factor,
        }


def user_get(pk: int) -> User:
    """One staff account, or 404."""
    return get_object_or_404(User, pk=pk)


def users_listing() -> list[Listed]:
    enrolled = set(Authenticator.objects.filter(confirmed=True).values_list("user_id", flat=True))
    return [
        Listed(user, sorted(area.code for area in user.areas.all()), user.pk in enrolled)
        for user in User.objects.order_by("username").prefetch_related("areas")
    ]


@dataclass
class UsersImport:
    rows: int = 0
    added: int = 0
    not_sent: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)


def users_import(path: Path, *, actor: Any, dry_run: bool = False, site: str = "") -> UsersImport:
    """Staff from a CSV with the columns ``users list`` shows (username, name, email, role,
    areas: codes separated by spaces or semicolons). Every row is checked; all are added or
    none; each person is emailed their link once all are in."""
    from equal_outcomes.core.readers import read_table

    table = read_table(path)
    headers = [h.strip().lower() for h in table.headers]
    report = UsersImport()
    missing = [name for name in ("username", "email", "role") if name not in headers]
    if missing:
        report.problems.append((1, ", ".join(missing), _("these columns are missing")))
        return report
    rows: list[tuple[dict[str, str], list[str]]] = []
    seen: set[str] = set()
    for number, cells in table.rows:
        report.rows += 1
        row = dict(zip(headers, cells, strict=False))
        codes = [code for code in re.split(r"[;\s,]+", row.get("areas", "")) if code]
        try:
            _checked(username=row["username"], role=row["role"], email=row["email"], areas=codes)
        except ValidationError as error:
            report.problems += [(number, k, " ".join(v)) for k, v in error.message_dict.items()]
        if row["username"].lower() in seen:
            report.problems.append((number, "username", _("this username is already in the file")))
        seen.add(row["username"].lower())
        rows.append((row, codes))
    if report.problems or dry_run:
        return report
    with transaction.atomic():
        made = [
            _user_saved(
                actor=actor,
                username=row["username"],
                role=row["role"],
                email=row["email"],
                name=row.get("name", ""),
                areas=codes,
                password=None,
            )
            for row, codes in rows
        ]
    # Emailed once every account is in: a refused file sends nobody anything.
    site = site or settings.EQUAL_OUTCOMES_SITE_URL
    report.added = len(made)
    report.not_sent = sum(not invitation_email(user=user, site=site) for user in made)
    return report
