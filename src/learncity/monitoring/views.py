"""Monitoring pages: the public headline page, open data, published reports, the analysts'
dashboard, and the anonymous survey form. Thin: read a selector or call a service, render."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learncity.access import Actor
from learncity.errors import ValidationFailed
from learncity.monitoring import selectors, services
from learncity.portal.helpers import actor

CHART_DIMENSIONS = ("district", "zone", "sex", "age_band", "hukou", "category", "component",
                    "option")


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _run_or_none(request):
    year = request.GET.get("year")
    return selectors.latest_run(int(year) if year and year.isdigit() else None)


def public(request):
    run = selectors.latest_run()
    context = {"run": run, "reports": selectors.reports()}
    if run:
        language = _language()
        views = selectors.views(run, language)
        context["headlines"] = [v for v in views if v.headline]
        main = selectors.view(run, "PART_ANY", language)
        if main:
            context["district_chart"] = selectors.bar_svg(main, "district", "chart-district")
            context["trend_chart"] = selectors.trend_svg(main, "chart-trend")
            context["main"] = main
    return render(request, "monitoring/public.html", context)


@login_required
def dashboard(request):
    actor(request).require_role("analyst")
    run = _run_or_none(request)
    context = {"run": run, "years": selectors.published_years()}
    if run:
        language = _language()
        all_views = selectors.views(run, language)
        context["admin"] = [v for v in all_views if v.source == "administrative"]
        context["survey"] = [v for v in all_views if v.source == "survey"]
        main = selectors.view(run, "PART_ANY", language)
        theil = selectors.view(run, "EQ_THEIL", language)
        context["district_chart"] = selectors.bar_svg(main, "district", "dash-district")
        context["theil"] = theil
        survey_bars = [v for v in context["survey"] if v.value is not None and v.unit == "percent"]
        context["survey_chart"] = _survey_chart(survey_bars)
    return render(request, "monitoring/dashboard.html", context)


def _survey_chart(views) -> str:
    from learncity.monitoring import charts

    bars = [charts.Bar(v.name, v.value, f"{v.text} ({v.interval})" if v.interval else v.text,
                       *_bounds(v)) for v in views]
    return charts.bar_chart("dash-survey", _("Survey estimates with 95% confidence intervals"),
                            bars, top=100) if bars else ""


def _bounds(view) -> tuple[float | None, float | None]:
    if not view.interval:
        return None, None
    low, high = view.interval.split("–")
    return float(low.replace(",", "")), float(high.replace(",", ""))


@login_required
def indicator(request, code: str):
    actor(request).require_role("analyst")
    run = _run_or_none(request)
    if run is None:
        raise Http404
    view = selectors.view(run, code, _language())
    if view is None:
        raise Http404
    figures = [(name, view.dimension_names[name], view.dimensions[name],
                selectors.bar_svg(view, name, f"chart-{name}"))
               for name in CHART_DIMENSIONS if name in view.dimensions]
    return render(request, "monitoring/indicator.html", {
        "run": run, "view": view, "figures": figures, "with_interval": view.source == "survey",
        "trend_chart": selectors.trend_svg(view, "chart-trend") if len(view.trend) > 1 else "",
    })


def open_data(request):
    return render(request, "monitoring/open_data.html", {
        "years": selectors.published_years(), "reports": selectors.reports()})


def download(request, year: int, fmt: str):
    run = selectors.latest_run(year)
    if run is None or fmt not in ("csv", "json"):
        raise Http404
    rows = selectors.open_data(run)
    name = f"learncity-indicators-{year}"
    if fmt == "json":
        body = {"run": {"year": run.year, "years": run.years,
                        "catalogue_version": run.catalogue_version, "engine": run.engine,
                        "snapshot_kind": run.snapshot_kind, "min_cell": run.min_cell,
                        "published_at": run.published_at.isoformat(),
                        "survey_design": run.survey_design, "assumptions": run.assumptions},
                "catalogue": selectors.catalogue_metadata(), "cells": rows}
        response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["indicator"])
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def catalogue_file(request):
    body = json.dumps(selectors.catalogue_metadata(), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="learncity-indicator-catalogue.json"'
    return response


def report_file(request, year: int, language: str, fmt: str):
    found = [r for r in selectors.reports(year) if r.language == language]
    if not found or fmt not in ("html", "pdf"):
        raise Http404
    name = found[0].html_file if fmt == "html" else found[0].pdf_file
    path = Path(settings.MEDIA_ROOT) / name if name else None
    if path is None or not path.is_file():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=fmt == "pdf", filename=path.name)


@require_http_methods(["GET", "POST"])
def survey_form(request, token: str):
    unit = services.unit_for_token(token)
    questionnaire = unit.survey.questionnaire
    entries = [e for e, _s in services.questionnaire_specs(questionnaire)]
    errors, values = {}, {}
    if hasattr(unit, "response"):
        return render(request, "monitoring/survey_done.html", {"already": True})
    if request.method == "POST":
        values = {e.item.code: (request.POST.getlist(e.item.code) if e.item.type == "multiple"
                                else request.POST.get(e.item.code, "")) for e in entries}
        try:
            services.submit_response(Actor(label="survey respondent"), token, values)
            return render(request, "monitoring/survey_done.html", {})
        except ValidationFailed as error:
            errors = error.details or {}
    language = _language()
    numbers = {e.item.code: n for n, e in enumerate(entries, start=1)}
    questions = [_question(e, language, values.get(e.item.code), errors.get(e.item.code),
                           entries, numbers) for e in entries]
    return render(request, "monitoring/survey_form.html", {
        "questionnaire": questionnaire, "questions": questions, "errors": errors,
        "title": questionnaire.title_en if language.startswith("en") else questionnaire.title_zh,
        "intro": questionnaire.intro_en if language.startswith("en") else questionnaire.intro_zh,
    })


def _condition(entry, key: str, entries, numbers) -> str:
    """“Only if you answered Yes to question 2.”, for an item asked on a condition."""
    if not entry.show_if:
        return ""
    asked = next(e for e in entries if e.item.code == entry.show_if["item"])
    labels = {o["code"]: o[key] for o in asked.item.options}
    answers = " / ".join(labels.get(v, v) for v in entry.show_if["values"])
    return _("Only if you answered “%(answer)s” to question %(number)s; otherwise leave it "
             "blank.") % {"answer": answers, "number": numbers[asked.item.code]}


def _question(entry, language: str, value, error, entries, numbers) -> dict:
    item, key = entry.item, "en" if language.startswith("en") else "zh"
    chosen = value if isinstance(value, list) else [value] if value else []
    options = [{"code": o["code"], "label": o[key], "checked": o["code"] in chosen}
               for o in item.options]
    if item.type == "scale":
        labels = item.scale_labels or {}
        options = [{"code": str(n), "checked": str(n) in chosen,
                    "label": str(n) + (f" {labels.get(f'min_{key}', '')}" if n == item.scale_min
                                       else f" {labels.get(f'max_{key}', '')}"
                                       if n == item.scale_max else "")}
                   for n in range(item.scale_min, item.scale_max + 1)]
    return {"code": item.code, "type": item.type, "text": item.text(language),
            "options": options, "value": value if isinstance(value, str) else "",
            "required": entry.required, "when": _condition(entry, key, entries, numbers),
            "error": error,
            "min": item.number_min, "max": item.number_max}
