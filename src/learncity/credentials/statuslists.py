"""LearnCity's Bitstring Status Lists: where each credential sits, and the signed lists served.

Each credential gets one random index in one list; the same index is used in the revocation
list and in the suspension list. A list is filled to about half its 131,072 entries before the
next is opened, so random draws rarely collide (see `_Fill` for "about"). The served list
credential is signed on request and kept (`StatusListCache`) until its bits change or it nears
its `validUntil`. Revocation and suspension are read from the credentials' rows at every
verification (`own_flags`), never from a cache.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from learncity.credentials import bitstring, build, didweb, facts, keys
from learncity.credentials.models import IssuedCredential, StatusListCache
from learncity.credentials.proofs import create_proof
from learncity.errors import Conflict, NotFound

LIST_SIZE = bitstring.MIN_ENTRIES
FILL = LIST_SIZE // 2
LIST_VALIDITY = timedelta(days=1)
_PATH = re.compile(r"/credentials/status/(\d+)/(revocation|suspension)$")


def list_url(list_no: int, purpose: str) -> str:
    return f"{didweb.base_url(keys.issuer_did())}/credentials/status/{list_no}/{purpose}"


def entries(list_no: int, index: int) -> list[dict[str, str]]:
    """The `credentialStatus` of a credential at this position: revocation and suspension."""
    return [bitstring.entry(list_url(list_no, p), p, index) for p in bitstring.PURPOSES]


CANDIDATES = 4  # random indexes checked per query; 8 rounds make the 32 draws of a position
RECOUNT_EVERY = 256  # own allocations after which a list's fill is counted again


class _Fill(threading.local):
    """This thread's last count of the current list, and its own allocations since.

    Counting a list costs a scan of up to FILL index entries, so it is not repeated for every
    credential: it is redone when the list number changes, after RECOUNT_EVERY allocations of
    this thread, or once the estimate nears FILL. Other processes may therefore put up to
    RECOUNT_EVERY more credentials each in a list past its FILL mark: still far from full,
    and the position stays unique whatever the estimate (a unique constraint; clashes retry).
    """

    list_no: int = 0
    counted: int = 0
    since: int = 0


_fill = _Fill()


def _table() -> str:
    return connection.ops.quote_name(IssuedCredential._meta.db_table)


def _current_and_taken(candidates: list[int]) -> tuple[int, list[bool]]:
    """One query: the newest list number and which candidate indexes are taken in it."""
    table = _table()
    taken = ", ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE status_list = cur.m AND status_index = %s)"
        for _ in candidates)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT cur.m, {taken} FROM "
            f"(SELECT COALESCE(MAX(status_list), 1) AS m FROM {table}) cur", candidates)
        row = cursor.fetchone()
    return int(row[0]), [bool(t) for t in row[1:]]


def _taken(list_no: int, candidates: list[int]) -> list[bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status_index FROM {_table()} WHERE status_list = %s AND status_index IN "
            f"({', '.join(['%s'] * len(candidates))})", [list_no, *candidates])
        found = {row[0] for row in cursor.fetchall()}
    return [c in found for c in candidates]


def _is_full(list_no: int) -> bool:
    fill = _fill
    if fill.list_no != list_no or fill.since >= RECOUNT_EVERY \
            or fill.counted + fill.since >= FILL:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {_table()} WHERE status_list = %s", [list_no])
            fill.list_no, fill.counted, fill.since = list_no, int(cursor.fetchone()[0]), 0
    return fill.counted + fill.since >= FILL


def allocate() -> tuple[int, int]:
    """A free random position (list number, index), usually found in one query."""
    for _ in range(32 // CANDIDATES):
        candidates = [secrets.randbelow(LIST_SIZE) for _ in range(CANDIDATES)]
        current, taken = _current_and_taken(candidates)
        if _is_full(current):
            current += 1
            taken = _taken(current, candidates)
        for index, used in zip(candidates, taken, strict=True):
            if not used:
                if _fill.list_no == current:
                    _fill.since += 1
                return current, index
    raise Conflict("No free status list position was found; try again.")


def reset_cache() -> None:
    """Forget the counted fill (tests that make a fresh database call this)."""
    _fill.list_no = _fill.counted = _fill.since = 0


def set_indexes(list_no: int, purpose: str) -> list[int]:
    rows = IssuedCredential.objects.filter(status_list=list_no)
    rows = rows.filter(revoked_at__isnull=False) if purpose == "revocation" else rows.filter(
        suspended=True)
    return list(rows.values_list("status_index", flat=True))


def signed_list(list_no: int, purpose: str) -> dict:
    """The signed BitstringStatusListCredential of one list, re-signed only when needed."""
    if purpose not in bitstring.PURPOSES or list_no < 1:
        raise NotFound("No such status list.")
    if not IssuedCredential.objects.filter(status_list=list_no).exists():
        raise NotFound("No such status list.")
    encoded = bitstring.encode(set_indexes(list_no, purpose), LIST_SIZE)
    digest = hashlib.sha256(encoded.encode()).hexdigest()
    now = timezone.now()
    cached = StatusListCache.objects.filter(list_no=list_no, purpose=purpose).first()
    if cached and cached.bits_sha256 == digest and cached.valid_until - now > LIST_VALIDITY / 2:
        return cached.document
    key = keys.active_key()
    unsigned = bitstring.list_credential(
        list_url(list_no, purpose), facts.issuer().did, purpose, encoded,
        build.timestamp(now), build.timestamp(now + LIST_VALIDITY),
    )
    document = create_proof(unsigned, keys.private_key(key), key.verification_method, now)
    StatusListCache.objects.update_or_create(
        list_no=list_no, purpose=purpose,
        defaults={"bits_sha256": digest, "document": document,
                  "valid_until": now + LIST_VALIDITY},
    )
    return document


def own_position(url: str) -> tuple[int, str] | None:
    """(list number, purpose) when `url` is one of LearnCity's own status lists."""
    base = didweb.base_url(keys.issuer_did())
    if not url.startswith(base + "/"):
        return None
    match = _PATH.search(url.removeprefix(base))
    return (int(match.group(1)), match.group(2)) if match else None


def own_flags(list_no: int, index: int) -> tuple[bool, bool]:
    """(revoked, suspended) of the credential at this position, read from the database now."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT revoked_at IS NOT NULL, suspended FROM {_table()} "
            "WHERE status_list = %s AND status_index = %s", [list_no, index])
        row = cursor.fetchone()
    return (False, False) if row is None else (bool(row[0]), bool(row[1]))


def own_status(list_no: int, purpose: str, index: int) -> bool:
    """Whether the bit is set, read from the records the served list is made of."""
    revoked, suspended = own_flags(list_no, index)
    return revoked if purpose == "revocation" else suspended
