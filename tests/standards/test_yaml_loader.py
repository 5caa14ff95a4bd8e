"""The shipped code lists, framework and indicators are read with YAML's safe loader in C
(``standards.codelists.SafeLoader``), seven times faster than ``yaml.safe_load``: it must read
every shipped file to the same values."""

from __future__ import annotations

from pathlib import Path

import yaml

from equal_outcomes.standards.codelists import SafeLoader

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "equal_outcomes"


def test_the_fast_loader_reads_every_shipped_file_as_the_safe_loader_does() -> None:
    files = sorted(PACKAGE.glob("*/data/**/*.yaml"))
    assert len(files) > 30
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=SafeLoader) == yaml.safe_load(text), path  # noqa: S506
