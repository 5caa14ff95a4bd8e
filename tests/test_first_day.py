"""A real landlord's first day (issue 26, acceptance), as docs/deploy.md tells it: on an empty
installation, without the demo, the first administrator from the command line; the landlord's
stock and a real-looking customer export imported; a housing officer invited by email, who
sets a password, sets up an authenticator, signs in with a code and sees exactly the customers
of the area given. Runs on SQLite and on a real PostgreSQL (the second pass of make test)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from equal_outcomes.accounts.models import Authenticator, User
from equal_outcomes.customers.models import Customer

pytestmark = pytest.mark.django_db
PASSWORD = "a long and memorable passphrase"
STOCK = (
    "Area,Area Name,Estate,Estate Name,Property Ref,Address Line 1,Town,Postcode\n"
    "NTH,North,GLN,Glan yr Afon,P0001,1 Heol y Bont,Merthyr Tudful,CF47 8AA\n"
    "NTH,North,GLN,Glan yr Afon,P0002,2 Heol y Bont,Merthyr Tudful,CF47 8AA\n"
    "STH,South,BRY,Barri,P0003,9 Station Road,Barry,CF62 7AA\n"
)
CUSTOMERS = (
    "customer_ref,customer_type,household_ref,property_ref,first_name,last_name,date_of_birth,"
    "sex,ethnicity,main_language\n"
    "C0001,tenant,H1,P0001,Ceri,Morgan,03/04/1971,Female,White: Welsh,Welsh\n"
    "C0002,tenant,H2,P0002,Dylan,Hughes,1985-11-30,male,,English\n"
    "C0003,tenant,H3,P0003,Gwen,Price,12 Jan 1990,F,Asian or Asian British: Indian,\n"
)


def first_sign_in(username: str, link: str) -> Client:
    """Sets the password from the emailed link, signs in, and sets up the authenticator with
    a code worked out from the secret the page shows, as the person's phone would."""
    client = Client()
    opened = client.get(link)
    client.post(opened.url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    enrol = client.get(reverse("accounts:two_factor"))
    assert "authenticator" in enrol.content.decode().lower()
    device = Authenticator.objects.get(user__username=username)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    done = client.post(reverse("accounts:two_factor"), {"code": code})
    assert done.status_code == 302, done.content.decode()[:500]
    return client


def emailed_link(message: Any) -> str:
    found = re.search(r"https?://\S+/accounts/set-password/\S+/", message.get_content())
    assert found is not None
    return found.group(0)


def test_from_an_empty_installation_to_an_officer_who_sees_only_their_area(
    tmp_path: Path, smtp_server: Any
) -> None:
    assert not User.objects.exists()
    out = io.StringIO()
    call_command("users", "add", "ada", "--role", "administrator", "--email",
                 "ada@landlord.example", "--name", "Ada Jones", stdout=out)  # fmt: skip
    admin = first_sign_in("ada", emailed_link(smtp_server[-1]))

    stock = tmp_path / "stock.csv"
    stock.write_text(STOCK)
    call_command("import", "places", str(stock), stdout=out)
    people = tmp_path / "customers.csv"
    people.write_text(CUSTOMERS)
    call_command("import", "customers", str(people), stdout=out)
    assert Customer.objects.count() == 3

    invited = admin.post(reverse("accounts:user_invite"), {
        "username": "olwen", "name": "Olwen Evans", "email": "olwen@landlord.example",
        "role": "housing_officer", "areas": ["NTH"],
    })  # fmt: skip
    assert invited.status_code == 302
    assert smtp_server[-1]["To"] == "olwen@landlord.example"
    officer = first_sign_in("olwen", emailed_link(smtp_server[-1]))

    found = officer.post(reverse("customers:search"), {"query": "a"}).content.decode()
    for name, shown in (("Ceri Morgan", True), ("Dylan Hughes", True), ("Gwen Price", False)):
        assert (name in found) is shown, name
    elsewhere = Customer.objects.get(landlord_ref="C0003")
    assert officer.get(reverse("customers:record", args=[elsewhere.public_id])).status_code == 404
    assert "Users" in admin.get(reverse("accounts:users")).content.decode()
    assert admin.get(reverse("customers:search")).status_code == 403, "no customers for admins"
