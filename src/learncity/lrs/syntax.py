"""The parts of the xAPI wire format that need no database: version negotiation, the 1.0.3
alternate request syntax, and strict JSON (no repeated keys, no NaN).
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

from django.utils.translation import gettext as _

from learncity.errors import ValidationFailed

LATEST = {"1": "1.0.3", "2": "2.0.0"}
FORM_HEADERS = {
    "authorization",
    "x-experience-api-version",
    "content-type",
    "content-length",
    "if-match",
    "if-none-match",
}


def negotiate(header: str | None) -> str:
    """The version whose rules apply: 1.0.x -> 1.0.3, 2.0.x -> 2.0.0; otherwise a 400."""
    if not header:
        raise ValidationFailed(
            _("Send the X-Experience-API-Version header (1.0.3 or 2.0.0)."),
            field="X-Experience-API-Version",
        )
    match = re.match(r"^\s*([12])\.0(?:\.\d+)?\s*$", header)
    if not match:
        raise ValidationFailed(
            _(
                "This LRS speaks xAPI 1.0.x and 2.0.x; X-Experience-API-Version %(v)s is not "
                "supported."
            )
            % {"v": header[:20]},
            field="X-Experience-API-Version",
        )
    return LATEST[match.group(1)]


def _duplicate_check(pairs):
    seen = dict(pairs)  # in C; a repeated key leaves fewer entries than pairs
    if len(seen) != len(pairs):
        names = set()
        for key, _value in pairs:
            if key in names:
                raise ValueError(f"the property {key!r} appears twice in one object")
            names.add(key)
    return seen


def loads_strict(data: bytes | str, what: str = "body"):
    """Parse JSON, refusing duplicate keys, NaN/Infinity and invalid UTF-8."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(text, object_pairs_hook=_duplicate_check, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise ValidationFailed(
            _("The %(what)s is not valid JSON: %(error)s") % {"what": what, "error": error},
            field=what,
        ) from None


def _refuse_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def alternate(request, headers: dict, body: bytes, version: str | None):
    """Unpack the alternate request syntax: POST ?method=X with a form body."""
    if version is not None and version.startswith("2"):
        raise ValidationFailed(
            _("xAPI 2.0 has no alternate request syntax; send a normal request."), field="method"
        )
    if request.method != "POST":
        raise ValidationFailed(_("The alternate request syntax is sent with POST."), field="method")
    if set(request.GET) != {"method"}:
        raise ValidationFailed(
            _(
                "With the alternate request syntax, send every parameter "
                "except 'method' in the form body."
            ),
            field="method",
        )
    method = request.GET["method"].upper()
    if method not in ("GET", "PUT", "POST", "DELETE", "HEAD"):
        raise ValidationFailed(_("Unknown method in the alternate request syntax."), field="method")
    media = headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        raise ValidationFailed(
            _(
                "The alternate request syntax needs a form-encoded body "
                "(application/x-www-form-urlencoded)."
            ),
            field="Content-Type",
        )
    try:
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        raise ValidationFailed(_("The form body is not UTF-8."), field="content") from None
    params, new_headers, content = {}, dict(headers), b""
    new_headers.pop("content-type", None)
    for key, value in form.items():
        if key == "content":
            content = value.encode("utf-8")
        elif key.lower() in FORM_HEADERS:
            new_headers[key.lower()] = value
        else:
            params[key] = value
    if method in ("PUT", "POST") and "content-type" not in new_headers and content:
        new_headers["content-type"] = "application/json"
    return method, params, new_headers, content
