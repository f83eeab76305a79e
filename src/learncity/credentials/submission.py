"""Reading what a person pasted or uploaded, or a program posted, as a credential.

Refusals say what was wrong in words a person can act on: not UTF-8, not JSON (with the line and
column), not an object, too large, nested too deeply. A VC-JWT is recognised by its shape.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from . import vcjwt

MAX_NESTING = 64  # JSON depth; credentials nest about 8 deep, a CLR about 14


class SubmissionError(ValueError):
    """The submitted text is not a credential: not JSON, not a VC-JWT, or too large."""

    def __init__(self, message: str, *, too_large: bool = False):
        super().__init__(message)
        self.too_large = too_large


def parse_submission(raw: Any, max_bytes: int) -> dict[str, Any] | str:
    """A credential object, or a VC-JWT string, from what a person pasted or uploaded."""
    if isinstance(raw, Mapping):
        return dict(raw)
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if not isinstance(raw, bytes | bytearray):
        raise SubmissionError("send the credential as a JSON object or a VC-JWT string")
    if len(raw) > max_bytes:
        raise SubmissionError(
            f"the credential is {len(raw):,} bytes; at most {max_bytes:,} are accepted",
            too_large=True)
    try:
        text = bytes(raw).decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise SubmissionError("the credential is not UTF-8 text") from None
    if not text:
        raise SubmissionError("no credential was given")
    if vcjwt.looks_like_jwt(text):
        return text
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise SubmissionError(
            f"the credential is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}") from None
    except RecursionError:
        raise SubmissionError("the credential is nested too deeply to be read") from None
    if isinstance(value, str) and vcjwt.looks_like_jwt(value):
        return value
    if not isinstance(value, dict):
        raise SubmissionError("a credential must be a JSON object or a VC-JWT string")
    if _too_deep(value):
        raise SubmissionError(f"the credential is nested more than {MAX_NESTING} levels deep")
    return value


def _too_deep(value: Any) -> bool:
    """Whether JSON nests deeper than MAX_NESTING (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        children = item.values() if isinstance(item, dict) else item if isinstance(
            item, list) else ()
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, dict | list))
    return False
