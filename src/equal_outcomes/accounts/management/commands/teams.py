from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Teams of staff: who may read support needs restricted to named teams, and (the "
        "EQUAL_OUTCOMES_SAFEGUARDING_TEAM team) highly restricted ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every team and its members")
        add = sub.add_parser("add", help="a new team")
        add.add_argument("name")
        for verb, text in (("join", "put a user on a team"), ("leave", "take a user off a team")):
            command = sub.add_parser(verb, help=text)
            command.add_argument("name")
            command.add_argument("username")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from equal_outcomes.accounts.models import User
        from equal_outcomes.accounts.teams import team_add, team_membership, team_named

        actor = "system:teams"
        try:
            if action == "list":
                self._list()
            elif action == "add":
                team = team_add(actor=actor, name=options["name"])
                self.stdout.write(f"Added the team {team.name}.")
            else:
                team = team_named(options["name"])
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"there is no user called {options['username']}")
                team_membership(actor=actor, team=team, user=user, member=action == "join")
                done = "is now on" if action == "join" else "is no longer on"
                self.stdout.write(f"{user.username} {done} {team.name}.")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None

    def _list(self) -> None:
        from equal_outcomes.accounts.teams import teams_with_members

        teams = teams_with_members()
        if not teams:
            self.stdout.write(
                "No teams yet. Add one with: equal-outcomes teams add NAME "
                f"(the safeguarding team is called {settings.EQUAL_OUTCOMES_SAFEGUARDING_TEAM!r})"
            )
        for team, members in teams:
            safeguarding = (
                " (safeguarding)" if team.name == settings.EQUAL_OUTCOMES_SAFEGUARDING_TEAM else ""
            )
            self.stdout.write(f"{team.name}{safeguarding}: {', '.join(members) or 'no members'}")
