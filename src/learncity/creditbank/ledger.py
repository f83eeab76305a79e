"""Writing and verifying the hash-chained credit ledger.

Writers lock the learners' rows first (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions serialise writers anyway), so two transactions never take the same sequence number,
and the unique (learner, seq) constraint is the last guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from learncity.creditbank.chain import (
    GENESIS,
    ChainedEntry,
    ChainProblem,
    entry_hash,
    verify_account,
)
from learncity.creditbank.models import LedgerEntry
from learncity.identity.models import Learner


@dataclass(frozen=True)
class Draft:
    learner_id: int
    entry_type: str
    outcome_id: int
    recognition_id: int
    category: str
    level: int
    credits: Decimal
    year: int


def content(
    learner_id,
    seq,
    entry_type,
    outcome_id,
    recognition_id,
    category,
    level,
    credits,
    year,
    booked_on,
) -> dict:
    """The fields a ledger hash covers, in one canonical shape for writing and verifying."""
    return {
        "learner": learner_id,
        "seq": seq,
        "type": entry_type,
        "outcome": outcome_id,
        "recognition": recognition_id,
        "category": category,
        "level": level,
        "credits": Decimal(credits).quantize(Decimal("0.1")),
        "year": year,
        "booked_on": str(booked_on),
    }


def lock_learners(learner_ids: Iterable[int]) -> None:
    list(Learner.objects.select_for_update().filter(pk__in=set(learner_ids)).values_list("pk"))


def _heads(learner_ids: set[int]) -> dict[int, tuple[int, str]]:
    """Last (seq, hash) of each learner's chain."""
    last = dict(
        LedgerEntry.objects.filter(learner_id__in=learner_ids)
        .values("learner_id")
        .annotate(m=Max("seq"))
        .values_list("learner_id", "m")
    )
    if not last:
        return {}
    rows = LedgerEntry.objects.filter(learner_id__in=last.keys(), seq__in=set(last.values()))
    return {
        lid: (seq, h)
        for lid, seq, h in rows.values_list("learner_id", "seq", "entry_hash")
        if last[lid] == seq
    }


def append(drafts: list[Draft]) -> list[LedgerEntry]:
    """Chain and insert entries; call inside the transaction that made the decisions."""
    if not drafts:
        return []
    learner_ids = {d.learner_id for d in drafts}
    lock_learners(learner_ids)
    heads = _heads(learner_ids)
    today = timezone.localdate()
    entries = []
    for d in drafts:
        seq, prev = heads.get(d.learner_id, (0, GENESIS))
        seq += 1
        body = content(
            d.learner_id,
            seq,
            d.entry_type,
            d.outcome_id,
            d.recognition_id,
            d.category,
            d.level,
            d.credits,
            d.year,
            today,
        )
        digest = entry_hash(prev, body)
        entries.append(
            LedgerEntry(
                learner_id=d.learner_id,
                seq=seq,
                entry_type=d.entry_type,
                outcome_id=d.outcome_id,
                recognition_id=d.recognition_id,
                category=d.category,
                level=d.level,
                credits=body["credits"],
                year=d.year,
                booked_on=today,
                prev_hash=prev,
                entry_hash=digest,
            )
        )
        heads[d.learner_id] = (seq, digest)
    return LedgerEntry.objects.bulk_create(entries, batch_size=2000)


FIELDS = (
    "pk",
    "learner_id",
    "seq",
    "entry_type",
    "outcome_id",
    "recognition_id",
    "category",
    "level",
    "credits",
    "year",
    "booked_on",
    "prev_hash",
    "entry_hash",
)


def _chained(row) -> ChainedEntry:
    pk, learner_id, seq, *rest = row
    *body, prev, digest = rest
    return ChainedEntry(pk, seq, content(learner_id, seq, *body), prev, digest)


def verify(
    learner_ids: Iterable[int] | None = None, progress: Callable[[int], None] | None = None
) -> tuple[int, list[tuple[int, ChainProblem]]]:
    """Verify every chain (or the given learners'); return (entries read, problems by learner)."""
    rows = LedgerEntry.objects.order_by("learner_id", "seq")
    if learner_ids is not None:
        rows = rows.filter(learner_id__in=list(learner_ids))
    problems: list[tuple[int, ChainProblem]] = []
    current, chain, count = None, [], 0
    for row in rows.values_list(*FIELDS).iterator(chunk_size=20000):
        if row[1] != current:
            problems += [(current, p) for p in verify_account(chain)]
            current, chain = row[1], []
        chain.append(_chained(row))
        count += 1
        if progress and count % 100000 == 0:
            progress(count)
    problems += [(current, p) for p in verify_account(chain)]
    if progress:
        progress(count)
    return count, problems
