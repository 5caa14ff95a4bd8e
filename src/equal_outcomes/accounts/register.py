"""The data register: every stored field, its data class, its lawful basis and Article 9
condition, its retention rule and the roles that may read or write it.

``tests/accounts/test_register.py`` fails when a model field is missing from here, so a new
field cannot be stored without someone deciding what it is and who may use it. Print it with
``equal-outcomes register``.
"""

from __future__ import annotations

from dataclasses import dataclass

from equal_outcomes.accounts.roles import DataClass, Role

R = Role
STAFF = frozenset({R.ADVISOR, R.HOUSING_OFFICER, R.EQUALITY_LEAD})


@dataclass(frozen=True)
class Policy:
    lawful_basis: str
    condition: str
    retention: str
    read: frozenset[Role]
    write: frozenset[Role]


PUBLIC_TASK = "UK GDPR Art. 6(1)(e) public task, or 6(1)(f) legitimate interests for private registered providers"
POLICIES: dict[DataClass, Policy] = {
    DataClass.IDENTITY: Policy(
        lawful_basis="UK GDPR Art. 6(1)(b) contract (the tenancy or lease) and 6(1)(e)/(f)",
        condition="",
        retention="While a customer; then as the housing management system's schedule",
        read=STAFF | {R.TENANT},
        write=STAFF,
    ),
    DataClass.SPECIAL_CATEGORY: Policy(
        lawful_basis=PUBLIC_TASK,
        condition=(
            "Art. 9(2)(g) substantial public interest; DPA 2018 Sch. 1 para. 8 "
            "(equality of opportunity or treatment)"
        ),
        retention=(
            "Pregnancy and maternity: deleted at expiry. Others: while a customer, deleted "
            "EQUAL_OUTCOMES_RETAIN_FORMER_CUSTOMERS_DAYS after the last tenancy ends, or on erasure"
        ),
        read=frozenset({R.HOUSING_OFFICER, R.EQUALITY_LEAD, R.TENANT}),
        write=STAFF | {R.TENANT},
    ),
    DataClass.VULNERABILITY: Policy(
        lawful_basis=PUBLIC_TASK,
        condition=(
            "Art. 9(2)(g); DPA 2018 Sch. 1 para. 18 (safeguarding of individuals at risk) and "
            "para. 16 (support for individuals with a particular disability or condition)"
        ),
        retention=(
            "Deleted EQUAL_OUTCOMES_RETAIN_ENDED_NEEDS_DAYS after the need ends, or with the "
            "former customer's special-category data"
        ),
        read=frozenset({R.HOUSING_OFFICER, R.EQUALITY_LEAD, R.TENANT}),
        write=STAFF,
    ),
    DataClass.ADJUSTMENT: Policy(
        lawful_basis="UK GDPR Art. 6(1)(b)/(e); Equality Act 2010 duty to make adjustments",
        condition="None needed: says what to do, never why",
        retention="While the adjustment is in place; deleted on erasure",
        read=STAFF | {R.TENANT, R.CONTRACTOR, R.PARTNER},
        write=STAFF,
    ),
    DataClass.RESTRICTED: Policy(
        lawful_basis=PUBLIC_TASK,
        condition=(
            "Art. 9(2)(g); DPA 2018 Sch. 1 para. 18 (safeguarding). Gender history: Gender "
            "Recognition Act 2004 s. 22 limits disclosure"
        ),
        retention="While relevant to the tenancy; deleted with special-category data or on erasure",
        read=frozenset({R.HOUSING_OFFICER, R.TENANT}),
        write=frozenset({R.HOUSING_OFFICER}),
    ),
    DataClass.OPERATIONAL: Policy(
        lawful_basis="UK GDPR Art. 6(1)(b)/(e): running the service and keeping records accurate",
        condition="",
        retention="As the record it describes",
        read=STAFF,
        write=STAFF,
    ),
    DataClass.PLACE: Policy(
        lawful_basis="UK GDPR Art. 6(1)(b)/(e)",
        condition="",
        retention="While the landlord manages the place or tenancy, then its housing schedule",
        read=STAFF | {R.CONTRACTOR},
        write=frozenset({R.EQUALITY_LEAD, R.ADMINISTRATOR}),
    ),
    DataClass.STAFF_EQUALITY: Policy(
        lawful_basis="UK GDPR Art. 6(1)(c) legal obligation (Equality Act 2010) and 6(1)(e)/(f)",
        condition=(
            "Art. 9(2)(b) employment obligations; DPA 2018 Sch. 1 para. 1 (employment) and "
            "para. 8 (equality of opportunity or treatment)"
        ),
        retention=(
            "Staff and board: deleted EQUAL_OUTCOMES_RETAIN_FORMER_STAFF_DAYS (6 years) after "
            "leaving. Applications: EQUAL_OUTCOMES_RETAIN_APPLICATIONS_DAYS (2 years). Survey "
            "responses: EQUAL_OUTCOMES_RETAIN_SURVEY_RESPONSES_DAYS (3 years)"
        ),
        read=frozenset({R.HR}),
        write=frozenset({R.HR}),
    ),
    DataClass.EMPLOYMENT: Policy(
        lawful_basis="UK GDPR Art. 6(1)(b) the employment contract and 6(1)(c)",
        condition="",
        retention=(
            "Deleted with the staff member, EQUAL_OUTCOMES_RETAIN_FORMER_STAFF_DAYS (6 years, the "
            "limitation period) after leaving; cases are kept without the person"
        ),
        read=frozenset({R.HR}),
        write=frozenset({R.HR}),
    ),
    DataClass.ACCOUNT: Policy(
        lawful_basis="UK GDPR Art. 6(1)(b)/(f): staff access to the system",
        condition="",
        retention="While the account is active, then 12 months",
        read=frozenset({R.ADMINISTRATOR}),
        write=frozenset({R.ADMINISTRATOR}),
    ),
    DataClass.AUDIT: Policy(
        lawful_basis="UK GDPR Art. 6(1)(c)/(f) and Art. 5(2) accountability; Art. 32 security",
        condition="",
        retention="Audit log: indefinitely (holds no values). Sign-in records: 12 months",
        read=frozenset({R.EQUALITY_LEAD, R.ADMINISTRATOR}),
        write=frozenset(),
    ),
}

C = DataClass
FIELDS: dict[str, dict[DataClass, str]] = {
    "accounts.User": {
        C.ACCOUNT: "id password last_login is_superuser username first_name last_name email "
        "is_staff is_active date_joined role groups user_permissions",
    },
    "auth.Group": {C.ACCOUNT: "id name permissions"},
    # The landlord's own settings: about the organisation, never a person.
    "accounts.Organisation": {
        C.OPERATIONAL: "id name nation coverage_achieving coverage_excellent stale_after_days "
        "retention_days privacy_contact updated_at",
    },
    # Email waiting for the mail server: encrypted, deleted once sent.
    "accounts.OutgoingEmail": {
        C.ACCOUNT: "id to subject body purpose created_at attempts next_attempt_at last_error",
    },
    "auth.Permission": {C.ACCOUNT: "id name content_type codename"},
    "contenttypes.ContentType": {C.OPERATIONAL: "id app_label model"},
    "sessions.Session": {C.ACCOUNT: "session_key session_data expire_date"},
    "otp_totp.TOTPDevice": {
        C.ACCOUNT: "id user name confirmed throttling_failure_timestamp throttling_failure_count "
        "created_at last_used_at key step t0 digits tolerance drift last_t",
    },
    "accounts.Authenticator": {
        C.ACCOUNT: "id user name confirmed throttling_failure_timestamp throttling_failure_count "
        "created_at last_used_at secret step t0 digits tolerance drift last_t",
    },
    "axes.AccessAttempt": {
        C.AUDIT: "id user_agent ip_address username http_accept path_info attempt_time "
        "get_data post_data failures_since_start",
    },
    "axes.AccessAttemptExpiration": {C.AUDIT: "access_attempt expires_at"},
    "axes.AccessFailureLog": {
        C.AUDIT: "id user_agent ip_address username http_accept path_info attempt_time locked_out",
    },
    "axes.AccessLog": {
        C.AUDIT: "id user_agent ip_address username http_accept path_info attempt_time "
        "logout_time session_hash",
    },
    "audit.AuditEvent": {
        C.AUDIT: "id at actor actor_label action target_type target_id section purpose "
        "previous_hash entry_hash",
    },
    "audit.AuditHead": {C.AUDIT: "id entry_hash entries"},
    "customers.Area": {C.PLACE: "id code name officers"},
    "customers.Estate": {C.PLACE: "id area code name"},
    "customers.Block": {C.PLACE: "id estate code name"},
    "customers.Property": {
        C.PLACE: "id property_ref estate block address postcode lsoa_code rural_urban uprn "
        "local_authority"
    },
    "customers.Household": {C.PLACE: "id household_ref property"},
    "customers.Tenancy": {
        C.PLACE: "id tenancy_ref household property start_date end_date end_reason"
    },
    "customers.Customer": {
        C.IDENTITY: "landlord_ref first_name last_name date_of_birth email phone user",
        # A random identifier for links and the audit log: says nothing about the person.
        C.OPERATIONAL: "id public_id customer_type household objects_to_monitoring erased_at "
        "created_at updated_at version",
    },
    "customers.CommunicationPreference": {
        C.ADJUSTMENT: "preferred_language interpreter_needed preferred_format "
        "preferred_contact_method contact_times",
        C.IDENTITY: "representative",
        C.OPERATIONAL: "id customer source recorded_at recorded_by",
    },
    "customers.CommunicationNeed": {
        C.ADJUSTMENT: "need",
        C.VULNERABILITY: "details",
        C.OPERATIONAL: "id customer source recorded_at recorded_by end_date",
    },
    "customers.SupportNeed": {
        C.VULNERABILITY: "need details",
        C.OPERATIONAL: "id customer source recorded_at recorded_by start_date review_date "
        "end_date customer_told confidentiality teams",
    },
    "customers.ReasonableAdjustment": {
        C.ADJUSTMENT: "adjustment status review_date",
        C.VULNERABILITY: "details refusal_reason",
        C.OPERATIONAL: "id customer source recorded_at recorded_by decided_at",
    },
    "customers.ProfileAnswer": {
        C.SPECIAL_CATEGORY: "value",
        C.OPERATIONAL: "id customer characteristic state touchpoint recorded_at recorded_by "
        "last_confirmed_at expires_on is_current superseded_at",
    },
    "customers.RestrictedDetails": {
        C.RESTRICTED: "safe_address gender_history",
        C.OPERATIONAL: "id customer recorded_at recorded_by version",
    },
    "customers.EmergencyAccess": {
        C.AUDIT: "id user customer granted_at expires_at",
        C.VULNERABILITY: "reason",
    },
    "collection.Invitation": {
        C.AUDIT: "id customer token_hash created_at created_by expires_at completed_at",
    },
    "collection.Draft": {
        C.SPECIAL_CATEGORY: "answers",
        C.OPERATIONAL: "id customer invitation updated_at",
    },
    "imports.ImportJob": {
        C.SPECIAL_CATEGORY: "report",
        C.OPERATIONAL: "id public_id file_name stored_path mapping_path default_type dry_run "
        "created_by created_at status finished_at",
    },
    # The ONS postcode lookup: public data about places.
    "imports.Postcode": {C.PLACE: "id code lsoa rural_urban"},
    # Reports hold aggregates only; the job records who asked, for what and where the file is.
    "insight.ReportJob": {
        C.OPERATIONAL: "id public_id kind file_format publishable area customer_group period "
        "created_by created_at status stage finished_at stored_path error",
    },
    # Sharing: agreements and the disclosure log name who got what, never the values.
    "sharing.Agreement": {
        C.OPERATIONAL: "id partner kind purpose lawful_basis fields starts_on expires_on review_on "
        "revoked_at users created_by created_at version",
    },
    "sharing.Disclosure": {
        C.AUDIT: "id agreement customer fields channel disclosed_to at",
    },
    # A referral says what support someone needs: encrypted, like their support needs.
    "sharing.Referral": {
        C.VULNERABILITY: "need safeguarding_reason outcome",
        C.OPERATIONAL: "id public_id customer direction agreement consent consent_on referred_on "
        "status closed_on created_by api_token updated_at version",
    },
    # API credentials: only a hash of each token is kept.
    "sharing.ApiToken": {
        C.ACCOUNT: "id agreement name prefix token_hash scopes expires_at revoked_at "
        "last_used_at created_by created_at",
    },
    # What a contractor noticed may say something about someone's health: encrypted.
    "sharing.FieldReport": {
        C.VULNERABILITY: "note",
        C.OPERATIONAL: "id agreement property kind visit_on suggested_need reported_by api_token "
        "reported_at status customer decided_by decided_at version",
    },
    # Work for contractors: what and where, never anything about the people.
    "sharing.Job": {
        C.OPERATIONAL: "id version public_id job_ref property agreement work opened_on due_on "
        "closed_on source created_by api_token created_at",
    },
    # Self-assessment and action planning record the organisation's judgements and aggregate
    # figures, never people; notes ask for themes, not names.
    "assessment.Assessment": {
        C.OPERATIONAL: "id public_id edition title assessed_on areas assessors evidence_as_at "
        "created_by created_at",
    },
    "assessment.QuestionResponse": {
        C.OPERATIONAL: "id assessment question answer notes links live decision override_reason "
        "updated_by updated_at version",
    },
    "assessment.EvidenceFile": {
        C.OPERATIONAL: "id assessment question file_name stored_path size uploaded_by uploaded_at",
    },
    "assessment.CriterionRating": {
        C.OPERATIONAL: "id assessment criterion rating difference updated_by updated_at version",
    },
    "assessment.Objective": {
        C.OPERATIONAL: "id title description owner set_on last_reviewed_on review_every_years "
        "status created_at version",
    },
    "assessment.Policy": {
        C.OPERATIONAL: "id name owner review_cycle_years adopted_on created_at",
    },
    "assessment.PolicyReview": {C.OPERATIONAL: "id policy reviewed_on notes recorded_by"},
    "assessment.ImpactAssessment": {
        C.OPERATIONAL: "id policy completed_on assessor summary indicators recorded_by",
    },
    "assessment.Impact": {
        C.OPERATIONAL: "id assessment characteristic impact evidence mitigation",
    },
    "assessment.Risk": {
        C.OPERATIONAL: "id toolkit sub_outcome problem text from_library created_by created_at version",
    },
    "assessment.Action": {
        C.OPERATIONAL: "id title owner due_on status risk objective impact indicator characteristic "
        "category measure target created_by created_at updated_at version",
    },
    "assessment.MeasureReading": {
        C.OPERATIONAL: "id action data_as_at n value comparator gap met recorded_at",
    },
    "assessment.PeopleEvidence": {
        C.OPERATIONAL: "id toolkit sub_outcome kind recorded_on note recorded_by",
    },
    "assessment.StoryAnswer": {
        C.OPERATIONAL: "id toolkit sub_outcome question answer updated_by updated_at",
    },
    "workforce.StaffMember": {
        C.STAFF_EQUALITY: "equality",
        C.EMPLOYMENT: "id reference body senior_manager job_title grade hourly_pay started_on "
        "left_on leaving_reason updated_at version",
    },
    "workforce.Application": {
        C.STAFF_EQUALITY: "equality",
        C.EMPLOYMENT: "id reference vacancy applied_on stage updated_at",
    },
    "workforce.Training": {C.EMPLOYMENT: "id staff course equality_and_diversity completed_on"},
    "workforce.SurveyResponse": {
        C.STAFF_EQUALITY: "equality",
        C.EMPLOYMENT: "id survey reference responded_on satisfied fair_employer "
        "treated_with_respect safe_at_work",
    },
    "workforce.Case": {C.EMPLOYMENT: "id reference kind staff opened_on closed_on upheld"},
    "workforce.Benchmark": {
        C.OPERATIONAL: "id comparison body characteristic category share source updated_at version",
    },
    # Background tasks hold only a job's id as their argument, never personal data.
    "django_tasks_database.DBTaskResult": {
        C.OPERATIONAL: "id status enqueued_at started_at finished_at args_kwargs priority "
        "task_path worker_ids queue_name backend_name run_after return_value "
        "exception_class_path traceback",
    },
    "customers.Correction": {
        C.IDENTITY: "previous_value new_value",
        C.OPERATIONAL: "id customer field reason corrected_at corrected_by",
    },
}

# Classes whose values are encrypted at rest; a test checks every such field is.
ENCRYPTED_CLASSES = frozenset({C.SPECIAL_CATEGORY, C.VULNERABILITY, C.RESTRICTED, C.STAFF_EQUALITY})

# Classes that are a customer's personal data: erasure empties them, a retention rule ends them,
# and subject access shows them.
PERSONAL_CLASSES = frozenset(
    {C.IDENTITY, C.SPECIAL_CATEGORY, C.VULNERABILITY, C.ADJUSTMENT, C.RESTRICTED}
)


@dataclass(frozen=True)
class Holding:
    """How one model's rows belong to a customer, and what rights and retention do to them.

    ``path`` is the lookup from the model to the customer. On erasure (and when a retention rule
    ends a row) the row is deleted, or, with ``keep``, kept with its personal fields emptied
    because the record itself must survive (the reason says why). ``section`` is where subject
    access shows the rows. ``rules`` are the retention rules that end rows before the person
    leaves, each with the date it counts from; every holding also ends with the
    ``former_customers`` rule.
    """

    path: str
    section: str
    keep: str = ""
    rules: tuple[tuple[str, str], ...] = ()


# Every model that holds something about one customer. A test fails when a model that points
# at a customer is missing here, and when erasure, retention or subject access leaves any
# personal field of these out.
HOLDINGS: dict[str, Holding] = {
    "customers.Customer": Holding(
        path="", section="person", keep="The row stays, anonymised, so historic counts add up"
    ),
    "customers.ProfileAnswer": Holding(
        path="customer", section="profile", rules=(("expired_answers", "expires_on"),)
    ),
    "customers.CommunicationPreference": Holding(
        path="customer", section="communication_preferences"
    ),
    "customers.CommunicationNeed": Holding(
        path="customer", section="communication_needs", rules=(("ended_needs", "end_date"),)
    ),
    "customers.SupportNeed": Holding(
        path="customer", section="support_needs", rules=(("ended_needs", "end_date"),)
    ),
    "customers.ReasonableAdjustment": Holding(path="customer", section="reasonable_adjustments"),
    "customers.RestrictedDetails": Holding(path="customer", section="restricted_details"),
    "customers.Correction": Holding(path="customer", section="corrections"),
    "customers.EmergencyAccess": Holding(
        path="customer", section="emergency_access", rules=(("emergency_access", "expires_at"),)
    ),
    "collection.Invitation": Holding(
        path="customer", section="invitations", rules=(("invitations", "expires_at"),)
    ),
    "collection.Draft": Holding(
        path="customer", section="unfinished_answers", rules=(("drafts", "updated_at"),)
    ),
    "sharing.Referral": Holding(
        path="customer",
        section="referrals",
        keep="The referral stays, without what it said, so referral outcomes still count",
        rules=(("closed_referrals", "closed_on"),),
    ),
    "sharing.FieldReport": Holding(
        path="customer",
        section="reports_from_visits",
        keep="The report stays, without its note, as the record of the visit",
        rules=(("decided_reports", "decided_at"),),
    ),
    "sharing.Disclosure": Holding(
        path="customer",
        section="disclosures",
        keep="The disclosure log is the landlord's account of what it shared (Art. 5(2))",
    ),
}


def personal_fields(model: str) -> list[str]:
    """The registered fields of ``model`` that are a customer's personal data."""
    return [
        field
        for data_class, names in FIELDS[model].items()
        if data_class in PERSONAL_CLASSES
        for field in names.split()
    ]


@dataclass(frozen=True)
class Entry:
    model: str
    field: str
    data_class: DataClass
    policy: Policy

    @property
    def label(self) -> str:
        return f"{self.model}.{self.field}"


def register() -> list[Entry]:
    """Every registered field, in a stable order."""
    return [
        Entry(model, field, data_class, POLICIES[data_class])
        for model, classes in FIELDS.items()
        for data_class, names in classes.items()
        for field in names.split()
    ]
