"""`learncity transfer …` (and `learncity manage transfer …`): proposals, standards, batch.

`register(app, setup)` adds the `transfer` group to the `learncity` command; the functions
below do the work for both entry points. Nothing heavy is imported until a command runs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

console = Console()
transfer_app = typer.Typer(
    help="Credit transfer: explained proposals, standards, batch.", no_args_is_help=True
)


def _actor():
    from learncity.access import system_actor

    return system_actor(f"cli:{os.environ.get('USER', 'unknown')}")


def show_proposal(out: Console, learner_no: str, programme_code: str, lang: str, as_json: bool):
    """Print the explained proposal for one learner and programme."""
    from django.conf import settings
    from django.utils import translation

    from learncity.errors import NotFound
    from learncity.identity.models import Learner
    from learncity.transfer.schemas import explained
    from learncity.transfer.selectors import programme_by_code, proposal_for, proposal_view

    learner = Learner.objects.filter(learner_no=learner_no).first()
    if learner is None:
        raise NotFound(f"No learner has the number {learner_no}.")
    programme = programme_by_code(programme_code)
    with translation.override(lang or settings.LANGUAGE_CODE):
        proposal, standards = proposal_for(programme, learner.pk)
        data = proposal.as_dict()
        if as_json:
            body = explained(data) | {"standards": [s.key for s in standards]}
            out.print_json(json.dumps(body, ensure_ascii=False))
            return
        view = proposal_view(data, programme)
        out.print(f"[bold]{programme.code}[/] {programme.name_zh} — {learner.learner_no}")
        out.print(f"as of {proposal.as_of}; standards: {', '.join(s.key for s in standards)}")
        out.print(
            f"credits: [bold]{proposal.credits}[/] of cap {proposal.cap} "
            f"(set by {proposal.cap_set_by}); solver: {proposal.solver}"
            + (" — optimal" if proposal.optimal else " — NOT proven optimal")
        )
        if view["impossible"]:
            out.print(f"[red]{view['impossible']}")
        table = Table(title="used")
        for column in ("outcomes", "gives", "credits", "rule"):
            table.add_column(column)
        for use in view["uses"]:
            gives = [f"{c} {n} ({cr})" for c, n, cr in use["course_names"]]
            gives += [f"electives {use['electives']}"] if use["electives"] != "0.0" else []
            table.add_row(
                " + ".join(use["outcome_titles"]), "; ".join(gives), use["credits"], use["rule"]
            )
        out.print(table)
        for row in view["unused"]:
            out.print(f"  not used: {row.title} (#{row.outcome_id}): {row.text}")


def import_file(out: Console, path: Path) -> None:
    import yaml

    from learncity.transfer.programmes_file import import_catalogue
    from learncity.transfer.standards_file import import_standards

    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    if isinstance(data, dict) and (data.get("programmes") or data.get("alliances")):
        alliances, programmes = import_catalogue(_actor(), text)
        out.print(f"{len(alliances)} alliances, {len(programmes)} programmes")
    if isinstance(data, dict) and data.get("standards"):
        created = import_standards(_actor(), text)
        out.print(f"{len(created)} draft standards: " + ", ".join(s.key for s in created))


def publish(out: Console, key: str) -> None:
    from learncity.errors import NotFound
    from learncity.transfer.models import TransferStandard
    from learncity.transfer.services.standards import publish_standard

    code, _sep, version = key.partition("@")
    standard = TransferStandard.objects.filter(code=code, version=version).first()
    if standard is None:
        raise NotFound(f"No transfer standard {key}.")
    out.print(f"{publish_standard(_actor(), standard.pk).key} is published.")


def batch(out: Console, programme_code: str) -> None:
    from learncity.transfer.batch import run_batch

    report = run_batch(programme_code, progress=lambda n: out.print(f"{n:,} learners"))
    out.print(
        f"{report.learners:,} learners in {report.seconds:.1f} s "
        f"({report.per_second:,.0f} learners/s); {report.with_credits:,} could transfer "
        f"credits, {report.credits} in all; solvers: {dict(report.solvers)}"
    )


def _guarded(job: Callable[[], None]) -> None:
    from learncity.errors import LearnCityError

    try:
        job()
    except LearnCityError as error:
        console.print(f"[bold red]Refused:[/] {error.message}")
        raise typer.Exit(1) from None


@transfer_app.command("propose")
def propose_command(
    learner: str = typer.Option(..., "--learner", help="Learner number"),
    programme: str = typer.Option(..., "--programme", help="Programme code"),
    lang: str = typer.Option("", help="zh-hans or en (default: LEARNCITY_LANGUAGE)"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Print the explained proposal: what the learner's outcomes are worth in the programme."""
    _guarded(lambda: show_proposal(console, learner, programme, lang, as_json))


@transfer_app.command("import")
def import_command(file: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Import alliances and programmes, and/or draft standards, from YAML or JSON."""
    _guarded(lambda: import_file(console, file))


@transfer_app.command("export")
def export_command(fmt: str = typer.Option("yaml", "--format"), status: str = "published"):
    """Print the transfer standards as YAML or JSON."""
    from learncity.transfer.standards_file import export_standards

    console.print(export_standards(status, fmt), markup=False, highlight=False)


@transfer_app.command("publish")
def publish_command(key: str = typer.Argument(..., help="CODE@VERSION")) -> None:
    """Publish a draft standard after its checks."""
    _guarded(lambda: publish(console, key))


@transfer_app.command("batch")
def batch_command(programme: str = typer.Option(..., "--programme")) -> None:
    """What could every learner transfer into the programme? Prints learners per second."""
    _guarded(lambda: batch(console, programme))


def register(app: typer.Typer, setup: Callable[[], None]) -> None:
    @transfer_app.callback()
    def _setup() -> None:
        setup()

    app.add_typer(transfer_app, name="transfer")
