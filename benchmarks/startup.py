"""Benchmark: how long each command takes to start, against two baselines in one run.

    .venv/bin/python benchmarks/startup.py [--repeat 5]

Times, as a person at a terminal waits for them (a new process each time, wall clock):

* ``equal-outcomes COMMAND --help`` for every command the project adds;
* two commands that do little on a small demo landlord (``users list`` and ``coverage``);

against, in the same run, a bare Python start (``python -c pass``) and Django set up with the
project's settings and nothing else (``django.setup()``), the floor any command stands on.
Each figure is the median of ``--repeat`` runs after one warm-up run (so the compiled modules
and the file cache are warm, as they are on a server). Records the figures in
``benchmarks/results/startup.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from recorded import record

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COMMAND = [str(BIN / "equal-outcomes")]


def own_commands() -> list[str]:
    folder = ROOT / "src" / "equal_outcomes"
    return sorted(
        path.stem
        for path in folder.glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    )


def timed(argv: list[str], env: dict[str, str], repeat: int) -> float:
    """Median wall-clock seconds of ``argv`` as a new process, after one warm-up run."""
    runs = []
    for attempt in range(repeat + 1):
        started = time.perf_counter()
        subprocess.run(argv, env=env, check=True, capture_output=True)  # noqa: S603
        if attempt:
            runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, EQUAL_OUTCOMES_HOME=home, EQUAL_OUTCOMES_ENV="development")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as make does: compiled modules kept
        subprocess.run(  # noqa: S603
            [*COMMAND, "demo", "--no-warm", "--customers", "200", "--seed", "1"],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        python = str(BIN / "python")
        figures = {
            "python -c pass": timed([python, "-c", "pass"], env, repeat),
            "django.setup()": timed(
                [python, "-c", "import django; django.setup()"],
                dict(env, DJANGO_SETTINGS_MODULE="equal_outcomes.settings"),
                repeat,
            ),
        }
        for name in own_commands():
            figures[f"{name} --help"] = timed([*COMMAND, name, "--help"], env, repeat)
        figures["users list"] = timed([*COMMAND, "users", "list"], env, repeat)
        figures["coverage"] = timed([*COMMAND, "coverage"], env, repeat)
    width = max(map(len, figures))
    for name, seconds in figures.items():
        print(f"{name:<{width}}  {seconds:6.2f} s")
    helps = [s for name, s in figures.items() if name.endswith("--help")]
    print(f"{'slowest --help':<{width}}  {max(helps):6.2f} s")
    record("startup", {"repeat": repeat, "seconds": figures, "slowest_help": max(helps)})


if __name__ == "__main__":
    main()
