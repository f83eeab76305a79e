"""The set-based recognition batch: apply published standards to outcomes not yet decided.

Streams outcomes in id order, chunk by chunk; each chunk is one transaction that writes its
recognitions and ledger entries together, so a crash loses at most the chunk in flight and a
re-run picks up exactly the outcomes still without a decision (no double entries: at most one
current recognition per outcome is a database constraint).
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from learncity.creditbank import ledger
from learncity.creditbank.models import Recognition, RecognitionStandard
from learncity.creditbank.rules import (
    Choice,
    OutcomeFacts,
    Rule,
    choose,
    credits_for,
    fits_kind_and_issuer,
    fits_what_and_who,
)
from learncity.dbtuning import batch_settings, values_rows
from learncity.institutions.models import Institution
from learncity.records.models import Outcome

CHUNK = 5000
# SQLite page cache of a batch's connection (each worker's): the ledger and recognition indexes
# are written at random places. At 3,000,000 outcomes, 256 MB together with a memory map made
# the batch 17 % faster (bench/README.md); 128 MB keeps three workers under half a gigabyte.
BATCH_PAGE_CACHE_KB = 128 << 10
# SQLite log pages between automatic checkpoints in a large batch (see dbtuning.batch_settings).
BATCH_CHECKPOINT_PAGES = 100_000
# Learners a worker of a parallel batch takes in one block (see recognise_undecided's share).
# Blocks rather than every n-th learner: each worker then changes its own part of the ledger's
# and the recognitions' learner indexes, which fits its page cache, where with every n-th
# learner each worker touched every page (bench/README.md).
SHARE_STRIPE = 4096
SHORTLISTS = 200_000  # at most this many (kind, code, institution) shortlists kept per book
OUTCOME_FIELDS = (
    "pk",
    "learner_id",
    "kind",
    "institution_id",
    "code",
    "result_type",
    "result",
    "hours",
    "completed_on",
)
WAITING_FIELDS = (
    "outcome",
    "outcome__learner",
    "outcome__kind",
    "outcome__institution",
    "outcome__code",
    "outcome__result_type",
    "outcome__result",
    "outcome__hours",
    "outcome__completed_on",
)


def rule_of(s: RecognitionStandard) -> Rule:
    return Rule(
        key=s.key,
        effective_from=s.effective_from,
        effective_to=s.effective_to,
        level=s.level,
        category=s.category,
        kinds=frozenset(s.kinds),
        institution_codes=frozenset(s.institution_codes),
        institution_kinds=frozenset(s.institution_kinds),
        accredited_only=s.accredited_only,
        code_exact=s.code_exact,
        code_pattern=s.code_pattern,
        min_result=s.min_result,
        min_hours=s.min_hours,
        completed_from=s.completed_from,
        completed_to=s.completed_to,
        credits_fixed=s.credits_fixed,
        hours_per_credit=s.hours_per_credit,
        rounding_step=s.rounding_step,
        credits_cap=s.credits_cap,
    )


class RuleBook:
    """Published rules indexed by exact code and by kind, so each outcome meets few candidates."""

    def __init__(self, standards: list[RecognitionStandard]):
        self.ids = {s.key: s.pk for s in standards}
        self.by_code: dict[str, list[Rule]] = defaultdict(list)
        self.by_kind: dict[str, list[Rule]] = defaultdict(list)
        self.any_kind: list[Rule] = []
        # The same rules split further by the institutions they name (for shortlist), and each
        # rule's place in the order candidates() gives: (by code, by kind, any) then file order.
        self._kind_at: dict[tuple[str, str], list[Rule]] = defaultdict(list)
        self._kind_open: dict[str, list[Rule]] = defaultdict(list)
        self._any_at: dict[str, list[Rule]] = defaultdict(list)
        self._any_open: list[Rule] = []
        self._rank: dict[int, tuple[int, int]] = {}
        for index, s in enumerate(standards):
            rule = rule_of(s)
            if rule.code_exact:
                self.by_code[rule.code_exact].append(rule)
                group = 0
            elif rule.kinds:
                for kind in rule.kinds:
                    self.by_kind[kind].append(rule)
                    for inst in rule.institution_codes:
                        self._kind_at[(kind, inst)].append(rule)
                    if not rule.institution_codes:
                        self._kind_open[kind].append(rule)
                group = 1
            else:
                self.any_kind.append(rule)
                for inst in rule.institution_codes:
                    self._any_at[inst].append(rule)
                if not rule.institution_codes:
                    self._any_open.append(rule)
                group = 2
            self._rank[id(rule)] = (group, index)
        self._shortlists: dict[tuple, list[Rule]] = {}
        self._explanations: dict[tuple, dict] = {}
        self._credits: dict[tuple, object] = {}
        self._by_kind_and_institution: dict[tuple, list[Rule]] = {}

    @classmethod
    def published(cls, extra: RecognitionStandard | None = None) -> RuleBook:
        standards = list(RecognitionStandard.objects.filter(status="published"))
        return cls(standards + ([extra] if extra else []))

    def credits(self, rule: Rule, hours):
        """credits_for(rule, hours), remembered: many outcomes share their hours."""
        key = (rule.key, hours)
        found = self._credits.get(key)
        if found is None:
            found = credits_for(rule, hours)  # a ValueError is not remembered: raised each time
            if len(self._credits) >= SHORTLISTS:
                self._credits.clear()
            self._credits[key] = found
        return found

    def candidates(self, kind: str, code: str) -> list[Rule]:
        return self.by_code.get(code, []) + self.by_kind.get(kind, []) + self.any_kind

    def explain(self, choice: Choice) -> dict:
        """The explanation a decision records; decisions alike share one (never changed) dict,
        so a chunk serialises each distinct explanation once."""
        standard = choice.rule.key if choice.rule else None
        key = (standard, choice.candidates, choice.reason, choice.code)
        found = self._explanations.get(key)
        if found is None:
            found = {
                "standard": standard,
                "candidates": list(choice.candidates),
                "why": choice.reason,
                "code": choice.code,
            }
            if len(self._explanations) >= SHORTLISTS:
                self._explanations.clear()
            self._explanations[key] = found
        return found

    def shortlist(self, kind: str, code: str, institution: tuple[str, str, bool]) -> list[Rule]:
        """The candidates an outcome of this kind and code from this institution (code, kind,
        accredited) can match, in the same order: those failing `fits_what_and_who` would fail
        `matches` anyway. Worked out once per (kind, code, institution) and remembered."""
        key = (kind, code, institution)
        found = self._shortlists.get(key)
        if found is None:
            inst_code, inst_kind, accredited = institution
            found = [
                r
                for r in self.by_code.get(code, ())
                if fits_what_and_who(r, kind, inst_code, inst_kind, accredited, code)
            ] + [
                r
                for r in self._without_code(kind, institution)
                if not r.code_pattern or fnmatch.fnmatchcase(code, r.code_pattern)
            ]
            if len(self._shortlists) >= SHORTLISTS:
                self._shortlists.clear()
            self._shortlists[key] = found
        return found

    def _without_code(self, kind: str, institution: tuple[str, str, bool]) -> list[Rule]:
        """The rules without an exact code (by kind, then for any kind; file order within
        each) that fit this kind and institution, whatever the code: the code is then only
        their pattern's business. Remembered per (kind, institution)."""
        key = (kind, institution)
        found = self._by_kind_and_institution.get(key)
        if found is None:
            inst_code, inst_kind, accredited = institution
            pool = (
                self._kind_at.get((kind, inst_code), [])
                + self._kind_open.get(kind, [])
                + self._any_at.get(inst_code, [])
                + self._any_open
            )  # candidates(kind, code) less exact codes and rules naming other institutions
            pool.sort(key=lambda r: self._rank[id(r)])
            found = [
                r for r in pool if fits_kind_and_issuer(r, kind, inst_code, inst_kind, accredited)
            ]
            self._by_kind_and_institution[key] = found
        return found


@dataclass
class Decision:
    outcome_id: int
    learner_id: int
    year: int
    rule: Rule | None
    credits: object
    explanation: dict


@dataclass
class RunReport:
    examined: int = 0
    recognised: int = 0
    to_review: int = 0
    reevaluated: int = 0
    dry_run: bool = False
    workers: int = 1
    cpu_seconds: float = 0.0  # of the worker processes and their database backends (parallel)
    examples: list[dict] = field(default_factory=list)


NO_INSTITUTION = ("", "", False)


def decide(book: RuleBook, row, institutions: dict[int, tuple[str, str, bool]]) -> Decision:
    pk, learner_id, kind, inst_id, code, result_type, result, hours, completed_on = row
    institution = institutions.get(inst_id, NO_INSTITUTION)
    inst_code, inst_kind, accredited = institution
    facts = OutcomeFacts(
        pk, kind, inst_code, inst_kind, accredited, code, result_type, result, hours, completed_on
    )
    choice = choose(book.shortlist(kind, code, institution), facts, shortlisted=True)
    explanation = book.explain(choice)
    credits = None
    if choice.rule is not None:
        try:
            credits = book.credits(choice.rule, hours)
        except ValueError as error:
            explanation = explanation | {
                "standard": None,
                "why": f"{choice.rule.key}: {error}",
                "code": "formula",
            }
            return Decision(pk, learner_id, completed_on.year, None, None, explanation)
    return Decision(pk, learner_id, completed_on.year, choice.rule, credits, explanation)


def _institutions() -> dict[int, tuple[str, str, bool]]:
    return {
        pk: (code, kind, acc)
        for pk, code, kind, acc in Institution.objects.values_list(
            "pk", "code", "kind", "accredited"
        )
    }


def undecided_outcomes(after: int = 0):
    """Recorded, current outcomes without a current recognition; with `after`, only those with
    a greater id — the bound goes on both sides of the anti-join, so PostgreSQL's merge
    anti-join starts there instead of at the first recognition for every chunk."""
    current = Recognition.objects.filter(outcome=OuterRef("pk"), is_current=True)
    outcomes = Outcome.objects.filter(status="recorded", is_current=True)
    if after:
        current = current.filter(outcome_id__gt=after)
        outcomes = outcomes.filter(pk__gt=after)
    return outcomes.exclude(Exists(current))


def _recognition_rows(book: RuleBook, decisions: list[Decision]) -> list[dict]:
    """The Recognition rows of a chunk's decisions, built before its write transaction (on
    SQLite every moment inside it is a moment the other workers cannot write)."""
    now = timezone.now()
    return [
        {
            "outcome_id": d.outcome_id,
            "learner_id": d.learner_id,
            "status": "recognised" if d.rule else "pending",
            "method": "standard" if d.rule else "",
            "standard_id": book.ids.get(d.rule.key) if d.rule else None,
            "level": d.rule.level if d.rule else None,
            "category": d.rule.category if d.rule else "",
            "credits": d.credits,
            "explanation": d.explanation,
            "decided_at": now if d.rule else None,
        }
        for d in decisions
    ]


def _write(decisions: list[Decision], rows: list[dict], replaced: list[int]) -> None:
    """Store a chunk's recognitions (``rows``, from _recognition_rows) and the ledger entries of
    those that carry credits; inside the chunk's transaction."""
    if replaced:
        Recognition.objects.filter(pk__in=replaced).update(is_current=False)
    paying = [d for d in decisions if d.rule and d.credits]
    pks = ledger.insert_rows(Recognition, rows, keys=True)
    if pks is not None:
        recognition_of = {row["outcome_id"]: pk for row, pk in zip(rows, pks, strict=True)}
    else:  # each outcome has at most one current recognition (a constraint): the one just made
        recognition_of = dict(
            ledger.select_in(
                Recognition,
                f"SELECT outcome_id, id FROM {Recognition._meta.db_table} "
                "WHERE is_current AND {in}",
                "outcome_id",
                [d.outcome_id for d in paying],
            )
            if paying
            else []
        )
    ledger.append(
        [
            ledger.Draft(
                d.learner_id,
                "credit",
                d.outcome_id,
                recognition_of[d.outcome_id],
                d.rule.category,
                d.rule.level,
                d.credits,
                d.year,
            )
            for d in paying
        ]
    )


def recognise_undecided(
    *,
    book: RuleBook | None = None,
    outcome_filter=None,
    dry_run=False,
    progress: Callable[[int], None] | None = None,
    share: tuple[int, int] | None = None,
    large: bool = False,
) -> RunReport:
    """Decide every recorded outcome that has no decision yet.

    With ``share=(k, n)`` only the outcomes of learners in every n-th block of SHARE_STRIPE
    consecutive ids, starting with block k: n processes with different k then never touch the
    same learner's ledger chain (see parallel.py), nor, but at block edges, the same pages of
    the indexes that lead with the learner.
    ``large``: a batch of many chunks, for which SQLite gets a larger page cache and fewer log
    checkpoints (dbtuning.batch_settings); not for a deposit of a few outcomes.
    """
    book = book or RuleBook.published()
    institutions, report = _institutions(), RunReport(dry_run=dry_run)
    settings = (BATCH_PAGE_CACHE_KB, BATCH_CHECKPOINT_PAGES) if large else (0, 0)
    with batch_settings(connection, *settings):
        _recognise_chunks(book, institutions, report, outcome_filter, dry_run, progress, share)
    return report


def _recognise_chunks(book, institutions, report, outcome_filter, dry_run, progress, share):
    last_id = 0
    while True:
        chunk = undecided_outcomes(after=last_id)
        if outcome_filter is not None:
            chunk = chunk.filter(**outcome_filter)
        if share is not None:
            column = f'"{Outcome._meta.db_table}"."learner_id"'
            chunk = chunk.extra(
                where=[f"({column} / %s) %% %s = %s"], params=[SHARE_STRIPE, share[1], share[0]]
            )
        rows = values_rows(chunk.order_by("pk").values_list(*OUTCOME_FIELDS)[:CHUNK])
        if not rows:
            break
        last_id = rows[-1][0]
        decisions = [decide(book, row, institutions) for row in rows]
        report.examined += len(rows)
        report.recognised += sum(1 for d in decisions if d.rule)
        report.to_review += sum(1 for d in decisions if not d.rule)
        if not dry_run:
            rows = _recognition_rows(book, decisions)
            with transaction.atomic():
                _write(decisions, rows, [])
        if progress:
            progress(report.examined)


def reevaluate_waiting(
    book: RuleBook, *, dry_run=False, progress: Callable[[int], None] | None = None
) -> RunReport:
    """Apply the rules again to outcomes waiting in the queue because no standard matched.

    Only undecided entries move: anything a reviewer or a standard has decided stays as it is.
    """
    institutions, report, last_id = _institutions(), RunReport(dry_run=dry_run), 0
    waiting = Recognition.objects.filter(
        status="pending", is_current=True, method="", appeal_of__isnull=True
    )
    while True:
        chunk = list(
            waiting.filter(pk__gt=last_id).order_by("pk").values_list("pk", *WAITING_FIELDS)[:CHUNK]
        )
        if not chunk:
            break
        last_id = chunk[-1][0]
        decided = [(rid, decide(book, row, institutions)) for rid, *row in chunk]
        moving = [(rid, d) for rid, d in decided if d.rule]
        report.examined += len(chunk)
        report.reevaluated += len(moving)
        if len(report.examples) < 20:
            report.examples += [
                {"outcome": d.outcome_id, "standard": d.rule.key, "credits": str(d.credits)}
                for _r, d in moving[:20]
            ]
        if moving and not dry_run:
            with transaction.atomic():
                ids = [rid for rid, _d in moving]
                still = set(
                    Recognition.objects.select_for_update()
                    .filter(pk__in=ids, status="pending", is_current=True)
                    .values_list("pk", flat=True)
                )
                moving = [(rid, d) for rid, d in moving if rid in still]
                decisions = [d for _r, d in moving]
                _write(decisions, _recognition_rows(book, decisions), [rid for rid, _d in moving])
        if progress:
            progress(report.examined)
    return report
