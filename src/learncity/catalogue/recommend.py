"""Recommending courses to one learner, each with the reasons why. Pure: no Django.

Signals, strongest first: what learners who took the same courses went on to take next; a
session in the learner's district; a course meant for the learner's age group; the categories
already in the learner's archive; the next level up in the framework; free courses; good
ratings. A course meant only for other age groups, or one already taken, is never proposed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

WEIGHTS = {
    "next_step": 4.0,
    "district": 2.0,
    "age_group": 2.0,
    "interest": 1.5,
    "level_up": 1.0,
    "same_level": 0.5,
    "online": 0.5,
    "free": 0.5,
    "well_rated": 0.5,
}
WELL_RATED = 4.0


def age_group(birth: date | None, today: date) -> str | None:
    if birth is None:
        return None
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if age < 14:
        return "children"
    if age < 35:
        return "youth"
    return "adults" if age < 60 else "elderly"


@dataclass(frozen=True)
class Profile:
    district_code: str
    age_group: str | None
    categories: dict[str, int] = field(default_factory=dict)  # category -> outcomes in archive
    highest_level: int | None = None
    taken: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Candidate:
    course_id: int
    category: str | None = None
    level: int | None = None
    audiences: tuple[str, ...] = ()
    site_districts: tuple[str, ...] = ()
    mode: str = "offline"
    free: bool = False
    rating: float | None = None


@dataclass(frozen=True)
class Reason:
    code: str
    weight: float
    params: tuple[tuple[str, object], ...] = ()

    def param(self, name: str):
        return dict(self.params).get(name)


@dataclass(frozen=True)
class Recommendation:
    course_id: int
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class NextStep:
    learners: int
    after_course: int


def next_steps(
    firsts: dict[int, tuple[datetime, int]], later: list[tuple[int, int, datetime]]
) -> dict[int, NextStep]:
    """What peers took after a shared course.

    firsts: peer -> (when they enrolled in a course the learner took, that course);
    later: (peer, course, when) of their other enrolments. Counts each peer once per course.
    """
    counted: dict[int, set[int]] = {}
    after: dict[int, dict[int, int]] = {}
    for peer, course, when in later:
        first = firsts.get(peer)
        if first is None or when <= first[0]:
            continue
        counted.setdefault(course, set()).add(peer)
        tally = after.setdefault(course, {})
        tally[first[1]] = tally.get(first[1], 0) + 1
    return {
        course: NextStep(len(peers), max(after[course].items(), key=lambda kv: (kv[1], -kv[0]))[0])
        for course, peers in counted.items()
    }


def _reasons(p: Profile, c: Candidate, step: NextStep | None) -> list[Reason]:
    found: list[Reason] = []
    if step is not None:
        share = min(step.learners, 10) / 10
        found.append(
            Reason(
                "next_step",
                WEIGHTS["next_step"] * (0.5 + share / 2),
                (("learners", step.learners), ("after_course", step.after_course)),
            )
        )
    if p.district_code and p.district_code in c.site_districts:
        found.append(Reason("district", WEIGHTS["district"], (("district", p.district_code),)))
    elif c.mode == "online":
        found.append(Reason("online", WEIGHTS["online"]))
    if p.age_group and p.age_group in c.audiences:
        found.append(Reason("age_group", WEIGHTS["age_group"], (("age_group", p.age_group),)))
    if c.category and p.categories.get(c.category):
        n = p.categories[c.category]
        weight = WEIGHTS["interest"] * min(n, 3) / 3
        found.append(Reason("interest", weight, (("category", c.category), ("outcomes", n))))
    if c.level is not None and p.highest_level is not None:
        if c.level == p.highest_level + 1:
            found.append(Reason("level_up", WEIGHTS["level_up"], (("level", c.level),)))
        elif c.level == p.highest_level:
            found.append(Reason("same_level", WEIGHTS["same_level"], (("level", c.level),)))
    if c.free:
        found.append(Reason("free", WEIGHTS["free"]))
    if c.rating is not None and c.rating >= WELL_RATED:
        found.append(Reason("well_rated", WEIGHTS["well_rated"], (("rating", c.rating),)))
    return found


def recommend(
    profile: Profile,
    candidates: list[Candidate],
    steps: dict[int, NextStep] | None = None,
    limit: int = 6,
) -> list[Recommendation]:
    """The best `limit` candidates with their reasons, strongest reason first."""
    steps = steps or {}
    ranked: list[Recommendation] = []
    seen: set[int] = set()
    for c in candidates:
        if c.course_id in profile.taken or c.course_id in seen:
            continue
        seen.add(c.course_id)
        if c.audiences and profile.age_group and profile.age_group not in c.audiences:
            continue
        reasons = _reasons(profile, c, steps.get(c.course_id))
        if not reasons:
            continue
        reasons.sort(key=lambda r: -r.weight)
        score = round(sum(r.weight for r in reasons), 3)
        ranked.append(Recommendation(c.course_id, score, tuple(reasons)))
    ranked.sort(key=lambda r: (-r.score, r.course_id))
    return ranked[:limit]
