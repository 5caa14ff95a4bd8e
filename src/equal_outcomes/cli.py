"""The ``equal-outcomes`` console command (DESIGN.md section 6).

Every subcommand is a Django management command, so the project's own (``demo``, ``serve``,
``keys``) and Django's (``migrate``, ``check --deploy``) share one entry point. Exit codes: 0 on
success, 1 on rejected input, 2 on usage errors.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

OWN_COMMANDS = {
    "demo": "synthetic landlord into the configured stores",
    "serve": "production-grade web server",
    "users": "'users add NAME --role ROLE --email EMAIL', list, deactivate, reset-2fa, import",
    "keys": "encryption keys: 'keys rotate' re-encrypts every value with a new key",
    "audit": "'audit verify' checks the audit log for edited, deleted or reordered rows",
    "dsar": "subject access: 'dsar REF --out FILE' exports all held about one person",
    "retention": "'retention run [--dry-run]' applies the retention schedule",
    "teams": "'teams add NAME', 'teams join NAME USER': who reads restricted support needs",
    "register": "the data register: every stored field, its class, basis and who may use it",
    "import": "'import places|customers|events|population|jobs|postcode-lookup FILE', and HR "
    "records (staff, board, applications, training, survey, cases, benchmarks)",
    "export": "'export customers --format csv|xlsx --out FILE' (formula-safe)",
    "snapshot": "refresh the pseudonymised analytics store",
    "coverage": "profile coverage per characteristic against the 60 % / 90 % levels",
    "analyse": "indicators broken down by characteristic, with tests and flags",
    "representation": "customers' groups against the population benchmark",
    "report": "'report equality|self-assessment|workforce --format pdf|xlsx|html --out FILE'",
    "pool": "'pool FOLDER': sector-wide comparisons from landlords' benchmark extracts",
    "api_token": "'api_token create --agreement N --name NAME --scope S' or 'revoke PREFIX'",
    "backup": "'backup PATH': database, stores and uploads in one encrypted file",
    "restore": "'restore PATH [--yes]': put a backup back",
}

USAGE = """usage: equal-outcomes COMMAND [options]

Equal Outcomes: know your customers and evidence equal outcomes.

commands:
{commands}

Any other command is one of Django's management commands, for example
'equal-outcomes migrate' or 'equal-outcomes check --deploy'. 'equal-outcomes COMMAND --help' explains
each one. State lives under EQUAL_OUTCOMES_HOME (default ./var); DATABASE_URL selects PostgreSQL.
"""


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equal_outcomes.settings")
    if len(argv) < 2 or (argv[1] in {"-h", "--help", "help"} and len(argv) == 2):
        width = max(len(name) for name in OWN_COMMANDS)
        commands = "\n".join(f"  {name:<{width}}  {text}" for name, text in OWN_COMMANDS.items())
        print(USAGE.format(commands=commands))
        sys.exit(0 if len(argv) >= 2 else 2)
    if {"-h", "--help"} & set(argv[2:]):
        _help_at_once(argv)
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    try:
        execute_from_command_line(["equal-outcomes", *argv[1:]])
    except (OperationalError, ProgrammingError) as error:
        if not _not_set_up(error):
            raise
        # A user's step left out, not a fault: one line saying what to do.
        sys.stderr.write(
            "equal-outcomes: the database is not set up yet: run 'equal-outcomes migrate' "
            "first (or 'make run', which does everything)\n"
        )
        sys.exit(1)
    except EOFError:
        sys.stderr.write(
            "equal-outcomes: this command asks a question, and there is no terminal to answer "
            "it: give the answer as an option (see --help)\n"
        )
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


def _help_at_once(argv: list[str]) -> None:
    """``equal-outcomes COMMAND [...] --help`` without setting Django up (loading every app's
    models, about half a second), where the command's module can be read without them: each of
    the project's commands imports what it does when it runs (``core.commands``). Returns, and
    the command line is run as usual, when the command is not found here, its module needs the
    models, or the arguments ask for more than help."""
    from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
    from django.core.management import find_commands

    name = argv[1]
    package = Path(__file__).resolve().parent
    # The project's apps, in INSTALLED_APPS's order as far as it matters (only accounts
    # replaces a command of Django's: createsuperuser), then Django's own commands.
    homes = [
        f"equal_outcomes.{folder.parent.parent.name}"
        for folder in sorted(package.glob("*/management/commands"))
        if name in find_commands(str(folder.parent))
    ]
    django_own = importlib.import_module("django.core.management").__path__[0]
    if not homes and name in find_commands(django_own):
        homes.append("django.core")
    if not homes:
        return
    try:
        module = importlib.import_module(f"{homes[0]}.management.commands.{name}")
        parser = module.Command().create_parser("equal-outcomes", name)
    except (AppRegistryNotReady, ImproperlyConfigured):
        return
    parser.parse_args(argv[2:])  # prints the help and exits; returns if there is more to do


def _not_set_up(error: Exception) -> bool:
    text = str(error).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


if __name__ == "__main__":
    main()
