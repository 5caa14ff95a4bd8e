"""Property: for any arrangement of areas, officers, tenants, grants and customers, nobody
reads outside their scope (and everybody reads everything inside it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equal_outcomes.accounts.roles import Role
from equal_outcomes.customers.models import EmergencyAccess
from equal_outcomes.customers.selectors import customers_visible_to
from tests.factories import AreaFactory, CustomerFactory, PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db

worlds = st.integers(min_value=1, max_value=4).flatmap(
    lambda areas: st.fixed_dictionaries(
        {
            "areas": st.just(areas),
            # each customer lives in an area, or has no home with the landlord (None)
            "customers": st.lists(
                st.one_of(st.none(), st.integers(0, areas - 1)), min_size=1, max_size=8
            ),
            # each user: a role, the areas an officer covers, the customer a tenant is
            "users": st.lists(
                st.tuples(
                    st.sampled_from(list(Role)),
                    st.frozensets(st.integers(0, areas - 1)),
                    st.integers(0, 7),
                ),
                min_size=1,
                max_size=6,
            ),
            # emergency grants: user index, customer index, still valid?
            "grants": st.lists(
                st.tuples(st.integers(0, 5), st.integers(0, 7), st.booleans()), max_size=4
            ),
            "erased": st.frozensets(st.integers(0, 7), max_size=2),
        }
    )
)


def expected(
    role: Role,
    covers: frozenset[int],
    me: int | None,
    homes: list[int | None],
    granted: set[int],
    erased: frozenset[int],
) -> set[int]:
    """The rule, stated independently of the code under test."""
    everyone = {i for i in range(len(homes)) if i not in erased}
    if role in {Role.ADVISOR, Role.EQUALITY_LEAD}:
        return everyone
    if role == Role.HOUSING_OFFICER:
        return {i for i in everyone if homes[i] in covers or i in granted}
    if role == Role.TENANT:
        return {me} & everyone if me is not None else set()
    return set()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds)
def test_nobody_reads_outside_their_scope(db: Any, world: dict[str, Any]) -> None:
    with transaction.atomic():
        areas = [AreaFactory() for _ in range(world["areas"])]
        homes: list[int | None] = world["customers"]
        customers = [
            CustomerFactory(household=None)
            if home is None
            else CustomerFactory(household__property=PropertyFactory(estate__area=areas[home]))
            for home in homes
        ]
        now = timezone.now()
        users, tenant_of = [], {}
        for role, covers, customer_index in world["users"]:
            user = UserFactory(role=role)
            if role == Role.HOUSING_OFFICER:
                user.areas.set([areas[i] for i in covers])
            me = customer_index if customer_index < len(customers) else None
            if role == Role.TENANT and me is not None and customers[me].user_id is None:
                customers[me].user = user
                customers[me].save()
                tenant_of[user.pk] = me
            users.append((user, role, covers))
        granted: dict[int, set[int]] = {}
        for user_index, customer_index, valid in world["grants"]:
            if user_index < len(users) and customer_index < len(customers):
                user = users[user_index][0]
                EmergencyAccess.objects.create(
                    user=user,
                    customer=customers[customer_index],
                    reason="a property-based test",
                    granted_at=now - dt.timedelta(hours=2),
                    expires_at=now + dt.timedelta(minutes=30 if valid else -30),
                )
                if valid:
                    granted.setdefault(user.pk, set()).add(customer_index)
        erased = frozenset(i for i in world["erased"] if i < len(customers))
        for i in erased:
            customers[i].erased_at = now
            customers[i].save()

        index = {c.pk: i for i, c in enumerate(customers)}
        for user, role, covers in users:
            seen = {index[c.pk] for c in customers_visible_to(user)}
            want = expected(
                role, covers, tenant_of.get(user.pk), homes, granted.get(user.pk, set()), erased
            )
            assert seen == want, (role, covers, homes)
        transaction.set_rollback(True)
