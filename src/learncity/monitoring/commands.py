"""What the monitoring commands do, once Django is set up (kept out of cli.py so that tests and
other callers can use it without typer)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from django.conf import settings

from learncity.errors import NotFound
from learncity.monitoring import selectors, services
from learncity.monitoring.models import Questionnaire, Survey
from learncity.monitoring.survey_import import DESIGN


def reports_folder(year: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "monitoring" / "reports" / str(year)


def make_reports(actor, year: int, languages: list[str], *, pdf: bool = True,
                 copy_to: Path | None = None) -> list[Path]:
    from learncity.monitoring.report import write_report

    run = selectors.latest_run(year)
    if run is None:
        raise LookupError(f"No published results for {year}: run "
                          f"`learncity indicators --year {year} --publish` first.")
    written = []
    for language in (lang.strip() for lang in languages if lang.strip()):
        html, pdf_path = write_report(run, language, reports_folder(year), pdf=pdf)
        media = Path(settings.MEDIA_ROOT)
        services.record_report(actor, run, language, str(html.relative_to(media)),
                               str(pdf_path.relative_to(media)) if pdf_path else "")
        written += [p for p in (html, pdf_path) if p]
    if copy_to:
        copy_to.mkdir(parents=True, exist_ok=True)
        written = [Path(shutil.copy2(p, copy_to)) for p in written]
    return written


def _survey(code: str) -> Survey:
    survey = Survey.objects.select_related("questionnaire").filter(code=code).first()
    if survey is None:
        raise NotFound(f"No survey {code}.")
    return survey


def create_survey(actor, code: str, year: int, questionnaire: str) -> Survey:
    q_code, _, version = questionnaire.partition("@")
    found = Questionnaire.objects.filter(code=q_code, version=version).first()
    if found is None:
        raise NotFound(f"No questionnaire {questionnaire}: run `learncity question-bank`.")
    return services.create_survey(actor, code, year, found)


def issue_links(actor, code: str, sample: Path, out: Path, base_url: str = "") -> int:
    from learncity.monitoring.survey_import import read_rows

    units = []
    for row in read_rows(sample):
        units.append({"unit_key": int(row["unit_key"]), "stratum": row["stratum"],
                      "psu": row["psu"], "base_weight": float(row["base_weight"]),
                      **{k: row[k] for k in DESIGN[4:8]}})
    links = services.issue_links(actor, _survey(code), units)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit_key", "link"])
        for key, token in links:
            writer.writerow([key, f"{base_url}/monitoring/survey/{token}/"])
    return len(links)


def import_file(actor, code: str, path: Path) -> dict:
    return services.import_responses(actor, _survey(code), path)


def demo(actor, residents: int, *, pdf: bool = False) -> list[str]:
    """Synthetic population → indicators (published) → report → a survey with one link."""
    from learncity import config
    from learncity.identity.districts import all_districts
    from learncity.monitoring import jobs
    from learncity.monitoring.synth import SynthSpec, synthesize

    districts = all_districts()
    folder = config.home() / "monitoring" / "demo"
    spec = SynthSpec(residents=residents)
    synthesize(folder, [(d.code, d.zone, d.residents) for d in districts], spec, force=True)
    year = max(spec.years)
    result = jobs.run(folder, year, {d.code: d.zone for d in districts})
    services.publish_run(actor, result)
    lines = [f"Synthetic population of {residents:,} in {folder}; indicators for {year} "
             f"published ({len(result.cells)} cells)."]
    lines += [f"Report: {p}" for p in make_reports(actor, year, ["zh-hans", "en"], pdf=pdf)]
    services.load_question_bank(actor)
    code = f"DEMO-{year}"
    survey = Survey.objects.filter(code=code).first() or create_survey(
        actor, code, year, "LLL@2025.1")
    links = services.issue_links(actor, survey, [{
        "unit_key": survey.units.count() + 1, "stratum": "310104", "psu": "310104-0001",
        "base_weight": 1000.0, "district_code": "310104", "sex": "F", "age_band": "60-64",
        "hukou": "local"}])
    lines.append(f"Survey link (anonymous, one use): /monitoring/survey/{links[0][1]}/")
    lines.append("Public page: /monitoring/  ·  analysts: /monitoring/dashboard/")
    return lines
