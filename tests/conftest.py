from __future__ import annotations

from typing import Any

import pytest

from equal_outcomes.accounts.roles import Role
from tests.factories import AreaFactory, UserFactory

PASSWORD = "correct horse battery"


@pytest.fixture
def lead(db: Any) -> Any:
    """Leila, the equality and data lead: sees everything, every read audited."""
    return UserFactory(username="leila", role=Role.EQUALITY_LEAD)


@pytest.fixture
def advisor(db: Any) -> Any:
    """Adam, a customer service advisor: needs and adjustments, not special-category data."""
    return UserFactory(username="adam", role=Role.ADVISOR)


@pytest.fixture
def officer(db: Any) -> Any:
    """Olwen, a housing officer for one area only."""
    user = UserFactory(username="olwen", role=Role.HOUSING_OFFICER)
    user.areas.add(AreaFactory(name="Olwen's patch"))
    return user


@pytest.fixture
def contractor(db: Any) -> Any:
    """Colin, a contractor operative: no customer records at all."""
    return UserFactory(username="colin", role=Role.CONTRACTOR)
