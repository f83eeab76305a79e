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
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.dbtuning import batch_settings
from learncity.errors import PayloadTooLarge, SpreadsheetRejected
from learncity.institutions.models import Institution
from learncity.records.import_reading import ImportSource, PreparedChunk, prepared_chunks
from learncity.records.matching import LearnerCache, match_claims
from learncity.records.messages import report_entry
from learncity.records.models import ImportBatch
from learncity.records.outcome_rows import OutcomeRows
from learncity.records.reader_process import can_fork, items_from_child
from learncity.records.rows import COLUMNS
from learncity.records.signals import outcomes_deposited
from learncity.records.spreadsheet import iter_rows

CHUNK = 2000
REPORT_LIMIT = 1000  # problems listed in full; the count is always exact
# Files from this size on are read and checked in a second process while this one writes
# (reader_process); below it the fork costs more than it saves.
READ_APART_BYTES = 2 << 20
IMPORT_PAGE_CACHE_KB = 128 << 10  # SQLite page cache during a big import


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


def _insert_chunk(
    prepared: PreparedChunk,
    state: _Progress,
    institution_id: int,
    maker: OutcomeRows,
    seen: set[str],
    learners: LearnerCache,
    accept_valid: bool,
    rejected_writer,
) -> None:
    messages: dict[int, list[str]] = {}
    state.rows = prepared.rows_read
    for number, problem in prepared.problems:
        state.add(number, problem, messages)
    insert = accept_valid or not state.problem_count  # else all is rolled back: only check
    # References of rows inserted earlier are found in the table by match_claims' query (same
    # transaction), so `seen` need only keep those of this chunk, or of rows not inserted: the
    # import's memory then stays flat instead of growing by a key for every row of the file.
    local = set() if insert else seen
    pairs, problems = (
        match_claims(institution_id, prepared.claims, local, learners)
        if prepared.claims
        else ([], [])
    )
    for number, problem in problems:
        state.add(number, problem, messages)
    if insert and pairs:
        rows, column = [], maker.learner_column
        for claim, learner_id in pairs:
            row = prepared.rows[claim.number]
            row[column] = learner_id
            rows.append(row)
        maker.insert(rows)
        state.accepted += len(rows)
    if rejected_writer is not None:
        for number, values in prepared.cells or ():
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
                _stream(
                    rows, state, institution, batch, actor, accept_valid, writer, progress, path
                )
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
        outcomes_deposited.send(sender=ImportBatch, batch_id=batch.pk, rows=batch.rows_accepted)
    return ImportResult(batch)


def _stream(rows, state, institution, batch, actor, accept_valid, writer, progress, path):
    source = ImportSource(
        institution_id=institution.pk,
        batch_id=batch.pk,
        file_sha256=batch.file_sha256,
        created_by_id=getattr(actor.user, "pk", None),
        chunk=CHUNK,
        keep_cells=writer is not None,
    )
    maker = OutcomeRows()

    def read():
        return prepared_chunks(rows, source, maker)

    apart = path.stat().st_size >= READ_APART_BYTES and can_fork()
    seen: set[str] = set()
    learners = LearnerCache()
    with batch_settings(maker.connection, IMPORT_PAGE_CACHE_KB if apart else 0):
        for prepared in items_from_child(read) if apart else read():
            _insert_chunk(
                prepared, state, institution.pk, maker, seen, learners, accept_valid, writer
            )
            if progress:
                progress(state.rows)


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
