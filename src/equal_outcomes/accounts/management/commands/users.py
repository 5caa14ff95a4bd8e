from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from equal_outcomes.accounts.roles import Role
from equal_outcomes.core.commands import ProjectCommand

if TYPE_CHECKING:
    from equal_outcomes.accounts.models import User

ACTOR = "system:users"


class Command(ProjectCommand):
    help = "Staff accounts: add, list, deactivate, reset two-factor, import from CSV."
    stealth_options = ("stdin",)  # tests give the password this way

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="a new account; emailed a link to set a password")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--email", required=True)
        add.add_argument("--name", default="", help='the full name, "First Last"')
        add.add_argument(
            "--area", action="append", default=[], help="a housing officer's area code (repeat)"
        )
        add.add_argument(
            "--password-stdin", action="store_true",
            help="read a password from standard input instead of emailing a link",
        )  # fmt: skip
        listing = sub.add_parser("list", help="every account")
        listing.add_argument("--format", choices=["table", "json"], default="table")
        for name, text in (("deactivate", "take access away"), ("reactivate", "give it back"),
                           ("reset-2fa", "the person sets up a new authenticator")):  # fmt: skip
            one = sub.add_parser(name, help=text)
            one.add_argument("username")
        many = sub.add_parser("import", help="accounts from a CSV (the columns of users list)")
        many.add_argument("path", type=Path)
        many.add_argument("--dry-run", action="store_true", help="check only")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except ValidationError as error:
            raise CommandError("; ".join(
                f"{key}: {' '.join(messages)}" for key, messages in error.message_dict.items()
            ) if hasattr(error, "error_dict") else "; ".join(error.messages)) from None  # fmt: skip

    def _add(self, username: str, role: str, email: str, name: str, area: list[str],
             password_stdin: bool, **options: Any) -> None:  # fmt: skip
        from equal_outcomes.accounts.users import user_add

        password = None
        if password_stdin:
            password = (options.get("stdin") or sys.stdin).readline().rstrip("\n")
            if not password:
                raise CommandError("no password on standard input")
        user, sent = user_add(actor=ACTOR, username=username, role=role, email=email, name=name,
                              areas=area, password=password)  # fmt: skip
        self.stdout.write(f"Added {user.username} ({Role(role).label}).")
        if password is None:
            self.stdout.write(
                f"Emailed {email} a link to set a password." if sent else
                f"The email to {email} could not be sent yet; the task worker will keep trying."
            )  # fmt: skip

    def _list(self, format: str, **options: Any) -> None:
        from equal_outcomes.accounts.users import users_listing

        listed = [item.as_json() for item in users_listing()]
        if format == "json":
            self.stdout.write(json.dumps(listed, indent=2))
            return
        heads = ["username", "name", "email", "role", "areas", "active", "last_sign_in",
                 "two_factor"]  # fmt: skip
        rows = [[_cell(item[h]) for h in heads] for item in listed]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
        for row in [heads, *rows]:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))

    def _one(self, username: str) -> User:
        from equal_outcomes.accounts.models import User

        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"there is no user called {username}")
        return user

    def _deactivate(self, username: str, **options: Any) -> None:
        from equal_outcomes.accounts.users import user_active

        user_active(actor=ACTOR, user=self._one(username), active=False)
        self.stdout.write(f"{username} can no longer sign in.")

    def _reactivate(self, username: str, **options: Any) -> None:
        from equal_outcomes.accounts.users import user_active

        user_active(actor=ACTOR, user=self._one(username), active=True)
        self.stdout.write(f"{username} can sign in again.")

    def _reset_2fa(self, username: str, **options: Any) -> None:
        from equal_outcomes.accounts.users import user_reset_two_factor

        user_reset_two_factor(actor=ACTOR, user=self._one(username))
        self.stdout.write(f"{username} sets up a new authenticator at their next sign-in.")

    def _import(self, path: Path, dry_run: bool, **options: Any) -> None:
        from equal_outcomes.accounts.users import users_import
        from equal_outcomes.core.readers import UnreadableFile

        try:
            report = users_import(path, actor=ACTOR, dry_run=dry_run)
        except UnreadableFile as error:
            raise CommandError(str(error)) from None
        if report.problems:
            self.stderr.write(f"{len(report.problems)} problem(s):")
            for row, column, reason in report.problems[:50]:
                self.stderr.write(f"  row {row}, {column}: {reason}")
            raise CommandError("nobody was added: correct the file")
        if dry_run:
            self.stdout.write(f"Would add {report.rows} accounts.")
            return
        self.stdout.write(f"Added {report.added} accounts and emailed each a link to set a "
                          f"password ({report.not_sent} emails waiting to be sent).")  # fmt: skip


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return " ".join(map(str, value))
    return "" if value is None else str(value)
