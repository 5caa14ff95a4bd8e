from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

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


def test_a_usage_error_exits_2_with_a_message() -> None:
    result = run("demo", "--customers", "lots")
    assert result.returncode == 2
    assert "invalid int value" in result.stderr
