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
    return canonical_entry(
        c["booked_on"],
        c["category"],
        credits_text(c["credits"]),
        c["learner"],
        c["level"],
        c["outcome"],
        c["recognition"],
        c["seq"],
        c["type"],
        c["year"],
    ).encode()


def credits_text(credits: Decimal) -> str:
    """How canonical JSON writes an amount."""
    return format(credits.normalize(), "f")


def plain_text(text: str) -> bool:
    """True when canonical JSON writes this string as it is (no escaping needed)."""
    return _PLAIN_TEXT(text) is not None


def canonical_entry(
    booked_on, category, credits, learner, level, outcome, recognition, seq, entry_type, year
) -> str:
    """The canonical JSON of a usual ledger entry, written directly: ints as ints, the strings
    plain (see plain_text) and ``credits`` already credits_text. canonical() and the ledger's
    batch writer both use it, so both hash the same text."""
    return (
        f'{{"booked_on":"{booked_on}","category":"{category}",'
        f'"credits":"{credits}","learner":{learner},"level":{level},'
        f'"outcome":{outcome},"recognition":{recognition},"seq":{seq},'
        f'"type":"{entry_type}","year":{year}}}'
    )


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
