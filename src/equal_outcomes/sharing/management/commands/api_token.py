from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from equal_outcomes.core.commands import ProjectCommand
from equal_outcomes.sharing.scopes import Scope


class Command(ProjectCommand):
    help = (
        "Make or revoke an API token for a data-sharing agreement. The token is printed once; "
        "only its hash is kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="make a token")
        create.add_argument("--agreement", type=int, required=True, help="the agreement's number")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument(
            "--scope", action="append", choices=Scope.values, required=True, help="repeat for more"
        )
        create.add_argument("--days", type=int, default=90, help="how long it lasts (default 90)")
        revoke = actions.add_parser("revoke", help="revoke a token")
        revoke.add_argument("prefix", help="the token's first eight characters")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.contrib.auth import get_user_model

        from equal_outcomes.sharing.models import Agreement, ApiToken
        from equal_outcomes.sharing.tokens import token_create, token_revoke

        if options["action"] == "revoke":
            token = ApiToken.objects.filter(prefix=options["prefix"]).first()
            if token is None:
                raise CommandError("no token starts with that", returncode=1)
            token_revoke(actor="system:command", token=token)
            self.stdout.write(f"revoked {token}")
            return
        agreement = Agreement.objects.filter(pk=options["agreement"]).first()
        if agreement is None:
            raise CommandError("no such agreement", returncode=1)
        owner = agreement.created_by or get_user_model().objects.first()
        try:
            token, secret = token_create(
                actor=owner, agreement=agreement, name=options["name"],
                scopes=options["scope"], days=options["days"],
            )  # fmt: skip
        except ValueError as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(f"{secret}\n")
        self.stderr.write(
            f"Token for {agreement.partner} ({', '.join(token.scopes)}), expires "
            f"{token.expires_at:%Y-%m-%d}. Keep it secret: it is not shown again."
        )
