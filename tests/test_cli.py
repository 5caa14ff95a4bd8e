from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from equal_outcomes import cli

CLI = str(Path(sys.executable).with_name("equal-outcomes"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command as a user would: default settings, its own home."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    # A home of its own, removed afterwards: it holds the secret key the command makes.
    with tempfile.TemporaryDirectory(prefix="eo-cli-") as home:
        env.update(EQUAL_OUTCOMES_HOME=home, EQUAL_OUTCOMES_ENV="development")
        return subprocess.run([CLI, *args], capture_output=True, text=True, check=False, env=env)


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("demo", "serve", "keys"):
        assert command in result.stdout


def test_each_command_explains_itself() -> None:
    result = run("demo", "--help")
    assert result.returncode == 0
    assert "--customers" in result.stdout


HELP_RUNNER = """
import contextlib, io, json, sys
from django.apps import apps
from equal_outcomes import cli
shown = {}
for name in json.loads(sys.argv[1]):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        cli.main(["equal-outcomes", name, "--help"])
    shown[name] = out.getvalue()
print(json.dumps({"set_up": apps.ready, "shown": shown}))
"""


def own_commands() -> list[str]:
    package = Path(cli.__file__).resolve().parent
    return sorted(
        path.stem
        for path in package.glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    )


def test_every_command_explains_itself_without_loading_the_app() -> None:
    """Issue 30: '--help' at once. Loading every app's models (Django's set-up) took half a
    second before any help; each command imports what it does only when it runs."""
    names = [*own_commands(), "migrate", "check"]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="equal_outcomes.settings", EQUAL_OUTCOMES_ENV="development")
    with tempfile.TemporaryDirectory(prefix="eo-cli-") as home:
        result = subprocess.run(
            [sys.executable, "-c", HELP_RUNNER, json.dumps(names)],
            capture_output=True, text=True, check=True, env={**env, "EQUAL_OUTCOMES_HOME": home},
        )  # fmt: skip
    found = json.loads(result.stdout)
    for name in names:
        assert found["shown"][name].startswith(f"usage: equal-outcomes {name}"), name
    assert found["set_up"] is False


def test_a_usage_error_exits_2_with_a_message() -> None:
    result = run("demo", "--customers", "lots")
    assert result.returncode == 2
    assert "invalid int value" in result.stderr


RUNNER = """
import contextlib, io, json, sys
from equal_outcomes import cli
results = []
for argv in json.loads(sys.argv[1]):
    err = io.StringIO()
    code = 0
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            cli.main(["equal-outcomes", *argv])
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException as error:  # what a user would see as a traceback
            code, err = -1, io.StringIO(f"Traceback: {error!r}")
    results.append([argv, code, err.getvalue()])
print(json.dumps(results))
"""

# Every command, asked to do its job on an installation whose database is not set up.
ON_NO_DATABASE = [
    ["snapshot"], ["coverage"], ["analyse"], ["representation"], ["users", "list"],
    ["teams", "list"], ["retention", "run", "--dry-run"], ["audit", "verify"],
    ["keys", "rotate"], ["dsar", "C1", "--out", "x.json"],
    ["export", "customers", "--format", "csv", "--out", "x.csv"],
    ["report", "equality", "--format", "html", "--out", "x.html"],
    ["import", "customers", "missing.csv"], ["import", "places", "missing.csv"],
    ["import", "jobs", "missing.csv"], ["backup", "x.eob"], ["restore", "x.eob"],
    ["api_token", "revoke", "ABCDEFGH"], ["pool", "no-such-folder"], ["serve"], ["task_worker"],
    ["createsuperuser"],
    ["users", "add", "ada", "--role", "administrator", "--email", "ada@example.org"],
]  # fmt: skip
WITH_BAD_ARGUMENTS = [[*argv[:1], "--no-such-option"] for argv in ON_NO_DATABASE]


def test_no_command_prints_a_traceback_for_a_users_mistake() -> None:
    """Issue 26, item 5: every command, on a home with no database and with an option it does
    not have, says why in a line or two and exits 1 (rejected) or 2 (usage)."""
    import json

    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    with tempfile.TemporaryDirectory(prefix="eo-cli-") as home:
        env.update(EQUAL_OUTCOMES_HOME=home, EQUAL_OUTCOMES_ENV="production",
                   EQUAL_OUTCOMES_ALLOWED_HOSTS="localhost")  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, json.dumps(ON_NO_DATABASE + WITH_BAD_ARGUMENTS)],
            capture_output=True, text=True, check=True, env=env, cwd=home,
        )  # fmt: skip
    failures = [
        (argv, code, said)
        for argv, code, said in json.loads(done.stdout.splitlines()[-1])
        if code not in {1, 2} or "Traceback" in said or not said.strip()
        # The reason in one line (after the usage lines, for a usage error).
        or len([line for line in said.strip().splitlines() if not line.startswith(" ")
                and not line.startswith("usage:")]) != 1
    ]  # fmt: skip
    assert failures == [], "\n".join(f"{a} -> {c}: {s}" for a, c, s in failures)


def test_demo_on_a_new_home_sets_the_database_up_first() -> None:
    result = run("demo", "--customers", "3")
    assert result.returncode == 0, result.stderr
    assert "Setting up the database first" in result.stdout


def _choices(name: str, option: str) -> set[str]:
    from django.core.management import load_command_class

    module = "equal_outcomes.privacy" if name == "dsar" else "equal_outcomes.operations"
    parser = load_command_class(module, name).create_parser("equal-outcomes", name)
    found = next(action for action in parser._actions if action.dest == option)
    return set(found.choices or ())


def test_options_named_for_a_quick_help_match_what_the_commands_accept() -> None:
    """Commands name some choices themselves so that their help needs no models; they must
    stay those of the modules that do the work."""
    from equal_outcomes.assessment import reports as assessment_reports
    from equal_outcomes.insight import reports as insight_reports
    from equal_outcomes.privacy.dsar import FORMATS as DSAR_FORMATS
    from equal_outcomes.workforce import reports as workforce_reports
    from equal_outcomes.workforce.imports import KINDS

    assert _choices("dsar", "format") == set(DSAR_FORMATS)
    for formats in (insight_reports.FORMATS, workforce_reports.FORMATS, assessment_reports.FORMATS):
        assert _choices("report", "format") == set(formats)
    assert set(KINDS) <= _choices("import", "kind")
