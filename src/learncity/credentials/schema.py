"""Schema conformance: does a credential have the shape its type promises?

A valid signature says who issued a document, not that it is a well-formed Open Badge: a
verifier also checks that an `AchievementCredential` has its achievement, criteria, issuer
profile and dates, that a `ClrCredential` bundles credentials, and so on. The rules are a JSON
Schema shipped with LearnCity (`schemas/credentials.schema.json`), never fetched, applied by the
`jsonschema` library; which definition applies is chosen from the credential's `type`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_FILE = Path(__file__).with_name("schemas") / "credentials.schema.json"
_BY_TYPE = (  # most specific first
    ("ClrCredential", "ClrCredential"),
    ("AchievementCredential", "AchievementCredential"),
    ("OpenBadgeCredential", "AchievementCredential"),
    ("BitstringStatusListCredential", "BitstringStatusListCredential"),
)
MAX_PROBLEMS = 5


class _Recursive(Exception):
    pass


def _inline(node: Any, defs: Mapping[str, Any], seen: tuple[str, ...]) -> Any:
    """`node` with every local `#/$defs/…` reference replaced by the definition itself.

    Equivalent for validation (a reference with sibling keywords becomes an `allOf` of both),
    and about a third faster: jsonschema then resolves no reference per credential.
    """
    if isinstance(node, list):
        return [_inline(item, defs, seen) for item in node]
    if not isinstance(node, Mapping):
        return node
    ref = node.get("$ref")
    rest = {k: _inline(v, defs, seen) for k, v in node.items() if k not in ("$ref", "$defs")}
    if not isinstance(ref, str):
        return rest
    name = ref.removeprefix("#/$defs/")
    if name == ref or name not in defs or name in seen:
        raise _Recursive(ref)
    target = _inline(defs[name], defs, (*seen, name))
    return {"allOf": [target, rest]} if rest else target


@cache
def _validator(definition: str) -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    root = {**schema, "$ref": f"#/$defs/{definition}"}
    Draft202012Validator.check_schema(root)
    try:
        inlined = _inline(schema["$defs"][definition], schema["$defs"], (definition,))
    except _Recursive:  # a recursive or non-local reference: validate through $ref instead
        return Draft202012Validator(root)
    if "$schema" in schema:
        inlined = {"$schema": schema["$schema"], **inlined}
    Draft202012Validator.check_schema(inlined)
    return Draft202012Validator(inlined)


def definition_for(credential: Mapping[str, Any]) -> str:
    types = credential.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    for type_name, definition in _BY_TYPE:
        if type_name in types:
            return definition
    return "Credential"


def _where(path) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".") or "$"


def problems(credential: Any) -> tuple[str, list[str]]:
    """(the definition applied, readable problems); no problems means the shape conforms."""
    if not isinstance(credential, Mapping):
        return "Credential", ["a credential must be a JSON object"]
    definition = definition_for(credential)
    errors = sorted(_validator(definition).iter_errors(credential),
                    key=lambda e: (len(e.path), list(map(str, e.path))))
    found = []
    for error in errors[:MAX_PROBLEMS]:
        found.append(f"{_where(error.absolute_path)}: {_short(error)}")
    if len(errors) > MAX_PROBLEMS:
        found.append(f"… and {len(errors) - MAX_PROBLEMS} more")
    return definition, found


def _short(error) -> str:
    message = error.message
    if error.validator == "pattern":
        if "T\\d{2}" in error.validator_value:
            return f"{error.instance!r} is not a date-time with a time zone (2025-01-31T08:00:00Z)"
        return f"{error.instance!r} does not have the required form"
    if error.validator in ("anyOf", "contains", "const", "pattern") and len(message) > 160:
        message = message[:157] + "…"
    return message
