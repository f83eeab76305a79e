"""Reading xAPI query parameters with the same rules as statement values. Pure (no Django)."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from learncity.lrs import datatypes as t
from learncity.lrs.validation import StatementInvalid, agent, group


class ParamInvalid(ValueError):
    """Raised when a query parameter's value breaks the format xAPI gives it."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


def boolean(params: dict, name: str, default: bool = False) -> bool:
    value = params.get(name)
    if value is None:
        return default
    if value not in ("true", "false"):
        raise ParamInvalid(name, "must be true or false")
    return value == "true"


def iri(params: dict, name: str) -> str | None:
    value = params.get(name)
    if value is not None and not t.is_iri(value):
        raise ParamInvalid(name, "must be an IRI")
    return value


def uuid_param(params: dict, name: str) -> str | None:
    value = params.get(name)
    if value is not None and not t.is_uuid(value):
        raise ParamInvalid(name, "must be a UUID")
    return value


def timestamp(params: dict, name: str) -> datetime | None:
    value = params.get(name)
    if value is None:
        return None
    try:
        return t.parse_timestamp(value)
    except ValueError:
        raise ParamInvalid(name, "must be an ISO 8601 timestamp") from None


def limit(params: dict) -> int:
    value = params.get("limit")
    if value is None:
        return 0
    if not value.isdigit():
        raise ParamInvalid("limit", "must be a non-negative integer")
    return int(value)


def agent_param(params: dict, name: str, *, groups: bool = True) -> dict | None:
    """An Agent (or, where allowed, an identified Group) given as JSON in a parameter."""
    text = params.get(name)
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        raise ParamInvalid(name, "must be an Agent as JSON") from None
    try:
        if isinstance(value, dict) and value.get("objectType") == "Group":
            if not groups:
                raise ParamInvalid(name, "must be an Agent, not a Group")
            group(value, name)
            if not any(k in value for k in ("mbox", "mbox_sha1sum", "openid", "account")):
                raise ParamInvalid(name, "a Group filter must be an identified Group")
        else:
            agent(value, name)
    except StatementInvalid as error:
        raise ParamInvalid(name, error.message) from None
    return value


def choice(params: dict, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = params.get(name, default)
    if value not in allowed:
        raise ParamInvalid(name, "must be one of " + ", ".join(allowed))
    return value


def encode_more(params: dict, after: tuple[str, int], ceiling: int) -> str:
    data = json.dumps({"p": params, "a": list(after), "c": ceiling}, separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def decode_more(token: str) -> tuple[dict, tuple[datetime, int], int]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        params, (stored, pk), ceiling = data["p"], data["a"], int(data["c"])
        return dict(params), (t.parse_timestamp(stored), int(pk)), ceiling
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ParamInvalid("more", "is not a link this LRS gave out") from None
