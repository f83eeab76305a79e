"""Verifying a credential check by check, as a person or a program needs to see it.

The report names each check — format, contexts, signature, issuer key, validity dates, status,
schema, and for a CLR every embedded credential — and says whether it passed, failed or could
not be decided (a warning). It takes the key resolver and the status look-up as functions, so
the same rules verify LearnCity's credentials from its database and other issuers' credentials
from documents the caller supplies, with no network access. Nothing here raises on bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from . import bitstring, schema, vcjwt
from .contexts import OfflineDocumentLoader, UnknownContextError, shipped_contexts
from .proofs import Check, verify_proof
from .submission import SubmissionError, parse_submission  # noqa: F401  (re-exported)

PASSED, FAILED, WARNING = "passed", "failed", "warning"
MAX_EMBEDDED = 2_000
MAX_DEPTH = 2  # a CLR inside a CLR, no deeper
JWT_DATA_URL = "data:application/vc+jwt,"
StatusLookup = Callable[[str, str, int], bool]


class StatusUnavailable(LookupError):
    """The status list a credential points to cannot be consulted (not ours, not supplied)."""


@dataclass(frozen=True)
class Item:
    name: str
    outcome: str
    message: str = ""


@dataclass
class Report:
    format: str = "data-integrity"
    kind: str = ""
    id: str | None = None
    issuer: str | None = None
    items: list[Item] = field(default_factory=list)
    embedded: list[Report] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return bool(self.items) and all(i.outcome != FAILED for i in self.items) and all(
            e.verified for e in self.embedded)

    def add(self, name: str, passed: bool | None, message: str = "") -> None:
        outcome = WARNING if passed is None else PASSED if passed else FAILED
        self.items.append(Item(name, outcome, message))

    def outcome_of(self, name: str) -> str | None:
        found = [i.outcome for i in self.items if i.name == name]
        return FAILED if FAILED in found else found[0] if found else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "verified": self.verified, "format": self.format, "type": self.kind, "id": self.id,
            "issuer": self.issuer,
            "checks": [{"check": i.name, "result": i.outcome, "message": i.message}
                       for i in self.items],
            "embedded": [e.as_dict() for e in self.embedded],
        }


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return issuer if isinstance(issuer, str) else None


def _types(credential: Mapping[str, Any]) -> list[str]:
    types = credential.get("type")
    return [types] if isinstance(types, str) else [t for t in types or [] if isinstance(t, str)]


def verify_credential(
    submitted: Any,
    *,
    resolve_key: Callable[[str], Any],
    status_of: StatusLookup,
    now: datetime | None = None,
    loader: OfflineDocumentLoader | None = None,
    depth: int = 0,
) -> Report:
    """Run every check on a credential object or VC-JWT string."""
    now = now or datetime.now(UTC)
    report = Report()
    if isinstance(submitted, Mapping) and "EnvelopedVerifiableCredential" in _types(submitted) \
            and str(submitted.get("id", "")).startswith(JWT_DATA_URL):
        submitted = str(submitted["id"]).removeprefix(JWT_DATA_URL)
    kid = None
    if isinstance(submitted, str):
        report.format = "vc-jwt"
        credential, checks = vcjwt.verify(submitted, resolve_key)
        kid = _kid_of(submitted)
    elif isinstance(submitted, Mapping):
        credential, checks = dict(submitted), None
    else:
        credential, checks = None, None
    if not isinstance(credential, dict) or "VerifiableCredential" not in _types(credential):
        report.add("format", False, "not a verifiable credential: a JSON object whose type "
                   "includes VerifiableCredential, or a VC-JWT of one")
        return report
    report.kind = next((t for t in _types(credential) if t != "VerifiableCredential"), "")
    report.id = credential.get("id") if isinstance(credential.get("id"), str) else None
    report.issuer = _issuer_id(credential)
    report.add("format", True)
    if not _check_contexts(report, credential, loader):
        return report
    if checks is None:
        checks = verify_proof(credential, resolve_key, now=now, loader=loader).checks \
            if credential.get("proof") else [Check("proof", False, "the credential has no proof")]
    _record_proof(report, credential, checks, kid)
    _check_dates(report, credential, now)
    _check_status(report, credential, status_of)
    definition, found = schema.problems(credential)
    report.add("schema", not found, "; ".join(found) or f"conforms to {definition}")
    if "ClrCredential" in _types(credential):
        _check_embedded(report, credential, resolve_key, status_of, now, loader, depth)
    return report


def _check_contexts(report: Report, credential: Mapping, loader) -> bool:
    contexts = credential.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    extra = getattr(loader, "_extra", {}) if loader is not None else {}
    for url in contexts:
        if isinstance(url, str) and url not in shipped_contexts() and url not in extra:
            report.add("contexts", False, str(UnknownContextError(url)))
            return False
        if not isinstance(url, str | dict):
            report.add("contexts", False, "@context must be a list of URLs and objects")
            return False
    report.add("contexts", True)
    return True


def _kid_of(token: str) -> str | None:
    try:
        kid = vcjwt.read_unverified(token)[0].get("kid")
    except vcjwt.JwtFormatError:
        return None
    return kid if isinstance(kid, str) else None


def _record_proof(report: Report, credential: Mapping, checks: list[Check], kid) -> None:
    key_checks = [c for c in checks if c.name.rpartition(".")[2] == "verification_method"]
    other = [c for c in checks if c not in key_checks and c.name.rpartition(".")[2] != "document"]
    failed = [c for c in other if not c.passed]
    if failed:
        report.add("signature", False, "; ".join(c.message for c in failed))
    else:
        report.add("signature", any(c.name.endswith("signature") for c in other),
                   "" if other else "the signature could not be checked")
    if any(not c.passed for c in key_checks):
        report.add("issuer_key", False, "; ".join(c.message for c in key_checks if not c.passed))
        return
    methods = [kid] if kid else _methods(credential)
    issuer = report.issuer
    foreign = [m for m in methods if m.partition("#")[0] != issuer]
    if not key_checks:
        report.add("issuer_key", False, "no signing key could be checked")
    elif foreign:
        report.add("issuer_key", False, f"{foreign[0]} is not a key of the issuer {issuer}")
    else:
        report.add("issuer_key", True, ", ".join(methods))


def _methods(credential: Mapping) -> list[str]:
    proofs = credential.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    return [p.get("verificationMethod") for p in proofs
            if isinstance(p, Mapping) and isinstance(p.get("verificationMethod"), str)]


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _check_dates(report: Report, credential: Mapping, now: datetime) -> None:
    start, end = credential.get("validFrom"), credential.get("validUntil")
    for name, value in (("validFrom", start), ("validUntil", end)):
        if value is not None and _moment(value) is None:
            report.add("validity", False, f"{name} {value!r} is not a date-time")
            return
    if start is not None and _moment(start) > now:
        report.add("validity", False, f"not valid before {start}")
    elif end is not None and _moment(end) <= now:
        report.add("validity", False, f"expired on {end}")
    else:
        report.add("validity", True, f"valid from {start or '—'} until {end or 'no end date'}")


def _check_status(report: Report, credential: Mapping, status_of: StatusLookup) -> None:
    entries = credential.get("credentialStatus")
    if entries is None:
        report.add("status", True, "the credential has no status entry (it cannot be revoked)")
        return
    for entry in entries if isinstance(entries, list) else [entries]:
        try:
            url, purpose, index = bitstring.read_entry(entry)
            if purpose not in bitstring.PURPOSES:
                report.add("status", None, f"status purpose {purpose!r} is not checked")
                continue
            is_set = status_of(url, purpose, index)
        except bitstring.StatusListError as error:
            report.add("status", False, str(error))
            continue
        except StatusUnavailable as error:
            report.add("status", None, f"{purpose} status could not be checked: {error}")
            continue
        word = "revoked" if purpose == "revocation" else "suspended"
        report.add("status", not is_set, word if is_set else f"not {word}")


def _check_embedded(report, credential, resolve_key, status_of, now, loader, depth) -> None:
    subject = credential.get("credentialSubject")
    embedded = subject.get("verifiableCredential") if isinstance(subject, Mapping) else None
    if not isinstance(embedded, list) or not embedded:
        report.add("embedded", False, "a CLR must bundle at least one credential")
        return
    if len(embedded) > MAX_EMBEDDED or depth >= MAX_DEPTH:
        report.add("embedded", False, f"at most {MAX_EMBEDDED} embedded credentials, "
                   f"nested at most {MAX_DEPTH} deep, are verified")
        return
    for item in embedded:
        report.embedded.append(verify_credential(
            item, resolve_key=resolve_key, status_of=status_of, now=now, loader=loader,
            depth=depth + 1))
    good = sum(e.verified for e in report.embedded)
    report.add("embedded", good == len(embedded),
               f"{good} of {len(embedded)} embedded credentials verified")
