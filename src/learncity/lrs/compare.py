"""Statement comparison, as the specification defines it (Data 2.3.1). Pure.

Two statements match when they differ only where immutability allows: the properties the LRS
assigns (id, authority, stored, version), how timestamps are written, the order of a Group's
members, a single context activity versus a list of one, Verb displays and Activity
definitions (not part of the statement), the case of an email domain, and duration digits
beyond hundredths of a second. Used for the 409 rule on repeated ids and for signatures.
"""

from __future__ import annotations

import contextlib
import json
import re

from learncity.lrs.datatypes import parse_timestamp

ASSIGNED = ("id", "authority", "stored", "version")


def _duration(value: str) -> str:
    return re.sub(r"(\d+[.,]\d{2})\d+S", r"\1S", value)


def _agent(value):
    if not isinstance(value, dict):
        return value
    out = {k: _generic(v) for k, v in value.items() if k != "member"}
    if out.get("objectType") == "Agent":
        out.pop("objectType")
    if isinstance(value.get("mbox"), str):
        local, _at, domain = value["mbox"].rpartition("@")
        out["mbox"] = f"{local}@{domain.lower()}"
    if isinstance(value.get("member"), list):
        members = [_agent(m) for m in value["member"]]
        out["member"] = sorted(members, key=lambda m: json.dumps(m, sort_keys=True))
    return out


def _activity(value):
    if not isinstance(value, dict):
        return value
    return {"id": value.get("id")}


def _generic(value):
    if isinstance(value, dict):
        return {k: _generic(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_generic(v) for v in value]
    return value


def _context(value):
    if not isinstance(value, dict):
        return value
    out = {k: _generic(v) for k, v in value.items()}
    for key in ("instructor", "team"):
        if key in value:
            out[key] = _agent(value[key])
    activities = value.get("contextActivities")
    if isinstance(activities, dict):
        out["contextActivities"] = {
            k: [_activity(a) for a in (v if isinstance(v, list) else [v])]
            for k, v in activities.items()
        }
    return out


def normalise(statement: dict, *, keep_attachments: bool = True) -> dict:
    """The comparable form of a statement (or SubStatement)."""
    out = {k: _generic(v) for k, v in statement.items() if k not in ASSIGNED}
    if not keep_attachments:
        out.pop("attachments", None)
    if "actor" in statement:
        out["actor"] = _agent(statement["actor"])
    verb = statement.get("verb")
    if isinstance(verb, dict):
        out["verb"] = {"id": verb.get("id")}
    obj = statement.get("object")
    if isinstance(obj, dict):
        kind = obj.get("objectType", "Activity")
        if kind == "Activity":
            out["object"] = _activity(obj)
        elif kind in ("Agent", "Group"):
            out["object"] = _agent(obj)
        elif kind == "SubStatement":
            out["object"] = normalise(obj)
    if "context" in statement:
        out["context"] = _context(statement["context"])
    if isinstance(statement.get("timestamp"), str):
        with contextlib.suppress(ValueError):
            out["timestamp"] = parse_timestamp(statement["timestamp"]).isoformat()
    result = out.get("result")
    if isinstance(result, dict) and isinstance(result.get("duration"), str):
        result["duration"] = _duration(result["duration"])
    return out


def same_statement(a: dict, b: dict) -> bool:
    """Whether two statements match; a timestamp only one of them has is the LRS's doing."""
    left, right = normalise(a), normalise(b)
    if "timestamp" not in left or "timestamp" not in right:
        left.pop("timestamp", None)
        right.pop("timestamp", None)
    return left == right
