"""The Statement resource: PUT, POST (JSON or multipart/mixed) and GET/HEAD with every filter."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _

from learncity.errors import NotFound, ValidationFailed
from learncity.lrs import formats, multipart, params, selectors
from learncity.lrs.datatypes import format_timestamp
from learncity.lrs.http import XapiRequest, check_params, json_response, xapi_view
from learncity.lrs.prepare import Payload
from learncity.lrs.services import require_scope, store_statements
from learncity.lrs.syntax import loads_strict

QUERY = {
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
}
SINGLE = {"statementId", "voidedStatementId", "format", "attachments"}


def _ip(xreq: XapiRequest) -> str | None:
    return xreq.django.META.get("REMOTE_ADDR")


def _invalid(error: params.ParamInvalid) -> ValidationFailed:
    return ValidationFailed(str(error), field=error.name)


def _incoming(xreq: XapiRequest):
    """(statements JSON, payloads or None) from a JSON or multipart/mixed body."""
    if xreq.media_type == "application/json":
        return xreq.json_body("statement"), None
    if xreq.media_type != "multipart/mixed":
        raise ValidationFailed(
            _(
                "Send statements as application/json, or as multipart/mixed "
                "when they carry attachments."
            ),
            field="Content-Type",
        )
    try:
        parts = multipart.parse(xreq.body, xreq.header("content-type", ""))
    except multipart.MultipartInvalid as error:
        raise ValidationFailed(str(error), field="body") from None
    first, rest = parts[0], parts[1:]
    if first.content_type.split(";")[0].strip().lower() != "application/json":
        raise ValidationFailed(
            _("The first part of a multipart request must be the statements, as application/json."),
            field="body",
        )
    payloads = {}
    for part in rest:
        sha2 = part.headers.get("x-experience-api-hash")
        encoding = part.headers.get("content-transfer-encoding", "")
        if not sha2:
            raise ValidationFailed(
                _("Every attachment part needs an X-Experience-API-Hash header."), field="body"
            )
        if encoding.lower() != "binary":
            raise ValidationFailed(
                _("Every attachment part needs Content-Transfer-Encoding: binary."), field="body"
            )
        payloads[sha2] = Payload(part.content_type or "application/octet-stream", part.body)
    return loads_strict(first.body, "statement"), payloads


def _put(xreq: XapiRequest):
    check_params(xreq, {"statementId"}, ("statementId",))
    try:
        statement_id = params.uuid_param(xreq.params, "statementId")
    except params.ParamInvalid as error:
        raise _invalid(error) from None
    statement, payloads = _incoming(xreq)
    if not isinstance(statement, dict):
        raise ValidationFailed(_("PUT stores one statement: send a JSON object."), field="body")
    if "id" in statement and str(statement["id"]).lower() != statement_id.lower():
        raise ValidationFailed(
            _("The statement's id differs from the statementId parameter."), field="id"
        )
    statement = {**statement, "id": statement.get("id", statement_id)}
    store_statements(
        xreq.credential, [statement], version=xreq.version, payloads=payloads, ip=_ip(xreq)
    )
    return _with_consistency(HttpResponse(status=204))


def _post(xreq: XapiRequest):
    check_params(xreq, set())
    body, payloads = _incoming(xreq)
    batch = body if isinstance(body, list) else [body]
    ids = store_statements(
        xreq.credential, batch, version=xreq.version, payloads=payloads, ip=_ip(xreq)
    )
    return _with_consistency(json_response(ids))


def _with_consistency(response, last: object = None):
    response["X-Experience-API-Consistent-Through"] = format_timestamp(timezone.now())
    if last is not None:
        response["Last-Modified"] = http_date(last.timestamp())
    return response


def _render(rows, fmt: str, languages: list[str]) -> list[dict]:
    statements = [json.loads(row.full) for row in rows]
    if fmt == "ids":
        return [formats.as_ids(s) for s in statements]
    if fmt == "canonical":
        iris = set().union(*(formats.activity_iris(s) for s in statements)) if statements else set()
        definitions = selectors.canonical_definitions(iris)
        return [formats.as_canonical(s, definitions, languages) for s in statements]
    return statements


def _respond(data, statements: list[dict], with_attachments: bool, last):
    if not with_attachments:
        return _with_consistency(json_response(data), last)
    wanted = set()
    for statement in statements:
        for source in (statement, statement.get("object") or {}):
            wanted |= {a.get("sha2") for a in source.get("attachments") or []}
    found = selectors.attachment_payloads({w for w in wanted if w})
    body, content_type = multipart.build(
        json.dumps(data, ensure_ascii=False).encode("utf-8"),
        [(p.sha2, p.content_type, bytes(p.content)) for p in found],
    )
    return _with_consistency(HttpResponse(body, content_type=content_type), last)


def _get(xreq: XapiRequest):
    require_scope(xreq.credential, "read")
    query_params = dict(xreq.params)
    if "more" in query_params:
        check_params(xreq, {"more"})
        try:
            query_params, after, ceiling = params.decode_more(query_params["more"])
        except params.ParamInvalid as error:
            raise _invalid(error) from None
    else:
        after, ceiling = None, None
    if "statementId" in query_params or "voidedStatementId" in query_params:
        check_params(xreq, SINGLE)
        return _single(xreq, query_params)
    check_params(xreq, QUERY | {"more"})
    try:
        fmt = params.choice(query_params, "format", ("ids", "exact", "canonical"), "exact")
        with_attachments = params.boolean(query_params, "attachments")
        query = selectors.StatementQuery(
            agent=params.agent_param(query_params, "agent"),
            verb=params.iri(query_params, "verb"),
            activity=params.iri(query_params, "activity"),
            registration=params.uuid_param(query_params, "registration"),
            related_activities=params.boolean(query_params, "related_activities"),
            related_agents=params.boolean(query_params, "related_agents"),
            since=params.timestamp(query_params, "since"),
            until=params.timestamp(query_params, "until"),
            limit=params.limit(query_params),
            ascending=params.boolean(query_params, "ascending"),
            after=after,
            ceiling=ceiling if ceiling is not None else selectors.ceiling(),
        )
    except params.ParamInvalid as error:
        raise _invalid(error) from None
    rows, more = selectors.find_statements(query)
    link = ""
    if more:
        last = rows[-1]
        token = params.encode_more(
            query_params, (format_timestamp(last.stored), last.pk), query.ceiling
        )
        link = f"{xreq.django.path}?more={token}"
    newest = max((row.stored for row in rows), default=None)
    if fmt == "exact" and not with_attachments:
        # ``full`` is the compact JSON of the stored statement, written as json_response
        # writes: the page is those texts joined, the same bytes as parsing and re-encoding.
        texts = ",".join(row.full for row in rows)
        body = '{"statements":[' + texts + '],"more":' + json.dumps(link, ensure_ascii=False) + "}"
        response = HttpResponse(body.encode("utf-8"), content_type="application/json")
        return _with_consistency(response, newest)
    statements = _render(rows, fmt, formats.accept_languages(xreq.header("accept-language")))
    return _respond({"statements": statements, "more": link}, statements, with_attachments, newest)


def _single(xreq: XapiRequest, query_params: dict):
    if "statementId" in query_params and "voidedStatementId" in query_params:
        raise ValidationFailed(
            _("Send statementId or voidedStatementId, not both."), field="voidedStatementId"
        )
    name = "statementId" if "statementId" in query_params else "voidedStatementId"
    try:
        statement_id = params.uuid_param(query_params, name)
        fmt = params.choice(query_params, "format", ("ids", "exact", "canonical"), "exact")
        with_attachments = params.boolean(query_params, "attachments")
    except params.ParamInvalid as error:
        raise _invalid(error) from None
    row = selectors.statement_by_id(statement_id, voided=name == "voidedStatementId")
    if row is None:
        raise NotFound(
            _("No statement with this id is stored%(v)s.")
            % {"v": _(" as voided") if name == "voidedStatementId" else ""},
            field=name,
        )
    statement = _render([row], fmt, formats.accept_languages(xreq.header("accept-language")))[0]
    return _respond(statement, [statement], with_attachments, row.stored)


@xapi_view(("GET", "PUT", "POST"), consistent=True)
def statements(xreq: XapiRequest):
    if xreq.method in ("GET", "HEAD"):
        return _get(xreq)
    if xreq.method == "PUT":
        return _put(xreq)
    return _post(xreq)
