"""Turning checked rows into outcome rows: find each learner, refuse mismatches and duplicates.

Shared by the form, the API and the spreadsheet import, so a deposit means the same thing
whichever door it came through. Works on a list of rows at a time to keep the database round
trips to two per chunk (learners, existing references).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from learncity.identity import vault
from learncity.identity.idnumbers import blind_index_input
from learncity.identity.models import Learner
from learncity.records.models import Outcome
from learncity.records.rows import CheckedOutcome, RowProblem


def same_name(a: str, b: str) -> bool:
    def fold(s: str) -> str:
        return "".join(unicodedata.normalize("NFKC", s).split()).casefold()

    return fold(a) == fold(b)


@dataclass
class Matched:
    checked: CheckedOutcome
    learner_id: int
    idempotency_key: str | None


def match_rows(
    institution_id: int,
    rows: list[tuple[int, CheckedOutcome, str | None]],
    seen_references: set[str] | None = None,
) -> tuple[list[tuple[int, Matched]], list[tuple[int, RowProblem]]]:
    """Match (row number, checked, fallback key) rows to learners; return matches and problems."""
    indexes = {n: vault.blind_index(blind_index_input(c.document)) for n, c, _k in rows}
    learners = {
        idx: (pk, name)
        for pk, idx, name in Learner.objects.filter(id_index__in=set(indexes.values())).values_list(
            "pk", "id_index", "name"
        )
    }
    keys = {n: ("ref:" + c.reference if c.reference else k) for n, c, k in rows}
    taken = set(
        Outcome.objects.filter(
            institution_id=institution_id, idempotency_key__in=[k for k in keys.values() if k]
        ).values_list("idempotency_key", flat=True)
    )
    seen = seen_references if seen_references is not None else set()
    matched, problems = [], []
    for number, checked, _key in rows:
        found = learners.get(indexes[number])
        key = keys[number]
        if found is None:
            problems.append((number, RowProblem("id_number", "learner_not_found")))
        elif not same_name(found[1], checked.name):
            problems.append((number, RowProblem("name", "name_mismatch")))
        elif checked.reference and (key in taken or key in seen):
            problems.append((number, RowProblem("reference", "duplicate_reference")))
        else:
            if checked.reference:
                seen.add(key)
            matched.append((number, Matched(checked, found[0], key)))
    return matched, problems


def outcome_from(
    match: Matched, *, institution_id: int, source: str, created_by_id=None, batch_id=None
) -> Outcome:
    return Outcome(
        **outcome_fields(
            match,
            institution_id=institution_id,
            source=source,
            created_by_id=created_by_id,
            batch_id=batch_id,
        )
    )


def outcome_fields(
    match: Matched, *, institution_id: int, source: str, created_by_id=None, batch_id=None
) -> dict:
    """The field values (by attname) of the new outcome; every other field takes its default."""
    c = match.checked
    return dict(
        learner_id=match.learner_id,
        institution_id=institution_id,
        kind=c.kind,
        category=c.category,
        title=c.title,
        code=c.code,
        hours=c.hours,
        credits=c.credits,
        result_type=c.result_type,
        result=c.result,
        started_on=c.started_on,
        completed_on=c.completed_on,
        evidence_url=c.evidence_url,
        source=source,
        status="recorded",
        idempotency_key=match.idempotency_key,
        batch_id=batch_id,
        created_by_id=created_by_id,
    )
