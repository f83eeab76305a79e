"""The unsigned Open Badges 3.0 and CLR 2.0 documents, built from plain facts.

Django code gathers the facts (outcome, recognition, framework level, institution) into the
dataclasses below; these functions decide only what the JSON looks like, so the mapping can be
read and tested in one place. Every property used is defined by the shipped contexts (the
canonicaliser refuses undefined ones), and no identity number ever appears: the subject is a
pseudonymous `urn:uuid:` plus the learner number and name, which the learner chooses to show.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
EQF_URL = "https://europass.europa.eu/en/europass-digital-tools/european-qualifications-framework"
# OB 3.0 AchievementType values for LearnCity's outcome kinds; the rest are extensions.
ACHIEVEMENT_TYPES = {
    "course": "Course", "online_course": "Course", "culture_leisure": "Course",
    "degree": "Degree", "vocational_certificate": "Certification",
    "skill_certificate": "Certification", "training": "LearningProgram",
    "competition_award": "Award", "work_experience": "ext:WorkExperience",
    "social_practice": "ext:SocialPractice",
}


@dataclass(frozen=True)
class Issuer:
    did: str
    name: str
    url: str


@dataclass(frozen=True)
class Subject:
    pseudonym: str  # urn:uuid: that is the same for all of one learner's credentials
    learner_no: str
    name: str


@dataclass(frozen=True)
class Level:
    framework_name: str
    framework_url: str
    number: int
    name: str
    eqf_level: int | None


@dataclass(frozen=True)
class Achievement:
    """One recognised outcome and what the credit bank decided about it."""

    credential_id: str
    achievement_id: str
    title: str
    kind: str
    code: str
    institution_name: str
    institution_url: str
    category_code: str
    category_name: str
    level: Level
    credits: Decimal
    result: str
    result_type: str
    hours: Decimal | None
    started_on: date | None
    completed_on: date
    criteria: str
    evidence_url: str = ""
    evidence_sha256: str = ""
    status: Sequence[dict[str, str]] = field(default_factory=tuple)


def serialise(document: Any) -> str:
    """The JSON text LearnCity serves and hashes: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(document: Any) -> str:
    """SHA-256 (hex) of `serialise(document)`: the hash printed on paper transcripts. It does
    not depend on key order or spacing, so a pretty-printed download has the same hash."""
    return hashlib.sha256(serialise(document).encode("utf-8")).hexdigest()


def timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _issuer(issuer: Issuer) -> dict[str, Any]:
    return {"id": issuer.did, "type": ["Profile"], "name": issuer.name, "url": issuer.url}


def _alignments(level: Level) -> list[dict[str, Any]]:
    aligned = [{
        "type": ["Alignment"],
        "targetName": f"{level.framework_name} · {level.number} · {level.name}",
        "targetFramework": level.framework_name,
        "targetCode": str(level.number),
        "targetType": "ext:QualificationsFrameworkLevel",
        "targetUrl": f"{level.framework_url}#level-{level.number}",
    }]
    if level.eqf_level:
        aligned.append({
            "type": ["Alignment"],
            "targetName": f"EQF level {level.eqf_level}",
            "targetFramework": "European Qualifications Framework",
            "targetCode": str(level.eqf_level),
            "targetType": "ext:EQFLevel",
            "targetUrl": f"{EQF_URL}#level-{level.eqf_level}",
        })
    return aligned


def achievement(issuer: Issuer, facts: Achievement) -> dict[str, Any]:
    """The Achievement object of an outcome (also listed in a CLR)."""
    body: dict[str, Any] = {
        "id": facts.achievement_id,
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES.get(facts.kind, f"ext:{facts.kind or 'Outcome'}"),
        "name": facts.title,
        "description": f"{facts.title} — {facts.institution_name}",
        "criteria": {"narrative": facts.criteria},
        "creditsAvailable": _number(facts.credits),
        "fieldOfStudy": facts.category_name or facts.category_code,
        "alignment": _alignments(facts.level),
        "creator": {"id": facts.institution_url, "type": ["Profile"],
                    "name": facts.institution_name},
        "inLanguage": "zh-Hans",
    }
    if facts.code:
        body["humanCode"] = facts.code
    if facts.result and facts.result_type != "none":
        body["resultDescription"] = [{
            "id": f"{facts.achievement_id}#result", "type": ["ResultDescription"],
            "name": facts.result_type, "resultType": _result_type(facts.result_type),
        }]
    return body


def _result_type(kind: str) -> str:
    return {"score": "Percent", "grade": "LetterGrade", "pass": "Status"}.get(kind, "ext:Other")


def _subject(subject: Subject) -> dict[str, Any]:
    return {
        "id": subject.pseudonym,
        "identifier": [
            {"type": "IdentityObject", "identityHash": subject.learner_no, "hashed": False,
             "identityType": "accountId"},
            {"type": "IdentityObject", "identityHash": subject.name, "hashed": False,
             "identityType": "name"},
        ],
    }


def achievement_credential(
    issuer: Issuer, subject: Subject, facts: Achievement, valid_from: datetime,
    valid_until: datetime | None, awarded: datetime | None = None,
) -> dict[str, Any]:
    """An unsigned OB 3.0 AchievementCredential (an OpenBadgeCredential) for one outcome."""
    credential_subject = {
        **_subject(subject),
        "type": ["AchievementSubject"],
        "achievement": achievement(issuer, facts),
        "creditsEarned": _number(facts.credits),
        "activityEndDate": facts.completed_on.isoformat(),
    }
    if facts.started_on:
        credential_subject["activityStartDate"] = facts.started_on.isoformat()
    if facts.result and facts.result_type != "none":
        credential_subject["result"] = [{
            "type": ["Result"], "resultDescription": f"{facts.achievement_id}#result",
            "value": facts.result,
        }]
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_CONTEXT],
        "id": facts.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.title,
        "issuer": _issuer(issuer),
        "validFrom": timestamp(valid_from),
        "credentialSubject": credential_subject,
    }
    if awarded:
        credential["awardedDate"] = timestamp(awarded)
    if valid_until:
        credential["validUntil"] = timestamp(valid_until)
    evidence = _evidence(facts)
    if evidence:
        credential["evidence"] = evidence
    if facts.status:
        credential["credentialStatus"] = list(facts.status)
    return credential


def _evidence(facts: Achievement) -> list[dict[str, Any]]:
    if not (facts.evidence_url or facts.evidence_sha256):
        return []
    item: dict[str, Any] = {"type": ["Evidence"], "name": facts.title}
    if facts.evidence_url:
        item["id"] = facts.evidence_url
    if facts.evidence_sha256:
        item["narrative"] = f"SHA-256 of the evidence file: {facts.evidence_sha256}"
    if facts.hours:
        item["description"] = f"{_number(facts.hours)} learning hours"
    return [item]


def clr_credential(
    issuer: Issuer, subject: Subject, credential_id: str, name: str,
    signed: Sequence[dict[str, Any]], achievements: Sequence[dict[str, Any]],
    associations: Sequence[tuple[str, str, str]], valid_from: datetime,
    status: Sequence[dict[str, str]] = (),
) -> dict[str, Any]:
    """An unsigned CLR 2.0 ClrCredential bundling signed achievement credentials."""
    credential: dict[str, Any] = {
        "@context": [VC_V2, CLR_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": name,
        "issuer": _issuer(issuer),
        "validFrom": timestamp(valid_from),
        "credentialSubject": {
            **_subject(subject),
            "type": ["ClrSubject"],
            "verifiableCredential": list(signed),
            "achievement": list(achievements),
            "association": [
                {"type": "Association", "associationType": kind, "sourceId": source,
                 "targetId": target}
                for kind, source, target in associations
            ],
        },
    }
    if not credential["credentialSubject"]["association"]:
        del credential["credentialSubject"]["association"]
    if status:
        credential["credentialStatus"] = list(status)
    return credential
