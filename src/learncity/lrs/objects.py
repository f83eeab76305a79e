"""Validating the objects statements are made of: agents, groups, verbs, activities,
language maps and extensions. Pure: imports no Django.

Each check raises ``StatementInvalid`` with the JSON path of the first problem and a sentence a
platform developer can act on; validation.py assembles them into whole statements.
"""

from __future__ import annotations

from learncity.lrs import datatypes as t

AGENT = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
GROUP = AGENT | {"member"}
DEFINITION = {
    "name",
    "description",
    "type",
    "moreInfo",
    "extensions",
    "interactionType",
    "correctResponsesPattern",
    "choices",
    "scale",
    "source",
    "target",
    "steps",
}
COMPONENT_LISTS = {
    "choice": {"choices"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "matching": {"source", "target"},
    "performance": {"steps"},
}


class StatementInvalid(ValueError):
    """Raised when a statement (or an agent or activity parameter) breaks an xAPI rule."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def _fail(path: str, message: str):
    raise StatementInvalid(path, message)


def _object(value, path: str, allowed: set[str], required: tuple[str, ...] = ()) -> dict:
    if not isinstance(value, dict):
        _fail(path, "must be a JSON object")
    # Both checks in C first; the loop only runs to name the first offending property.
    if not allowed.issuperset(value) or None in value.values():
        for key, item in value.items():
            if key not in allowed:
                _fail(
                    f"{path}.{key}", "is not a property xAPI allows here (names are case-sensitive)"
                )
            if item is None:
                _fail(f"{path}.{key}", "must not be null")
    for key in required:
        if key not in value:
            _fail(f"{path}.{key}", "is required")
    return value


def _string(value, path: str) -> str:
    if not isinstance(value, str):
        _fail(path, "must be a string")
    return value


def _check(ok: bool, path: str, message: str) -> None:
    if not ok:
        _fail(path, message)


def _iri(value, path: str) -> None:
    _check(t.is_iri(value), path, "must be an absolute IRI with a scheme, e.g. http://…")


def language_map(value, path: str) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be a language map (an object of language tag to string)")
    for tag, text in value.items():
        _check(t.is_language(tag), f"{path}.{tag}", "is not an RFC 5646 language tag")
        _check(isinstance(text, str), f"{path}.{tag}", "must be a string")


def extensions(value, path: str) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be an object whose keys are IRIs")
    for key in value:
        _iri(key, f"{path}.{key}")


def agent(value, path: str, *, object_type_required: bool = False) -> None:
    if isinstance(value, dict) and value.get("objectType") == "Group":
        group(value, path)
        return
    _object(value, path, AGENT)
    if object_type_required or "objectType" in value:
        _check(value.get("objectType") == "Agent", f"{path}.objectType", "must be 'Agent'")
    _check(
        _ifi_count(value, path) == 1,
        path,
        "an Agent needs exactly one identifier (mbox, mbox_sha1sum, openid or account)",
    )


def _ifi_count(value: dict, path: str) -> int:
    if "name" in value:
        _string(value["name"], f"{path}.name")
    if "mbox" in value:
        _check(t.is_mbox(value["mbox"]), f"{path}.mbox", "must be 'mailto:' and an email address")
    if "mbox_sha1sum" in value:
        _check(
            t.is_sha1(value["mbox_sha1sum"]),
            f"{path}.mbox_sha1sum",
            "must be the 40 hex digits of a SHA-1",
        )
    if "openid" in value:
        _iri(value["openid"], f"{path}.openid")
    if "account" in value:
        account = _object(
            value["account"], f"{path}.account", {"homePage", "name"}, ("homePage", "name")
        )
        _iri(account["homePage"], f"{path}.account.homePage")
        _string(account["name"], f"{path}.account.name")
    return sum(1 for key in ("mbox", "mbox_sha1sum", "openid", "account") if key in value)


def group(value, path: str) -> None:
    _object(value, path, GROUP, ("objectType",))
    _check(value["objectType"] == "Group", f"{path}.objectType", "must be 'Group'")
    ifis = _ifi_count(value, path)
    _check(ifis <= 1, path, "a Group has at most one identifier")
    if "member" in value or ifis == 0:
        members = value.get("member")
        _check(
            isinstance(members, list),
            f"{path}.member",
            "an anonymous Group needs a 'member' array of Agents",
        )
        for index, member in enumerate(members):
            where = f"{path}.member[{index}]"
            _check(
                not (isinstance(member, dict) and member.get("objectType") == "Group"),
                where,
                "a Group's members must be Agents, not Groups",
            )
            agent(member, where)


def verb(value, path: str) -> None:
    _object(value, path, {"id", "display"}, ("id",))
    _iri(value["id"], f"{path}.id")
    if "display" in value:
        language_map(value["display"], f"{path}.display")


def _components(value, path: str) -> None:
    _check(isinstance(value, list), path, "must be an array of interaction components")
    seen = set()
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        _object(item, where, {"id", "description"}, ("id",))
        _check(
            isinstance(item["id"], str) and item["id"] != "",
            f"{where}.id",
            "must be a non-empty string",
        )
        _check(item["id"] not in seen, f"{where}.id", "repeats another component's id")
        seen.add(item["id"])
        if "description" in item:
            language_map(item["description"], f"{where}.description")


def definition(value, path: str) -> None:
    _object(value, path, DEFINITION)
    for key in ("name", "description"):
        if key in value:
            language_map(value[key], f"{path}.{key}")
    for key in ("type", "moreInfo"):
        if key in value:
            _iri(value[key], f"{path}.{key}")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    kind = value.get("interactionType")
    lists = {k for k in ("choices", "scale", "source", "target", "steps") if k in value}
    if kind is not None:
        _check(
            kind in t.INTERACTION_TYPES,
            f"{path}.interactionType",
            "must be one of " + ", ".join(t.INTERACTION_TYPES),
        )
        extra = lists - COMPONENT_LISTS.get(kind, set())
        _check(
            not extra,
            f"{path}.{min(extra) if extra else ''}",
            f"is not a component list of a '{kind}' interaction",
        )
    else:
        _check(
            not lists and "correctResponsesPattern" not in value,
            path,
            "interaction properties need an interactionType",
        )
    if "correctResponsesPattern" in value:
        pattern = value["correctResponsesPattern"]
        _check(
            isinstance(pattern, list) and all(isinstance(p, str) for p in pattern),
            f"{path}.correctResponsesPattern",
            "must be an array of strings",
        )
    for key in lists:
        _components(value[key], f"{path}.{key}")


def activity(value, path: str) -> None:
    _object(value, path, {"objectType", "id", "definition"}, ("id",))
    if "objectType" in value:
        _check(value["objectType"] == "Activity", f"{path}.objectType", "must be 'Activity'")
    _iri(value["id"], f"{path}.id")
    if "definition" in value:
        definition(value["definition"], f"{path}.definition")


def statement_ref(value, path: str) -> None:
    _object(value, path, {"objectType", "id"}, ("objectType", "id"))
    _check(t.is_uuid(value["id"]), f"{path}.id", "must be a UUID")
