"""A home folder another account on the server can read gives the database away (issue 25,
finding 4): the home is its owner's alone, and so is every file the app writes in it, whatever
umask it was started with."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

CLI = str(Path(sys.executable).with_name("equal-outcomes"))


def test_the_home_and_every_file_in_it_are_private_whatever_the_umask(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)  # as an administrator's shell would make it
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env |= {"EQUAL_OUTCOMES_HOME": str(home), "EQUAL_OUTCOMES_ENV": "development"}

    def loose_umask() -> None:
        os.umask(0o022)

    for command in (["migrate", "--verbosity=0"], ["demo", "--customers", "30", "--seed", "1"]):
        done = subprocess.run(
            [CLI, *command], env=env, capture_output=True, text=True, preexec_fn=loose_umask
        )
        assert done.returncode == 0, done.stderr[-2000:]
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    written = list(home.rglob("*"))
    assert any(path.name == "equal-outcomes.sqlite3" for path in written)
    opened = [p for p in written if stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert opened == [], [f"{p.relative_to(home)} {oct(p.stat().st_mode)}" for p in opened]
