"""Reads of the customer record, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace, Upper
from django.http import Http404
from django.utils import timezone

from equal_outcomes.accounts.organisation import stale_after_days
from equal_outcomes.accounts.roles import (
    Role,
    can_browse_customers,
    can_see_restricted,
    can_see_special_category,
    can_see_vulnerabilities,
)
from equal_outcomes.accounts.services import refusal_recorded
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.customers.models import (
    AnswerState,
    Area,
    CommunicationNeed,
    Confidentiality,
    Customer,
    EmergencyAccess,
    ProfileAnswer,
    Property,
    ReasonableAdjustment,
    RestrictedDetails,
    SupportNeed,
)
from equal_outcomes.customers.services import MULTIPLE_SEPARATOR
from equal_outcomes.standards.codelists import Characteristic, characteristics, code_list

SEARCH_LIMIT = 50


def _emergency_grants(user: Any) -> QuerySet[EmergencyAccess]:
    return EmergencyAccess.objects.filter(user=user, expires_at__gt=timezone.now())


def customers_visible_to(user: Any) -> QuerySet[Customer]:
    """Every customer ``user`` may see. The one scoping rule all customer reads go through.

    Tenants see themselves; advisors and the equality lead see every customer; a housing officer
    sees the customers of their areas, plus any record opened by an unexpired emergency grant.
    Erased people are seen by no one.
    """
    if not getattr(user, "is_authenticated", False):
        return Customer.objects.none()
    customers = Customer.objects.filter(erased_at__isnull=True)
    if user.role == Role.TENANT:
        return customers.filter(user=user)
    if not can_browse_customers(user.role):
        return Customer.objects.none()
    if user.role == Role.HOUSING_OFFICER:
        customers = customers.filter(
            Q(household__property__estate__area__in=user.areas.all())
            | Q(pk__in=_emergency_grants(user).values("customer_id"))
        )
    return customers


def customers_in_own_scope(user: Any) -> QuerySet[Customer]:
    """What ``user`` sees without any emergency grant."""
    customers = customers_visible_to(user)
    if user.role == Role.HOUSING_OFFICER:
        customers = customers.filter(household__property__estate__area__in=user.areas.all())
    return customers


def emergency_grant_for(user: Any, customer: Customer) -> EmergencyAccess | None:
    """The grant that lets ``user`` open ``customer`` when it is outside their own scope."""
    if customers_in_own_scope(user).filter(pk=customer.pk).exists():
        return None
    return _emergency_grants(user).filter(customer=customer).order_by("-expires_at").first()


def customers_for_analysis() -> QuerySet[Customer]:
    """People who may appear in equality analysis: never those who object, never the erased."""
    return Customer.objects.filter(objects_to_monitoring=False, erased_at__isnull=True)


@dataclass(frozen=True)
class SearchResults:
    """One page of the customers a search finds, and how many it finds in all."""

    customers: Sequence[Customer]
    total: int
    page: int
    pages: int

    @property
    def page_numbers(self) -> list[int]:
        """Pages to offer: all of a few, else the first, the last and those near this one."""
        if self.pages <= 7:
            return list(range(1, self.pages + 1))
        near = {1, self.pages, self.page - 1, self.page, self.page + 1}
        return sorted(number for number in near if 1 <= number <= self.pages)


# How people write a date of birth into a search box.
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y")
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?(\d[A-Z]{2})?$")


def _date_of_birth(query: str) -> dt.date | None:
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(query, pattern).date()
        except ValueError:
            continue
    return None


def _reference(query: str) -> Q:
    """A reference in any case, with or without its leading zeros or its letters: "t77" and
    "77" find T00077."""
    found = re.fullmatch(r"([A-Za-z]*)0*(\d+)", query)
    if found is None:
        return Q(landlord_ref__iexact=query) | Q(landlord_ref__istartswith=query)
    letters, digits = found.groups()
    prefix = re.escape(letters) if letters else "[A-Za-z]*"
    return Q(landlord_ref__iregex=rf"^{prefix}0*{digits}$") | Q(landlord_ref__istartswith=query)


def customer_search(*, user: Any, query: str, page: int = 1) -> SearchResults:
    """Customers found by reference, name, postcode (whole or its first half), address or date
    of birth, in name order, ``SEARCH_LIMIT`` to a page, with the true number found."""
    query = " ".join(query.split())
    if not query:
        return SearchResults([], 0, 1, 1)
    condition = Q()
    words = Q()
    for word in query.split():
        words &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(household__property__address__icontains=word)
        )
    condition |= words
    if " " not in query:
        condition |= _reference(query)
    squeezed = query.replace(" ", "").upper()
    if POSTCODE.match(squeezed):
        condition |= Q(postcode_squeezed__startswith=squeezed)
    if (born := _date_of_birth(query)) is not None:
        condition |= Q(date_of_birth=born)
    found = (
        customers_visible_to(user)
        .annotate(
            postcode_squeezed=Upper(Replace("household__property__postcode", Value(" "), Value("")))
        )
        .filter(condition)
        .order_by("last_name", "first_name", "landlord_ref")
    )
    total = found.count()
    pages = max(1, -(-total // SEARCH_LIMIT))
    page = min(max(page, 1), pages)
    start = (page - 1) * SEARCH_LIMIT
    customers = list(found.select_related("household__property")[start : start + SEARCH_LIMIT])
    return SearchResults(customers, total, page, pages)


def customer_by_reference(landlord_ref: str) -> Customer | None:
    """The customer the landlord's own systems know by ``landlord_ref`` (not an erased one),
    for partners' systems that give it: what they may then read is the sharing agreement's
    business (``sharing.services.check``)."""
    if "\x00" in landlord_ref:
        return None
    return Customer.objects.filter(landlord_ref=landlord_ref, erased_at__isnull=True).first()


def customer_find(*, user: Any, public_id: str) -> Customer | None:
    """A customer in ``user``'s scope by public id, or None (for a choice made in a form: a
    record out of scope is not found, as if missing)."""
    try:
        wanted = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return customers_visible_to(user).filter(public_id=wanted).first()


def customer_find_by_reference(*, user: Any, landlord_ref: str) -> Customer | None:
    """A customer in ``user``'s scope by the landlord's reference, or None."""
    wanted = landlord_ref.strip()
    if not wanted or "\x00" in wanted:
        return None
    return customers_visible_to(user).filter(landlord_ref=wanted).first()


def profile_held(*, user: Any, customer: Customer, purpose: str) -> dict[str, tuple[str, str]]:
    """The answers held now, {question: (state, value)}, for a form that shows them to a role
    that may read them; the read is audited."""
    Auditor.record(actor=user, action=AuditAction.VIEW, target_type="customer",
                   target_id=customer.public_id, section="profile", purpose=purpose)  # fmt: skip
    return {
        a.characteristic: (a.state, a.value)
        for a in ProfileAnswer.objects.current().filter(customer=customer)
    }


def customer_of_user(user: Any) -> Customer | None:
    """The customer record a tenant's account is linked to (None once erased)."""
    return Customer.objects.filter(user=user, erased_at__isnull=True).first()


def area_names() -> dict[str, str]:
    """Every area's name by its code."""
    return dict(Area.objects.values_list("code", "name"))


def property_by_reference(property_ref: str) -> Property | None:
    """A home by the landlord's property reference."""
    if "\x00" in property_ref:
        return None
    return Property.objects.filter(property_ref=property_ref).first()


def customer_get(*, user: Any, public_id: Any) -> Customer:
    """One customer, or 404 when missing or out of the user's scope (the two look alike to the
    user, in what they see and in how long it takes; either attempt is recorded as a refusal)."""
    try:
        return (
            customers_visible_to(user)
            .select_related("household__property__estate__area")
            .get(public_id=public_id)
        )
    except (Customer.DoesNotExist, ValueError, ValidationError):
        # Recorded whether the record exists or not: the same work either way, so that how long
        # the answer takes does not tell a record out of scope from a missing one.
        refusal_recorded(user=user, target_type="customer", target_id=str(public_id)[:64])
        raise Http404 from None


@dataclass(frozen=True)
class ProfileRow:
    characteristic: Characteristic
    title: str
    state: str
    values: list[str] = field(default_factory=list)
    touchpoint: str = ""
    recorded_at: dt.datetime | None = None
    recorded_by: str = ""
    last_confirmed_at: dt.datetime | None = None
    expired_on: dt.date | None = None
    stale: bool = False
    earlier_answers: int = 0

    @property
    def state_label(self) -> str:
        return str(AnswerState(self.state).label)


def _value_labels(characteristic: Characteristic, value: str) -> list[str]:
    listing = characteristic.codes
    return [listing.label(code) for code in value.split(MULTIPLE_SEPARATOR) if code]


def _applies(item: Characteristic, current: dict[str, ProfileAnswer]) -> bool:
    """Follow-up questions (disability impact, say) apply only after the answer they follow."""
    for earlier, wanted in item.asked_when.items():
        answer = current.get(earlier)
        if answer is None or answer.state != AnswerState.ANSWERED or answer.value != wanted:
            return False
    return True


def profile_rows(customer: Customer, *, today: dt.date | None = None) -> list[ProfileRow]:
    """Each profile question that applies, with its effective state, provenance and staleness.

    Follow-up questions appear only when the answer they follow makes them apply. An answer past its ``expires_on`` date (pregnancy and maternity) counts as not asked.
    """
    today = today or timezone.localdate()
    stale_before = timezone.now() - dt.timedelta(days=stale_after_days())
    answers = list(ProfileAnswer.objects.filter(customer=customer).select_related("recorded_by"))
    current = {a.characteristic: a for a in answers if a.is_current}
    earlier: dict[str, int] = {}
    for old in answers:
        if not old.is_current:
            earlier[old.characteristic] = earlier.get(old.characteristic, 0) + 1
    touchpoints = code_list("touchpoint")
    rows = []
    for item in characteristics():
        if not _applies(item, current):
            continue
        answer = current.get(item.id)
        title = item.codes.title.text()
        if answer is None:
            rows.append(
                ProfileRow(
                    item, title, AnswerState.NOT_ASKED, earlier_answers=earlier.get(item.id, 0)
                )
            )
            continue
        expired = answer.expires_on is not None and answer.expires_on < today
        rows.append(
            ProfileRow(
                characteristic=item,
                title=title,
                state=AnswerState.NOT_ASKED if expired else answer.state,
                values=[] if expired else _value_labels(item, answer.value),
                touchpoint=touchpoints.label(answer.touchpoint)
                if answer.touchpoint in touchpoints
                else answer.touchpoint,
                recorded_at=answer.recorded_at,
                recorded_by=str(answer.recorded_by) if answer.recorded_by else "",
                last_confirmed_at=answer.last_confirmed_at,
                expired_on=answer.expires_on if expired else None,
                stale=answer.last_confirmed_at < stale_before,
                earlier_answers=earlier.get(item.id, 0),
            )
        )
    return rows


@dataclass(frozen=True)
class CustomerRecord:
    customer: Customer
    age: int | None
    customer_type: str
    profile: list[ProfileRow] | None
    communication: Any
    communication_needs: list[CommunicationNeed]
    support_needs: list[SupportNeed] | None
    adjustments: list[ReasonableAdjustment]
    household: list[Customer]
    # Why an adjustment was refused is vulnerability data (the data register): kept here, by
    # adjustment, only for roles that may read it, and its reading audited.
    refusal_reasons: dict[int, str] = field(default_factory=dict)
    restricted: RestrictedDetails | None = None
    emergency: EmergencyAccess | None = None

    gaps: list[ProfileRow] = field(default_factory=list)

    @property
    def missing(self) -> list[ProfileRow]:
        return [row for row in self.gaps if row.state == AnswerState.NOT_ASKED]

    @property
    def stale(self) -> list[ProfileRow]:
        return [row for row in self.gaps if row.stale and row.state != AnswerState.NOT_ASKED]

    @property
    def no_communication_needs(self) -> bool:
        return self.communication is None and not self.communication_needs


def _in_safeguarding_team(user: Any) -> bool:
    return bool(user.groups.filter(name=settings.EQUAL_OUTCOMES_SAFEGUARDING_TEAM).exists())


def may_read_support_need(user: Any, need: SupportNeed, *, emergency: bool = False) -> bool:
    """The need's confidentiality, for a user whose role may read support needs: standard ones
    by all of them; "restricted: named teams only" by members of the teams named on it; "highly
    restricted" by the safeguarding team (``EQUAL_OUTCOMES_SAFEGUARDING_TEAM``), and never
    through emergency access. A restricted need naming no team (recorded before teams, say)
    falls to the safeguarding team, so it is never lost to everyone."""
    if need.confidentiality == Confidentiality.STANDARD:
        return True
    if need.confidentiality == Confidentiality.RESTRICTED:
        named = {team.pk for team in need.teams.all()}
        if named:
            return bool(named & set(user.groups.values_list("pk", flat=True)))
    return not emergency and _in_safeguarding_team(user)


def _support_needs(customer: Customer, *, user: Any, emergency: bool) -> list[SupportNeed]:
    needs = [
        need
        for need in customer.support_needs.filter(end_date__isnull=True).prefetch_related("teams")
        if may_read_support_need(user, need, emergency=emergency)
    ]
    return sorted(needs, key=lambda s: s.review_date)


def restricted_details_read(
    *, user: Any, customer: Customer, purpose: str
) -> RestrictedDetails | None:
    """The safe address and gender history, audited when there are any to read."""
    details = RestrictedDetails.objects.filter(customer=customer).first()
    if details is not None:
        Auditor.record(
            actor=user,
            action=AuditAction.VIEW,
            target_type="customer",
            target_id=customer.public_id,
            section="restricted",
            purpose=purpose,
        )
    return details


def customer_record(*, user: Any, customer: Customer, purpose: str) -> CustomerRecord:
    """Everything the record page shows that ``user`` may see. Sensitive sections are audited.

    Under an emergency grant the most restricted data (safe address, gender history, highly
    restricted support needs) stays hidden.
    """
    emergency = emergency_grant_for(user, customer)
    if emergency is not None:
        purpose = "emergency access"
    show_profile = can_see_special_category(user.role)
    show_support = can_see_vulnerabilities(user.role)
    show_restricted = can_see_restricted(user.role) and emergency is None
    restricted = (
        restricted_details_read(user=user, customer=customer, purpose=purpose)
        if show_restricted
        else None
    )
    for section, shown in (("profile", show_profile), ("support_needs", show_support)):
        if shown:
            Auditor.record(
                actor=user,
                action=AuditAction.VIEW,
                target_type="customer",
                target_id=customer.public_id,
                section=section,
                purpose=purpose,
            )
    household = (
        list(
            customers_visible_to(user).filter(household=customer.household).exclude(pk=customer.pk)
        )
        if customer.household_id
        else []
    )
    adjustments = list(customer.adjustments.all())
    reasons = (
        {item.pk: item.refusal_reason for item in adjustments if item.refusal_reason}
        if show_support
        else {}
    )
    if reasons:
        Auditor.record(
            actor=user, action=AuditAction.VIEW, target_type="customer", target_id=customer.public_id,
            section="adjustments", purpose=purpose,
        )  # fmt: skip
    types = code_list("customer_type")
    # Which questions are unanswered or out of date prompts every member of staff, including
    # those who may not read the answers: it names questions, never answers. A follow-up
    # question applies only after a given answer (disability impact after "yes"), so to those
    # staff it is never listed: listing it would tell them the answer.
    rows = profile_rows(customer)
    prompts = [row for row in rows if show_profile or not row.characteristic.asked_when]
    return CustomerRecord(
        customer=customer,
        age=customer.age_on(timezone.localdate()),
        customer_type=types.label(customer.customer_type)
        if customer.customer_type in types
        else customer.customer_type,
        profile=rows if show_profile else None,
        gaps=[row for row in prompts if row.state == AnswerState.NOT_ASKED or row.stale],
        communication=getattr(customer, "communication", None),
        communication_needs=list(customer.communication_needs.filter(end_date__isnull=True)),
        support_needs=(
            _support_needs(customer, user=user, emergency=emergency is not None)
            if show_support
            else None
        ),
        adjustments=adjustments,
        refusal_reasons=reasons,
        household=household,
        restricted=restricted,
        emergency=emergency,
    )
