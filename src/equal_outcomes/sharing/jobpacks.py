"""Contractor job packs: what an operative needs to know before visiting a home.

A job pack says what to do, never why. It is built only from coded, shareable data: agreed
reasonable adjustments, current communication needs and the communication preference, each
turned into a visit instruction. Free-text details, support needs (vulnerabilities) and profile
answers (protected characteristics) are never read. Where the UK Housing Data Standards'
``PersonAlertTypeCode`` list has a code that is itself an instruction, the instruction carries it
(``NoVisitAlone``, ``LanguageSupport``); the list's codes that name a condition (``Illness``,
``VisionImpaired``, ``Elderly``, ``DisablityVulnerablity``, …) are never used, as the standard
says alerts must not be repeated on an operative's work order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone

from equal_outcomes.customers.models import (
    AdjustmentStatus,
    CommunicationNeed,
    CommunicationPreference,
    Customer,
    Property,
    ReasonableAdjustment,
)
from equal_outcomes.sharing.models import ShareField
from equal_outcomes.standards.codelists import code_list

# Agreed adjustments that change how a visit is made (the others are about letters or offices).
VISIT_ADJUSTMENTS = frozenset(
    {
        "call_ahead_30", "extra_time_door", "introduce_on_arrival", "welsh_speaking_operative",
        "do_not_visit_alone", "interpreter_at_visits", "bsl_at_visits", "longer_appointment",
        "same_gender_operative", "contact_via_representative", "no_phone_calls",
        "written_confirmation", "priority_repair",
    }
)  # fmt: skip
# Communication needs as the visit instruction they call for: (code list, code).
FROM_NEEDS: dict[str, tuple[str, str]] = {
    "call_before_visit": ("communication_need", "call_before_visit"),
    "extra_time_at_door": ("adjustment", "extra_time_door"),
    "introduce_on_arrival": ("adjustment", "introduce_on_arrival"),
    "tell_if_late": ("communication_need", "tell_if_late"),
    "interpreter": ("adjustment", "interpreter_at_visits"),
    "bsl_interpreter": ("adjustment", "bsl_at_visits"),
    "welsh_speaker": ("adjustment", "welsh_speaking_operative"),
    "representative": ("adjustment", "contact_via_representative"),
    "plain_language": ("communication_need", "plain_language"),
}
# UK Housing Data Standards PersonAlertTypeCode, only where the code is the instruction.
HDS_ALERTS = {"do_not_visit_alone": "NoVisitAlone", "interpreter_at_visits": "LanguageSupport"}


@dataclass(frozen=True)
class Instruction:
    code: str
    text: str
    alert_code: str = ""  # PersonAlertTypeCode, where one applies: the named code ...
    alert_type_code: str = ""  # ... and its number in UK Housing Data Standards 3.5 ("10")


@dataclass
class Resident:
    name: str = ""
    phone: str = ""
    language: str = ""
    instructions: list[Instruction] = field(default_factory=list)


@dataclass
class JobPack:
    property_ref: str
    generated_at: dt.datetime
    partner: str
    fields: list[str]
    address: str = ""
    postcode: str = ""
    residents: list[Resident] = field(default_factory=list)

    @property
    def instructions(self) -> list[Instruction]:
        """Every resident's instructions, once each."""
        seen: dict[str, Instruction] = {}
        for resident in self.residents:
            for instruction in resident.instructions:
                seen.setdefault(instruction.code, instruction)
        return list(seen.values())

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["generated_at"] = self.generated_at.isoformat()
        data["instructions"] = [asdict(i) for i in self.instructions]
        return data


def _instruction(listing: str, code: str, language: str) -> Instruction:
    text = code_list(listing).label(code, language) if code in code_list(listing) else code
    alert = HDS_ALERTS.get(code, "")
    alerts = code_list("person_alert")
    number = (alerts.get(alert).hds_code or "") if alert in alerts else ""
    return Instruction(code, text, alert, number)


def instructions_for(
    adjustments: list[str],
    needs: list[str],
    interpreter_needed: bool,
    language: str = "en",
) -> list[Instruction]:
    """Visit instructions from coded data only, in a stable order, once each."""
    wanted: dict[tuple[str, str], None] = {}
    for code in sorted(adjustments):
        if code in VISIT_ADJUSTMENTS:
            wanted[("adjustment", code)] = None
    for code in sorted(needs):
        if code in FROM_NEEDS:
            wanted[FROM_NEEDS[code]] = None
    if interpreter_needed:
        wanted[("adjustment", "interpreter_at_visits")] = None
    return [_instruction(listing, code, language) for listing, code in wanted]


def residents_of(home: Property) -> list[Customer]:
    """Current members of the households at a property, erased records left out."""
    return list(
        Customer.objects.filter(household__property=home, erased_at__isnull=True).order_by(
            "last_name", "first_name"
        )
    )


def build(
    home: Property,
    *,
    fields: list[str],
    partner: str,
    language: str = "en",
    today: dt.date | None = None,
) -> tuple[JobPack, list[Customer]]:
    """The job pack for a visit to ``home`` with only the agreed ``fields``, and the people it
    tells the operative about (to log the disclosure)."""
    today = today or timezone.localdate()
    people = residents_of(home)
    ids = [person.pk for person in people]
    adjustments: dict[int, list[str]] = {pk: [] for pk in ids}
    for customer_id, code in ReasonableAdjustment.objects.filter(
        customer_id__in=ids, status=AdjustmentStatus.AGREED
    ).values_list("customer_id", "adjustment"):
        adjustments[customer_id].append(code)
    needs: dict[int, list[str]] = {pk: [] for pk in ids}
    for customer_id, code, ended in CommunicationNeed.objects.filter(
        customer_id__in=ids
    ).values_list("customer_id", "need", "end_date"):
        if ended is None or ended > today:
            needs[customer_id].append(code)
    preferences = {
        p.customer_id: p for p in CommunicationPreference.objects.filter(customer_id__in=ids)
    }
    languages = code_list("language")
    pack = JobPack(home.property_ref, timezone.now(), partner, sorted(fields))
    if ShareField.ADDRESS in fields:
        pack.address, pack.postcode = home.address, home.postcode
    told_about = []
    for person in people:
        preference = preferences.get(person.pk)
        interpreter = bool(preference and preference.interpreter_needed)
        resident = Resident()
        if ShareField.INSTRUCTIONS in fields:
            resident.instructions = instructions_for(
                adjustments[person.pk], needs[person.pk], interpreter, language
            )
        if ShareField.LANGUAGE in fields and preference and preference.preferred_language:
            code = preference.preferred_language
            if code != "en" or interpreter:
                resident.language = languages.label(code, language) if code in languages else code
        if ShareField.NAMES in fields:
            resident.name = f"{person.first_name} {person.last_name}".strip()
        if ShareField.PHONE in fields:
            resident.phone = person.phone
        if resident.instructions or resident.language or resident.name or resident.phone:
            pack.residents.append(resident)
            told_about.append(person)
    return pack, told_about
