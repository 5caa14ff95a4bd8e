"""What an audit event records was done, and who may do it: the audit log's vocabulary."""

from __future__ import annotations

import enum
from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser


class AuditAction(enum.StrEnum):
    """The verbs of the audit log (stored as their values, which its hash chain covers)."""

    # Reading
    VIEW = "view"
    DOWNLOAD = "download"
    EXPORT = "export"
    REPORT = "report"
    SUBJECT_ACCESS = "subject_access"
    ANALYSE = "analyse"
    API = "api"
    REFUSED = "refused"
    # Recording and changing
    CREATE = "create"
    UPDATE = "update"
    CHANGE = "change"
    CONFIRM = "confirm"
    CORRECT = "correct"
    REVIEW = "review"
    REFRESH = "refresh"
    UPLOAD = "upload"
    IMPORT = "import"
    SNAPSHOT = "snapshot"
    JOB = "job"
    REPORT_BACK = "report_back"
    OBJECTION = "objection"
    OBJECTION_WITHDRAWN = "objection_withdrawn"
    ERASE = "erase"
    RETENTION = "retention"
    # Sharing
    DISCLOSE = "disclose"
    SHARE_REFUSED = "share_refused"
    REVOKE = "revoke"
    EMERGENCY_ACCESS = "emergency_access"
    # Accounts and the installation
    USER = "user"
    TEAM = "team"
    INVITE = "invite"
    SETTINGS = "settings"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_LOCKED_OUT = "sign_in_locked_out"
    PASSWORD_SET = "password_set"  # noqa: S105 (a verb, not a password)
    TWO_FACTOR_ENROLLED = "two_factor_enrolled"
    TWO_FACTOR_VERIFIED = "two_factor_verified"
    TWO_FACTOR_FAILED = "two_factor_failed"
    ROTATE_KEYS = "rotate_keys"
    BACKUP = "backup"
    RESTORE = "restore"
    # Written once by the migration that began hashing the actor (audit.0004)
    AUDIT_HASHES_ACTOR = "audit_hashes_actor"


# Who did it: a signed-in person, or a process named as text ("system:import", "api:ABCDEFGH").
Actor: TypeAlias = AbstractBaseUser | str
