"""The paper transcript of an archive: a CLR is issued (or reused) and the PDF mirrors it."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from learncity.access import Actor
from learncity.credentials import facts, pdf, services
from learncity.credentials.models import IssuedCredential
from learncity.credentials.selectors import issuer_base_url
from learncity.identity.models import Learner


def verify_link(issued: IssuedCredential, base_url: str | None = None) -> str:
    """The QR link of a transcript: the verification page, with the CLR's UUID and hash."""
    return f"{base_url or issuer_base_url()}/verify/?c={issued.uuid}&h={issued.sha256}"


def _row(credential: dict) -> pdf.Row:
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    alignment = (achievement.get("alignment") or [{}])[0]
    level = alignment.get("targetCode", "")
    name = alignment.get("targetName", "").rpartition(" · ")[2]
    return pdf.Row(
        completed_on=subject.get("activityEndDate", ""),
        title=achievement.get("name", ""),
        institution=achievement.get("creator", {}).get("name", ""),
        level=f"{level} · {name}" if name else level,
        category=achievement.get("fieldOfStudy", ""),
        credits=str(subject.get("creditsEarned", "")),
    )


def transcript(
    actor: Actor, learner: Learner, base_url: str | None = None,
) -> tuple[bytes, IssuedCredential]:
    """The PDF of the learner's archive and the CLR credential it corresponds to; its QR code
    leads to `base_url` (the site as the learner reached it; the issuer's own by default)."""
    services.issue_missing(actor, learner)
    clr = services.issue_clr(actor, learner)
    embedded = clr.document["credentialSubject"]["verifiableCredential"]
    rows = sorted((_row(c) for c in embedded), key=lambda r: r.completed_on, reverse=True)
    total = sum((Decimal(str(c["credentialSubject"].get("creditsEarned", 0))) for c in embedded),
                Decimal(0))
    document = pdf.Transcript(
        learner_name=learner.name,
        learner_no=learner.learner_no,
        issued_at=timezone.localtime(clr.issued_at).strftime("%Y-%m-%d"),
        issuer_name=facts.ISSUER_NAME,
        issuer_did=clr.issuer_key.did,
        rows=rows,
        total_credits=f"{total.normalize():f}",
        credential_uuid=str(clr.uuid),
        sha256=clr.sha256,
        verify_url=verify_link(clr, base_url),
    )
    return pdf.render(document), clr
