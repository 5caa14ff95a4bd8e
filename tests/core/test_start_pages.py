"""Every role's start page says what to do now (issue 27, items 1, 10 and 12)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from equal_outcomes.accounts.roles import Role
from tests.auth import signed_in
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [
        (Role.CONTRACTOR, "sharing:job_packs"),
        (Role.PARTNER, "sharing:job_packs"),
        (Role.BOARD, "insight:outcomes"),
        (Role.HR, "workforce:dashboard"),
        (Role.TENANT, "collection:questionnaire"),
    ],
)
def test_roles_with_one_main_task_go_straight_to_it(role: Role, lands_on: str) -> None:
    response = signed_in(UserFactory(role=role)).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse(lands_on)


def test_the_tenant_lands_on_tell_us_about_you_with_what_is_held(lead: Any) -> None:
    tenant = UserFactory(role=Role.TENANT)
    CustomerFactory(user=tenant)
    page = signed_in(tenant).get(reverse("home"), follow=True).content.decode()
    assert "Tell us about yourself" in page
    assert "What we hold about you now" in page


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.HOUSING_OFFICER])
def test_staff_who_serve_customers_start_with_search_and_who_to_ask_next(role: Role) -> None:
    page = signed_in(UserFactory(role=role)).get(reverse("home")).content.decode()
    assert 'action="/customers/"' in page
    assert reverse("collection:ask_next") in page


def test_the_lead_sees_what_needs_attention(lead: Any) -> None:
    from equal_outcomes.assessment.models import Action
    from equal_outcomes.insight.snapshot import store_path

    # A module run before in this worker may have left a snapshot in its home.
    store_path().unlink(missing_ok=True)
    Action.objects.create(title="Train repairs staff", owner="Head of repairs",
                          due_on=dt.date(2020, 1, 1), created_by=lead)  # fmt: skip
    page = signed_in(lead).get(reverse("home")).content.decode()
    assert "What needs attention" in page
    assert "Train repairs staff" in page
    assert "The figures have not been worked out yet" in page, "no snapshot: said, not waited on"


def test_the_administrator_starts_with_users_settings_and_stock(administrator: Any) -> None:
    page = signed_in(administrator).get(reverse("home")).content.decode()
    for name in ("accounts:users", "accounts:organisation", "imports:places"):
        assert reverse(name) in page
    assert "There are no pages for your role" not in page


def test_a_bare_word_after_sign_in_is_not_a_page_name(lead: Any) -> None:
    """Posting a valid code with next=dashboard gave a 500 (NoReverseMatch)."""
    client = signed_in(lead)
    response = client.get(reverse("accounts:two_factor") + "?next=dashboard")
    assert response.status_code == 302
    assert response.url == "/"


def test_error_pages_are_the_services_in_both_languages(advisor: Any) -> None:
    client = signed_in(advisor)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()
    assert "govuk-header" in missing.content.decode()
    client.cookies["eo_language"] = "cy"
    assert "Heb ddod o hyd i'r dudalen" in client.get("/no-such-page/").content.decode()
    refused = signed_in(advisor).get(reverse("accounts:users"))
    assert refused.status_code == 403
    assert "You cannot open this page" in refused.content.decode()
    assert Client().get(reverse("collection:questionnaire")).status_code == 302


def test_figures_never_print_zero_for_a_tiny_p_value_or_minus_zero() -> None:
    from equal_outcomes.core.templatetags.codes import figure

    assert figure(0.00001) == "<0.001"
    assert figure(0.0) == "0.000"
    assert figure(-0.00001, 1) == "0.0"
    assert figure(0.0234) == "0.023"


def test_the_two_factor_page_shows_no_menu(lead: Any) -> None:
    client = Client()
    client.force_login(lead)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Code from your authenticator app" in page
    assert reverse("insight:outcomes") not in page
