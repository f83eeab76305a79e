"""The learner's credential pages: list, download (JSON or VC-JWT), share, CLR, PDF transcript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learncity.credentials import build, qr, services, transcripts
from learncity.credentials.forms import ShareForm
from learncity.credentials.selectors import credential_for, credentials_of
from learncity.errors import ValidationFailed
from learncity.portal.helpers import actor
from learncity.records.selectors import learner_for


@login_required
def my_credentials(request):
    who = actor(request)
    learner = learner_for(who)
    services.issue_missing(who, learner)
    found = list(credentials_of(who, learner))
    return render(request, "credentials/list.html", {
        "learner": learner,
        "achievements": [c for c in found if c.kind == "achievement"],
        "records": [c for c in found if c.kind == "clr"][:20],
        "share_form": ShareForm(),
    })


@login_required
def download(request, uuid):
    issued = credential_for(actor(request), uuid)
    if request.GET.get("format") == "jwt":
        response = HttpResponse(issued.jwt, content_type="application/vc+jwt")
        name = f"credential-{issued.uuid}.jwt"
    else:
        response = HttpResponse(
            build.serialise(issued.document), content_type="application/json; charset=utf-8")
        name = f"credential-{issued.uuid}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def share(request, uuid):
    who = actor(request)
    issued = credential_for(who, uuid)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how long the link should work."))
        return redirect("credentials:mine")
    link, token = services.share(who, issued.uuid, form.cleaned_data["days"])
    url = request.build_absolute_uri(reverse("credentials:shared", args=[token]))
    return render(request, "credentials/share.html", {
        "credential": issued, "url": url, "expires_at": link.expires_at,
        "qr": qr.svg(url, _("QR code of the link to the credential")),
    })


@login_required
@require_POST
def make_clr(request):
    who = actor(request)
    learner = learner_for(who)
    chosen = request.POST.getlist("credential") or None
    try:
        issued = services.issue_clr(who, learner, chosen)
    except ValidationFailed as error:
        messages.error(request, str(error.message))
        return redirect("credentials:mine")
    messages.success(request, _("Your learner record (CLR) is ready to download."))
    return redirect(reverse("credentials:mine") + f"#clr-{issued.uuid}")


@login_required
def transcript(request):
    who = actor(request)
    body, clr = transcripts.transcript(who, learner_for(who),
                                       request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="transcript-{clr.uuid}.pdf"'
    return response
