"""Pages for institution officers: deposit by form or spreadsheet, templates, API keys."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from learncity.errors import PayloadTooLarge, ValidationFailed
from learncity.institutions.models import ApiKey, Institution
from learncity.institutions.services import issue_api_key, revoke_api_key
from learncity.portal.forms import ApiKeyForm, OutcomeDepositForm, UploadForm
from learncity.portal.helpers import actor, run_on_form
from learncity.records.importer import import_outcomes
from learncity.records.models import ImportBatch
from learncity.records.reader_process import ReaderFailed
from learncity.records.services import deposit_outcomes
from learncity.records.spreadsheet import template_csv, template_xlsx


def _my_institution(request, code=None) -> Institution:
    who = actor(request)
    ids = who.institution_ids()
    if code:
        institution = get_object_or_404(Institution, code=code)
        who.require_institution(institution.pk)
        return institution
    if not ids:
        who.require_role("officer")  # raises PermissionDenied for non-officers
        raise Http404
    return Institution.objects.get(pk=min(ids))


@login_required
def officer_home(request):
    institution = _my_institution(request, request.GET.get("institution"))
    batches = ImportBatch.objects.filter(institution=institution).order_by("-created_at")[:20]
    keys = ApiKey.objects.filter(institution=institution).order_by("-created_at")
    return render(
        request,
        "portal/officer.html",
        {"institution": institution, "batches": batches, "keys": keys},
    )


@login_required
def deposit(request):
    institution = _my_institution(request, request.GET.get("institution"))
    form = OutcomeDepositForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {k: v or "" for k, v in form.cleaned_data.items()}
        done = run_on_form(
            form, lambda: deposit_outcomes(actor(request), institution, [values], source="form")
        )
        if done:
            messages.success(
                request,
                _("The outcome “%(title)s” is in %(name)s's archive.")
                % {"title": done[0].title, "name": done[0].learner.name},
            )
            return redirect("portal:deposit")
    return render(request, "portal/deposit.html", {"form": form, "institution": institution})


@login_required
def upload(request):
    institution = _my_institution(request, request.GET.get("institution"))
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "institution": institution, "max_mb": settings.MAX_UPLOAD_BYTES >> 20}
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload"
            with open(path, "wb") as handle:
                for chunk in upload_file.chunks():
                    handle.write(chunk)
            try:
                result = import_outcomes(
                    actor(request),
                    institution,
                    path,
                    upload_file.name,
                    accept_valid=form.cleaned_data["accept_valid"],
                )
            except (ValidationFailed, PayloadTooLarge, ReaderFailed) as refusal:
                result = None
                form.add_error(None, str(refusal.message))
                if isinstance(refusal.details, dict):
                    context["report"] = refusal.details.get("problems")
                    context["problem_count"] = refusal.details.get("problem_count")
        if result:
            context["batch"], context["already"] = result.batch, result.already_imported
            context["deciding_later"] = (
                not result.already_imported
                and result.batch.rows_accepted > settings.RECOGNISE_INLINE_ROWS
            )
    return render(request, "portal/upload.html", context)


@login_required
def rejected_rows(request, batch_id):
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    actor(request).require_institution(batch.institution_id)
    if not batch.rejected_file:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / "imports" / batch.rejected_file
    return FileResponse(open(path, "rb"), as_attachment=True, filename=batch.rejected_file)


def template_file(request, fmt):
    if fmt == "csv":
        return HttpResponse(
            template_csv(),
            content_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="learncity-outcomes-template.csv"'
            },
        )
    return HttpResponse(
        template_xlsx(),
        headers={
            "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Disposition": 'attachment; filename="learncity-outcomes-template.xlsx"',
        },
    )


@login_required
def api_keys(request):
    institution = _my_institution(request, request.GET.get("institution"))
    form = ApiKeyForm(request.POST or None)
    token = None
    if request.method == "POST" and "revoke" in request.POST:
        key = get_object_or_404(ApiKey, pk=request.POST["revoke"], institution=institution)
        revoke_api_key(actor(request), key, reason=request.POST.get("reason", ""))
        messages.success(request, _("The key was revoked."))
        return redirect("portal:api_keys")
    if request.method == "POST" and form.is_valid():
        issued = run_on_form(
            form,
            lambda: issue_api_key(
                actor(request), institution, form.cleaned_data["name"], form.cleaned_data["scopes"]
            ),
        )
        if issued:
            token = issued[1]
    keys = ApiKey.objects.filter(institution=institution).order_by("-created_at")
    return render(
        request,
        "portal/api_keys.html",
        {"form": form, "token": token, "keys": keys, "institution": institution},
    )
