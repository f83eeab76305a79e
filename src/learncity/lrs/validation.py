"""Strict xAPI statement validation (1.0.3 and 2.0.0). Pure: imports no Django.

``validate_statement`` raises ``StatementInvalid`` with the JSON path of the first problem and
a sentence a platform developer can act on. It checks types, required and unknown properties,
nulls (allowed only inside extensions), IRIs, UUIDs, language tags, timestamps and durations,
and the structural rules for agents, groups, activities, SubStatements and attachments.
"""

from __future__ import annotations

from learncity.lrs import datatypes as t
from learncity.lrs.objects import (
    StatementInvalid,
    _check,
    _fail,
    _iri,
    _object,
    _string,
    activity,
    agent,
    extensions,
    group,
    language_map,
    statement_ref,
    verb,
)

__all__ = ["StatementInvalid", "agent", "group", "validate_statement"]

STATEMENT = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
SUBSTATEMENT = {
    "objectType",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "attachments",
}
CONTEXT = {
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
}
CONTEXT_2 = {"contextAgents", "contextGroups"}
ATTACHMENT = {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}


def _object_of(value, path: str, version: str, nested: bool) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be a JSON object")
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        activity(value, path)
    elif kind in ("Agent", "Group"):
        agent(value, path, object_type_required=True)
    elif kind == "StatementRef":
        statement_ref(value, path)
    elif kind == "SubStatement" and not nested:
        _body(value, path, version, SUBSTATEMENT, nested=True)
    elif kind == "SubStatement":
        _fail(f"{path}.objectType", "a SubStatement cannot contain another SubStatement")
    else:
        _fail(f"{path}.objectType", "must be Activity, Agent, Group, SubStatement or StatementRef")


def result(value, path: str) -> None:
    keys = {"score", "success", "completion", "response", "duration", "extensions"}
    _object(value, path, keys)
    for key in ("success", "completion"):
        if key in value:
            _check(isinstance(value[key], bool), f"{path}.{key}", "must be true or false")
    if "response" in value:
        _string(value["response"], f"{path}.response")
    if "duration" in value:
        _check(
            t.is_duration(value["duration"]),
            f"{path}.duration",
            "must be an ISO 8601 duration such as PT1H30M",
        )
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    if "score" in value:
        score(value["score"], f"{path}.score")


def score(value, path: str) -> None:
    _object(value, path, {"scaled", "raw", "min", "max"})
    for key, number in value.items():
        _check(t.is_number(number), f"{path}.{key}", "must be a number")
    if "scaled" in value:
        _check(-1 <= value["scaled"] <= 1, f"{path}.scaled", "must be between -1 and 1")
    low, high = value.get("min"), value.get("max")
    if low is not None and high is not None:
        _check(low < high, f"{path}.min", "must be less than max")
    if "raw" in value:
        _check(low is None or value["raw"] >= low, f"{path}.raw", "must not be below min")
        _check(high is None or value["raw"] <= high, f"{path}.raw", "must not be above max")


def _relevant(item: dict, path: str, kind: str, member: str, check) -> None:
    _object(item, path, {"objectType", member, "relevantTypes"}, ("objectType", member))
    _check(item["objectType"] == kind, f"{path}.objectType", f"must be '{kind}'")
    check(item[member], f"{path}.{member}")
    if "relevantTypes" in item:
        types = item["relevantTypes"]
        _check(
            isinstance(types, list) and types,
            f"{path}.relevantTypes",
            "must be a non-empty array of IRIs",
        )
        for index, iri in enumerate(types):
            _iri(iri, f"{path}.relevantTypes[{index}]")


def context(value, path: str, version: str, object_kind: str) -> None:
    allowed = CONTEXT | (CONTEXT_2 if version.startswith("2") else set())
    _object(value, path, allowed)
    if "registration" in value:
        _check(t.is_uuid(value["registration"]), f"{path}.registration", "must be a UUID")
    if "instructor" in value:
        agent(value["instructor"], f"{path}.instructor")
    if "team" in value:
        _check(
            isinstance(value["team"], dict) and value["team"].get("objectType") == "Group",
            f"{path}.team",
            "must be a Group",
        )
        group(value["team"], f"{path}.team")
    for key in ("revision", "platform"):
        if key in value:
            _string(value[key], f"{path}.{key}")
            _check(
                object_kind == "Activity",
                f"{path}.{key}",
                "may only be used when the statement's object is an Activity",
            )
    if "language" in value:
        _check(
            t.is_language(value["language"]), f"{path}.language", "is not an RFC 5646 language tag"
        )
    if "statement" in value:
        statement_ref(value["statement"], f"{path}.statement")
        _check(
            value["statement"]["objectType"] == "StatementRef",
            f"{path}.statement",
            "must be a StatementRef",
        )
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    if "contextActivities" in value:
        activities = _object(
            value["contextActivities"],
            f"{path}.contextActivities",
            {"parent", "grouping", "category", "other"},
        )
        for key, items in activities.items():
            where = f"{path}.contextActivities.{key}"
            for index, item in enumerate(items if isinstance(items, list) else [items]):
                activity(item, f"{where}[{index}]" if isinstance(items, list) else where)
    for key, kind, member, check in (
        ("contextAgents", "contextAgent", "agent", _agent_only),
        ("contextGroups", "contextGroup", "group", _group_only),
    ):
        if key in value:
            _check(isinstance(value[key], list), f"{path}.{key}", "must be an array")
            for index, item in enumerate(value[key]):
                _relevant(item, f"{path}.{key}[{index}]", kind, member, check)


def _agent_only(value, path: str) -> None:
    _check(
        not (isinstance(value, dict) and value.get("objectType") == "Group"),
        path,
        "must be an Agent",
    )
    agent(value, path)


def _group_only(value, path: str) -> None:
    _check(isinstance(value, dict) and value.get("objectType") == "Group", path, "must be a Group")
    group(value, path)


def attachments(value, path: str) -> None:
    _check(isinstance(value, list), path, "must be an array of attachment objects")
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        _object(item, where, ATTACHMENT, ("usageType", "display", "contentType", "length", "sha2"))
        _iri(item["usageType"], f"{where}.usageType")
        language_map(item["display"], f"{where}.display")
        if "description" in item:
            language_map(item["description"], f"{where}.description")
        _check(
            t.is_mime_type(item["contentType"]),
            f"{where}.contentType",
            "must be an Internet media type",
        )
        _check(
            isinstance(item["length"], int)
            and not isinstance(item["length"], bool)
            and item["length"] >= 0,
            f"{where}.length",
            "must be a non-negative integer",
        )
        _check(
            isinstance(item["sha2"], str) and t.is_sha2(item["sha2"]),
            f"{where}.sha2",
            "must be the hex SHA-2 of the attachment",
        )
        if "fileUrl" in item:
            _iri(item["fileUrl"], f"{where}.fileUrl")


def authority(value, path: str) -> None:
    agent(value, path)
    if value.get("objectType") == "Group":
        members = value.get("member") or []
        _check(
            len(members) == 2
            and not any(k in value for k in ("mbox", "mbox_sha1sum", "openid", "account")),
            path,
            "a Group authority is an anonymous Group of exactly two Agents (OAuth)",
        )


def _body(value, path: str, version: str, allowed: set[str], nested: bool) -> None:
    _object(value, path, allowed, ("actor", "verb", "object"))
    if nested:
        _check(
            value.get("objectType") == "SubStatement",
            f"{path}.objectType",
            "must be 'SubStatement'",
        )
    agent(value["actor"], f"{path}.actor")
    verb(value["verb"], f"{path}.verb")
    _object_of(value["object"], f"{path}.object", version, nested)
    if "result" in value:
        result(value["result"], f"{path}.result")
    if "context" in value:
        kind = value["object"].get("objectType", "Activity")
        context(value["context"], f"{path}.context", version, kind)
    if "timestamp" in value:
        _check(
            t.is_timestamp(value["timestamp"]),
            f"{path}.timestamp",
            "must be an ISO 8601 timestamp such as 2024-05-01T08:30:00.000Z",
        )
    if "attachments" in value:
        attachments(value["attachments"], f"{path}.attachments")


def validate_statement(value, version: str) -> None:
    """Raise StatementInvalid unless ``value`` is a valid statement for the API version."""
    if not isinstance(value, dict):
        _fail("statement", "must be a JSON object")
    _body(value, "statement", version, STATEMENT, nested=False)
    if "id" in value:
        _check(t.is_uuid(value["id"]), "statement.id", "must be a UUID")
    if "stored" in value:
        _check(t.is_timestamp(value["stored"]), "statement.stored", "must be a timestamp")
    if "version" in value:
        _check(
            t.statement_version_ok(value["version"], version),
            "statement.version",
            "must be 1.0.x" + (" or 2.0.x" if version.startswith("2") else ""),
        )
    if "authority" in value:
        authority(value["authority"], "statement.authority")
    verb_id = value["verb"]["id"]
    if verb_id == "http://adlnet.gov/expapi/verbs/voided":
        _check(
            value["object"].get("objectType") == "StatementRef",
            "statement.object",
            "a voiding statement's object must be a StatementRef",
        )
