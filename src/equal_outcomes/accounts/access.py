"""The page register: who may use each URL. ``tests/accounts/test_access_matrix.py`` walks
every URL pattern, signs in as every role and checks the outcome against this table; a URL
without an entry fails the test.

Pages marked ``customer`` take a customer's ``public_id`` and answer 404 for a record outside
the user's scope, exactly as for one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from equal_outcomes.accounts.roles import Role

R = Role
EVERYONE = frozenset(Role)
RECORD_STAFF = frozenset({R.ADVISOR, R.HOUSING_OFFICER, R.EQUALITY_LEAD})
LEAD = frozenset({R.EQUALITY_LEAD})
PARTNERS = frozenset({R.CONTRACTOR, R.PARTNER})
VULNERABILITY_STAFF = frozenset({R.HOUSING_OFFICER, R.EQUALITY_LEAD})


@dataclass(frozen=True)
class Page:
    roles: frozenset[Role]
    method: str = "GET"
    public: bool = False  # reachable without signing in
    customer: bool = False  # takes a customer's public_id and is scoped to it
    link: bool = False  # takes a questionnaire link's token
    question: bool = False  # takes a profile question's id
    job: bool = False  # takes an import job's id (the user's own jobs only)
    indicator: bool = False  # takes an indicator id and a characteristic
    report_job: bool = False  # takes a report job's id (the user's own jobs only)
    args: tuple[str, ...] = ()  # takes these objects (named in the access-matrix test's world)
    status: int = 0  # every visitor gets this status, signed in or not (the API's pages)


PAGES: dict[str, Page] = {
    "home": Page(EVERYONE),
    "set_language": Page(EVERYONE, method="POST", public=True),
    "accounts:login": Page(EVERYONE, public=True),
    "accounts:logout": Page(EVERYONE, method="POST"),
    "accounts:two_factor": Page(EVERYONE),
    "accounts:set_password": Page(EVERYONE, public=True, args=("uidb64", "set_token")),
    "accounts:reset": Page(EVERYONE, public=True),
    "accounts:reset_sent": Page(EVERYONE, public=True),
    "accounts:users": Page(frozenset({R.ADMINISTRATOR})),
    "accounts:organisation": Page(frozenset({R.ADMINISTRATOR})),
    "accounts:user_invite": Page(frozenset({R.ADMINISTRATOR})),
    "accounts:user": Page(frozenset({R.ADMINISTRATOR}), args=("user",)),
    "customers:search": Page(RECORD_STAFF),
    "privacy:emergency_access": Page(frozenset({R.HOUSING_OFFICER})),
    "customers:record": Page(RECORD_STAFF, customer=True),
    "customers:access_log": Page(frozenset({R.HOUSING_OFFICER, R.EQUALITY_LEAD}), customer=True),
    "privacy:correct": Page(RECORD_STAFF, customer=True),
    "privacy:objection": Page(RECORD_STAFF, method="POST", customer=True),
    "privacy:restricted": Page(frozenset({R.HOUSING_OFFICER}), customer=True),
    "privacy:subject_access": Page(frozenset({R.EQUALITY_LEAD, R.HOUSING_OFFICER}), customer=True),
    "privacy:erase": Page(frozenset({R.EQUALITY_LEAD}), customer=True),
    "sharing:export_customers": Page(frozenset({R.EQUALITY_LEAD})),
    "sharing:agreements": Page(LEAD),
    "sharing:agreement": Page(LEAD, args=("agreement",)),
    "sharing:job_packs": Page(PARTNERS),
    "sharing:job_pack": Page(PARTNERS, args=("property",)),
    "sharing:report_back": Page(PARTNERS, args=("property",)),
    "sharing:jobs": Page(RECORD_STAFF),
    "sharing:job_close": Page(RECORD_STAFF, method="POST", args=("contractor_job",)),
    "sharing:reports": Page(RECORD_STAFF),
    "sharing:referrals": Page(VULNERABILITY_STAFF),
    "sharing:referral_new": Page(VULNERABILITY_STAFF),
    "sharing:referral": Page(VULNERABILITY_STAFF, args=("referral",)),
    "sharing:report_decide": Page(RECORD_STAFF, method="POST", args=("field_report",)),
    "imports:customers": Page(frozenset({R.EQUALITY_LEAD})),
    "imports:places": Page(frozenset({R.EQUALITY_LEAD, R.ADMINISTRATOR})),
    "imports:job": Page(frozenset({R.EQUALITY_LEAD}), job=True),
    # Dashboards: aggregates only; the board sees them with disclosure control applied.
    "insight:knowing": Page(frozenset({R.EQUALITY_LEAD, R.BOARD})),
    "insight:outcomes": Page(frozenset({R.EQUALITY_LEAD, R.BOARD})),
    "insight:outcome_detail": Page(frozenset({R.EQUALITY_LEAD, R.BOARD}), indicator=True),
    "insight:serve": Page(frozenset({R.EQUALITY_LEAD, R.BOARD})),
    "insight:services": Page(frozenset({R.EQUALITY_LEAD, R.BOARD})),
    "insight:contractors": Page(frozenset({R.EQUALITY_LEAD, R.BOARD})),
    "insight:service": Page(frozenset({R.EQUALITY_LEAD, R.BOARD}), args=("service",)),
    # Census tables for Who we serve: loaded by the equality lead, as imports are.
    "insight:population": Page(frozenset({R.EQUALITY_LEAD})),
    "insight:reports": Page(frozenset({R.EQUALITY_LEAD, R.BOARD})),
    "insight:report_job": Page(frozenset({R.EQUALITY_LEAD, R.BOARD}), report_job=True),
    "insight:report_download": Page(frozenset({R.EQUALITY_LEAD, R.BOARD}), report_job=True),
    # The workforce: HR keeps the records; the equality lead and the board see the dashboard and
    # report, with disclosure control applied.
    "workforce:dashboard": Page(frozenset({R.HR, R.EQUALITY_LEAD, R.BOARD})),
    "workforce:report": Page(frozenset({R.HR, R.EQUALITY_LEAD, R.BOARD})),
    "workforce:records": Page(frozenset({R.HR})),
    "workforce:staff": Page(frozenset({R.HR}), args=("staff",)),
    "workforce:benchmarks": Page(frozenset({R.HR})),
    # Self-assessment and action planning: the equality lead's work.
    "assessment:index": Page(LEAD),
    "assessment:new": Page(LEAD),
    "assessment:detail": Page(LEAD, args=("assessment",)),
    "assessment:refresh": Page(LEAD, method="POST", args=("assessment",)),
    "assessment:report": Page(LEAD, args=("assessment",)),
    "assessment:area": Page(LEAD, args=("assessment", "area")),
    "assessment:question": Page(LEAD, args=("assessment", "question")),
    "assessment:criterion": Page(LEAD, args=("assessment", "criterion")),
    "assessment:file": Page(LEAD, args=("assessment", "file")),
    "assessment:toolkit": Page(LEAD, args=("toolkit",)),
    "assessment:sub_outcome": Page(LEAD, args=("toolkit", "sub_outcome")),
    "assessment:story": Page(LEAD, args=("toolkit", "sub_outcome")),
    "assessment:people": Page(LEAD, args=("toolkit", "sub_outcome")),
    "assessment:risk": Page(LEAD, args=("risk",)),
    "assessment:actions": Page(LEAD),
    "assessment:action_new": Page(LEAD),
    "assessment:action": Page(LEAD, args=("action",)),
    "assessment:objectives": Page(LEAD),
    "assessment:objective": Page(LEAD, args=("objective",)),
    "assessment:policies": Page(LEAD),
    "assessment:policy": Page(LEAD, args=("policy",)),
    "assessment:impact_new": Page(LEAD, args=("policy",)),
    # The API: its description is public; its operations need a bearer token, never a
    # signed-in session (401 here; tokens are tested in tests/api/).
    "api:api-root": Page(EVERYONE, public=True, status=404),  # names the docs' address
    "api:openapi-json": Page(EVERYONE, public=True),
    "api:openapi-view": Page(EVERYONE, public=True),
    "api:job_pack": Page(frozenset(), public=True, status=401, args=("property",)),
    "api:reports": Page(frozenset(), method="POST", public=True, status=401),
    "api:jobs": Page(frozenset(), method="POST", public=True, status=401),
    "api:profile_updates": Page(frozenset(), method="POST", public=True, status=401),
    "api:referrals": Page(frozenset(), public=True, status=401),
    "api:referral_in": Page(frozenset(), method="POST", public=True, status=401),
    "api:referral": Page(frozenset(), method="POST", public=True, status=401, args=("referral",)),
    "collection:profile": Page(RECORD_STAFF, customer=True),
    "collection:support_need": Page(RECORD_STAFF, customer=True),
    "collection:communication_need": Page(RECORD_STAFF, customer=True),
    "collection:ask_next": Page(RECORD_STAFF),
    "collection:adjustment": Page(RECORD_STAFF, customer=True),
    "collection:invite": Page(RECORD_STAFF, customer=True),
    # The questionnaire: a tenant signed in, or anyone holding a link (see its own tests).
    "collection:questionnaire": Page(frozenset({R.TENANT}), public=True),
    "collection:questionnaire_start": Page(EVERYONE, public=True, link=True),
    "collection:questionnaire_code": Page(EVERYONE, public=True),
    "collection:questionnaire_question": Page(frozenset({R.TENANT}), public=True, question=True),
    "collection:questionnaire_check": Page(frozenset({R.TENANT}), public=True),
}
