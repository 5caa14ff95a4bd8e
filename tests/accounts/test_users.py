"""A real landlord's first accounts (issue 26, item 1): the first administrator from the
command line, staff invited by email to set a password and an authenticator, roles and areas
changed, access taken away; all audited, and emails read back from a real SMTP server."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from equal_outcomes.accounts.models import Authenticator, User
from equal_outcomes.audit.models import AuditEvent
from tests.auth import signed_in
from tests.factories import AreaFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def link_in(message: Any) -> str:
    found = re.search(r"https?://\S+/accounts/set-password/\S+/", message.get_content())
    assert found is not None, message.get_content()
    return found.group(0)


def set_password(link: str, password: str = PASSWORD) -> Client:
    client = Client()
    opened = client.get(link)
    assert opened.status_code == 302, "the token leaves the address at once"
    assert "set-password" in opened.url
    done = client.post(opened.url, {"new_password1": password, "new_password2": password})
    assert done.status_code == 302
    return client


def test_createsuperuser_says_to_use_users_add() -> None:
    with pytest.raises(CommandError, match="users add USERNAME --role administrator") as raised:
        call_command("createsuperuser", "--noinput", "--username", "x", "--email", "x@x.org")
    assert raised.value.returncode == 2


def test_the_first_administrator_is_emailed_a_link_to_set_a_password(
    smtp_server: Any, monkeypatch: Any
) -> None:
    out = io.StringIO()
    call_command("users", "add", "ada", "--role", "administrator", "--email", "ada@example.org",
                 "--name", "Ada Lovelace", stdout=out)  # fmt: skip
    assert "Emailed ada@example.org" in out.getvalue()
    [message] = smtp_server
    assert message["To"] == "ada@example.org"
    assert "Ada" in message.get_content()
    assert "Annwyl" in message.get_content(), "in English and Welsh"
    link = link_in(message)
    set_password(link)
    signed = Client()
    response = signed.post(reverse("accounts:login"), {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    enrol = signed.get(reverse("accounts:two_factor")).content.decode()
    assert "authenticator" in enrol.lower()
    assert Client().get(link).status_code == 200, "the link works once"
    assert "This link has expired" in Client().get(link).content.decode()


def test_users_add_with_a_password_and_areas_and_list_them() -> None:
    AreaFactory(code="NTH", name="North")
    call_command("users", "add", "olwen", "--role", "housing_officer", "--email", "o@example.org",
                 "--area", "nth", "--password-stdin", stdin=io.StringIO(PASSWORD + "\n"))  # fmt: skip
    out = io.StringIO()
    call_command("users", "list", "--format", "json", stdout=out)
    [listed] = json.loads(out.getvalue())
    assert listed == {
        "username": "olwen", "name": "", "email": "o@example.org", "role": "housing_officer",
        "areas": ["NTH"], "active": True, "last_sign_in": None, "two_factor": False,
    }  # fmt: skip
    with pytest.raises(CommandError, match="No area has the code SOUTH"):
        call_command("users", "add", "sam", "--role", "housing_officer", "--email",
                     "s@example.org", "--area", "SOUTH", "--password-stdin",
                     stdin=io.StringIO(PASSWORD))  # fmt: skip
    with pytest.raises(CommandError, match="Only housing officers have areas"):
        call_command("users", "add", "sam", "--role", "advisor", "--email", "s@example.org",
                     "--area", "NTH", "--password-stdin", stdin=io.StringIO(PASSWORD))  # fmt: skip
    with pytest.raises(CommandError, match="Someone already has this username"):
        call_command("users", "add", "OLWEN", "--role", "advisor", "--email", "s@example.org",
                     "--password-stdin", stdin=io.StringIO(PASSWORD))  # fmt: skip


def test_deactivate_and_reset_two_factor_take_effect_at_once() -> None:
    user = UserFactory(username="adam", role="advisor")
    Authenticator.objects.create(user=user, name="phone", confirmed=True)
    client = signed_in(user)
    call_command("users", "reset-2fa", "adam", stdout=io.StringIO())
    assert not Authenticator.objects.filter(user=user).exists()
    call_command("users", "deactivate", "adam", stdout=io.StringIO())
    assert client.get(reverse("customers:search")).status_code == 302, "signed out"
    refused = Client().post(reverse("accounts:login"),
                            {"username": "adam", "password": "correct horse battery"})  # fmt: skip
    assert refused.status_code == 200
    changes = AuditEvent.objects.filter(action="user", target_id=str(user.pk))
    assert list(changes.values_list("purpose", flat=True)) == ["two-factor reset", "deactivated"]


def test_users_import_is_all_or_nothing(tmp_path: Path, smtp_server: Any) -> None:
    AreaFactory(code="NTH")
    good = tmp_path / "staff.csv"
    good.write_text("username,name,email,role,areas\n"
                    "olwen,Olwen Officer,o@example.org,housing_officer,NTH\n"
                    "adam,Adam Advisor,a@example.org,advisor,\n")  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text() + "hana,,not-an-email,wizard,\n")
    with pytest.raises(CommandError, match="nobody was added"):
        call_command("users", "import", str(bad), stderr=io.StringIO())
    assert not User.objects.exists()
    assert smtp_server == [], "a refused file emails nobody"
    call_command("users", "import", str(good), stdout=io.StringIO())
    assert set(User.objects.values_list("username", flat=True)) == {"olwen", "adam"}
    assert sorted(m["To"] for m in smtp_server) == ["a@example.org", "o@example.org"]


def test_the_administrator_invites_changes_and_takes_access_away(
    administrator: Any, smtp_server: Any
) -> None:
    north = AreaFactory(code="NTH", name="North")
    client = signed_in(administrator)
    form = {"username": "olwen", "name": "Olwen Officer", "email": "olwen@example.org",
            "role": "housing_officer", "areas": ["NTH"]}  # fmt: skip
    assert client.post(reverse("accounts:user_invite"), form).status_code == 302
    olwen = User.objects.get(username="olwen")
    assert list(olwen.areas.all()) == [north]
    [message] = smtp_server
    set_password(link_in(message))
    page = client.get(reverse("accounts:users")).content.decode()
    assert "olwen" in page
    assert "Authenticator not set up" in page
    edit = {**form, "role": "advisor", "areas": []}
    assert client.post(reverse("accounts:user", args=[olwen.pk]), edit).status_code == 302
    olwen.refresh_from_db()
    assert (olwen.role, list(olwen.areas.all())) == ("advisor", [])
    client.post(reverse("accounts:user", args=[olwen.pk]), {"action": "deactivate"})
    olwen.refresh_from_db()
    assert not olwen.is_active
    assert AuditEvent.objects.filter(action="user", target_id=str(olwen.pk)).count() == 3


def test_a_password_reset_says_the_same_for_any_address(smtp_server: Any) -> None:
    UserFactory(username="leila", email="leila@example.org")
    known = Client().post(reverse("accounts:reset"), {"email": "leila@example.org"})
    unknown = Client().post(reverse("accounts:reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    [message] = smtp_server
    assert message["To"] == "leila@example.org"
    set_password(link_in(message), "a whole new passphrase here")
    signed = Client().post(reverse("accounts:login"),
                           {"username": "leila", "password": "a whole new passphrase here"})  # fmt: skip
    assert signed.status_code == 302
