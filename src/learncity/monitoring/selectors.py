"""Reads shared by the monitoring pages, downloads and reports. Published aggregates only:
nothing here touches learners, outcomes or survey responses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from learncity.identity.districts import all_districts
from learncity.monitoring import catalogue as catalogue_module
from learncity.monitoring import charts
from learncity.monitoring.labels import (
    dimension_label,
    group_label,
    lang_key,
    number,
    option_rank,
    shown,
    target_met,
    unit_label,
)
from learncity.monitoring.models import IndicatorRun, IndicatorValue, Report

OPEN_DATA_FIELDS = ("indicator", "year", "dimension", "group", "value", "numerator",
                    "denominator", "se", "lci", "uci", "cv", "n", "deff", "flag")


def latest_run(year: int | None = None) -> IndicatorRun | None:
    runs = IndicatorRun.objects.all()
    if year:
        runs = runs.filter(year=year)
    return runs.order_by("-year", "-published_at", "-id").first()


def published_years() -> list[int]:
    return sorted(set(IndicatorRun.objects.values_list("year", flat=True)), reverse=True)


def reports(year: int | None = None) -> list[Report]:
    found = Report.objects.all() if year is None else Report.objects.filter(year=year)
    latest: dict[tuple, Report] = {}
    for r in found.order_by("-created_at", "-id"):
        latest.setdefault((r.year, r.language), r)
    return sorted(latest.values(), key=lambda r: (-r.year, r.language))


@dataclass
class Row:
    dimension: str
    group: str
    label: str
    value: float | None
    text: str
    flag: str = ""
    interval: str = ""
    n: int | None = None
    low: float | None = None
    high: float | None = None
    dimension_name: str = ""


@dataclass
class View:
    code: str
    name: str
    definition: str
    source: str
    unit: str
    unit_label: str
    headline: bool
    value: float | None = None
    text: str = "—"
    flag: str = ""
    interval: str = ""
    target: float | None = None
    target_text: str = ""
    met: bool | None = None
    trend: list[tuple[int, float | None, str]] = field(default_factory=list)
    dimensions: dict[str, list[Row]] = field(default_factory=dict)
    dimension_names: dict[str, str] = field(default_factory=dict)


def _interval(v: IndicatorValue, unit: str) -> str:
    if v.lci is None or v.uci is None:
        return ""
    return f"{number(v.lci, unit)}–{number(v.uci, unit)}"


ZONE_ORDER = {"central": 0, "pudong": 1, "suburb": 2}
COMPONENT_ORDER = {"total": 0, "between_zone": 1, "within_zone": 2}


def _rank(v: IndicatorValue, zones: dict[str, str]) -> int:
    """Districts by zone, components total first, options in the questionnaire's order."""
    if v.dimension == "district":
        return ZONE_ORDER.get(zones.get(v.group), 3)
    if v.dimension == "component":
        return COMPONENT_ORDER.get(v.group, 3)
    if v.dimension == "option":
        return option_rank(v.group)
    return 0


def views(run: IndicatorRun, language: str, *, with_dimensions: bool = False,
          only: str | None = None) -> list[View]:
    """One View per catalogue indicator with its city figure, trend and (optionally) groups."""
    cat = catalogue_module.load()
    cells = defaultdict(list)
    query = run.values.all() if only is None else run.values.filter(indicator=only)
    for v in query:
        cells[v.indicator].append(v)
    out = []
    for ind in cat.indicators:
        if only and ind.code != only:
            continue
        view = _city_view(run, ind, cells.get(ind.code, []), language)
        if with_dimensions:
            _add_groups(view, run, cat, ind, cells.get(ind.code, []), language)
        out.append(view)
    return out


def _city_view(run: IndicatorRun, ind, mine: list[IndicatorValue], language: str) -> View:
    cat = catalogue_module.load()
    view = View(ind.code, ind.label(language), ind.text(language), ind.source, ind.unit,
                unit_label(cat, ind, language), ind.headline)
    if ind.target:
        view.target = ind.target["value"]
        view.target_text = ind.target[lang_key(language)]
    city = [v for v in mine if v.dimension in ("total", "component") and v.group == "total"]
    for v in sorted(city, key=lambda v: v.year):
        view.trend.append((v.year, v.value, shown(v.value, ind.unit, v.flag)))
        if v.year == run.year:
            view.value, view.flag = v.value, v.flag
            view.text = shown(v.value, ind.unit, v.flag)
            view.interval = _interval(v, ind.unit)
    view.met = target_met(ind, view.value)
    return view


def _add_groups(view: View, run: IndicatorRun, cat, ind, mine, language: str) -> None:
    """The reporting year's breakdowns, districts labelled with their zone."""
    zones = {d.code: d.zone for d in all_districts()}
    for v in sorted(mine, key=lambda v: (v.dimension, _rank(v, zones), v.group)):
        if v.year != run.year or (v.dimension == "total" and ind.type != "theil"):
            continue
        label = group_label(cat, v.dimension, v.group, language)
        if v.dimension == "district" and zones.get(v.group):
            label = f"{label} · {group_label(cat, 'zone', zones[v.group], language)}"
        name = dimension_label(cat, v.dimension, language)
        view.dimensions.setdefault(v.dimension, []).append(Row(
            v.dimension, v.group, label, v.value, shown(v.value, ind.unit, v.flag), v.flag,
            _interval(v, ind.unit), v.n, v.lci, v.uci, name))
        view.dimension_names[v.dimension] = name


def view(run: IndicatorRun, code: str, language: str) -> View | None:
    found = views(run, language, with_dimensions=True, only=code)
    return found[0] if found else None


def bar_svg(view: View, dimension: str, chart_id: str) -> str:
    rows = view.dimensions.get(dimension, [])
    bars = [charts.Bar(r.label, r.value, r.text + (f" ({r.interval})" if r.interval else ""),
                       r.low, r.high) for r in rows]
    title = f"{view.name} — {view.dimension_names.get(dimension, dimension)}"
    target_label = (_("Target %(value)s") % {"value": shown(view.target, view.unit)}
                    if view.target is not None and view.target > 0 else "")
    return charts.bar_chart(chart_id, title, bars, target=view.target if target_label else None,
                            target_label=target_label)


def trend_svg(view: View, chart_id: str) -> str:
    title = _("%(name)s, by year") % {"name": view.name}
    target_label = (_("Target %(value)s") % {"value": shown(view.target, view.unit)}
                    if view.target is not None and view.target > 0 else "")
    return charts.line_chart(chart_id, title, [(view.name, view.trend)],
                             target=view.target if target_label else None,
                             target_label=target_label)


def open_data(run: IndicatorRun) -> list[dict]:
    """Every published cell of a run with its indicator's metadata, in both languages."""
    cat = catalogue_module.load()
    names = {i.code: i for i in cat.indicators}
    rows = []
    for v in run.values.all().order_by("indicator", "year", "dimension", "group"):
        ind = names.get(v.indicator)
        row = {f: getattr(v, f) for f in OPEN_DATA_FIELDS}
        row.update({
            "name_zh": ind.name["zh"] if ind else "", "name_en": ind.name["en"] if ind else "",
            "unit": ind.unit if ind else "", "source": ind.source if ind else "",
            "group_zh": group_label(cat, v.dimension, v.group, "zh-hans"),
            "group_en": group_label(cat, v.dimension, v.group, "en"),
            "catalogue_version": run.catalogue_version,
        })
        rows.append(row)
    return rows


def catalogue_metadata() -> dict:
    cat = catalogue_module.load()
    keep = ("code", "name", "definition", "source", "type", "unit", "numerator", "denominator",
            "scale", "disaggregations", "universe", "target", "of", "headline")
    return {
        "catalogue": "learncity-monitoring", "version": cat.version,
        "small_cell_threshold": cat.small_cell_threshold, "changes": list(cat.changes),
        "units": cat.units, "survey_reliability": cat.reliability,
        "indicators": [{k: getattr(i, k) for k in keep} | i.extra for i in cat.indicators],
    }
