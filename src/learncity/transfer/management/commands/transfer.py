"""`learncity manage transfer propose|import|export|publish|batch` — the same work as
`learncity transfer …` (see transfer/cli.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from learncity.errors import LearnCityError
from learncity.transfer import cli


class Command(BaseCommand):
    help = "Credit transfer: explained proposals, standards, batch."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        propose = sub.add_parser("propose", help="Print the explained proposal.")
        propose.add_argument("--learner", required=True, help="Learner number")
        propose.add_argument("--programme", required=True, help="Programme code")
        propose.add_argument("--lang", default="", help="zh-hans or en")
        propose.add_argument("--json", action="store_true", dest="as_json")
        imp = sub.add_parser("import", help="Import programmes and/or standards (YAML, JSON).")
        imp.add_argument("file", type=Path)
        export = sub.add_parser("export", help="Print the standards.")
        export.add_argument("--format", default="yaml", choices=["yaml", "json"])
        export.add_argument("--status", default="published")
        publish = sub.add_parser("publish", help="Publish a draft standard CODE@VERSION.")
        publish.add_argument("key")
        batch = sub.add_parser("batch", help="Proposals for every learner; learners/s.")
        batch.add_argument("--programme", required=True)

    def handle(self, *args, **options):
        out = Console(file=self.stdout, width=160)
        action = options["action"]
        try:
            if action == "propose":
                cli.show_proposal(
                    out,
                    options["learner"],
                    options["programme"],
                    options["lang"],
                    options["as_json"],
                )
            elif action == "import":
                cli.import_file(out, options["file"])
            elif action == "export":
                from learncity.transfer.standards_file import export_standards

                self.stdout.write(export_standards(options["status"], options["format"]))
            elif action == "publish":
                cli.publish(out, options["key"])
            else:
                cli.batch(out, options["programme"])
        except LearnCityError as error:
            raise CommandError(str(error.message)) from None
