"""Batch: what could every learner transfer into one programme? Streams learners, one proposal
each (credits only, no explanations), with the programme's rules compiled once."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from learncity.transfer import engine
from learncity.transfer.matching import Held


@dataclass
class BatchReport:
    learners: int = 0
    with_credits: int = 0
    credits: Decimal = Decimal(0)
    seconds: float = 0.0
    solvers: Counter = field(default_factory=Counter)
    by_credits: Counter = field(default_factory=Counter)  # whole credits -> learners

    @property
    def per_second(self) -> float:
        return self.learners / self.seconds if self.seconds else 0.0


def batch_propose(
    ruleset: engine.RuleSet,
    learners: Iterable[tuple[int, list[Held]]],
    as_of: date,
    priors: dict[int, engine.Prior] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    report, started = BatchReport(), time.perf_counter()
    priors = priors or {}
    for learner_id, held in learners:
        proposal = engine.propose(
            ruleset, held=held, as_of=as_of, prior=priors.get(learner_id), explain=False
        )
        report.learners += 1
        report.solvers[proposal.solver.split(" ")[0] or "none"] += 1
        if proposal.credits:
            report.with_credits += 1
            report.credits += proposal.credits
        report.by_credits[int(proposal.credits)] += 1
        if progress and report.learners % 10000 == 0:
            progress(report.learners)
    report.seconds = time.perf_counter() - started
    return report


FIELDS = (
    "learner_id",
    "outcome_id",
    "outcome__kind",
    "outcome__code",
    "outcome__completed_on",
    "outcome__institution__code",
    "outcome__institution__kind",
    "outcome__institution__accredited",
    "outcome__institution_id",
    "outcome__result_type",
    "outcome__result",
    "outcome__hours",
    "level",
    "category",
    "credits",
    "outcome__lineage",
)


def learners_from_db(chunk: int = 20000) -> Iterator[tuple[int, list[Held]]]:
    """Every learner's recognised, current outcomes, learner by learner (one streamed query)."""
    from learncity.creditbank.models import Recognition
    from learncity.transfer.loading import alliances_by_institution

    alliances = alliances_by_institution()
    rows = (
        Recognition.objects.filter(
            is_current=True,
            status="recognised",
            outcome__status="recorded",
            outcome__is_current=True,
        )
        .order_by("learner_id", "outcome_id")
        .values_list(*FIELDS)
    )
    current, held = None, []
    for row in rows.iterator(chunk_size=chunk):
        (lid, oid, kind, code, done, icode, ikind, accredited, iid, rtype, result, hours) = row[:12]
        level, category, credits, lineage = row[12:]
        if lid != current:
            if held:
                yield current, held
            current, held = lid, []
        held.append(
            Held(
                oid,
                kind,
                code,
                done,
                icode or "",
                ikind or "",
                alliances.get(iid, frozenset()),
                bool(accredited),
                rtype,
                result,
                hours,
                level,
                category,
                credits,
                "",
                str(lineage),
            )
        )
    if held:
        yield current, held


def priors_from_db(programme_id: int) -> dict[int, engine.Prior]:
    from learncity.transfer.loading import prior_of
    from learncity.transfer.models import UsedOutcome

    learners = UsedOutcome.objects.filter(programme_id=programme_id).values_list(
        "learner_id", flat=True
    )
    return {lid: prior_of(lid, programme_id) for lid in set(learners)}


def run_batch(programme_code: str, progress=None) -> BatchReport:
    """The batch over the database, for the standards in force now."""
    from django.utils import timezone

    from learncity.transfer import loading
    from learncity.transfer.selectors import programme_by_code

    programme = programme_by_code(programme_code)
    now = timezone.now()
    ruleset = loading.ruleset_for(programme, loading.standards_in_force(programme, now))
    return batch_propose(
        ruleset,
        learners_from_db(),
        timezone.localdate(now),
        priors_from_db(programme.pk),
        progress,
    )
