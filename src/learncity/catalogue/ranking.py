"""Ranking award candidates on configurable criteria. Pure: no Django.

Each criterion (learning hours, recognised credits, number of categories, team activity, …) is
scaled to 0–1 by the best candidate's value, weighted, and summed to a score out of 100. A
candidate below a criterion's minimum is listed with what it lacks but not ranked. Equal scores
share a rank (1, 1, 3); ties are listed by key so the order is repeatable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

METRICS = {
    "learning_star": ("hours", "credits", "categories", "team_activities"),
    "team": ("activities", "activity_hours", "members", "member_hours"),
    "organisation": ("members", "hours_per_member", "share_learning", "categories"),
}


class CriteriaError(ValueError):
    """Raised when weights or minimums name an unknown measure or are negative."""


@dataclass(frozen=True)
class Criteria:
    kind: str
    weights: dict[str, float]
    minimums: dict[str, float] = field(default_factory=dict)

    def check(self) -> Criteria:
        known = METRICS.get(self.kind)
        if known is None:
            raise CriteriaError(f"unknown award kind {self.kind}")
        for name, value in {**self.weights, **self.minimums}.items():
            if name not in known:
                raise CriteriaError(f"unknown measure {name}")
            if value < 0:
                raise CriteriaError(f"negative value for {name}")
        if not any(v > 0 for v in self.weights.values()):
            raise CriteriaError("at least one weight must be above zero")
        return self


@dataclass(frozen=True)
class Candidate:
    key: str
    metrics: dict[str, float]


@dataclass(frozen=True)
class Ranked:
    key: str
    score: float
    rank: int | None
    breakdown: dict[str, float]
    shortfalls: tuple[str, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.shortfalls


def rank(candidates: list[Candidate], criteria: Criteria) -> list[Ranked]:
    criteria.check()
    weights = {k: v for k, v in criteria.weights.items() if v > 0}
    total = sum(weights.values())
    best = {m: max((c.metrics.get(m, 0.0) for c in candidates), default=0.0) for m in weights}
    scored = []
    for c in candidates:
        breakdown = {
            m: round(100 * w / total * (c.metrics.get(m, 0.0) / best[m] if best[m] else 0.0), 2)
            for m, w in weights.items()
        }
        short = tuple(
            sorted(m for m, floor in criteria.minimums.items() if c.metrics.get(m, 0.0) < floor)
        )
        scored.append((round(sum(breakdown.values()), 2), c.key, breakdown, short))
    scored.sort(key=lambda s: (bool(s[3]), -s[0], s[1]))
    result: list[Ranked] = []
    previous, position = None, 0
    for index, (score, key, breakdown, short) in enumerate(scored, start=1):
        if short:
            result.append(Ranked(key, score, None, breakdown, short))
            continue
        if score != previous:
            position, previous = index, score
        result.append(Ranked(key, score, position, breakdown))
    return result
