"""Writes to the document resources (state, activity profile, agent profile), with ETags.

Concurrency follows Communication 3.1: If-Match / If-None-Match are honoured on PUT, POST and
DELETE (412 when they fail); a PUT without either header to an existing document is a 409 for
the profile resources (1.0.3) and for every document resource (2.0). POST of JSON to a JSON
document merges top-level properties. Each write is one transaction with an audit entry.
"""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learncity.audit.services import record
from learncity.errors import Conflict, ValidationFailed
from learncity.lrs.credentials import lrs_actor, require_scope
from learncity.lrs.errors import PreconditionFailed
from learncity.lrs.indexing import doc_key
from learncity.lrs.models import Credential, Document
from learncity.lrs.selectors import document


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()


def _tags(header: str | None) -> list[str]:
    return [t.strip().removeprefix("W/").strip('"') for t in (header or "").split(",") if t.strip()]


def check_preconditions(
    current: Document | None, if_match: str | None, if_none_match: str | None
) -> None:
    if if_match is not None:
        tags = _tags(if_match)
        if current is None or ("*" not in tags and current.etag not in tags):
            raise PreconditionFailed(
                _(
                    "The document has changed (or does not exist): its ETag "
                    "does not match If-Match. Read it again and retry."
                )
            )
    if if_none_match is not None:
        tags = _tags(if_none_match)
        if current is not None and ("*" in tags or current.etag in tags):
            raise PreconditionFailed(
                _("The document already exists, and If-None-Match asked for it not to.")
            )


def _is_json(media_type: str) -> bool:
    return media_type.split(";")[0].strip().lower() == "application/json"


def _json_object(content: bytes, what: str) -> dict:
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise ValidationFailed(
            _("To merge with POST, the %(what)s must be a JSON object.") % {"what": what},
            field="content",
        )
    return value


def write_document(
    credential: Credential,
    kind: str,
    scope: dict,
    doc_id: str,
    *,
    content: bytes,
    content_type: str,
    merge: bool,
    if_match: str | None,
    if_none_match: str | None,
    version: str,
    ip: str | None = None,
) -> Document:
    """PUT (merge=False) or POST (merge=True) one document."""
    require_scope(credential, "write")
    content_type = content_type or "application/octet-stream"
    with transaction.atomic():
        current = document(kind, scope, doc_id)
        check_preconditions(current, if_match, if_none_match)
        needs_header = kind != "state" or version.startswith("2")
        if (
            not merge
            and current is None
            and kind != "state"
            and version.startswith("1")
            and if_match is None
            and if_none_match is None
        ):
            raise ValidationFailed(
                _(
                    "A PUT to a profile document needs If-Match (with the ETag "
                    "you read) or If-None-Match: * (to create it)."
                ),
                field="If-None-Match",
            )
        if (
            not merge
            and current is not None
            and needs_header
            and if_match is None
            and if_none_match is None
        ):
            raise Conflict(
                _(
                    "The document already exists. Read it to get its ETag, then send "
                    "the PUT again with If-Match set to that ETag (or If-None-Match: * "
                    "to create only)."
                )
            )
        if merge and current is not None:
            if not (_is_json(content_type) and _is_json(current.content_type)):
                raise ValidationFailed(
                    _(
                        "POST merges JSON documents only: both the stored "
                        "document and the request must be application/json."
                    ),
                    field="Content-Type",
                )
            merged = _json_object(bytes(current.content), "stored document")
            merged.update(_json_object(content, "request body"))
            content = json.dumps(merged, ensure_ascii=False).encode("utf-8")
            content_type = current.content_type
        elif merge and _is_json(content_type):
            _json_object(content, "request body")
        now = timezone.now()
        fields = {
            "content": content,
            "content_type": content_type[:255],
            "etag": etag_of(content),
            "updated": now,
            "credential": credential,
        }
        if current is None:
            try:
                with transaction.atomic():
                    current = Document.objects.create(
                        kind=kind, doc_id=doc_id, doc_key=doc_key(doc_id), **scope, **fields
                    )
            except IntegrityError:
                raise Conflict(
                    _(
                        "The document was created by another request at the same "
                        "moment; read it and retry."
                    )
                ) from None
        else:
            for name, value in fields.items():
                setattr(current, name, value)
            current.save()
        record(
            lrs_actor(credential, ip),
            f"lrs.document.{'post' if merge else 'put'}",
            current,
            kind=kind,
            doc_id=doc_id[:200],
            etag=current.etag,
        )
    return current


def delete_document(
    credential: Credential,
    kind: str,
    scope: dict,
    doc_id: str,
    *,
    if_match: str | None,
    if_none_match: str | None,
    ip: str | None = None,
) -> None:
    require_scope(credential, "write")
    with transaction.atomic():
        current = document(kind, scope, doc_id)
        check_preconditions(current, if_match, if_none_match)
        if current is not None:
            record(
                lrs_actor(credential, ip),
                "lrs.document.delete",
                current,
                kind=kind,
                doc_id=doc_id[:200],
            )
            current.delete()


def delete_documents(credential: Credential, kind: str, scope: dict, ip: str | None = None) -> int:
    """Delete every document in a scope (the State resource's multiple DELETE)."""
    require_scope(credential, "write")
    with transaction.atomic():
        count, _detail = Document.objects.filter(kind=kind, **scope).delete()
        if count:
            record(
                lrs_actor(credential, ip),
                "lrs.document.delete_all",
                credential,
                kind=kind,
                count=count,
            )
    return count
