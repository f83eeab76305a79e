"""LearnCity's Bitstring Status Lists: where each credential sits, and the signed lists served.

Each credential gets one random index in one list; the same index is used in the revocation
list and in the suspension list. A list is filled to half its 131,072 entries before the next
is opened, so random draws rarely collide. The served list credential is signed on request and
kept (`StatusListCache`) until its bits change or it nears its `validUntil`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from django.db.models import Max
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


def allocate() -> tuple[int, int]:
    """A free random position (list number, index)."""
    current = IssuedCredential.objects.aggregate(m=Max("status_list"))["m"] or 1
    if IssuedCredential.objects.filter(status_list=current).count() >= FILL:
        current += 1
    taken = IssuedCredential.objects.filter(status_list=current)
    for _ in range(32):
        index = secrets.randbelow(LIST_SIZE)
        if not taken.filter(status_index=index).exists():
            return current, index
    raise Conflict("No free status list position was found; try again.")


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


def own_status(list_no: int, purpose: str, index: int) -> bool:
    """Whether the bit is set, read from the records the served list is made of."""
    row = IssuedCredential.objects.filter(status_list=list_no, status_index=index).values(
        "revoked_at", "suspended").first()
    if row is None:
        return False
    return row["revoked_at"] is not None if purpose == "revocation" else row["suspended"]
