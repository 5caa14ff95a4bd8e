"""Special-category and vulnerability values are unreadable in the database and survive rotation."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Value

from equal_outcomes.core.binding import bind_existing
from equal_outcomes.core.crypto import (
    DecryptionError,
    KeyRing,
    forget_cached_keyring,
    key_file,
    keyring,
)
from equal_outcomes.customers.models import ProfileAnswer, SupportNeed
from equal_outcomes.imports.models import ImportJob
from equal_outcomes.operations.keys import encrypted_fields, raw_tokens, rotate_keys
from equal_outcomes.standards.codelists import characteristics
from tests.factories import CustomerFactory, SupportNeedFactory, record_answer

MARKER = "Zebra-crossing-safe-address-7731"

CREATE = textwrap.dedent(f"""
    import django
    django.setup()
    from equal_outcomes.accounts.models import User
    from equal_outcomes.customers.models import Customer, SupportNeed
    from equal_outcomes.customers.services import profile_answer_record
    from django.utils import timezone
    import datetime as dt
    user = User.objects.create(username="lead", role="equality_lead")
    customer = Customer.objects.create(landlord_ref="C1", customer_type="tenant", first_name="Ann", last_name="Hughes")
    profile_answer_record(actor=user, customer=customer, characteristic="sexual_orientation",
                          state="answered", codes=["bisexual"], touchpoint="survey")
    profile_answer_record(actor=user, customer=customer, characteristic="religion",
                          state="answered", codes=["jewish"], touchpoint="survey")
    today = timezone.localdate()
    SupportNeed.objects.create(customer=customer, need="domestic_abuse", details="{MARKER}",
                               source="contact", recorded_at=timezone.now(), start_date=today,
                               review_date=today + dt.timedelta(days=90))
""")


def test_the_raw_database_file_holds_no_sensitive_value(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        EQUAL_OUTCOMES_HOME=str(tmp_path),
        EQUAL_OUTCOMES_ENV="development",
        DJANGO_SETTINGS_MODULE="equal_outcomes.settings",
    )
    cli = Path(sys.executable).with_name("equal-outcomes")
    subprocess.run([str(cli), "migrate", "--verbosity=0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", CREATE], env=env, check=True)
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("equal-outcomes.sqlite3*"))
    assert b"Ann" in raw
    assert b"Hughes" in raw
    for secret in (MARKER, "domestic_abuse", "bisexual", "jewish"):
        assert secret.encode() not in raw, f"{secret} is readable in the database file"
    assert b"eo3:" in raw  # bound to their rows
    assert (tmp_path / "keys" / "keyring.json").exists()


@pytest.mark.django_db
def test_values_are_stored_as_tokens_on_either_database(lead: Any) -> None:
    need = SupportNeedFactory(details=MARKER)
    tokens = raw_tokens(SupportNeed, "details") + raw_tokens(SupportNeed, "need")
    assert len(tokens) == 2
    assert all(t.startswith("eo3:") and MARKER not in t for t in tokens)
    need.refresh_from_db()
    assert need.details == MARKER


@pytest.mark.django_db
def test_rotation_re_encrypts_everything_and_every_value_stays_readable(lead: Any) -> None:
    customers = CustomerFactory.create_batch(3)
    for customer, code in zip(customers, ["gay_lesbian", "heterosexual", "bisexual"], strict=True):
        record_answer(lead, customer, "sexual_orientation", code, touchpoint="survey")
    SupportNeedFactory(customer=customers[0], details=MARKER)
    before = {
        (model, name): raw_tokens(model, name)
        for model, names in encrypted_fields()
        for name in names
    }
    old_key = json.loads(key_file().read_text())["primary"]

    result = rotate_keys(actor="system:test")

    ring = json.loads(key_file().read_text())
    assert ring["primary"] == result.new_key != old_key
    assert list(ring["keys"]) == [result.new_key]  # the old key is retired
    for (model, name), old_tokens in before.items():
        new_tokens = raw_tokens(model, name)
        assert len(new_tokens) == len(old_tokens)
        assert all(KeyRing.key_id_of(token) == result.new_key for token in new_tokens)
    forget_cached_keyring()  # read back through the key file alone
    values = sorted(a.value for a in ProfileAnswer.objects.all())
    assert values == ["bisexual", "gay_lesbian", "heterosexual"]
    assert SupportNeed.objects.get().details == MARKER


@pytest.mark.django_db
def test_the_key_file_lives_outside_the_database_and_the_code() -> None:
    path = key_file()
    assert Path(settings.HOME) in path.parents
    assert Path(settings.PACKAGE_DIR) not in path.parents


@pytest.mark.django_db
def test_every_answer_to_a_question_has_one_token_length(lead: Any) -> None:
    """A copy of the database cannot tell answers apart by their length (issue 25, finding 2):
    each question's answers, from the shortest code to every impairment type at once, give
    tokens of one length."""
    for item in characteristics():
        answers = [[code.code] for code in item.codes.codes if not code.group]
        if item.codes.multiple:
            answers.append(
                [code.code for code in item.codes.codes if not code.group and not code.exclusive]
            )
        for codes in answers:
            record_answer(lead, CustomerFactory(), item.id, *codes)
        record_answer(lead, CustomerFactory(), item.id, state="prefer_not_to_say")
    lengths: dict[str, set[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT characteristic, value FROM customers_profileanswer")
        for characteristic, token in cursor.fetchall():
            if token:
                lengths.setdefault(characteristic, set()).add(len(token))
    assert set(lengths) == {item.id for item in characteristics()}
    assert {question: len(found) for question, found in lengths.items()} == dict.fromkeys(
        lengths, 1
    )


@pytest.mark.django_db
def test_rotation_pads_values_written_before_padding(lead: Any, tmp_path: Path) -> None:
    job = ImportJob.objects.create(file_name="x.csv", stored_path=str(tmp_path), created_by=lead)
    ring = keyring()
    nonce = bytes(12)
    sealed = AESGCM(ring.keys[ring.primary].secret).encrypt(
        nonce, b"row 3: not a date", b"imports.importjob.report"
    )
    legacy = f"eo1:{ring.primary}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"
    ImportJob.objects.filter(pk=job.pk).update(report=Value(legacy))
    assert ImportJob.objects.get(pk=job.pk).report == "row 3: not a date"  # still read

    rotate_keys(actor="system:test")

    (token,) = raw_tokens(ImportJob, "report")
    assert token.startswith("eo2:")
    assert ImportJob.objects.get(pk=job.pk).report == "row 3: not a date"


@pytest.mark.django_db
def test_a_value_moved_to_another_customers_row_is_refused(lead: Any) -> None:
    """Issue 25, finding 2: the associated data named the column only, so a token copied from
    one customer's row to another's was read as theirs."""
    victim, other = CustomerFactory(), CustomerFactory()
    theirs = record_answer(lead, victim, "sexual_orientation", "bisexual")
    mine = record_answer(lead, other, "sexual_orientation", "heterosexual")
    (token,) = [
        t for t in raw_tokens(ProfileAnswer, "value") if t != _raw(ProfileAnswer, mine.pk, "value")
    ]
    ProfileAnswer.objects.filter(pk=mine.pk).update(value=Value(token))
    with pytest.raises(DecryptionError, match="belongs to another row"):
        ProfileAnswer.objects.get(pk=mine.pk)
    assert ProfileAnswer.objects.get(pk=theirs.pk).value == "bisexual"
    with pytest.raises(ValueError, match="bound to its row"):
        ProfileAnswer.objects.filter(pk=mine.pk).update(value="heterosexual")


@pytest.mark.django_db
def test_values_written_before_binding_are_bound_by_the_migration(lead: Any) -> None:
    answer = record_answer(lead, CustomerFactory(), "sex", "female")
    unbound = keyring().encrypt("female", "customers.profileanswer.value", 128)
    ProfileAnswer.objects.filter(pk=answer.pk).update(value=Value(unbound))
    with pytest.raises(DecryptionError, match="not bound"):
        ProfileAnswer.objects.get(pk=answer.pk)
    # What the migration runs (a schema editor is only the connection it works on).
    editor = SimpleNamespace(connection=connection)
    bind_existing("customers", "profileanswer", ["value"], "customer_id")(apps, editor)
    assert _raw(ProfileAnswer, answer.pk, "value").startswith("eo3:")
    assert ProfileAnswer.objects.get(pk=answer.pk).value == "female"


def _raw(model: Any, pk: int, name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {name} FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return str(cursor.fetchone()[0])
