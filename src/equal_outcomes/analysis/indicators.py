"""Indicator definitions: a named measure over one event type."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class IndicatorError(ValueError):
    """An indicators file that cannot be used; the message says why."""


class Indicator(BaseModel):
    """``measure`` is a ``rate`` (share of events whose ``value`` is true), a ``mean`` or a
    ``median`` of ``value``. ``filter`` keeps events whose columns equal the given values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")
    event_type: str = Field(min_length=1)
    measure: Literal["rate", "mean", "median"]
    value: str = Field(min_length=1)
    filter: dict[str, str | list[str]] = Field(default_factory=dict)
    higher_is_better: bool = True
    title: str = ""


def load_indicators(path: Path) -> list[Indicator]:
    """Indicators from a YAML file: a list, or a mapping with an ``indicators`` list."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise IndicatorError(f"cannot read {path}: {error}") from None
    items = data.get("indicators") if isinstance(data, dict) else data  # "version" is a label
    if not isinstance(items, list) or not items:
        raise IndicatorError(f"{path} holds no list of indicators")
    try:
        indicators = [Indicator.model_validate(item) for item in items]
    except ValidationError as error:
        raise IndicatorError(f"{path}: {error}") from None
    ids = [indicator.id for indicator in indicators]
    if len(ids) != len(set(ids)):
        raise IndicatorError(f"{path}: indicator ids must be unique")
    return indicators


DEFAULTS = Path(__file__).parent / "data" / "indicators.yaml"


def default_indicators() -> list[Indicator]:
    """The indicators shipped with the engine: the Tenant Satisfaction Measures and the
    toolkit's customer-care indicators."""
    return load_indicators(DEFAULTS)
