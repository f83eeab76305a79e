"""The rules for one respondent's answers to a questionnaire. Pure: shared by the web form and
the .csv/.xlsx import, so both accept and refuse exactly the same answers.

An item is asked only when its `show_if` condition holds (e.g. barriers only after "yes, I
wanted to learn"); answers to items not asked are dropped. Multiple-choice answers are kept as
option codes joined by ";" in the questionnaire's order.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

MAX_TEXT = 1000
SPLIT = re.compile(r"[;,；，、|]")


@dataclass(frozen=True)
class ItemSpec:
    code: str
    type: str  # single, multiple, scale, number, text
    options: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    required: bool = True
    show_if: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    item: str
    kind: str  # required, not_an_option, out_of_range, not_a_number, too_long
    value: str = ""


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _one(spec: ItemSpec, value) -> tuple[str | None, Problem | None]:
    if spec.type == "multiple":
        parts = value if isinstance(value, list) else SPLIT.split(str(value))
        chosen = {p.strip() for p in parts if str(p).strip()}
        wrong = sorted(chosen - set(spec.options))
        if wrong:
            return None, Problem(spec.code, "not_an_option", ";".join(wrong))
        return ";".join(o for o in spec.options if o in chosen), None
    text = str(value).strip()
    if spec.type == "single":
        if text not in spec.options:
            return None, Problem(spec.code, "not_an_option", text)
        return text, None
    if spec.type in ("scale", "number"):
        number = _number(text)
        if number is None or (spec.type == "scale" and number != int(number)):
            return None, Problem(spec.code, "not_a_number", text)
        if (spec.low is not None and number < spec.low) or (
            spec.high is not None and number > spec.high
        ):
            return None, Problem(spec.code, "out_of_range", text)
        return (str(int(number)) if number == int(number) else f"{number:g}"), None
    if len(text) > MAX_TEXT:
        return None, Problem(spec.code, "too_long", text[:20])
    return text, None


def clean(specs: list[ItemSpec], raw: dict) -> tuple[dict[str, str], list[Problem]]:
    """Check every asked item in order; return (answers, problems)."""
    answers: dict[str, str] = {}
    problems: list[Problem] = []
    for spec in specs:
        condition = spec.show_if
        if condition and answers.get(condition["item"]) not in condition["values"]:
            continue
        value = raw.get(spec.code)
        if _blank(value):
            if spec.required:
                problems.append(Problem(spec.code, "required"))
            continue
        cleaned, problem = _one(spec, value)
        if problem:
            problems.append(problem)
        elif cleaned != "":
            answers[spec.code] = cleaned
    return answers, problems
