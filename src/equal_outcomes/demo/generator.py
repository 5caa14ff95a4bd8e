"""A synthetic, reproducible landlord: places, households, customers of every type, profiles with
realistic distributions and uneven missingness, needs, adjustments, and a demo user per role.

Distributions follow Census 2021 (England and Wales) shares, skewed towards social renters where
that is well known (more disability, more single-adult households). Completeness differs by area
and customer type on purpose: tenants are better profiled than household members, leaseholders
and other service users, and some areas lag far behind, as the framework says they usually do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from faker import Faker

from equal_outcomes.accounts.models import Authenticator, User
from equal_outcomes.accounts.roles import Role, requires_two_factor
from equal_outcomes.accounts.services import totp_secret
from equal_outcomes.audit.actions import AuditAction
from equal_outcomes.audit.services import Auditor
from equal_outcomes.core.bulk import refresh_statistics
from equal_outcomes.customers.models import (
    AdjustmentStatus,
    AnswerState,
    Area,
    Block,
    CommunicationNeed,
    CommunicationPreference,
    Confidentiality,
    Customer,
    Estate,
    Household,
    ProfileAnswer,
    Property,
    ReasonableAdjustment,
    SupportNeed,
    Tenancy,
)
from equal_outcomes.customers.services import MULTIPLE_SEPARATOR, answer_expiry
from equal_outcomes.standards.codelists import characteristics

DEMO_PASSWORD = "equal-outcomes-demo"  # noqa: S105 - documented demo password, development only

DEMO_USERS: list[tuple[str, Role, str, str]] = [
    ("tenant", Role.TENANT, "Tess", "Tenant"),
    ("advisor", Role.ADVISOR, "Adam", "Advisor"),
    ("officer", Role.HOUSING_OFFICER, "Olwen", "Officer"),
    ("lead", Role.EQUALITY_LEAD, "Leila", "Lead"),
    ("contractor", Role.CONTRACTOR, "Colin", "Contractor"),
    ("partner", Role.PARTNER, "Priya", "Partner"),
    ("hr", Role.HR, "Harri", "HR"),
    ("board", Role.BOARD, "Bethan", "Board"),
    ("admin", Role.ADMINISTRATOR, "Ada", "Administrator"),
    # A newcomer: an equality lead with no authenticator app yet, who sees the set-up page (a
    # QR code to scan) at first sign-in, as every real member of staff does.
    ("newlead", Role.EQUALITY_LEAD, "Nia", "Newcomer"),
]
# Demo users who set up an authenticator themselves at first sign-in.
ENROL_THEMSELVES = {"newlead"}


@dataclass(frozen=True)
class AreaPlan:
    code: str
    name: str
    completeness: float  # multiplies the chance a question has been asked
    welsh: float  # share of Welsh speakers
    rural: bool
    lsoa_prefix: str


AREAS = [
    AreaPlan("NTH", "Northfield", 1.10, 0.03, False, "E01"),
    AreaPlan("RIV", "Riverside", 1.00, 0.04, False, "E01"),
    AreaPlan("CST", "Castle Hill", 0.85, 0.10, False, "W01"),
    AreaPlan("OLD", "Old Town", 0.95, 0.05, False, "E01"),
    AreaPlan("VAL", "Valley Villages", 0.55, 0.35, True, "W01"),
    AreaPlan("CHA", "Coast and Harbour", 0.70, 0.20, True, "W01"),
]
STREETS = [
    "Mill",
    "Church",
    "Station",
    "Park",
    "Heol",
    "Bryn",
    "Maes",
    "Ffordd",
    "Victoria",
    "Oak",
    "Chapel",
    "School",
    "Quarry",
    "Afon",
    "Tŷ Gwyn",
    "Elm",
    "Rowan",
    "Hafod",
]
SUFFIX = ["Street", "Road", "Close", "Court", "Avenue", "Lane", "View", "Terrace"]

# Census 2021 England and Wales shares (percent), lightly adjusted for social renters.
ETHNICITY = {
    "white_british": 72.0,
    "white_irish": 0.8,
    "white_gypsy_traveller": 0.3,
    "white_roma": 0.3,
    "white_other": 6.5,
    "mixed_white_black_caribbean": 1.1,
    "mixed_white_black_african": 0.6,
    "mixed_white_asian": 0.7,
    "mixed_other": 0.8,
    "asian_indian": 2.2,
    "asian_pakistani": 3.0,
    "asian_bangladeshi": 1.6,
    "asian_chinese": 0.4,
    "asian_other": 1.3,
    "black_african": 3.8,
    "black_caribbean": 1.6,
    "black_other": 0.8,
    "other_arab": 0.8,
    "other_any": 1.4,
}
RELIGION = {
    "none": 36.0,
    "christian": 46.0,
    "muslim": 9.0,
    "hindu": 1.5,
    "sikh": 0.9,
    "buddhist": 0.5,
    "jewish": 0.4,
    "other": 0.7,
}
ORIENTATION = {"heterosexual": 95.0, "gay_lesbian": 2.0, "bisexual": 2.2, "other": 0.8}
LANGUAGES = {
    "en": 90.0,
    "pl": 2.0,
    "ur": 1.0,
    "pa": 0.6,
    "bn": 0.8,
    "ar": 0.9,
    "so": 0.8,
    "ro": 0.8,
    "pt": 0.4,
    "ti": 0.3,
    "ku": 0.3,
    "fa": 0.3,
    "bfi": 0.3,
    "lt": 0.4,
}
PNTS_RATE = {
    "sexual_orientation": 0.12,
    "religion": 0.06,
    "gender_identity": 0.06,
    "ethnicity": 0.03,
    "disability": 0.04,
    "marital_status": 0.04,
}
ASK_FACTOR = {
    "sexual_orientation": 0.70,
    "gender_identity": 0.65,
    "religion": 0.85,
    "impairment_type": 0.80,
    "welsh_language": 0.60,
    "literacy": 0.45,
    "digital_inclusion": 0.55,
    "rural_isolation": 0.40,
    "caring_responsibilities": 0.50,
    "financial_hardship": 0.45,
    "pregnancy_maternity": 0.55,
}
TYPE_COMPLETENESS = {
    "tenant": 0.85,
    "joint_tenant": 0.75,
    "household_member": 0.35,
    "leaseholder": 0.40,
    "shared_owner": 0.45,
    "applicant": 0.90,
    "other_service_user": 0.20,
}
TOUCHPOINTS = {
    "application": 25,
    "sign_up": 25,
    "survey": 15,
    "contact": 15,
    "home_visit": 10,
    "import": 10,
}


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class DemoResult:
    customers: int
    households: int
    answers: int
    users: list[tuple[str, str, str, str]]  # username, role label, password, two-factor secret


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.answers: list[ProfileAnswer] = []
        self.comm_prefs: list[CommunicationPreference] = []
        self.welsh_speakers: set[int] = set()
        self.comm_needs: list[CommunicationNeed] = []
        self.support: list[SupportNeed] = []
        self.adjustments: list[ReasonableAdjustment] = []
        self.postcode_serial = 0

    def recorded(self, years_back: float = 6.0) -> dt.datetime:
        return self.now - dt.timedelta(days=self.rng.uniform(1, 365 * years_back))

    def postcode(self, area: int) -> str:
        self.postcode_serial += 1
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        return f"EQ{area + 1} {self.postcode_serial % 9 + 1}{self.rng.choice(letters)}{self.rng.choice(letters)}"

    def birth_date(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low * 365, high * 365 + 364))

    def profile(self, customer: Customer, plan: AreaPlan, is_child: bool) -> bool:
        """Add the person's answers; return whether they are disabled (asked about or not)."""
        rng = self.rng
        base = TYPE_COMPLETENESS[customer.customer_type] * plan.completeness
        if is_child:
            base *= 0.3
        age = customer.age_on(self.today) or 40
        female = rng.random() < 0.53
        disabled = rng.random() < (0.25 + min(age, 90) / 200)
        for item in characteristics():
            if (item.asked_when and not disabled) or not item.eligible(age):
                continue
            if item.id == "pregnancy_maternity" and not (female and 16 <= age <= 45):
                continue
            if item.id == "welsh_language" and plan.welsh < 0.1:
                continue
            if rng.random() > min(0.98, base * ASK_FACTOR.get(item.id, 1.0)):
                continue
            when = self.recorded()
            touchpoint = _pick(rng, TOUCHPOINTS)
            if rng.random() < PNTS_RATE.get(item.id, 0.02):
                self.answers.append(
                    self._answer(
                        customer, item.id, AnswerState.PREFER_NOT_TO_SAY, "", touchpoint, when
                    )
                )
                continue
            codes = self.answer_codes(item.id, female=female, age=age, disabled=disabled, plan=plan)
            value = MULTIPLE_SEPARATOR.join(sorted(set(codes)))
            if item.id == "main_language" and value == "cy":
                self.welsh_speakers.add(customer.pk)
            answer = self._answer(customer, item.id, AnswerState.ANSWERED, value, touchpoint, when)
            self.answers.append(answer)
            if rng.random() < 0.08:  # an earlier, superseded answer kept as history
                old = self._answer(
                    customer,
                    item.id,
                    AnswerState.NOT_ASKED,
                    "",
                    "import",
                    when - dt.timedelta(days=rng.randint(200, 900)),
                )
                old.is_current = False
                old.superseded_at = when
                self.answers.append(old)
        return disabled

    def _answer(
        self,
        customer: Customer,
        characteristic: str,
        state: str,
        value: str,
        touchpoint: str,
        when: dt.datetime,
    ) -> ProfileAnswer:
        confirmed = when + dt.timedelta(days=self.rng.randint(0, max(0, (self.now - when).days)))
        return ProfileAnswer(
            customer=customer,
            characteristic=characteristic,
            state=state,
            value=value,
            touchpoint=touchpoint,
            recorded_at=when,
            last_confirmed_at=min(confirmed, self.now),
            is_current=True,
            expires_on=answer_expiry(characteristics().get(characteristic), when.date()),
        )

    def answer_codes(
        self, characteristic: str, *, female: bool, age: int, disabled: bool, plan: AreaPlan
    ) -> Sequence[str]:
        rng = self.rng
        match characteristic:
            case "sex":
                return ["female" if female else "male"]
            case "gender_identity":
                return ["different" if rng.random() < 0.006 else "same"]
            case "sexual_orientation":
                return [_pick(rng, ORIENTATION)]
            case "ethnicity":
                return [_pick(rng, ETHNICITY)]
            case "religion":
                return [_pick(rng, RELIGION)]
            case "disability":
                return ["yes" if disabled else "no"]
            case "disability_impact":
                return [_pick(rng, {"a_lot": 45, "a_little": 40, "not_at_all": 15})]
            case "impairment_type":
                kinds = [
                    "mobility",
                    "stamina",
                    "mental_health",
                    "dexterity",
                    "vision",
                    "hearing",
                    "learning",
                    "memory",
                    "social_behavioural",
                    "other",
                ]
                weights = [30, 22, 25, 12, 8, 9, 7, 6, 6, 5]
                return list({*rng.choices(kinds, weights=weights, k=rng.randint(1, 3))})
            case "marital_status":
                if age < 25:
                    return ["never_married"]
                return [
                    _pick(
                        rng,
                        {
                            "never_married": 45,
                            "married": 22,
                            "civil_partnership": 1,
                            "separated_married": 6,
                            "divorced": 14,
                            "widowed": 10 if age > 60 else 2,
                        },
                    )
                ]
            case "pregnancy_maternity":
                return [_pick(rng, {"pregnant": 5, "maternity": 4, "neither": 91})]
            case "main_language":
                return ["cy" if rng.random() < plan.welsh * 0.4 else _pick(rng, LANGUAGES)]
            case "welsh_language":
                if rng.random() < plan.welsh:
                    return rng.sample(["understand", "speak", "read", "write"], k=rng.randint(1, 4))
                return ["none"]
            case "literacy":
                return [_pick(rng, {"easy": 80, "some_difficulty": 14, "need_help": 6})]
            case "digital_inclusion":
                offline = 0.05 + max(0, age - 60) / 100
                return [
                    _pick(
                        rng,
                        {
                            "daily": 70 - 100 * offline,
                            "sometimes": 12,
                            "rarely": 6,
                            "never": 100 * offline,
                            "no_access": 6,
                        },
                    )
                ]
            case "rural_isolation":
                if plan.rural:
                    return [_pick(rng, {"easy": 45, "some_difficulty": 35, "very_difficult": 20})]
                return [_pick(rng, {"easy": 85, "some_difficulty": 12, "very_difficult": 3})]
            case "caring_responsibilities":
                return [_pick(rng, {"none": 85, "under_20": 7, "20_49": 3, "50_plus": 5})]
            case "financial_hardship":
                return [_pick(rng, {"managing": 40, "just_about": 38, "struggling": 22})]
        raise ValueError(characteristic)

    def needs(self, customer: Customer, disabled: bool, age: int) -> None:
        rng = self.rng
        welsh = customer.pk in self.welsh_speakers  # they choose Welsh for letters
        if welsh or rng.random() < 0.55:
            language = "cy" if welsh else "en" if rng.random() < 0.92 else _pick(rng, LANGUAGES)
            self.comm_prefs.append(
                CommunicationPreference(
                    customer=customer,
                    source=_pick(rng, TOUCHPOINTS),
                    recorded_at=self.recorded(),
                    preferred_language=language,
                    interpreter_needed=language not in {"en", "cy"} and rng.random() < 0.6,
                    preferred_format=_pick(
                        rng,
                        {
                            "standard": 88,
                            "large_print": 6,
                            "easy_read": 3,
                            "audio": 1,
                            "braille": 0.5,
                            "electronic": 1.5,
                        },
                    ),
                    preferred_contact_method=_pick(
                        rng,
                        {
                            "phone": 40,
                            "text": 22,
                            "email": 20,
                            "letter": 12,
                            "in_person": 4,
                            "representative": 2,
                        },
                    ),
                    contact_times=rng.choice(["", "", "Mornings", "After 3pm", "Not before 10am"]),
                )
            )
        if rng.random() < (0.20 if disabled or age > 75 else 0.05):
            for need in rng.sample(
                [
                    "call_before_visit",
                    "extra_time_at_door",
                    "large_print",
                    "introduce_on_arrival",
                    "tell_if_late",
                    "representative",
                    "bsl_interpreter",
                    "interpreter",
                ],
                k=rng.randint(1, 2),
            ):
                self.comm_needs.append(
                    CommunicationNeed(
                        customer=customer,
                        need=need,
                        source=_pick(rng, TOUCHPOINTS),
                        recorded_at=self.recorded(3),
                    )
                )
        if rng.random() < (0.30 if disabled else 0.08):
            need = _pick(
                rng,
                {
                    "mental_health": 24,
                    "disability_health": 22,
                    "financial_hardship": 18,
                    "bereavement": 6,
                    "domestic_abuse": 5,
                    "old_age": 8 if age > 70 else 0.5,
                    "hearing_impairment": 3,
                    "visual_impairment": 2,
                    "language_barrier": 3,
                    "learning_disability": 3,
                    "substance_misuse": 2,
                    "social_isolation": 4,
                },
            )
            start = self.today - dt.timedelta(days=rng.randint(10, 900))
            self.support.append(
                SupportNeed(
                    customer=customer,
                    need=need,
                    source=_pick(rng, TOUCHPOINTS),
                    recorded_at=timezone.make_aware(dt.datetime.combine(start, dt.time(10))),
                    start_date=start,
                    review_date=start + dt.timedelta(days=rng.choice([90, 180, 365])),
                    customer_told=rng.random() > 0.05,
                    confidentiality=(
                        Confidentiality.HIGHLY_RESTRICTED
                        if need == "domestic_abuse"
                        else _pick(
                            rng, {Confidentiality.STANDARD: 80, Confidentiality.RESTRICTED: 20}
                        )
                    ),
                )
            )
        if rng.random() < (0.18 if disabled else 0.03):
            status = _pick(
                rng,
                {
                    AdjustmentStatus.AGREED: 70,
                    AdjustmentStatus.REQUESTED: 20,
                    AdjustmentStatus.REFUSED: 10,
                },
            )
            self.adjustments.append(
                ReasonableAdjustment(
                    customer=customer,
                    adjustment=rng.choice(
                        [
                            "call_ahead_30",
                            "extra_time_door",
                            "introduce_on_arrival",
                            "longer_appointment",
                            "accessible_format",
                            "named_contact",
                            "home_visit",
                            "no_phone_calls",
                            "priority_repair",
                        ]
                    ),
                    status=status,
                    source=_pick(rng, TOUCHPOINTS),
                    recorded_at=self.recorded(3),
                    refusal_reason="Not reasonable within the repairs contract; alternative offered"
                    if status == AdjustmentStatus.REFUSED
                    else "",
                    decided_at=self.recorded(2) if status != AdjustmentStatus.REQUESTED else None,
                    review_date=self.today + dt.timedelta(days=rng.randint(-60, 365)),
                )
            )


@transaction.atomic
def generate(*, customers: int = 5000, seed: int = 1, password: str = DEMO_PASSWORD) -> DemoResult:
    """Create the demo landlord. ``customers`` is the approximate number of people."""
    b = _Builder(seed)
    rng = b.rng
    areas, estates_by_area = [], {}
    for plan in AREAS:
        area = Area.objects.create(code=plan.code, name=plan.name)
        areas.append(area)
        estates_by_area[plan.code] = [
            Estate.objects.create(
                area=area,
                code=f"{plan.code}-{n}",
                name=f"{b.fake.last_name()} {rng.choice(['Estate', 'Park', 'Gardens', 'Green'])}",
            )
            for n in range(1, rng.randint(3, 5) + 1)
        ]
    blocks = {
        estate.pk: [
            Block.objects.create(
                estate=estate, code=f"{estate.code}-B{n}", name=f"{b.fake.last_name()} House"
            )
            for n in (1, 2)
        ]
        for estates in estates_by_area.values()
        for estate in estates
    }

    people: list[tuple[Customer, AreaPlan, bool]] = []
    households = properties = 0
    serial = 0

    def new_customer(kind: str, household: Household | None, low: int, high: int) -> Customer:
        nonlocal serial
        serial += 1
        female = rng.random() < 0.52
        first = b.fake.first_name_female() if female else b.fake.first_name_male()
        return Customer(
            landlord_ref=f"C{serial:07d}",
            customer_type=kind,
            household=household,
            first_name=first,
            last_name=b.fake.last_name(),
            date_of_birth=b.birth_date(low, high),
            email=f"{first.lower()}.{serial}@example.org" if rng.random() < 0.6 else "",
            phone=f"07700 9{rng.randint(0, 99999):05d}" if rng.random() < 0.8 else "",
            objects_to_monitoring=rng.random() < 0.01,
        )

    while serial < customers:
        index = rng.randrange(len(AREAS))
        plan, estate = AREAS[index], rng.choice(estates_by_area[AREAS[index].code])
        properties += 1
        is_flat = rng.random() < 0.4
        prop = Property.objects.create(
            property_ref=f"P{properties:06d}",
            estate=estate,
            block=rng.choice(blocks[estate.pk]) if is_flat else None,
            address=f"{rng.randint(1, 160)} {rng.choice(STREETS)} {rng.choice(SUFFIX)}",
            postcode=b.postcode(index),
            lsoa_code=f"{plan.lsoa_prefix}{rng.randint(0, 33000):06d}",
            rural_urban=rng.choice(["D1", "E1", "E2", "F1"])
            if plan.rural
            else rng.choice(["A1", "B1", "C1"]),
        )
        households += 1
        household = Household.objects.create(household_ref=f"H{households:06d}", property=prop)
        tenure = rng.random()
        if tenure < 0.08:
            members = [new_customer("leaseholder", household, 25, 80)]
        elif tenure < 0.11:
            members = [new_customer("shared_owner", household, 25, 60)]
        else:
            start = b.today - dt.timedelta(days=rng.randint(30, 365 * 25))
            Tenancy.objects.create(
                tenancy_ref=f"T{households:06d}",
                household=household,
                property=prop,
                start_date=start,
            )
            joint = rng.random() < 0.25
            members = [new_customer("joint_tenant" if joint else "tenant", household, 18, 92)]
            if joint:
                members.append(new_customer("joint_tenant", household, 18, 92))
        for _ in range(rng.choices([0, 1, 2, 3], weights=[45, 25, 20, 10])[0]):
            child = rng.random() < 0.7
            members.append(
                new_customer("household_member", household, 0 if child else 18, 17 if child else 40)
            )
        people.extend((m, plan, (m.age_on(b.today) or 0) < 16) for m in members)
        if rng.random() < 0.10:  # applicants and other service users have no home with us
            kind = "applicant" if rng.random() < 0.6 else "other_service_user"
            people.append((new_customer(kind, None, 18, 85), plan, False))

    Customer.objects.bulk_create([person for person, _, _ in people], batch_size=1000)
    saved = {c.landlord_ref: c for c in Customer.objects.all()}
    for person, plan, is_child in people:
        customer = saved[person.landlord_ref]
        disabled = b.profile(customer, plan, is_child)
        if not is_child:
            b.needs(customer, disabled, customer.age_on(b.today) or 0)
    ProfileAnswer.objects.bulk_create(b.answers, batch_size=2000)
    CommunicationPreference.objects.bulk_create(b.comm_prefs, batch_size=2000)
    CommunicationNeed.objects.bulk_create(b.comm_needs, batch_size=2000)
    SupportNeed.objects.bulk_create(b.support, batch_size=2000)
    ReasonableAdjustment.objects.bulk_create(b.adjustments, batch_size=2000)
    refresh_statistics(
        Area,
        Estate,
        Block,
        Property,
        Household,
        Tenancy,
        Customer,
        ProfileAnswer,
        CommunicationPreference,
        CommunicationNeed,
        SupportNeed,
        ReasonableAdjustment,
    )

    tenant_customer = Customer.objects.filter(customer_type="tenant").order_by("id").first()
    users = []
    for username, role, first, last in DEMO_USERS:
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            role=role,
            email=f"{username}@example.org",
        )
        if role == Role.HOUSING_OFFICER:
            user.areas.set(areas[:2])
        if role == Role.TENANT and tenant_customer is not None:
            Customer.objects.filter(pk=tenant_customer.pk).update(user=user)
        secret = ""
        if requires_two_factor(role) and username not in ENROL_THEMSELVES:
            secret = totp_secret(
                Authenticator.objects.create(user=user, name="demo", confirmed=True)
            )
        users.append((username, str(role.label), password, secret))
    _demo_teams()
    Auditor.record(
        actor="system:demo",
        action=AuditAction.CREATE,
        target_type="demo",
        target_id=seed,
        purpose=f"synthetic landlord of {len(people)} people",
    )
    return DemoResult(
        customers=len(people), households=households, answers=len(b.answers), users=users
    )


def _demo_teams() -> None:
    """A tenancy sustainment team that reads the needs restricted to it, and the safeguarding
    team that reads highly restricted ones; the demo housing officer is on both, the lead on
    the first."""
    sustainment = Group.objects.create(name="Tenancy sustainment")
    safeguarding = Group.objects.create(name=settings.EQUAL_OUTCOMES_SAFEGUARDING_TEAM)
    User.objects.get(username="officer").groups.add(sustainment, safeguarding)
    User.objects.get(username="lead").groups.add(sustainment)
    restricted = SupportNeed.objects.filter(confidentiality=Confidentiality.RESTRICTED)
    SupportNeed.teams.through.objects.bulk_create(
        SupportNeed.teams.through(supportneed_id=pk, group_id=sustainment.pk)
        for pk in restricted.values_list("pk", flat=True)
    )


def current_code(username: str) -> str:
    """The code a demo user's authenticator would show now. Refused outside development, where
    it would defeat the second factor."""
    if not settings.DEVELOPMENT:
        raise CommandError("two-factor codes are printed on development installations only")
    device = Authenticator.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        raise CommandError(f"{username!r} has no two-factor device")
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():0{device.digits}d}"
