"""Verification as the page and the APIs offer it: the pure checks of `verify.py`, fed with
LearnCity's own DID document and status lists from the database, and with whatever DID
documents and status list credentials the caller supplies for other issuers. Nothing is ever
fetched from the network.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from learncity.credentials import bitstring, didweb, keys, statuslists
from learncity.credentials.models import IssuedCredential
from learncity.credentials.proofs import verify_proof
from learncity.credentials.verify import (
    Report,
    StatusUnavailable,
    SubmissionError,
    parse_submission,
    verify_credential,
)
from learncity.errors import PayloadTooLarge, ValidationFailed

MAX_BYTES = 2 * 1024 * 1024
MAX_SUPPLIED = 20
_SHARE = re.compile(r"/credentials/shared/([A-Za-z0-9_-]{16,64})/?$")


def own_documents() -> list[dict[str, Any]]:
    """LearnCity's DID document as the database has it now (one query, so a rotation or a
    withdrawal counts from the next verification on, in every process)."""
    published = keys.published_keys()
    if not published:
        return []
    return [didweb.did_document(keys.issuer_did(), published)]


def _supplied(values: Any, what: str) -> list[dict[str, Any]]:
    if values is None or values == "":
        return []
    values = list(values) if isinstance(values, list | tuple) else [values]
    if len(values) > MAX_SUPPLIED or not all(isinstance(v, Mapping) for v in values):
        raise ValidationFailed(f"{what}: give at most {MAX_SUPPLIED} JSON objects", field=what)
    return [dict(v) for v in values]


def _read_lists(lists: list[dict], resolve_key, now) -> dict[str, tuple[str, bytes] | str]:
    """URL -> (purpose, bits) of each supplied status list that verifies, or why it does not."""
    found: dict[str, tuple[str, bytes] | str] = {}
    for document in lists:
        url = document.get("id")
        if not isinstance(url, str):
            continue
        result = verify_proof(document, resolve_key, now=now)
        subject = document.get("credentialSubject")
        issuer = document.get("issuer")
        issuer = issuer.get("id") if isinstance(issuer, Mapping) else issuer
        methods = [c for c in result.checks if c.name.endswith("verification_method")]
        proof = document.get("proof")
        method = proof.get("verificationMethod", "") if isinstance(proof, Mapping) else ""
        if not result.verified or not methods or method.partition("#")[0] != issuer:
            found[url] = "the supplied status list's signature does not verify"
        elif "BitstringStatusListCredential" not in (document.get("type") or []) \
                or not isinstance(subject, Mapping):
            found[url] = "the supplied document is not a BitstringStatusListCredential"
        else:
            try:
                found[url] = (subject.get("statusPurpose"), bitstring.decode(
                    subject.get("encodedList")))
            except bitstring.StatusListError as error:
                found[url] = str(error)
    return found


def status_lookup(lists: list[dict], resolve_key, now):
    """The status reader of one verification. LearnCity's own bits are read from the database
    when asked (a revocation shows at once); the revocation and suspension entries of one
    credential share a position, so its row is read once per verification, not once per list."""
    supplied = _read_lists(lists, resolve_key, now)
    own_rows: dict[tuple[int, int], tuple[bool, bool]] = {}

    def lookup(url: str, purpose: str, index: int) -> bool:
        own = statuslists.own_position(url)
        if own is not None:
            if own[1] != purpose:
                raise bitstring.StatusListError("the status entry's purpose is not its list's")
            if (own[0], index) not in own_rows:
                own_rows[own[0], index] = statuslists.own_flags(own[0], index)
            revoked, suspended = own_rows[own[0], index]
            return revoked if purpose == "revocation" else suspended
        entry = supplied.get(url)
        if isinstance(entry, str):
            raise StatusUnavailable(entry)
        if entry is None:
            raise StatusUnavailable(
                f"the status list {url} is another issuer's; supply it with the credential "
                "(LearnCity never fetches from the network)")
        if entry[0] != purpose:
            raise bitstring.StatusListError("the status list's purpose is not the entry's")
        return bitstring.is_set(entry[1], index)

    return lookup


def unwrap_request(body: bytes) -> tuple[Any, Any, Any]:
    """(credential, DID documents, status lists) of a verification request.

    The body is either the credential itself (JSON or a VC-JWT) or the VC-API shape
    `{"verifiableCredential": …, "options": {…}}`; DID documents and status list credentials
    of other issuers may come as `didDocuments` and `statusLists`, at the top or in `options`.
    """
    try:
        parsed = parse_submission(body, MAX_BYTES)
    except SubmissionError as error:
        if error.too_large:
            raise PayloadTooLarge(str(error), field="credential") from None
        raise ValidationFailed(str(error), field="credential", code="not_a_credential") from None
    if isinstance(parsed, str) or "@context" in parsed:
        return parsed, (), ()
    options = parsed.get("options") if isinstance(parsed.get("options"), Mapping) else {}
    credential = parsed.get("verifiableCredential", parsed.get("credential"))
    if credential is None:
        raise ValidationFailed(
            "Send a credential (JSON or VC-JWT), or {\"verifiableCredential\": …}.",
            field="verifiableCredential", code="not_a_credential")
    return (credential, parsed.get("didDocuments", options.get("didDocuments")),
            parsed.get("statusLists", options.get("statusLists")))


def verify_submission(
    raw: Any, *, did_documents: Iterable = (), status_lists: Iterable = (),
    now: datetime | None = None,
) -> Report:
    """Verify what was pasted, uploaded or posted; raises only for input that is no credential."""
    try:
        credential = parse_submission(raw, MAX_BYTES)
    except SubmissionError as error:
        if error.too_large:
            raise PayloadTooLarge(str(error), field="credential") from None
        raise ValidationFailed(str(error), field="credential", code="not_a_credential") from None
    now = now or datetime.now(UTC)
    resolve_key = didweb.key_resolver(own_documents(), _supplied(did_documents, "didDocuments"))
    lookup = status_lookup(_supplied(status_lists, "statusLists"), resolve_key, now)
    return verify_credential(credential, resolve_key=resolve_key, status_of=lookup, now=now)


def credential_of_link(link: str) -> IssuedCredential | None:
    """The credential a LearnCity link points to: a share link, or a transcript's QR link.

    Only links to this site are read (from the database); nothing is fetched.
    """
    import hashlib

    from django.utils import timezone

    parts = urlsplit(link.strip())
    share = _SHARE.search(parts.path)
    if share:
        digest = hashlib.sha256(share.group(1).encode()).hexdigest()
        return IssuedCredential.objects.filter(
            share_links__token_sha256=digest, share_links__expires_at__gt=timezone.now(),
            share_links__revoked_at__isnull=True).first()
    query = parse_qs(parts.query)
    credential_id, sha = query.get("c", [""])[0], query.get("h", [""])[0]
    if credential_id and sha:
        try:
            credential_id = uuid.UUID(credential_id)
        except ValueError:
            return None
        return IssuedCredential.objects.filter(uuid=credential_id, sha256=sha).first()
    return None
