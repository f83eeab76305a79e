"""The monitoring commands of `learncity`: snapshot, synth, indicators, report, question-bank,
survey-create, survey-links, survey-import, monitoring-demo. Registered by learncity/cli.py;
nothing heavy is imported until a command runs."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console()


def _actor():
    from learncity.access import system_actor

    return system_actor(f"cli:{os.environ.get('USER', 'unknown')}")


def _districts():
    from learncity.identity.districts import all_districts

    return all_districts()


def _years(text: str) -> tuple[int, ...]:
    first, _, last = text.partition("-")
    return tuple(range(int(first), int(last or first) + 1))


def _refuse(message) -> None:
    console.print(f"[bold red]Refused:[/] {message}")
    raise typer.Exit(1)


def register(app: typer.Typer, setup: Callable[[], None]) -> None:  # noqa: C901 - a table
    @app.command("snapshot")
    def snapshot(
        out: Path = typer.Option(None, help="Snapshot folder (default $LEARNCITY_HOME/"
                                 "monitoring/snapshot)."),
        full: bool = typer.Option(False, help="Start again instead of adding a run."),
    ) -> None:
        """Export pseudonymised monitoring data to Parquet, adding only what changed."""
        setup()
        from learncity.monitoring.snapshot import export

        facts = export(out, full=full, progress=console.print)
        console.print(f"Snapshot run {facts['run']} in {facts['folder']}")

    @app.command("synth")
    def synth(
        out: Path = typer.Option(None, help="Folder (default $LEARNCITY_HOME/monitoring/"
                                 "synthetic)."),
        residents: int = typer.Option(0, help="Residents; 0 = the whole city (24,870,895)."),
        seed: int = typer.Option(2020, help="Random seed: the same seed gives the same data."),
        years: str = typer.Option("2022-2024", help="Years of learning activity, e.g. 2022-2024."),
        chunk: int = typer.Option(250_000, help="Residents per chunk (bounds memory)."),
        survey: bool = typer.Option(True, help="Also draw a sample survey."),
        force: bool = typer.Option(False, help="Replace a folder that is not empty."),
    ) -> None:
        """Generate a reproducible synthetic population and its learning, streamed to Parquet."""
        from learncity import config
        from learncity.monitoring.survey_synth import SurveyPlan
        from learncity.monitoring.synth import SynthSpec, synthesize

        folder = out or config.home() / "monitoring" / "synthetic"
        spec = SynthSpec(residents=residents or None, seed=seed, years=_years(years),
                         chunk=chunk, survey=SurveyPlan() if survey else None)
        districts = [(d.code, d.zone, d.residents) for d in _districts()]
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("Residents", total=None)
            try:
                counts = synthesize(folder, districts, spec, force=force,
                                    progress=lambda n, t: progress.update(task, completed=n,
                                                                          total=t))
            except FileExistsError as error:
                _refuse(error)
        console.print(f"Wrote {folder}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

    @app.command("indicators")
    def indicators(
        year: int = typer.Option(..., help="Reporting year."),
        snapshot: Path = typer.Option(None, help="Snapshot folder (default: the database's)."),
        engine: str = typer.Option("duckdb", help="duckdb or spark."),
        back: int = typer.Option(2, help="Also compute this many earlier years (trends)."),
        min_cell: int = typer.Option(None, help="Suppress cells from fewer people than this "
                                     "(default: the catalogue's)."),
        publish: bool = typer.Option(False, help="Publish the results to the portal."),
        out: Path = typer.Option(None, help="Also write the results to this JSON file."),
        spark_master: str = typer.Option("local[2]", help="Spark master URL."),
    ) -> None:
        """Compute the whole indicator catalogue on a snapshot."""
        from learncity.monitoring import jobs
        from learncity.monitoring.snapshot_files import default_folder

        if publish or snapshot is None:
            setup()
        folder = snapshot or default_folder()
        zones = {d.code: d.zone for d in _districts()}
        options = {"master": spark_master} if engine == "spark" else {}
        try:
            result = jobs.run(folder, year, zones, engine=engine, back=back, min_cell=min_cell,
                              engine_options=options)
        except (FileNotFoundError, ValueError) as error:
            _refuse(error)
        _print_headlines(result)
        if out:
            body = {"meta": result.meta(), "cells": [c.as_dict() for c in result.cells]}
            out.write_text(json.dumps(body, ensure_ascii=False, indent=1, default=str))
        if publish:
            from learncity.monitoring.services import publish_run

            run = publish_run(_actor(), result)
            console.print(f"Published run {run.pk} for {year}.")

    @app.command("report")
    def report(
        year: int = typer.Option(..., help="Reporting year (its results must be published)."),
        languages: str = typer.Option("zh-hans,en", help="Comma-separated languages."),
        pdf: bool = typer.Option(True, help="Also print a PDF with headless Chromium."),
        out: Path = typer.Option(None, help="Also copy the files to this folder."),
    ) -> None:
        """Write the annual monitoring report (HTML and PDF, Chinese and English)."""
        setup()
        from learncity.monitoring.commands import make_reports

        try:
            for path in make_reports(_actor(), year, languages.split(","), pdf=pdf, copy_to=out):
                console.print(f"Wrote {path}")
        except LookupError as error:
            _refuse(error)

    @app.command("question-bank")
    def question_bank(file: Path = typer.Option(None, help="Bank YAML (default: shipped).")):
        """Load the question bank and questionnaires (new items and versions only)."""
        setup()
        from learncity.errors import LearnCityError
        from learncity.monitoring.services import load_question_bank

        try:
            added = load_question_bank(_actor(), file)
        except LearnCityError as error:
            _refuse(error.message)
        console.print(f"Question bank: {added['items']} items and {added['questionnaires']} "
                      "questionnaires added.")

    @app.command("survey-create")
    def survey_create(code: str, year: int = typer.Option(...),
                      questionnaire: str = typer.Option("LLL@2025.1", help="CODE@VERSION")):
        """Create a survey from a questionnaire of the bank."""
        setup()
        from learncity.monitoring.commands import create_survey

        create_survey(_actor(), code, year, questionnaire)
        console.print(f"Survey {code} created.")

    @app.command("survey-links")
    def survey_links(code: str, sample: Path = typer.Argument(..., exists=True),
                     out: Path = typer.Option(..., help="CSV of unit_key,link to write.")):
        """Issue one anonymous web link per sampled unit (design columns as for survey-import)."""
        setup()
        from learncity.monitoring.commands import issue_links

        count = issue_links(_actor(), code, sample, out)
        console.print(f"{count} links written to {out} (they are shown only once).")

    @app.command("survey-import")
    def survey_import(code: str, file: Path = typer.Argument(..., exists=True)):
        """Import survey responses from .csv or .xlsx (all or nothing)."""
        setup()
        from learncity.errors import LearnCityError
        from learncity.monitoring.commands import import_file

        try:
            counts = import_file(_actor(), code, file)
        except LearnCityError as error:
            console.print(f"[bold red]Refused:[/] {error.message}")
            for p in (error.details or [])[:200]:
                console.print(f"  row {p['row']}, {p['column']}: {p['message']}")
            raise typer.Exit(1) from None
        console.print(f"Imported {counts['rows']} sampled units, {counts['responses']} responses.")

    @app.command("monitoring-demo")
    def monitoring_demo(residents: int = typer.Option(200_000), pdf: bool = False) -> None:
        """Demo monitoring: synthetic data, published indicators, a report, a survey link."""
        setup()
        from learncity.monitoring.commands import demo

        for line in demo(_actor(), residents, pdf=pdf):
            console.print(line)


def _print_headlines(result) -> None:
    from learncity.monitoring import catalogue

    cat = catalogue.load()
    table = Table(title=f"Indicators {result.year} ({result.engine}, {result.seconds:.1f} s)")
    for column in ("code", "indicator", "value", "flag"):
        table.add_column(column)
    for cell in result.cells:
        if cell.year == result.year and cell.group == "total":
            name = cat.indicator(cell.indicator).name["en"]
            value = "—" if cell.value is None else f"{cell.value:,.3f}"
            table.add_row(cell.indicator, name, value, cell.flag)
    console.print(table)
