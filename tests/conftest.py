from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from equal_outcomes.accounts.roles import Role
from tests.factories import AreaFactory, UserFactory

PASSWORD = "correct horse battery"

# Fixtures through which a test reaches the database (pytest-django's, and ours below).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "module_db",
}
# Modules whose tests share one process-wide resource, so run in one worker one after the other.
GROUPS = {
    # One Java virtual machine (about 10 s to start) serves both files' Spark sessions.
    "tests/analysis/test_spark_parity.py": "spark",
    "tests/analysis/test_pooled.py": "spark",
}


# The longest modules (each a minute or so of one worker), handed out first: a long module
# started last keeps one worker busy after the other has run out of work. From the slowest in
# `pytest --durations`; the order only affects how long the run takes, never what it tests.
LONGEST_FIRST = [
    "tests/browser/test_every_role.py",
    "tests/browser/test_dashboards_journey.py",
    "tests/reliability/test_crash.py",
    "tests/test_plain_words.py",
    "tests/browser/test_assessment_journey.py",
    "tests/insight/test_reports.py",
    "tests/analysis/test_spark_parity.py",
    "tests/analysis/test_pooled.py",
    "tests/insight/test_dashboards.py",
    "tests/test_cli.py",
    "tests/assessment/test_plan_and_report.py",
    "tests/demo/test_demo_events.py",
    "tests/browser/test_workforce_journey.py",
    "tests/insight/test_outcomes_page.py",
    "tests/core/test_worker.py",
    "tests/sharing/test_benchmark.py",
    "tests/core/test_private_files.py",
    "tests/core/test_rotation_live.py",
    "tests/browser/test_collection_journeys.py",
    "tests/insight/test_store_encryption.py",
    "tests/customers/test_encryption.py",
]


def reaches_database(item: pytest.Item) -> bool:
    """Whether a test touches the database: through a fixture, the ``django_db`` mark, or the
    ``database`` mark for tests whose processes open it themselves."""
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        fixtures & DATABASE_FIXTURES
        or item.get_closest_marker("django_db")
        or item.get_closest_marker("database")
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {module: place for place, module in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
    # The PostgreSQL pass runs only what touches the database: the rest has run on SQLite.
    if os.environ.get("EQUAL_OUTCOMES_TESTS") == "database":
        config.hook.pytest_deselected(items=[i for i in items if not reaches_database(i)])
        items[:] = [item for item in items if reaches_database(item)]


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Each module runs in one worker (its shared world is built once, and the crash harness's
    tests run in order), and the modules of a group in GROUPS in the same one."""
    from xdist.scheduler import LoadScopeScheduling

    # In the order collected (LONGEST_FIRST), not xdist's default of the modules with the most
    # tests first, which handed the one-test browser crawl out last.
    config.option.loadscopereorder = False

    class ModulesAndGroups(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::")[0]
            return GROUPS.get(module, module)

    return ModulesAndGroups(config, log)


@pytest.fixture(scope="module")
def module_db(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The database for a world a module's tests share: built once, inside a transaction that
    is rolled back when the module ends. Each test still runs in a savepoint of its own (through
    ``db``), so what one test writes is gone before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


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


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[list[Any]]:
    """A real SMTP server on loopback (aiosmtpd), with the app's email pointed at it. Yields
    the messages it received (``email.message.EmailMessage``), in order."""
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Collect:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EQUAL_OUTCOMES_EMAIL_ENABLED = True
    try:
        yield received
    finally:
        controller.stop()


@pytest.fixture
def administrator(db: Any) -> Any:
    """Ada, the administrator: accounts and settings, never customers' data."""
    return UserFactory(username="ada-admin", role=Role.ADMINISTRATOR)


@pytest.fixture(autouse=True)
def language_reset() -> Iterator[None]:
    """Each test starts in the default language: a request with a Welsh cookie leaves Welsh
    active in the thread (Django's locale middleware does not switch it back), and a report
    made by a later test in the same worker would then come out in Welsh."""
    from django.utils import translation

    yield
    translation.deactivate()
