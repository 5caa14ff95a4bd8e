"""What every benchmark does with its figures: label the machine and append the run to
``benchmarks/results/NAME.json`` (one entry per run, kept)."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores"


def record(name: str, result: dict[str, Any]) -> None:
    """Adds the machine and the date to ``result`` and appends it to the named history."""
    result.setdefault("machine", machine())
    result.setdefault("measured", time.strftime("%Y-%m-%d"))
    out = RESULTS / f"{name}.json"
    out.parent.mkdir(exist_ok=True)
    runs = json.loads(out.read_text()) if out.exists() else []
    runs.append(result)
    out.write_text(json.dumps(runs, indent=2) + "\n")
