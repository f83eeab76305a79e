"""The hash chain that makes each account's ledger tamper-evident. Pure: no Django.

Every entry's hash covers its own content and the previous entry's hash on the same account:
    hash_n = SHA-256(hash_{n-1} || canonical JSON of entry n)
so changing an entry's content breaks its own hash, and deleting, inserting or reordering entries
breaks the link (prev_hash) or the sequence of the next one. Canonical JSON (sorted keys, no
spaces, decimals as strings) makes the hash independent of the database's representation.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainedEntry:
    entry_id: int
    seq: int
    content: dict
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    seq: int
    problem: str  # "content_changed", "broken_link", "sequence_gap"


def canonical_json(content: dict) -> bytes:
    """The definition: sorted keys, no spaces, decimals as strings, other values str()."""

    def default(value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return str(value)

    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=default
    ).encode()


_ENTRY_KEYS = frozenset(
    ("booked_on", "category", "credits", "learner", "level", "outcome")
    + ("recognition", "seq", "type", "year")
)
_INT_KEYS = ("learner", "level", "outcome", "recognition", "seq", "year")
_INTS = (int,) * 6
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_.:-]*").fullmatch  # JSON writes these as they are


def canonical(content: dict) -> bytes:
    """canonical_json(content), written directly for the usual ledger entry (a batch hashes a
    million of them); anything unusual takes canonical_json itself."""
    c = content
    if not (
        c.keys() == _ENTRY_KEYS
        and type(c["credits"]) is Decimal
        and tuple(map(type, map(c.__getitem__, _INT_KEYS))) == _INTS
        and type(c["booked_on"]) is type(c["category"]) is type(c["type"]) is str
        and _PLAIN_TEXT(c["booked_on"] + c["category"] + c["type"])  # each part plain
    ):
        return canonical_json(content)
    credits = format(c["credits"].normalize(), "f")
    return (
        f'{{"booked_on":"{c["booked_on"]}","category":"{c["category"]}",'
        f'"credits":"{credits}","learner":{c["learner"]},"level":{c["level"]},'
        f'"outcome":{c["outcome"]},"recognition":{c["recognition"]},"seq":{c["seq"]},'
        f'"type":"{c["type"]}","year":{c["year"]}}}'
    ).encode()


def entry_hash(prev_hash: str, content: dict) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(content)).hexdigest()


def verify_account(entries) -> list[ChainProblem]:
    """Check one account's entries in seq order; name every entry that was tampered with."""
    problems = []
    previous_hash, expected_seq = GENESIS, 1
    for entry in entries:
        if entry.seq != expected_seq:
            problems.append(ChainProblem(entry.entry_id, entry.seq, "sequence_gap"))
        if entry.prev_hash != previous_hash:
            problems.append(ChainProblem(entry.entry_id, entry.seq, "broken_link"))
        if entry_hash(entry.prev_hash, entry.content) != entry.entry_hash:
            problems.append(ChainProblem(entry.entry_id, entry.seq, "content_changed"))
        previous_hash, expected_seq = entry.entry_hash, entry.seq + 1
    return problems
