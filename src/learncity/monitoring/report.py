"""The annual monitoring report (监测报告): one self-contained HTML file per language (inline
CSS and SVG charts, so it opens anywhere), printed to PDF by headless Chromium, which lays out
the Chinese text with the system's CJK fonts exactly as a browser shows it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from learncity.errors import ConfigurationError
from learncity.monitoring import catalogue as catalogue_module
from learncity.monitoring import selectors
from learncity.monitoring.labels import dimension_label, lang_key
from learncity.monitoring.models import IndicatorRun

DISTRICT_COLUMNS = ("PART_ANY", "PART_OLDER", "PART_ONLINE", "HOURS_MEAN",
                    "ACCOUNTS_PER_1000", "SITES_PER_10000", "COURSES_PER_10000")
TREND_SERIES = ("PART_ANY", "PART_OLDER", "PART_ONLINE")


def chromium_path() -> str | None:
    for candidate in (os.environ.get("LEARNCITY_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _district_table(run: IndicatorRun, language: str) -> tuple[list[str], list[list[str]]]:
    heads, columns = [], []
    for code in DISTRICT_COLUMNS:
        view = selectors.view(run, code, language)
        if view and view.dimensions.get("district"):
            heads.append(f"{view.name} ({view.unit_label})")
            columns.append({r.group: (r.label, r.text) for r in view.dimensions["district"]})
    if not columns:
        return heads, []
    rows = [[label, *[col.get(code, ("", "—"))[1] for col in columns]]
            for code, (label, _t) in columns[0].items()]
    return heads, rows


def _methodology(run: IndicatorRun, language: str) -> list[dict]:
    cat = catalogue_module.load()
    key = lang_key(language)
    out = []
    for ind in cat.indicators:
        out.append({
            "code": ind.code, "name": ind.label(language), "definition": ind.text(language),
            "numerator": ind.numerator.get(key, ""), "denominator": ind.denominator.get(key, ""),
            "unit": cat.units[ind.unit][key], "source": ind.source,
            "dims": ", ".join(dimension_label(cat, d, language) for d in ind.disaggregations),
            "target": (ind.target or {}).get(key, ""),
        })
    return out


def render_html(run: IndicatorRun, language: str) -> str:
    with translation.override(language):
        views = selectors.views(run, language)
        main = selectors.view(run, "PART_ANY", language)
        theil = selectors.view(run, "EQ_THEIL", language)
        trend = [v for v in views if v.code in TREND_SERIES]
        from learncity.monitoring import charts

        trend_chart = (charts.line_chart(
            "report-trend", main.name if main else "", [(v.name, v.trend) for v in trend],
            target=50, target_label=_("Target %(value)s") % {"value": "50%"})
            if trend and len(trend[0].trend) > 1 else "")
        survey = [v for v in views if v.source == "survey"]
        survey_full = [selectors.view(run, v.code, language) for v in survey]
        heads, rows = _district_table(run, language)
        return render_to_string("monitoring/report.html", {
            "run": run, "language": language, "lang_attr": "en" if lang_key(language) == "en"
            else "zh-Hans", "headlines": [v for v in views if v.headline],
            "admin": [v for v in views if v.source == "administrative"],
            "district_chart": selectors.bar_svg(main, "district", "report-district")
            if main else "", "district_heads": heads, "district_rows": rows,
            "trend_chart": trend_chart, "theil": theil, "survey": survey_full,
            "survey_charts": [selectors.bar_svg(v, "option", f"report-{v.code}")
                              for v in survey_full if v and "option" in v.dimensions],
            "methodology": _methodology(run, language), "design": run.survey_design,
            "css": (Path(__file__).parent / "static" / "monitoring" / "report.css").read_text(
                encoding="utf-8"),
        })


def print_pdf(html_path: Path, pdf_path: Path, chromium: str | None = None,
              timeout: int = 120) -> None:
    browser = chromium or chromium_path()
    if browser is None:
        raise ConfigurationError("No Chromium found for the PDF; install Debian's chromium "
                                 "package or set LEARNCITY_CHROMIUM, or pass --no-pdf.")
    with tempfile.TemporaryDirectory(prefix="learncity-pdf-") as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()],
            check=True, capture_output=True, timeout=timeout)
    if not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise ConfigurationError(f"Chromium did not write {pdf_path}")


def write_report(run: IndicatorRun, language: str, folder: Path, *, pdf: bool = True) -> tuple[
        Path, Path | None]:
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"learncity-monitoring-report-{run.year}-{lang_key(language)}"
    html_path = folder / f"{stem}.html"
    html_path.write_text(render_html(run, language), encoding="utf-8")
    pdf_path = folder / f"{stem}.pdf" if pdf else None
    if pdf_path:
        print_pdf(html_path, pdf_path)
    return html_path, pdf_path
