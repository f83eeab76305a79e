"""The xAPI wire rules shared by every resource: version header, HTTP Basic credentials,
alternate request syntax (1.0.3 only), parameter checks, HEAD, and errors as JSON.

A view decorated with ``@xapi_view(...)`` receives an ``XapiRequest`` whose params and headers
already merge the alternate syntax's form fields, and returns a Django response; every response
carries ``X-Experience-API-Version``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from learncity.errors import LearnCityError, NotAuthenticated, PayloadTooLarge, ValidationFailed
from learncity.lrs import syntax
from learncity.lrs.credentials import authenticate
from learncity.lrs.datatypes import format_timestamp
from learncity.lrs.syntax import LATEST, negotiate

DEFAULT_MAX_BODY = 64 * 1024 * 1024


@dataclass
class XapiRequest:
    method: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    version: str
    django: object
    credential: object | None = None
    alternate: bool = False

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    @property
    def media_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    def json_body(self, what: str = "body"):
        return syntax.loads_strict(self.body, what)


def _headers(request) -> dict[str, str]:
    headers = {k.lower(): v for k, v in request.headers.items()}
    if "content-type" not in headers and request.META.get("CONTENT_TYPE"):
        headers["content-type"] = request.META["CONTENT_TYPE"]
    return headers


def _read_body(request) -> bytes:
    limit = getattr(settings, "LRS_MAX_BODY_BYTES", DEFAULT_MAX_BODY)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise PayloadTooLarge(
            _("The request is larger than this LRS accepts (%(mb)s MB).")
            % {"mb": limit // (1024 * 1024)}
        )
    data = request.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(_("The request is larger than this LRS accepts."))
    return data


def _credential(headers: dict):
    value = headers.get("authorization", "")
    scheme, _sp, token = value.partition(" ")
    if scheme.lower() != "basic" or not token:
        raise NotAuthenticated(
            _("Send LRS credentials with HTTP Basic authentication (Authorization: Basic …).")
        )
    try:
        key, colon, secret = base64.b64decode(token.strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        key, colon, secret = "", "", ""
    if not colon:
        raise NotAuthenticated(_("The Authorization header is not valid HTTP Basic."))
    return authenticate(key, secret)


def build(request, *, auth: bool, version_required: bool, state: dict) -> XapiRequest:
    """Parse a request; ``state["version"]`` tracks the version to answer in, even on errors."""
    headers = _headers(request)
    body = _read_body(request)
    method, params, alternate = request.method, {k: request.GET[k] for k in request.GET}, False
    if "method" in request.GET:
        header_version = headers.get("x-experience-api-version")
        early = negotiate(header_version) if header_version else None
        method, params, headers, body = syntax.alternate(request, headers, body, early)
        alternate = True
    credential = _credential(headers) if auth else None
    if credential is not None:
        state["version"] = credential.default_version
    version = state["version"]
    if version_required:
        version = negotiate(headers.get("x-experience-api-version"))
    elif headers.get("x-experience-api-version"):
        with contextlib.suppress(ValidationFailed):
            version = negotiate(headers["x-experience-api-version"])
    state["version"] = version
    if alternate and version.startswith("2"):
        raise ValidationFailed(
            _("xAPI 2.0 has no alternate request syntax; send a normal request."), field="method"
        )
    xreq = XapiRequest(method, params, headers, body, version, request, alternate=alternate)
    xreq.credential = credential
    return xreq


def check_params(xreq: XapiRequest, allowed: set[str], required: tuple[str, ...] = ()) -> None:
    for name in xreq.params:
        if name not in allowed:
            raise ValidationFailed(
                _(
                    "The parameter %(name)s is not allowed here (names are case-sensitive); "
                    "allowed: %(allowed)s."
                )
                % {"name": name, "allowed": ", ".join(sorted(allowed))},
                field=name,
            )
    for name in required:
        if name not in xreq.params:
            raise ValidationFailed(
                _("The parameter %(name)s is required.") % {"name": name}, field=name
            )


def json_response(data, status: int = 200, **headers) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def error_response(error: LearnCityError) -> HttpResponse:
    return json_response({"error": error.as_dict()}, status=error.status)


def _not_allowed(method: str, methods: tuple[str, ...]) -> HttpResponse:
    message = _("This resource does not accept %(m)s.") % {"m": method}
    response = json_response({"error": {"code": "method_not_allowed", "message": message}}, 405)
    response["Allow"] = ", ".join(methods)
    return response


CORS_HEADERS = "Authorization, Content-Type, If-Match, If-None-Match, X-Experience-API-Version"
CORS_EXPOSE = "ETag, Last-Modified, X-Experience-API-Version, X-Experience-API-Consistent-Through"


def _cors(response: HttpResponse, methods: tuple[str, ...]) -> HttpResponse:
    """Let courses served from other origins (cmi5, JavaScript content) call the LRS.

    Credentials travel in the Authorization header, never in cookies, so any origin may ask.
    """
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ", ".join((*methods, "HEAD", "OPTIONS"))
    response["Access-Control-Allow-Headers"] = CORS_HEADERS
    response["Access-Control-Expose-Headers"] = CORS_EXPOSE
    return response


def xapi_view(
    methods: tuple[str, ...],
    *,
    auth: bool = True,
    version_required: bool = True,
    consistent: bool = False,
):
    """Wrap a view taking an XapiRequest: parsing, errors, HEAD and the version header.

    ``consistent`` adds X-Experience-API-Consistent-Through to every response, errors included
    (the Statement resource must).
    """

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def inner(request, *args, **kwargs):
            if request.method == "OPTIONS":
                return _cors(HttpResponse(status=204), methods)
            state, xreq = {"version": LATEST["2"]}, None
            try:
                xreq = build(request, auth=auth, version_required=version_required, state=state)
                if xreq.method not in methods and not (xreq.method == "HEAD" and "GET" in methods):
                    response = _not_allowed(xreq.method, methods)
                else:
                    response = view(xreq, *args, **kwargs)
            except LearnCityError as error:
                response = error_response(error)
            response["X-Experience-API-Version"] = state["version"]
            if consistent and "X-Experience-API-Consistent-Through" not in response:
                response["X-Experience-API-Consistent-Through"] = format_timestamp(timezone.now())
            if response.status_code == 401:
                response["WWW-Authenticate"] = 'Basic realm="xAPI"'
            if request.method == "HEAD" or (xreq is not None and xreq.method == "HEAD"):
                response.content = b""
            return _cors(response, methods)

        return inner

    return decorate
