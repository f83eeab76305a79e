"""Which statements become outcomes, for whom, with what result. Pure: imports no Django.

A statement qualifies when its verb is a completion (xAPI or cmi5 ``completed`` / ``passed``),
its object is an activity the projection knows, its actor is an Agent who maps to a learning
account, and it does not report failure. The result text is what records/rows.py accepts:
a score from 0 to 100, ``pass``, or empty.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
# cmi5 defines its completion verbs with the ADL IRIs; the w3id forms are the ADL vocabulary's.
QUALIFYING_VERBS = frozenset(
    {
        COMPLETED,
        PASSED,
        "https://w3id.org/xapi/adl/verbs/completed",
        "https://w3id.org/xapi/adl/verbs/passed",
    }
)


@dataclass(frozen=True)
class LearnerRef:
    """How a statement names a learner: by learner number or by a (hashed) mailbox."""

    learner_no: str | None = None
    mbox_sha1: str | None = None


@dataclass(frozen=True)
class Reading:
    """What one statement says, for the projection; ``refusal`` explains a non-qualifying one."""

    refusal: str | None
    activity_iri: str = ""
    learner: LearnerRef | None = None
    result: str = ""


def mbox_sha1(mbox: str) -> str:
    """SHA-1 of a mailto IRI with the domain lower-cased, as Agents' mbox_sha1sum carries."""
    local, _at, domain = mbox.strip().rpartition("@")
    return hashlib.sha1(f"{local}@{domain.lower()}".encode()).hexdigest()


def learner_ref(actor: dict, homepages: tuple[str, ...]) -> LearnerRef | None:
    if not isinstance(actor, dict) or actor.get("objectType") == "Group":
        return None
    account = actor.get("account")
    if isinstance(account, dict):
        home = str(account.get("homePage", "")).rstrip("/")
        if home in {h.rstrip("/") for h in homepages}:
            return LearnerRef(learner_no=str(account.get("name", "")).strip())
        return None
    if isinstance(actor.get("mbox"), str):
        return LearnerRef(mbox_sha1=mbox_sha1(actor["mbox"]))
    if isinstance(actor.get("mbox_sha1sum"), str):
        return LearnerRef(mbox_sha1=actor["mbox_sha1sum"].lower())
    return None


def _percent(score: dict) -> Decimal | None:
    try:
        if "scaled" in score:
            value = Decimal(str(score["scaled"])) * 100
        elif "raw" in score and "max" in score:
            low = Decimal(str(score.get("min", 0)))
            span = Decimal(str(score["max"])) - low
            value = (Decimal(str(score["raw"])) - low) / span * 100 if span > 0 else None
        elif "raw" in score:
            value = Decimal(str(score["raw"]))
        else:
            return None
    except ArithmeticError:
        return None
    if value is None or not 0 <= value <= 100:
        return None
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()


def result_text(verb: str, result: dict | None) -> str | None:
    """The outcome's result, or None when the statement reports failure."""
    result = result if isinstance(result, dict) else {}
    if result.get("success") is False:
        return None
    score = _percent(result.get("score") or {})
    if score is not None:
        return format(score, "f")
    if verb.endswith("/passed") or result.get("success") is True:
        return "pass"
    return ""


def read_statement(
    statement: dict, known_activities: set[str], homepages: tuple[str, ...]
) -> Reading:
    verb = (statement.get("verb") or {}).get("id", "")
    if verb not in QUALIFYING_VERBS:
        return Reading("not_a_completion")
    obj = statement.get("object") or {}
    iri = obj.get("id", "") if obj.get("objectType", "Activity") == "Activity" else ""
    if iri not in known_activities:
        return Reading("activity_not_in_catalogue", iri)
    learner = learner_ref(statement.get("actor") or {}, homepages)
    if learner is None or not (learner.learner_no or learner.mbox_sha1):
        return Reading("agent_not_a_learner", iri)
    result = result_text(verb, statement.get("result"))
    if result is None:
        return Reading("not_successful", iri, learner)
    return Reading(None, iri, learner, result)


def better(new: str, old: str) -> bool:
    """Whether a new result should replace the one an outcome has (never by an empty one)."""
    if not new or new == old:
        return False
    if not old or old == "pass":
        return True
    try:
        return new != "pass" and Decimal(new) > Decimal(old)
    except ArithmeticError:
        return False
