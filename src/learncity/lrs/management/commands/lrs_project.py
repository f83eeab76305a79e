"""`learncity manage lrs_project [--from-start] [--follow]`: statements into outcomes."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from learncity.lrs.projection import run


class Command(BaseCommand):
    help = (
        "Turn qualifying xAPI statements (completed/passed, known activity, known learner) into "
        "outcomes; voided statements revoke theirs. Idempotent: replays change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-start",
            action="store_true",
            help="Replay every statement, not only those after the cursor.",
        )
        parser.add_argument(
            "--follow",
            action="store_true",
            help="Keep running, projecting new statements as they arrive.",
        )
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between passes with --follow."
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options):
        console = Console(file=self.stdout)
        from_start = options["from_start"]
        while True:
            with Progress(
                TextColumn("Projecting statements"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as progress:
                task = progress.add_task("project", total=None)
                counts = run(
                    batch_size=options["batch_size"],
                    from_start=from_start,
                    progress=lambda n, total, task=task: progress.update(
                        task, completed=n, total=total
                    ),
                )
            if counts or not options["follow"]:
                summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "nothing new"
                console.print(summary)
            if not options["follow"]:
                return
            from_start = False
            time.sleep(options["interval"])
