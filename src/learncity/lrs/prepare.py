"""Turning received statements into stored ones. Pure: no Django.

Checks a batch (validity, repeated ids, attachment data and signatures) and assigns what the LRS
owns: id, stored, timestamp (UTC), authority and version; single context activities become lists.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from learncity.lrs import signatures
from learncity.lrs.datatypes import format_timestamp, parse_timestamp
from learncity.lrs.validation import StatementInvalid, validate_statement


class BatchRefused(ValueError):
    """Raised when a batch cannot be stored; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


@dataclass
class Payload:
    content_type: str
    data: bytes


def _attachments_of(statement: dict) -> list[dict]:
    found = list(statement.get("attachments") or [])
    obj = statement.get("object") or {}
    if obj.get("objectType") == "SubStatement":
        found += list(obj.get("attachments") or [])
    return found


def check_batch(statements: list, version: str, payloads: dict[str, Payload] | None) -> None:
    """Refuse the whole batch on the first invalid statement, repeated id or missing data.

    ``payloads`` maps SHA-2 to attachment data for multipart requests, None for JSON ones.
    """
    seen: set[str] = set()
    for index, statement in enumerate(statements):
        try:
            validate_statement(statement, version)
        except StatementInvalid as error:
            where = f"statement {index + 1}: " if len(statements) > 1 else ""
            raise BatchRefused(where + str(error), field=error.path) from None
        sid = statement.get("id")
        if sid is not None:
            if sid.lower() in seen:
                raise BatchRefused(
                    f"the id {sid} is used by two statements in one batch", field="id"
                )
            seen.add(sid.lower())
        for attachment in _attachments_of(statement):
            if "fileUrl" in attachment and (payloads is None or attachment["sha2"] not in payloads):
                continue
            if payloads is None:
                raise BatchRefused(
                    "an attachment without fileUrl needs its data: send the "
                    "statement as multipart/mixed with the attachment part",
                    field="attachments",
                )
            if attachment["sha2"] not in payloads:
                raise BatchRefused(
                    f"no attachment part has the hash {attachment['sha2']}", field="attachments"
                )
        for attachment in signatures.signature_attachments(statement):
            data = payloads.get(attachment["sha2"]) if payloads else None
            try:
                signatures.verify(statement, attachment, data.data if data else None)
            except signatures.SignatureInvalid as error:
                raise BatchRefused(
                    f"signed statement refused: {error}", field="attachments"
                ) from None
    if payloads:
        declared = {a["sha2"] for s in statements for a in _attachments_of(s)}
        extra = set(payloads) - declared
        if extra:
            raise BatchRefused(
                f"the attachment part {sorted(extra)[0]} belongs to no statement's attachments",
                field="attachments",
            )


def _copied(statement: dict) -> dict:
    """A copy of the parts ``_normalise`` and ``prepare`` change; the rest is shared.

    Nothing else in a received statement is changed later (storing reads it, indexing and
    activity merging build new objects), so this is as safe as a deep copy and far cheaper.
    """
    out = dict(statement)
    context = out.get("context")
    if isinstance(context, dict):
        out["context"] = context = dict(context)
        if isinstance(context.get("contextActivities"), dict):
            context["contextActivities"] = dict(context["contextActivities"])
    obj = out.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        out["object"] = _copied(obj)
    return out


def _lists(context: dict) -> None:
    activities = context.get("contextActivities")
    if isinstance(activities, dict):
        for key, value in list(activities.items()):
            if isinstance(value, dict):
                activities[key] = [value]


# Already how the LRS writes times (UTC, milliseconds, Z): formatting it again changes nothing.
_CANONICAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def _normalise(statement: dict) -> None:
    if isinstance(statement.get("context"), dict):
        _lists(statement["context"])
    stamp = statement.get("timestamp")
    if isinstance(stamp, str) and not _CANONICAL_TIME.fullmatch(stamp):
        statement["timestamp"] = format_timestamp(parse_timestamp(stamp))
    obj = statement.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        _normalise(obj)


_LAST_STAMP: tuple = (None, "")


def _stamp(stored: datetime) -> str:
    """format_timestamp(stored), remembered for the rest of the batch (one ``stored`` each)."""
    global _LAST_STAMP
    moment, text = _LAST_STAMP
    if moment is not stored:
        text = format_timestamp(stored)
        _LAST_STAMP = (stored, text)
    return text


def prepare(statement: dict, *, stored: datetime, authority: dict, version: str) -> dict:
    """A copy of the statement with everything the LRS assigns."""
    out = _copied(statement)
    out["id"] = out.get("id") or str(uuid.uuid4())
    _normalise(out)
    stamp = _stamp(stored)
    out["stored"] = stamp
    out.setdefault("timestamp", stamp)
    out["authority"] = authority
    out.setdefault("version", "2.0.0" if version.startswith("2") else "1.0.0")
    return out
