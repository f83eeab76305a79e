"""API: verify any credential (public), and the learner's own credentials, CLRs and share links."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from learncity.api.auth import API_AUTH, actor_of
from learncity.credentials import checking, services
from learncity.credentials.selectors import credential_for, credentials_of
from learncity.errors import ValidationFailed
from learncity.records.selectors import learner_for

router = Router(tags=["credentials"])
VERIFY_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object", "description": (
                "The credential itself, or {verifiableCredential, didDocuments?, statusLists?}."
            )}},
            "application/vc+jwt": {"schema": {"type": "string"}},
        },
    }
}


class CredentialOut(Schema):
    uuid: UUID
    kind: str
    title: str
    state: str
    issued_at: datetime
    valid_until: datetime | None
    sha256: str
    json_url: str
    jwt_url: str


class ClrIn(Schema):
    model_config = ConfigDict(extra="forbid")
    credentials: list[UUID] | None = None


class ShareIn(Schema):
    model_config = ConfigDict(extra="forbid")
    days: int = 30


class ShareOut(Schema):
    url: str
    expires_at: datetime


class StatusIn(Schema):
    model_config = ConfigDict(extra="forbid")
    action: str
    reason: str


def _out(issued) -> CredentialOut:
    base = f"/api/v1/credentials/{issued.uuid}"
    return CredentialOut(
        uuid=issued.uuid, kind=issued.kind, title=issued.title, state=issued.state,
        issued_at=issued.issued_at, valid_until=issued.valid_until, sha256=issued.sha256,
        json_url=base, jwt_url=f"{base}?format=jwt",
    )


@router.post("/verify", auth=None, openapi_extra=VERIFY_BODY, summary="Verify a credential")
def verify(request):
    """Check a credential (LearnCity's or another issuer's) and report check by check:
    signature, issuer key, validity dates, status, schema, and each credential in a CLR.
    Other issuers' did:web documents and status lists may be supplied; nothing is fetched."""
    credential, documents, lists = checking.unwrap_request(request.body)
    report = checking.verify_submission(credential, did_documents=documents or (),
                                        status_lists=lists or ())
    return report.as_dict()


@router.get("/credentials", auth=API_AUTH, response=list[CredentialOut])
def my_credentials(request):
    """The signed-in learner's credentials; missing ones are issued first."""
    actor = actor_of(request)
    learner = learner_for(actor)
    services.issue_missing(actor, learner)
    return [_out(c) for c in credentials_of(actor, learner)]


@router.post("/credentials/clr", auth=API_AUTH, response={201: CredentialOut})
def clr(request, body: ClrIn):
    """A CLR 2.0 of the whole archive, or of the credentials listed."""
    actor = actor_of(request)
    issued = services.issue_clr(actor, learner_for(actor), body.credentials)
    return Status(201, _out(issued))


@router.get("/credentials/{uuid}", auth=API_AUTH)
def credential(request, uuid: UUID, format: str = "json"):
    """The credential as issued: JSON with its Data Integrity proof, or `?format=jwt`."""
    issued = credential_for(actor_of(request), uuid)
    if format == "jwt":
        return HttpResponse(issued.jwt, content_type="application/vc+jwt")
    return JsonResponse(issued.document, json_dumps_params={"ensure_ascii": False})


@router.post("/credentials/{uuid}/share", auth=API_AUTH, response={201: ShareOut})
def share(request, uuid: UUID, body: ShareIn):
    """A link that shows the credential until it expires (1–90 days)."""
    link, token = services.share(actor_of(request), uuid, body.days)
    url = request.build_absolute_uri(reverse("credentials:shared", args=[token]))
    return Status(201, ShareOut(url=url, expires_at=link.expires_at))


@router.post("/credentials/{uuid}/status", auth=API_AUTH, response=CredentialOut)
def change_status(request, uuid: UUID, body: StatusIn):
    """Credit bank staff revoke, suspend or reinstate a credential, giving the reason."""
    actor = actor_of(request)
    if body.action == "revoke":
        issued = services.revoke(actor, uuid, body.reason)
    elif body.action in ("suspend", "reinstate"):
        issued = services.set_suspended(actor, uuid, body.action == "suspend", body.reason)
    else:
        raise ValidationFailed("action must be revoke, suspend or reinstate", field="action")
    return _out(issued)
