from __future__ import annotations

import secrets
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from equal_outcomes.core.commands import ProjectCommand


class Command(ProjectCommand):
    help = "Generate a synthetic, reproducible landlord with customers, profiles, needs and demo users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--customers", type=int, default=5000, help="about how many people (default 5000)"
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed; the same seed gives the same landlord"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when customers already exist"
        )
        parser.add_argument(
            "--no-warm",
            action="store_true",
            help="do not work out the dashboards' results now (the first viewer will wait)",
        )
        parser.add_argument(
            "--code",
            metavar="USERNAME",
            help="print a demo user's current two-factor code (development installations only)",
        )

    def handle(self, *args: Any, customers: int, seed: int, if_empty: bool, **options: Any) -> None:
        from equal_outcomes.assessment.services import record_progress
        from equal_outcomes.core.setup import migrated
        from equal_outcomes.customers.models import Customer
        from equal_outcomes.demo.assessment import (
            generate_governance,
            generate_self_assessment,
            generate_sharing,
        )
        from equal_outcomes.demo.events import generate_deprivation, generate_events
        from equal_outcomes.demo.generator import DEMO_PASSWORD, current_code, generate
        from equal_outcomes.demo.workforce import generate_workforce
        from equal_outcomes.insight.results import warm
        from equal_outcomes.insight.snapshot import build_snapshot
        from equal_outcomes.sharing.referrals import load_referral_events
        from equal_outcomes.sharing.visits import load_visit_events

        if options["code"]:
            self.stdout.write(current_code(options["code"]))
            return
        if customers < 1:
            raise CommandError("--customers must be at least 1")
        if not migrated():
            self.stdout.write("Setting up the database first (migrate)...")
            call_command("migrate", verbosity=0)
        if Customer.objects.exists():
            if if_empty:
                self.stdout.write("Customers already exist; demo data not loaded.")
                return
            raise CommandError(
                "the database already holds customers; use an empty EQUAL_OUTCOMES_HOME"
            )
        # A published password is acceptable only on a development installation.
        password = DEMO_PASSWORD if settings.DEVELOPMENT else secrets.token_urlsafe(12)
        started = time.monotonic()
        result = generate(customers=customers, seed=seed, password=password)
        self.stdout.write(
            f"Demo landlord: {result.customers} people in {result.households} households, "
            f"{result.answers} profile answers ({time.monotonic() - started:.1f} s)."
        )
        generate_governance(timezone.localdate())
        generate_sharing(timezone.localdate())
        people = generate_workforce(seed, timezone.localdate())
        self.stdout.write(
            f"Workforce: {people['staff']} staff, a board of {people['board']}, "
            f"{people['applications']} applications, {people['responses']} staff survey "
            "responses (disparities described in equal_outcomes/demo/workforce.py)."
        )
        generate_deprivation(seed)
        snapshot = build_snapshot(actor="system:demo")
        counts = generate_events(seed)
        load_referral_events(actor="system:demo")
        load_visit_events(actor="system:demo")
        self.stdout.write(
            f"Analytics: snapshot of {snapshot.people} people and {sum(counts.values())} service "
            "events with injected disparities (see equal_outcomes/demo/events.py)."
        )
        # Every dashboard worked out now, so nobody's first visit waits (issue 27, item 9).
        if not options["no_warm"]:
            self.stdout.write(f"Dashboard results worked out in {warm():.1f} s.")
            record_progress()
        generate_self_assessment(timezone.localdate())
        self.stdout.write(
            "A self-assessment of the 2012 edition is under way, as a lead would have it."
        )
        self.stdout.write("Sign in at /accounts/login/ as any of these users:")
        for username, role, user_password, _secret in result.users:
            self.stdout.write(f"  {username:<11} {role:<28} password: {user_password}")
        self.stdout.write(
            "Staff who can see equality data also need a code from an authenticator app. Add "
            "these secret keys to one (or run 'equal-outcomes demo --code USERNAME'):"
        )
        for username, _role, _password, secret in result.users:
            if secret:
                self.stdout.write(f"  {username:<11} {secret}")
        self.stdout.write(
            "newlead sets up an authenticator app at first sign-in: the page shows a QR code."
        )
