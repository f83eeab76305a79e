"""Public pages and documents: verification (page and VC-API), the DID document, status lists,
shared credentials, the framework levels credentials align to."""

from __future__ import annotations

import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learncity.credentials import build, checking, selectors, statuslists
from learncity.credentials.forms import VerifyForm
from learncity.errors import LearnCityError, NotFound, PayloadTooLarge, ValidationFailed


def _json(document, status: int = 200, content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(build.serialise(document), status=status, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(max_age=300, public=True)
def did_json(request):
    return _json(selectors.did_document(), content_type="application/did+json")


@require_GET
@cache_control(max_age=300, public=True)
def status_list(request, list_no: int, purpose: str):
    return _json(statuslists.signed_list(list_no, purpose))


@require_GET
@cache_control(no_store=True)
def shared(request, token: str):
    return _json(selectors.shared(token).document)


@require_GET
def framework(request, code: str, version: str):
    found = selectors.framework(code, version)
    return render(request, "credentials/framework.html", {"framework": found})


def _from_form(form, request):
    data = form.cleaned_data
    documents = []
    if data.get("did_document"):
        try:
            documents = [json.loads(data["did_document"])]
        except json.JSONDecodeError as error:
            raise ValidationFailed(f"The DID document is not valid JSON: {error.msg}.",
                                   field="did_document") from None
    if data.get("upload"):
        upload = data["upload"]
        if upload.size > checking.MAX_BYTES:
            raise PayloadTooLarge(
                f"the file is {upload.size:,} bytes; at most {checking.MAX_BYTES:,} are accepted",
                field="upload")
        return upload.read(), documents, None
    if data.get("credential"):
        return data["credential"], documents, None
    issued = checking.credential_of_link(data["link"])
    if issued is None:
        raise NotFound("This link is not a valid LearnCity credential link, or it has expired.")
    return issued.document, documents, issued


@require_http_methods(["GET", "POST"])
def verify_page(request):
    form, report, issued, error = VerifyForm(request.POST or None, request.FILES or None), None, \
        None, None
    link = request.get_full_path() if request.GET.get("c") else None
    try:
        if request.method == "POST" and form.is_valid():
            raw, documents, issued = _from_form(form, request)
            report = checking.verify_submission(raw, did_documents=documents)
        elif link:
            issued = checking.credential_of_link(link)
            if issued is None:
                raise NotFound("No credential has this identifier and hash: the paper may have "
                               "been altered, or the credential was never issued by LearnCity.")
            report = checking.verify_submission(issued.document)
    except LearnCityError as problem:
        error = problem
    status = error.status if error else 200
    return render(request, "credentials/verify.html", {
        "form": form, "report": report.as_dict() if report else None, "issued": issued,
        "error": error, "submitted_hash": issued.sha256 if issued else None,
    }, status=status)


@csrf_exempt
@require_POST
def vc_api_verify(request):
    """VC-API `POST /credentials/verify`: {verifiableCredential, options} -> checks, errors."""
    try:
        credential, documents, lists = checking.unwrap_request(request.body)
        report = checking.verify_submission(credential, did_documents=documents or (),
                                            status_lists=lists or ())
    except LearnCityError as error:
        return JsonResponse({"verified": False, "errors": [error.as_dict()]}, status=error.status)
    body = report.as_dict()
    items = [i for i in body["checks"]]
    payload = {
        "verified": report.verified,
        "checks": [i["check"] for i in items if i["result"] == "passed"],
        "warnings": [i for i in items if i["result"] == "warning"],
        "errors": [i for i in items if i["result"] == "failed"],
        "report": body,
    }
    return JsonResponse(payload, status=200 if report.verified else 400,
                        json_dumps_params={"ensure_ascii": False})
