"""The `learncity` command. Each subcommand sets Django up only when it runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(
    help="LearnCity: credit bank, learning accounts and the learning archive.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learncity.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    _django()
    from django.core.management import call_command

    call_command(*args)


@app.command()
def migrate() -> None:
    """Create or update the database tables (and the default framework)."""
    _manage("migrate", "--no-input", "-v", "1")


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = typer.Option(
        1, help="Processes: 1 is Django's threaded development server; more runs gunicorn."
    ),
    threads: int = typer.Option(4, help="Threads per gunicorn worker (with --workers > 1)."),
) -> None:
    """Serve the portal and API. One process (the default) is the development/pilot server;
    --workers N (N > 1) serves learncity.wsgi with gunicorn, N processes (one Python process
    uses one core at most)."""
    _django()
    if workers > 1:
        _gunicorn(host, port, workers, threads)
        return
    import socket

    from django.contrib.staticfiles.management.commands.runserver import Command
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIServer

    class NoDelayServer(WSGIServer):
        """Each response leaves at once: runserver writes the headers and the body separately,
        and with Nagle's algorithm the body waited for the client's delayed ACK (40 ms)."""

        def get_request(self):
            connection, address = super().get_request()
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return connection, address

    runserver = Command()
    runserver.server_cls = NoDelayServer
    console.print(f"LearnCity at http://{host}:{port}/  (API docs: /api/v1/docs)")
    call_command(runserver, f"{host}:{port}", "--noreload", "--skip-checks")


def _gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """gunicorn's gthread workers (keep-alive connections) on learncity.wsgi."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            settings = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": max(threads, 1),
                "worker_class": "gthread",
                "timeout": 120,
                "keepalive": 5,
            }
            for name, value in settings.items():
                self.cfg.set(name, value)

        def load(self):
            from learncity.wsgi import application

            return application

    console.print(f"LearnCity at http://{host}:{port}/  (gunicorn, {workers} workers)")
    Server().run()


@app.command()
def demo() -> None:
    """Load demo data (idempotent) and print the demo logins."""
    _django()
    from learncity.demo import load_demo

    logins = load_demo()
    table = Table(title="Demo logins 演示账号")
    for column in ("role 角色", "user name 用户名", "password 密码"):
        table.add_column(column)
    for row in logins:
        table.add_row(*row)
    console.print(table)


def _count_lines(path: Path) -> int | None:
    if path.suffix.lower() != ".csv":
        return None
    lines = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 22):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


@app.command("import-outcomes")
def import_outcomes_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help=".xlsx or .csv file"),
    institution: str = typer.Option(..., "--institution", help="Institution code, e.g. SOU"),
    accept_valid: bool = typer.Option(
        False, help="Keep valid rows; write rejected ones to a file."
    ),
) -> None:
    """Import a spreadsheet of outcomes; exit 1 with a row-by-row report when refused."""
    _django()
    from learncity.access import system_actor
    from learncity.errors import LearnCityError
    from learncity.institutions.services import institution_by_code
    from learncity.records.importer import import_outcomes

    try:
        target = institution_by_code(institution)
        total = _count_lines(file)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,} rows"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            auto_refresh=False,  # no refresh thread: a big file is then read in a second
        ) as progress:  # process (records.reader_process forks only without threads)
            task = progress.add_task(f"Importing {file.name}", total=total)
            result = import_outcomes(
                system_actor(f"cli:{os.environ.get('USER', 'unknown')}"),
                target,
                file,
                file.name,
                accept_valid=accept_valid,
                progress=lambda n: progress.update(task, completed=n, refresh=True),
                recognise=False,  # below, in worker processes, with its own progress bar
            )
    except LearnCityError as error:
        console.print(f"[bold red]Refused:[/] {error.message}")
        details = error.details if isinstance(error.details, dict) else {}
        for p in details.get("problems", [])[:200]:
            console.print(f"  row {p['row']}, {p['column_label']}: {p['message']}")
        raise typer.Exit(1) from None
    batch = result.batch
    if result.already_imported:
        console.print("This file was already imported; nothing was added twice.")
    console.print(
        f"Rows: {batch.rows_total:,}  accepted: {batch.rows_accepted:,}  "
        f"rejected: {batch.rows_rejected:,}"
    )
    if batch.rejected_file:
        from django.conf import settings

        console.print(
            f"Rejected rows: {Path(settings.MEDIA_ROOT) / 'imports' / batch.rejected_file}"
        )
    if batch.rows_accepted and not result.already_imported:
        from learncity.creditbank.cli import recognise_command

        recognise_command(batch_id=batch.pk)


@app.command("create-admin")
def create_admin(
    username: str,
    email: str = "",
    password_env: str = typer.Option("", help="Read the password from this environment variable."),
) -> None:
    """Create an administrator (asks for the password unless --password-env is given)."""
    _django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from learncity.access import system_actor
    from learncity.audit.services import record

    password = (
        os.environ.get(password_env, "")
        if password_env
        else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    try:
        validate_password(password)
    except ValidationError as error:
        console.print("[red]" + " ".join(error.messages))
        raise typer.Exit(1) from None
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        console.print(f"[red]A user named {username} already exists.")
        raise typer.Exit(1)
    user = User.objects.create_superuser(username, email, password)
    record(system_actor("cli"), "admin.create", user, username=username)
    console.print(f"Administrator {username} created. Sign in at /admin/.")


@app.command("settings")
def show_settings() -> None:
    """List every setting LearnCity reads from the environment."""
    from learncity.config import SETTINGS

    table = Table(title="LearnCity settings")
    for column in ("name", "default", "meaning"):
        table.add_column(column)
    for s in SETTINGS:
        table.add_row(s.name, s.default or "(empty)", s.help)
    console.print(table)


@app.command()
def compilemessages() -> None:
    """Compile the interface translations (.po -> .mo) without needing GNU gettext."""
    import polib

    root = Path(__file__).resolve().parent  # the project's and each app's locale folders
    for po_path in root.glob("**/locale/*/LC_MESSAGES/*.po"):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run any Django management command, e.g. `learncity manage makemessages -l zh_Hans`."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["learncity manage", *ctx.args])


def _with_django(typer_app: typer.Typer) -> typer.Typer:
    @typer_app.callback()
    def setup() -> None:
        _django()

    return typer_app


def _register_subcommands() -> None:
    from learncity.creditbank import cli as creditbank_cli

    app.add_typer(_with_django(creditbank_cli.standards_app), name="standards")
    app.add_typer(_with_django(creditbank_cli.ledger_app), name="ledger")

    @app.command("recognise")
    def recognise(
        workers: int = typer.Option(
            0,
            "--workers",
            min=0,
            help="Worker processes (0: two per core on PostgreSQL, cores + 1 on SQLite; "
            "1: this process only).",
        ),
    ) -> None:
        """Apply the published standards to every outcome that has no decision yet."""
        _django()
        creditbank_cli.recognise_command(workers)


_register_subcommands()


def _register_monitoring() -> None:
    from learncity.monitoring import cli as monitoring_cli

    monitoring_cli.register(app, _django)


_register_monitoring()


def _register_transfer() -> None:
    from learncity.transfer import cli as transfer_cli

    transfer_cli.register(app, _django)


_register_transfer()


def main() -> None:
    sys.exit(app())
