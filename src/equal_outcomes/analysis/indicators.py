"""Indicator definitions: a named measure over one event type."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class IndicatorError(ValueError):
    """An indicators file that cannot be used; the message says why."""


class Indicator(BaseModel):
    """``measure`` is a ``rate`` (share of events whose ``value`` is true), a ``mean`` or a
    ``median`` of ``value``, or ``per_1000_homes``: events for every 1,000 rows of the people
    table (give it one row per home, the lead tenant, for a true per-home figure), which needs
    no ``value``. ``filter`` keeps events whose columns equal the given values.

    A rate can also be read from a column that is not yes or no: ``at_most`` counts an event as
    meeting the outcome when its number is at most that (a service standard: days to complete
    an adaptation, days to first contact), and ``one_of`` when its value is one of those given
    (contacts made online or by email). An event with nothing in the column has no outcome.
    ``service`` names the service the indicator measures (``SERVICES``), for its page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")
    event_type: str = Field(min_length=1)
    measure: Literal["rate", "mean", "median", "per_1000_homes"]
    value: str = ""
    filter: dict[str, str | list[str]] = Field(default_factory=dict)
    at_most: float | None = Field(default=None, allow_inf_nan=False)
    one_of: list[str] = Field(default_factory=list)
    service: str = ""
    higher_is_better: bool = True
    title: str = ""
    title_cy: str = ""  # the title in Welsh, where the file gives one
    # The smallest difference that is a finding, in the measure's own units (days for a median
    # of days; a share for a rate): by default 0.05 for rates and any difference for the others.
    min_effect: float | None = Field(default=None, ge=0)

    def title_in(self, language: str) -> str:
        """The title a reader of ``language`` reads: Welsh where it is given, else English,
        else the id."""
        return (self.title_cy if language == "cy" else "") or self.title or self.id

    @model_validator(mode="after")
    def _value_named(self) -> Indicator:
        if self.measure != "per_1000_homes" and not self.value:
            raise ValueError(f"a {self.measure} needs the outcome column named in 'value'")
        if self.measure == "per_1000_homes" and self.value:
            raise ValueError("a count per 1,000 homes counts events: leave 'value' out")
        if (self.at_most is not None or self.one_of) and self.measure != "rate":
            raise ValueError("'at_most' and 'one_of' make a rate: give 'measure: rate'")
        if self.at_most is not None and self.one_of:
            raise ValueError("give 'at_most' or 'one_of', not both")
        return self


def load_indicators(path: Path) -> list[Indicator]:
    """Indicators from a YAML file: a list, or a mapping with an ``indicators`` list."""
    try:
        # The safe loader in C where there is one (as standards.codelists.SafeLoader).
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=loader)  # noqa: S506 - a safe loader, in C
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


class Service(BaseModel):
    """A service the default indicators measure, with a page of its own (issue 31)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    title: str
    title_cy: str
    standard: str = ""  # the service standard its indicators hold to, in words
    standard_cy: str = ""

    def title_in(self, language: str) -> str:
        return self.title_cy if language == "cy" else self.title

    def standard_in(self, language: str) -> str:
        return self.standard_cy if language == "cy" else self.standard


def default_indicators() -> list[Indicator]:
    """The indicators shipped with the engine: the Tenant Satisfaction Measures and the
    toolkit's customer-care indicators. Read once per process (pages look them up)."""
    return list(_defaults())


@lru_cache(maxsize=1)
def _defaults() -> tuple[Indicator, ...]:
    return tuple(load_indicators(DEFAULTS))


@lru_cache(maxsize=1)
def services() -> tuple[Service, ...]:
    """The services of the default indicators, in the order their pages are listed."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(DEFAULTS.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader, in C
    return tuple(Service.model_validate(item) for item in data["services"])
