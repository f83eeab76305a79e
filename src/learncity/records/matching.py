"""Turning checked rows into outcome rows: find each learner, refuse mismatches and duplicates.

Shared by the form, the API and the spreadsheet import, so a deposit means the same thing
whichever door it came through. Works on a list of rows at a time to keep the database round
trips to two per chunk (learners, existing references).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connections, router

from learncity.identity import vault
from learncity.identity.idnumbers import blind_index_input
from learncity.identity.models import Learner
from learncity.records.models import Outcome
from learncity.records.rows import CheckedOutcome, RowProblem


def fold_name(name: str) -> str:
    """A name as compared: NFKC (full-width → half-width), no spaces, case-folded."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def same_name(a: str, b: str) -> bool:
    return fold_name(a) == fold_name(b)


@dataclass
class Matched:
    checked: CheckedOutcome
    learner_id: int
    idempotency_key: str | None


class Claim(NamedTuple):
    """What a row says about whose outcome it is, as the matcher needs it (a tuple: imports
    send millions of them from their reading process)."""

    number: int  # row number
    index: str  # blind index of the identity document
    folded_name: str  # fold_name() of the name typed
    key: str | None  # idempotency key: "ref:" + the institution's reference, or a fallback
    by_reference: bool  # the key is the institution's own reference (a duplicate is an error)


class LearnerCache:
    """Learners already looked up during one import: id index → (learner id, folded name).

    Bounded, so the memory of an import stays flat however many learners its file names."""

    LIMIT = 200_000

    def __init__(self) -> None:
        self.known: dict[str, tuple[int, str]] = {}

    def find(self, indexes: set[str]) -> dict[str, tuple[int, str]]:
        missing = [i for i in indexes if i not in self.known]
        if len(self.known) + len(missing) > self.LIMIT:
            self.known.clear()
            missing = list(indexes)
        for pk, idx, name in Learner.objects.filter(id_index__in=missing).values_list(
            "pk", "id_index", "name"
        ):
            self.known[idx] = (pk, fold_name(name))
        return self.known


def match_claims(
    institution_id: int,
    claims: list[Claim],
    seen_references: set[str] | None = None,
    learners: LearnerCache | None = None,
) -> tuple[list[tuple[Claim, int]], list[tuple[int, RowProblem]]]:
    """Find each claim's learner; return (claim, learner id) pairs and (row, problem) pairs.

    A row whose learner is unknown, whose name differs from the account's, or whose reference
    the institution already used (in the database or earlier in ``seen_references``) is a
    problem, never a new account or a second copy. Two queries at most: learners not yet in
    ``learners``, and the references already taken."""
    known = (learners or LearnerCache()).find({c.index for c in claims})
    taken = _taken_references(institution_id, [c.key for c in claims if c.by_reference])
    seen = seen_references if seen_references is not None else set()
    matched, problems = [], []
    for claim in claims:
        found = known.get(claim.index)
        if found is None:
            problems.append((claim.number, RowProblem("id_number", "learner_not_found")))
        elif found[1] != claim.folded_name:
            problems.append((claim.number, RowProblem("name", "name_mismatch")))
        elif claim.by_reference and (claim.key in taken or claim.key in seen):
            problems.append((claim.number, RowProblem("reference", "duplicate_reference")))
        else:
            if claim.by_reference:
                seen.add(claim.key)
            matched.append((claim, found[0]))
    return matched, problems


def _taken_references(institution_id: int, keys: list[str]) -> set[str]:
    """The keys this institution already used. Plain SQL: the ORM's ``__in`` prepares each of
    up to 2,000 keys a chunk one by one, a tenth of a large import's writing time."""
    if not keys:
        return set()
    connection = connections[router.db_for_read(Outcome)]
    sql = "SELECT idempotency_key FROM {} WHERE institution_id = %s AND idempotency_key IN ({})"
    with connection.cursor() as cursor:
        cursor.execute(
            sql.format(Outcome._meta.db_table, ", ".join(["%s"] * len(keys))),
            [institution_id, *keys],
        )
        return {key for (key,) in cursor.fetchall()}


def claim_of(number: int, checked: CheckedOutcome, fallback_key: str | None, index: str) -> Claim:
    by_reference = bool(checked.reference)
    return Claim(
        number,
        index,
        fold_name(checked.name),
        "ref:" + checked.reference if by_reference else fallback_key,
        by_reference,
    )


def match_rows(
    institution_id: int,
    rows: list[tuple[int, CheckedOutcome, str | None]],
    seen_references: set[str] | None = None,
) -> tuple[list[tuple[int, Matched]], list[tuple[int, RowProblem]]]:
    """Match (row number, checked, fallback key) rows to learners; return matches and problems."""
    checked_of = {n: c for n, c, _k in rows}
    claims = [
        claim_of(n, c, k, vault.blind_index(blind_index_input(c.document))) for n, c, k in rows
    ]
    pairs, problems = match_claims(institution_id, claims, seen_references)
    return [
        (claim.number, Matched(checked_of[claim.number], learner_id, claim.key))
        for claim, learner_id in pairs
    ], problems


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
