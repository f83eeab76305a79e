"""Spreadsheet import of outcomes: streamed, atomic, idempotent, with a row-by-row report.

One pass over the file inside one transaction: rows are checked and matched in chunks and the
valid ones inserted as we go. In "all or nothing" mode any bad row rolls the whole transaction
back at the end, so a crash or a bad row never leaves half a batch. A file already imported by
the same institution (same SHA-256) is recognised and not imported twice.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import DateTimeField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.errors import PayloadTooLarge, SpreadsheetRejected
from learncity.institutions.models import Institution
from learncity.records.matching import match_rows, outcome_fields
from learncity.records.messages import report_entry
from learncity.records.models import ImportBatch, Outcome
from learncity.records.rows import COLUMNS, check_row
from learncity.records.signals import outcomes_deposited
from learncity.records.spreadsheet import iter_rows

CHUNK = 2000
REPORT_LIMIT = 1000  # problems listed in full; the count is always exact
INSERT_ROWS = 2000  # rows per INSERT statement outside SQLite


@dataclass
class ImportResult:
    batch: ImportBatch
    already_imported: bool = False


@dataclass
class _Progress:
    rows: int = 0
    accepted: int = 0
    rejected_rows: set[int] = field(default_factory=set)
    problems: list[dict] = field(default_factory=list)
    problem_count: int = 0

    def add(self, row: int, problem, chunk_messages: dict[int, list[str]]) -> None:
        entry = report_entry(row, problem)
        self.rejected_rows.add(row)
        self.problem_count += 1
        if len(self.problems) < REPORT_LIMIT:
            self.problems.append(entry)
        chunk_messages.setdefault(row, []).append(f"{entry['column_label']}: {entry['message']}")


class _RolledBack(Exception):
    """Raised inside the transaction to undo an all-or-nothing import that found bad rows."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


_PLAIN = (str, int, bool, type(None))  # values every field and driver stores unchanged


def _insert_outcomes(values: list[dict]) -> None:
    """Insert new outcomes as ``bulk_create([Outcome(**v) ...])`` would, only faster.

    bulk_create built a model instance per row and ran every value through its INSERT compiler;
    for a large file that was most of the import's time. Here each field gets what the model
    would give it (the value given, else its default, ``now`` for auto_now fields) and every
    value that is not a plain str/int/bool/None is prepared by the field's own get_db_prep_save,
    as the compiler does. SQLite runs one prepared statement for every row; PostgreSQL gets
    one INSERT ... SELECT FROM UNNEST(column arrays) per INSERT_ROWS rows, as bulk_create does
    there; other databases multi-row VALUES. bulk_create sends no signals either.
    """
    connection = connections[router.db_for_write(Outcome)]
    fields = [f for f in Outcome._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) ".format(
        quote(Outcome._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    plan = []  # (field, key in the given values or None, else what makes its value)
    for f in fields:
        if f.attname in values[0]:  # outcome_fields gives every row the same keys
            plan.append((f, f.attname, None))
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            plan.append((f, None, timezone.now if isinstance(f, DateTimeField) else date.today))
        else:
            plan.append((f, None, f.get_default))
    rows = []
    for given in values:
        row = []
        for f, key, make in plan:
            value = given[key] if make is None else make()
            row.append(value if type(value) in _PLAIN else f.get_db_prep_save(value, connection))
        rows.append(row)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(head + "VALUES " + one, rows)
            return
        if connection.vendor == "postgresql":  # one array per column, as bulk_create does there
            types = [f.db_type(connection).split("(")[0] for f in fields]
            unnest = ", ".join(f"(%s)::{t}[]" for t in types)
            for start in range(0, len(rows), INSERT_ROWS):
                columns = zip(*rows[start : start + INSERT_ROWS], strict=True)
                cursor.execute(f"{head}SELECT * FROM UNNEST({unnest})", [list(c) for c in columns])
            return
        for start in range(0, len(rows), INSERT_ROWS):
            part = rows[start : start + INSERT_ROWS]
            sql = head + "VALUES " + ", ".join([one] * len(part))
            cursor.execute(sql, [v for r in part for v in r])


def _insert_chunk(
    chunk,
    state: _Progress,
    institution: Institution,
    batch: ImportBatch,
    actor: Actor,
    seen: set[str],
    insert: bool,
    rejected_writer,
) -> None:
    checked, messages = [], {}
    today = timezone.localdate()
    for number, values in chunk:
        result = check_row(values, today)
        if isinstance(result, list):
            for problem in result:
                state.add(number, problem, messages)
        else:
            checked.append((number, result, f"file:{batch.file_sha256[:32]}:{number}"))
    # References of rows inserted earlier are found in the table by match_rows' query (same
    # transaction), so `seen` need only keep those of this chunk, or of rows not inserted: the
    # import's memory then stays flat instead of growing by a key for every row of the file.
    local = set() if insert else seen
    matched, problems = match_rows(institution.pk, checked, local) if checked else ([], [])
    for number, problem in problems:
        state.add(number, problem, messages)
    if insert and matched:
        _insert_outcomes(
            [
                outcome_fields(
                    m,
                    institution_id=institution.pk,
                    source="upload",
                    created_by_id=getattr(actor.user, "pk", None),
                    batch_id=batch.pk,
                )
                for _n, m in matched
            ]
        )
        state.accepted += len(matched)
    if rejected_writer is not None:
        for number, values in chunk:
            if number in messages:
                rejected_writer.writerow(
                    [number, *[values.get(c, "") for c in COLUMNS], " | ".join(messages[number])]
                )


def _check_size(path: Path) -> None:
    if path.stat().st_size > settings.MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(
            _("The file is larger than the %(mb)s MB allowed. Split it into several files.")
            % {"mb": settings.MAX_UPLOAD_BYTES >> 20}
        )


def _rejected_path(batch: ImportBatch) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"rejected-{batch.pk}-{batch.file_sha256[:12]}.csv"


def import_outcomes(
    actor: Actor,
    institution: Institution,
    path: Path,
    file_name: str,
    *,
    accept_valid: bool = False,
    progress: Callable[[int], None] | None = None,
    recognise: bool = True,
) -> ImportResult:
    """Import a spreadsheet for one institution; raise SpreadsheetRejected with the report."""
    actor.require_institution(institution.pk)
    path = Path(path)
    _check_size(path)
    sha = file_sha256(path)
    mode = "accept_valid" if accept_valid else "all_or_nothing"
    previous = ImportBatch.objects.filter(
        institution=institution, file_sha256=sha, status="done"
    ).first()
    if previous:
        return ImportResult(previous, already_imported=True)
    rows = iter_rows(path, file_name)  # raises at once for a wrong type
    state = _Progress()
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                institution=institution,
                uploaded_by=actor.user if getattr(actor.user, "pk", None) else None,
                file_name=file_name[:255],
                file_sha256=sha,
                mode=mode,
            )
            rejected_file = _rejected_path(batch) if accept_valid else None
            with contextlib.ExitStack() as stack:
                writer = None
                if rejected_file:
                    handle = stack.enter_context(
                        open(rejected_file, "w", encoding="utf-8-sig", newline="")
                    )
                    writer = csv.writer(handle)
                    writer.writerow(["row", *COLUMNS, "problems"])
                _stream(rows, state, institution, batch, actor, accept_valid, writer, progress)
            if state.problem_count and not accept_valid:
                raise _RolledBack
            _finish(batch, state, rejected_file, actor)
    except _RolledBack:
        _record_refusal(actor, institution, file_name, sha, mode, state)
        raise SpreadsheetRejected(
            _(
                "The file was refused: %(rows)s of %(total)s rows have problems. Nothing was "
                "imported. Fix the rows listed and upload the file again."
            )
            % {"rows": len(state.rejected_rows), "total": state.rows},
            details={
                "problems": state.problems,
                "problem_count": state.problem_count,
                "rows_total": state.rows,
                "rows_rejected": len(state.rejected_rows),
            },
        ) from None
    if recognise:
        outcomes_deposited.send(sender=ImportBatch, batch_id=batch.pk)
    return ImportResult(batch)


def _stream(rows, state, institution, batch, actor, accept_valid, writer, progress) -> None:
    seen: set[str] = set()
    chunk: list = []
    for number, values in rows:
        state.rows += 1
        if state.rows > settings.MAX_IMPORT_ROWS:
            raise PayloadTooLarge(
                _("The file has more than %(n)s rows. Split it into several files.")
                % {"n": settings.MAX_IMPORT_ROWS}
            )
        chunk.append((number, values))
        if len(chunk) == CHUNK:
            _insert_chunk(
                chunk,
                state,
                institution,
                batch,
                actor,
                seen,
                accept_valid or not state.problem_count,
                writer,
            )
            chunk = []
            if progress:
                progress(state.rows)
    if chunk:
        _insert_chunk(
            chunk,
            state,
            institution,
            batch,
            actor,
            seen,
            accept_valid or not state.problem_count,
            writer,
        )
    if progress:
        progress(state.rows)
    if state.rows == 0:
        raise SpreadsheetRejected(
            _("The file has a header row but no data rows."), code="spreadsheet.empty"
        )


def _finish(batch: ImportBatch, state: _Progress, rejected_file: Path | None, actor) -> None:
    batch.status = "done"
    batch.rows_total = state.rows
    batch.rows_accepted = state.accepted
    batch.rows_rejected = len(state.rejected_rows)
    batch.report = state.problems
    batch.rejected_file = str(rejected_file.name) if rejected_file and state.rejected_rows else ""
    batch.finished_at = timezone.now()
    batch.save()
    if rejected_file and not state.rejected_rows:
        rejected_file.unlink(missing_ok=True)
    record(
        actor,
        "outcome.import",
        batch,
        file=batch.file_name,
        sha256=batch.file_sha256,
        rows=state.rows,
        accepted=state.accepted,
        rejected=batch.rows_rejected,
    )


def _record_refusal(actor, institution, file_name, sha, mode, state: _Progress) -> None:
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            institution=institution,
            uploaded_by=actor.user if getattr(actor.user, "pk", None) else None,
            file_name=file_name[:255],
            file_sha256=sha,
            mode=mode,
            status="refused",
            rows_total=state.rows,
            rows_rejected=len(state.rejected_rows),
            report=state.problems,
            finished_at=timezone.now(),
        )
        record(
            actor,
            "outcome.import_refused",
            batch,
            file=file_name,
            sha256=sha,
            rows=state.rows,
            problems=state.problem_count,
        )
