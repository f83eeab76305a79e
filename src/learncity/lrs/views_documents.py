"""The State, Activity Profile and Agent Profile resources (documents with ETags)."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils.http import http_date
from django.utils.translation import gettext as _

from learncity.errors import NotFound, ValidationFailed
from learncity.lrs import documents, indexing, params, selectors
from learncity.lrs.credentials import require_scope
from learncity.lrs.http import XapiRequest, check_params, json_response, xapi_view

RESOURCES = {
    # kind: (id parameter, scope parameters (required), optional parameters)
    "state": ("stateId", ("activityId", "agent"), ("registration",)),
    "activity_profile": ("profileId", ("activityId",), ()),
    "agent_profile": ("profileId", ("agent",), ()),
}


def _scope(kind: str, values: dict) -> dict:
    try:
        scope = {"activity_key": "", "agent_key": "", "registration": ""}
        if "activityId" in RESOURCES[kind][1]:
            scope["activity_key"] = indexing.activity_key(params.iri(values, "activityId"))
        if "agent" in RESOURCES[kind][1]:
            agent = params.agent_param(values, "agent", groups=False)
            scope["agent_key"] = indexing.document_agent_key(agent)
        registration = params.uuid_param(values, "registration")
        if registration:
            scope["registration"] = registration.lower()
    except params.ParamInvalid as error:
        raise ValidationFailed(str(error), field=error.name) from None
    return scope


def _document_response(doc) -> HttpResponse:
    response = HttpResponse(bytes(doc.content), content_type=doc.content_type)
    response["ETag"] = f'"{doc.etag}"'
    response["Last-Modified"] = http_date(doc.updated.timestamp())
    return response


def _get(xreq: XapiRequest, kind: str, scope: dict):
    require_scope(xreq.credential, "read")
    id_name = RESOURCES[kind][0]
    doc_id = xreq.params.get(id_name)
    if doc_id is not None:
        doc = selectors.document(kind, scope, doc_id)
        if doc is None:
            raise NotFound(_("No document with this id is stored here."), field=id_name)
        return _document_response(doc)
    try:
        since = params.timestamp(xreq.params, "since")
    except params.ParamInvalid as error:
        raise ValidationFailed(str(error), field=error.name) from None
    ids, latest = selectors.document_ids(kind, scope, since)
    response = json_response(ids)
    response["ETag"] = '"' + documents.etag_of(json.dumps(ids).encode()) + '"'
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response


def _write(xreq: XapiRequest, kind: str, scope: dict):
    id_name = RESOURCES[kind][0]
    doc_id = xreq.params.get(id_name)
    if doc_id is None:
        raise ValidationFailed(
            _("The parameter %(name)s is required.") % {"name": id_name}, field=id_name
        )
    if xreq.method == "DELETE":
        documents.delete_document(
            xreq.credential,
            kind,
            scope,
            doc_id,
            if_match=xreq.header("if-match"),
            if_none_match=xreq.header("if-none-match"),
            ip=xreq.django.META.get("REMOTE_ADDR"),
        )
        return HttpResponse(status=204)
    documents.write_document(
        xreq.credential,
        kind,
        scope,
        doc_id,
        content=xreq.body,
        content_type=xreq.header("content-type", ""),
        merge=xreq.method == "POST",
        if_match=xreq.header("if-match"),
        if_none_match=xreq.header("if-none-match"),
        version=xreq.version,
        ip=xreq.django.META.get("REMOTE_ADDR"),
    )
    return HttpResponse(status=204)


def _resource(xreq: XapiRequest, kind: str):
    id_name, required, optional = RESOURCES[kind]
    allowed = {id_name, *required, *optional}
    if xreq.method in ("GET", "HEAD") and id_name not in xreq.params:
        allowed.add("since")
    check_params(xreq, allowed, required)
    scope = _scope(kind, xreq.params)
    if xreq.method in ("GET", "HEAD"):
        return _get(xreq, kind, scope)
    if kind == "state" and xreq.method == "DELETE" and id_name not in xreq.params:
        documents.delete_documents(
            xreq.credential, kind, scope, ip=xreq.django.META.get("REMOTE_ADDR")
        )
        return HttpResponse(status=204)
    return _write(xreq, kind, scope)


@xapi_view(("GET", "PUT", "POST", "DELETE"))
def state(xreq: XapiRequest):
    return _resource(xreq, "state")


@xapi_view(("GET", "PUT", "POST", "DELETE"))
def activity_profile(xreq: XapiRequest):
    return _resource(xreq, "activity_profile")


@xapi_view(("GET", "PUT", "POST", "DELETE"))
def agent_profile(xreq: XapiRequest):
    return _resource(xreq, "agent_profile")
