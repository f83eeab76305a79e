"""The indicator catalogue: read and check the versioned YAML. Pure: no Django.

`load()` returns a `Catalogue` of frozen dataclasses. Every other module reads definitions from
it — which outcome kinds a measure counts, the age bands, the small-cell threshold, the targets —
so a change of definition is a change of data with a new catalogue version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "indicators.yaml"
ADMIN_TYPES = ("rate", "mean", "total", "gini", "theil", "gap", "progress")
SURVEY_TYPES = ("survey_proportion", "survey_scale_mean", "survey_choice_shares")
PERSON_MEASURES = ("accounts", "new_accounts", "hours")
RECOGNITION_MEASURES = ("recognised", "credits")
TRANSFER_MEASURES = ("transfers", "transfer_credits", "transfer_learners")
# a total's cells rest on these people (for small-cell suppression); by its numerator
PEOPLE_MEASURE = {
    "recognised": "recognised",
    "credits": "recognised",
    **{m: "transfer_learners" for m in TRANSFER_MEASURES},
}
DISTRICT_MEASURES = ("sites", "courses")
ADMIN_DIMENSIONS = ("district", "zone", "sex", "age_band", "hukou", "category")
SURVEY_DIMENSIONS = ("zone", "sex", "age_band", "hukou", "district", "option")


class CatalogueError(ValueError):
    """Raised when the catalogue file breaks its own rules; the message names the indicator."""


@dataclass(frozen=True)
class AgeBand:
    code: str
    min: int
    max: int


@dataclass(frozen=True)
class Rule:
    """Which outcomes a person-level measure counts: kinds OR sources OR categories."""

    kinds: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    code: str
    name: dict
    definition: dict
    source: str
    type: str
    unit: str
    numerator: dict = field(default_factory=dict)
    denominator: dict = field(default_factory=dict)
    scale: float = 1.0
    disaggregations: tuple[str, ...] = ()
    universe: dict = field(default_factory=dict)
    target: dict | None = None
    of: str = ""
    headline: bool = False
    extra: dict = field(default_factory=dict)

    def label(self, language: str) -> str:
        return self.name["en" if language.startswith("en") else "zh"]

    def text(self, language: str) -> str:
        return self.definition["en" if language.startswith("en") else "zh"]


@dataclass(frozen=True)
class Catalogue:
    version: str
    small_cell_threshold: int
    age_bands: tuple[AgeBand, ...]
    statuses: tuple[str, ...]
    measures: dict[str, Rule]
    categories: dict[str, dict]
    zones: dict[str, dict]
    dimensions: dict[str, dict]
    groups: dict[str, dict]
    units: dict[str, dict]
    reliability: dict[str, float]
    indicators: tuple[Indicator, ...]
    changes: tuple[dict, ...] = ()

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def admin(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.source == "administrative")

    def survey(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.source == "survey")

    def all_measures(self) -> tuple[str, ...]:
        """Person flags from `measures`, then one flag per outcome category (`cat_<code>`)."""
        return tuple(self.measures) + tuple(f"cat_{c}" for c in self.categories)

    def rule(self, measure: str) -> Rule:
        if measure.startswith("cat_") and measure[4:] in self.categories:
            return Rule(categories=(measure[4:],))
        return self.measures[measure]


def _rule(spec: dict | None) -> Rule:
    spec = spec or {}
    return Rule(*(tuple(spec.get(k, ())) for k in ("kinds", "sources", "categories")))


def _indicator(raw: dict) -> Indicator:
    known = set(Indicator.__dataclass_fields__) - {"extra"}
    values = {k: v for k, v in raw.items() if k in known}
    values["disaggregations"] = tuple(raw.get("disaggregations", ()))
    values["extra"] = {k: v for k, v in raw.items() if k not in known}
    return Indicator(**values)


def _check(cat: Catalogue) -> None:
    codes = [i.code for i in cat.indicators]
    if len(set(codes)) != len(codes):
        raise CatalogueError("indicator codes must be unique")
    measures = set(cat.all_measures()) | set(PERSON_MEASURES) | set(RECOGNITION_MEASURES)
    measures |= set(DISTRICT_MEASURES) | set(TRANSFER_MEASURES)
    bands = {b.code for b in cat.age_bands}
    for ind in cat.indicators:
        where = f"indicator {ind.code}"
        for lang in ("zh", "en"):
            if not ind.name.get(lang) or not ind.definition.get(lang):
                raise CatalogueError(f"{where}: needs a name and definition in zh and en")
        if ind.unit not in cat.units:
            raise CatalogueError(f"{where}: unknown unit {ind.unit}")
        if ind.source == "administrative":
            if ind.type not in ADMIN_TYPES:
                raise CatalogueError(f"{where}: unknown administrative type {ind.type}")
            counted = ind.numerator.get("measure")
            if ind.type in ("rate", "mean", "total") and counted not in measures:
                raise CatalogueError(f"{where}: unknown numerator measure")
            if ind.type in ("gini", "theil", "gap", "progress") and ind.of not in codes:
                raise CatalogueError(f"{where}: `of` must name another indicator")
            bad = set(ind.disaggregations) - set(ADMIN_DIMENSIONS)
        elif ind.source == "survey":
            if ind.type not in SURVEY_TYPES:
                raise CatalogueError(f"{where}: unknown survey type {ind.type}")
            bad = set(ind.disaggregations) - set(SURVEY_DIMENSIONS)
        else:
            raise CatalogueError(f"{where}: source must be administrative or survey")
        if bad:
            raise CatalogueError(f"{where}: unknown disaggregations {sorted(bad)}")
        if set(ind.universe.get("age_bands", ())) - bands:
            raise CatalogueError(f"{where}: unknown age band in universe")
        if ind.target is not None and ind.target.get("comparison") not in (">", ">=", "<", "<="):
            raise CatalogueError(f"{where}: a target needs a comparison")


def parse(text: str) -> Catalogue:
    raw = yaml.safe_load(text)
    try:
        cat = Catalogue(
            version=str(raw["version"]),
            small_cell_threshold=int(raw["small_cell_threshold"]),
            age_bands=tuple(AgeBand(str(b["code"]), b["min"], b["max"]) for b in raw["age_bands"]),
            statuses=tuple(raw["counted_outcomes"]["statuses"]),
            measures={k: _rule(v) for k, v in raw["measures"].items()},
            categories=raw["categories"],
            zones=raw["zones"],
            dimensions=raw["dimensions"],
            groups=raw.get("groups", {}),
            units=raw["units"],
            reliability=raw["survey_reliability"],
            indicators=tuple(_indicator(i) for i in raw["indicators"]),
            changes=tuple(raw.get("changes", ())),
        )
    except (KeyError, TypeError) as error:
        raise CatalogueError(f"catalogue is missing {error}") from error
    _check(cat)
    return cat


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Catalogue:
    return parse(Path(path or DEFAULT_FILE).read_text(encoding="utf-8"))


def age_band(age: int | None, bands: tuple[AgeBand, ...]) -> str:
    if age is None:
        return "unknown"
    for b in bands:
        if b.min <= age <= b.max:
            return b.code
    return "unknown"
