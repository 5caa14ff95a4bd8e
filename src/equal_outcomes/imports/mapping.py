"""Mapping files: how another system's columns and values map onto the canonical import.

```yaml
columns:              # their header: canonical column (or "ignore")
  Tenant Ref: customer_ref
  Ethnic Origin: ethnicity
values:               # per canonical column, their value: a code from its code list
  ethnicity:
    WB: white_british
    "99": prefer_not_to_say
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from equal_outcomes.core.readers import UnreadableFile

MAX_MAPPING_BYTES = 1_000_000
MAX_DEPTH = 8
SCALARS = (str, int, float, bool)


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors and aliases (which can expand a small file into gigabytes: the
    "billion laughs") and without deep nesting: a mapping file needs neither."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.YAMLError(f"aliases are not allowed ({event.start_mark})")
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.YAMLError("the file is nested too deeply for a mapping file")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _text(value: object, where: str) -> str:
    if not isinstance(value, SCALARS):
        raise ValueError(f"{where}: expected text, found a {type(value).__name__}")
    return str(value)


def _table(value: object, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected a mapping of their value to ours")
    return {_text(k, where): _text(v, f"{where}: {k}") for k, v in value.items()}


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: dict[str, str] = Field(default_factory=dict)
    values: dict[str, dict[str, str]] = Field(default_factory=dict)


def _table_of_tables(value: object) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("values: expected a mapping of column to a mapping of values")
    return value


def load_mapping(path: Path | None) -> Mapping:
    if path is None:
        return Mapping()
    if not path.is_file():
        raise UnreadableFile(f"no such mapping file: {path}")
    if path.stat().st_size > MAX_MAPPING_BYTES:
        raise UnreadableFile("the mapping file is too large")
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_NoAliases) or {}  # noqa: S506 - a safe loader that also refuses aliases
        if not isinstance(data, dict):
            raise ValueError("expected 'columns' and 'values' mappings")
        return Mapping.model_validate(
            {
                **data,
                "columns": _table(data.get("columns"), "columns"),
                "values": {
                    _text(column, "values"): _table(table, f"values: {column}")
                    for column, table in _table_of_tables(data.get("values")).items()
                },
            }
        )
    except (
        yaml.YAMLError,
        ValidationError,
        ValueError,
        RecursionError,
        UnicodeDecodeError,
    ) as error:
        raise UnreadableFile(f"the mapping file is not valid: {error}") from None
