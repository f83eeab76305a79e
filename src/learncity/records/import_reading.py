"""The reading half of an import: file rows → checked, matched-to-nothing-yet, insert-ready rows.

Everything here is pure computation on the file (no query), so `importer` can run it in a
second process (reader_process) while it writes the previous chunk: checking each row, the
keyed hash that finds its learner, and the row's database values, all but the learner's id,
which only the database can tell. Each identity document and its hash are worked out once per
import, however many rows name it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.errors import PayloadTooLarge, SpreadsheetRejected
from learncity.identity import vault
from learncity.identity.idnumbers import blind_index_input
from learncity.records.matching import Claim, Matched, claim_of, outcome_fields
from learncity.records.outcome_rows import OutcomeRows
from learncity.records.rows import RowProblem, check_row

HASHES_REMEMBERED = 100_000


@dataclass
class PreparedChunk:
    rows_read: int  # data rows read from the start of the file up to this chunk's end
    claims: list[Claim]  # one per row that passed the checks
    rows: dict[int, list]  # row number → database values (learner id still 0)
    problems: list[tuple[int, RowProblem]]
    cells: list[tuple[int, dict[str, str]]] | None  # every row as read, when asked for


@dataclass
class ImportSource:
    """What the reading needs to know about the import, fixed before it starts."""

    institution_id: int
    batch_id: int
    file_sha256: str
    created_by_id: int | None
    chunk: int
    keep_cells: bool  # rejected rows are written back to a file, so keep what was read


def prepared_chunks(rows, source: ImportSource, maker: OutcomeRows) -> Iterator[PreparedChunk]:
    """Read ``rows`` ((number, {column: text}) pairs) and yield them checked, chunk by chunk."""
    today, documents, hashes = timezone.localdate(), {}, {}
    rows_read, chunk = 0, []
    for number, values in rows:
        rows_read += 1
        if rows_read > settings.MAX_IMPORT_ROWS:
            raise PayloadTooLarge(
                _("The file has more than %(n)s rows. Split it into several files.")
                % {"n": settings.MAX_IMPORT_ROWS}
            )
        chunk.append((number, values))
        if len(chunk) == source.chunk:
            yield _prepare(chunk, rows_read, source, maker, today, documents, hashes)
            chunk = []
    if rows_read == 0:
        raise SpreadsheetRejected(
            _("The file has a header row but no data rows."), code="spreadsheet.empty"
        )
    if chunk:
        yield _prepare(chunk, rows_read, source, maker, today, documents, hashes)


def _prepare(chunk, rows_read, source, maker, today, documents, hashes) -> PreparedChunk:
    claims, fields, problems = [], [], []
    if len(hashes) > HASHES_REMEMBERED:
        hashes.clear()
    for number, values in chunk:
        result = check_row(values, today, documents)
        if isinstance(result, list):
            problems += [(number, p) for p in result]
            continue
        text = blind_index_input(result.document)
        index = hashes.get(text)
        if index is None:
            index = hashes[text] = vault.blind_index(text)
        claim = claim_of(number, result, f"file:{source.file_sha256[:32]}:{number}", index)
        claims.append(claim)
        fields.append(
            outcome_fields(
                Matched(result, 0, claim.key),
                institution_id=source.institution_id,
                source="upload",
                created_by_id=source.created_by_id,
                batch_id=source.batch_id,
            )
        )
    rows = dict(zip((c.number for c in claims), maker.make(fields), strict=True))
    cells = chunk if source.keep_cells else None
    return PreparedChunk(rows_read, claims, rows, problems, cells)
