"""`learncity standards …`, `learncity recognise` and `learncity ledger verify`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

console = Console()
standards_app = typer.Typer(
    help="Recognition standards: import, export, publish.", no_args_is_help=True
)
ledger_app = typer.Typer(help="The tamper-evident credit ledger.", no_args_is_help=True)


def _progress(label: str, total: int | None = None):
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}"),
        TimeElapsedColumn(),
        console=console,
    )
    return progress, label, total


def _run_with_progress(label: str, total: int | None, job):
    progress, label, total = _progress(label, total)
    with progress:
        task = progress.add_task(label, total=total)
        return job(lambda n: progress.update(task, completed=n))


def _refuse(error) -> None:
    console.print(f"[bold red]Refused:[/] {error.message}")
    raise typer.Exit(1)


@standards_app.command("import")
def import_command(file: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Create draft standards from a YAML or JSON file."""
    from learncity.access import system_actor
    from learncity.creditbank.standards_file import import_standards
    from learncity.errors import LearnCityError

    try:
        created = import_standards(system_actor("cli"), file.read_text(encoding="utf-8"))
    except LearnCityError as error:
        _refuse(error)
    console.print(f"{len(created)} draft standards: " + ", ".join(s.key for s in created))


@standards_app.command("export")
def export_command(
    fmt: str = typer.Option("yaml", "--format", help="yaml or json"), status: str = "published"
) -> None:
    """Print the standards (published by default) as YAML or JSON."""
    from learncity.creditbank.standards_file import export_standards

    typer.echo(export_standards(status=status, fmt=fmt))


@standards_app.command("publish")
def publish_command(
    key: str = typer.Argument(..., help="CODE@VERSION"),
    dry_run: bool = typer.Option(False, help="Only count what would change."),
):
    """Publish a draft standard and re-evaluate the outcomes waiting for a standard."""
    from learncity.access import system_actor
    from learncity.creditbank.models import RecognitionStandard
    from learncity.creditbank.services import publish_standard
    from learncity.errors import LearnCityError

    code, _sep, version = key.partition("@")
    standard = RecognitionStandard.objects.filter(code=code, version=version).first()
    if standard is None:
        console.print(f"[red]No standard {key}.")
        raise typer.Exit(1)
    try:
        report = _run_with_progress(
            "Re-evaluating waiting outcomes",
            None,
            lambda p: publish_standard(
                system_actor("cli"), standard.pk, dry_run=dry_run, progress=p
            ),
        )
    except LearnCityError as error:
        _refuse(error)
    verb = "would be recognised" if dry_run else "recognised"
    console.print(f"{report.examined:,} waiting outcomes examined; {report.reevaluated:,} {verb}.")


def recognise_command(workers: int = 0, batch_id: int | None = None) -> None:
    """Apply the published standards to every outcome that has no decision yet (with
    ``batch_id``, to those of one import)."""
    from learncity.creditbank.engine import undecided_outcomes
    from learncity.creditbank.parallel import WorkerFailed, recognise_in_parallel

    only = {"batch_id": batch_id} if batch_id else None
    total = undecided_outcomes().filter(**(only or {})).count()
    try:
        report = _run_with_progress(
            "Recognising",
            total,
            lambda p: recognise_in_parallel(workers or None, progress=p, outcome_filter=only),
        )
    except WorkerFailed as error:
        console.print(
            f"[bold red]A worker failed[/] (finished chunks are kept; run again):\n{error}"
        )
        raise typer.Exit(1) from None
    console.print(
        f"{report.examined:,} outcomes: {report.recognised:,} recognised by a "
        f"standard, {report.to_review:,} sent to the reviewers' queue "
        f"({report.workers} worker process{'es' if report.workers != 1 else ''})."
    )


@ledger_app.command("verify")
def verify_command(learner: str = typer.Option("", help="Only this learner number.")) -> None:
    """Check every account's hash chain; exit 1 naming each entry that was changed."""
    from learncity.creditbank import ledger
    from learncity.creditbank.models import LedgerEntry
    from learncity.identity.models import Learner

    ids = None
    if learner:
        ids = list(Learner.objects.filter(learner_no=learner).values_list("pk", flat=True))
    total = LedgerEntry.objects.count() if ids is None else None
    count, problems = _run_with_progress("Verifying", total, lambda p: ledger.verify(ids, p))
    if not problems:
        console.print(f"[green]OK[/]: {count:,} entries, every chain intact.")
        return
    for learner_id, p in problems:
        console.print(f"[red]learner {learner_id} entry #{p.seq} (id {p.entry_id}): {p.problem}")
    console.print(f"[bold red]{len(problems)} problems[/] in {count:,} entries.")
    raise typer.Exit(1)
