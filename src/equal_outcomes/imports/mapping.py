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

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from equal_outcomes.imports.readers import UnreadableFile

MAX_MAPPING_BYTES = 1_000_000


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: dict[str, str] = Field(default_factory=dict)
    values: dict[str, dict[str, str]] = Field(default_factory=dict)


def load_mapping(path: Path | None) -> Mapping:
    if path is None:
        return Mapping()
    if not path.is_file():
        raise UnreadableFile(f"no such mapping file: {path}")
    if path.stat().st_size > MAX_MAPPING_BYTES:
        raise UnreadableFile("the mapping file is too large")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        return Mapping.model_validate(
            {
                "columns": {str(k): str(v) for k, v in (data.get("columns") or {}).items()},
                "values": {
                    str(column): {str(k): str(v) for k, v in (table or {}).items()}
                    for column, table in (data.get("values") or {}).items()
                },
            }
            if isinstance(data, dict)
            else data
        )
    except (yaml.YAMLError, ValidationError, AttributeError, UnicodeDecodeError) as error:
        raise UnreadableFile(f"the mapping file is not valid: {error}") from None
