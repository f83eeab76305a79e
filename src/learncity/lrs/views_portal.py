"""Portal pages of the LRS: officers manage their institution's LRS credentials (the secret is
shown once), learners confirm the email addresses their learning platforms report them by."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from learncity.institutions.models import Institution
from learncity.lrs.credentials import create_credential, revoke_credential
from learncity.lrs.forms import CredentialForm, LearnerEmailForm
from learncity.lrs.models import Credential, LearnerMbox
from learncity.lrs.projection import confirm_learner_email, forget_learner_email
from learncity.portal.helpers import actor, run_on_form
from learncity.records.selectors import learner_for


def _institution(request) -> Institution:
    """The institution whose credentials are shown: ?institution=CODE, else the officer's."""
    who = actor(request)
    code = request.GET.get("institution")
    if code:
        institution = get_object_or_404(Institution, code=code)
        who.require_institution(institution.pk, scope="lrs:admin")
        return institution
    ids = who.institution_ids()
    if not ids:
        who.require_role("officer")  # PermissionDenied for everyone but administrators
        raise Http404
    return Institution.objects.get(pk=min(ids))


@login_required
def credentials(request):
    institution = _institution(request)
    who = actor(request)
    form = CredentialForm(request.POST or None)
    issued = None
    if request.method == "POST" and "revoke" in request.POST:
        credential = get_object_or_404(
            Credential, pk=request.POST["revoke"], institution=institution
        )
        revoke_credential(who, credential, reason=request.POST.get("reason", "")[:200])
        messages.success(request, _("The credential was revoked: its key no longer works."))
        return redirect(request.get_full_path())
    if request.method == "POST" and form.is_valid():
        issued = run_on_form(
            form,
            lambda: create_credential(
                who,
                institution,
                form.cleaned_data["name"],
                form.cleaned_data["scopes"],
                form.cleaned_data["default_version"],
            ),
        )
        if issued:
            form = CredentialForm()
    response = render(
        request,
        "lrs/credentials.html",
        {
            "institution": institution,
            "form": form,
            "issued": issued[0] if issued else None,
            "secret": issued[1] if issued else None,
            "credentials": Credential.objects.filter(institution=institution).order_by(
                "revoked_at", "-created_at"
            ),
            "endpoint": request.build_absolute_uri("/xapi/"),
        },
    )
    if issued:
        response["Cache-Control"] = "no-store"  # the secret must not stay in any cache
    return response


@login_required
def emails(request):
    who = actor(request)
    learner = learner_for(who)  # the signed-in learner; nobody else's addresses
    form = LearnerEmailForm(request.POST or None)
    if request.method == "POST" and "forget" in request.POST:
        try:
            mbox_id = int(request.POST["forget"])
        except ValueError:
            raise Http404 from None
        forget_learner_email(who, learner, mbox_id)
        messages.success(request, _("The address was removed."))
        return redirect("lrs_portal:emails")
    if request.method == "POST" and form.is_valid():
        done = run_on_form(
            form, lambda: confirm_learner_email(who, learner, form.cleaned_data["email"])
        )
        if done:
            messages.success(request, _("Address confirmed: records sent with it count as yours."))
            return redirect("lrs_portal:emails")
    return render(
        request,
        "lrs/emails.html",
        {
            "form": form,
            "addresses": LearnerMbox.objects.filter(learner=learner).order_by("-verified_at"),
            "learner": learner,
        },
    )
