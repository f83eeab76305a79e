"""Synthetic transfer worlds for the benchmarks: a 60-course programme, 2,000 rules from 20
source institutions, and archives of recognised outcomes. Pure (engine dataclasses only).

Source institution k (codes I000…I019, as creditbank_data.make_institutions names them) offers
courses Ikkk-Cjjj (j < 200). Rules: 70 % one outcome → one course, 10 % one → two courses,
10 % two or three outcomes of one institution → one course, 5 % a code pattern (a course family)
→ one course, 5 % outcomes of a kind, institution kind or level → elective credits; a third of
them ask for a minimum result. About 30 rules compete for each course.
"""

from __future__ import annotations

import random
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402, F401  (puts src/ on the path)

from learncity.transfer.engine import Caps, Course, Programme, TransferRule  # noqa: E402
from learncity.transfer.matching import Held, Source  # noqa: E402

INSTITUTIONS = 20
CODES_PER_INSTITUTION = 200
KINDS = [
    "open_university",
    "vocational_college",
    "community_school",
    "elderly_university",
    "training",
    "enterprise",
    "university",
    "adult_college",
    "learning_point",
    "public_venue",
]


def programme(n_courses: int = 60) -> Programme:
    rnd = random.Random(1)
    courses = tuple(
        Course(f"T{i:03d}", Decimal(rnd.choice([2, 3, 3, 4]))) for i in range(n_courses)
    )
    caps = Caps(
        total_credits=Decimal(150),
        max_share=Decimal("0.5"),
        residency_min=Decimal(40),
        per_institution=Decimal(30),
        per_year=Decimal(24),
        electives=Decimal(12),
        validity_years=10,
    )
    return Programme("BENCH-PROG", courses, caps)


def code(k: int, j: int) -> str:
    return f"I{k:03d}-C{j:03d}"


def _minimum(rnd) -> str:
    return rnd.choice(["", "", "60", "70", "B"])


def rules(target: Programme, n: int = 2000, seed: int = 2) -> list[TransferRule]:
    rnd = random.Random(seed)
    courses = [c.code for c in target.courses]
    found = []
    for i in range(n):
        k = rnd.randrange(INSTITUTIONS)
        roll = rnd.random()
        electives = Decimal(0)
        if roll < 0.80:
            sources = (
                Source(
                    code_exact=code(k, rnd.randrange(CODES_PER_INSTITUTION)),
                    min_result=_minimum(rnd),
                ),
            )
            targets = tuple(rnd.sample(courses, 2 if roll >= 0.70 else 1))
        elif roll < 0.90:
            js = rnd.sample(range(CODES_PER_INSTITUTION), rnd.choice([2, 3]))
            sources = tuple(Source(code_exact=code(k, j)) for j in js)
            targets = (rnd.choice(courses),)
        elif roll < 0.95:
            family = f"I{k:03d}-C{rnd.randrange(20):02d}*"
            sources = (Source(code_pattern=family, min_result=_minimum(rnd)),)
            targets = (rnd.choice(courses),)
        else:
            which = rnd.randrange(3)
            k = k if which == 1 else 0
            source = [
                Source(kinds=frozenset({"training"}), min_result="60"),
                Source(institution_kinds=frozenset({KINDS[k % len(KINDS)]}), min_level=4),
                Source(min_level=5, categories=frozenset({"vocational"})),
            ][which]
            sources, targets = (source,), ()
            electives = Decimal(1 + (which + k % len(KINDS)) % 2)  # equal sources, equal credits
        found.append(TransferRule(f"BENCH@1/R{i:04d}", "BENCH@1", sources, targets, electives))
    return found


def held(rnd: random.Random, n: int, related: float, first_id: int = 1) -> list[Held]:
    """n outcomes; a share `related` from the rules' source institutions, the rest unrelated."""
    found = []
    for i in range(n):
        k = rnd.randrange(INSTITUTIONS)
        if rnd.random() < related:
            outcome_code = code(k, rnd.randrange(CODES_PER_INSTITUTION))
            institution = f"I{k:03d}"
        else:
            outcome_code = f"X{rnd.randrange(100000):05d}"
            institution = f"I{INSTITUTIONS + rnd.randrange(30):03d}"
        found.append(
            Held(
                outcome_id=first_id + i,
                kind=rnd.choice(["course", "course", "course", "training"]),
                code=outcome_code,
                completed_on=date(rnd.randrange(2012, 2027), rnd.randrange(1, 13), 1),
                institution_code=institution,
                institution_kind=KINDS[k % len(KINDS)],
                result_type="score",
                result=str(rnd.randrange(45, 100)),
                level=rnd.randrange(2, 7),
                category=rnd.choice(["academic", "vocational"]),
                credits=Decimal(2),
                usable="" if rnd.random() > 0.03 else "revoked",
                lineage=f"L{first_id + i}",
            )
        )
    return found


def population(n_learners: int, per_learner: int = 20, related: float = 0.3, seed: int = 5):
    """Stream (learner id, archive) for the batch: outcomes per learner vary around the mean
    (Shanghai: about 110 million outcomes for 5.5 million accounts, i.e. 20 each)."""
    rnd = random.Random(seed)
    for learner in range(1, n_learners + 1):
        count = max(1, int(rnd.expovariate(1 / per_learner)))
        yield learner, held(rnd, min(count, 400), related)
