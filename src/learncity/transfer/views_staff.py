"""Institution and reviewer pages: programmes, standards, incoming applications, decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learncity.errors import Conflict, PermissionDenied, ValidationFailed
from learncity.portal.helpers import actor, run_on_form
from learncity.transfer import selectors
from learncity.transfer.forms import StandardsForm
from learncity.transfer.models import Application, Programme, TransferStandard
from learncity.transfer.services import posting, review, standards
from learncity.transfer.standards_file import import_standards
from learncity.transfer.views import act


@login_required
def institution(request):
    who = actor(request)
    institutions = who.institution_ids()
    if not (institutions or who.is_admin or who.has_role("framework_admin")):
        raise PermissionDenied(_("This page is for institution officers."))
    programmes = Programme.objects.prefetch_related("courses").select_related("institution")
    standard_rows = TransferStandard.objects.select_related("institution", "alliance")
    if not (who.is_admin or who.has_role("framework_admin")):
        programmes = programmes.filter(institution_id__in=institutions)
        standard_rows = standard_rows.filter(institution_id__in=institutions)
    form = StandardsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        created = run_on_form(form, lambda: import_standards(who, form.content()))
        if created:
            messages.success(
                request,
                _("Draft standards created: %(k)s") % {"k": ", ".join(s.key for s in created)},
            )
            return redirect("transfer:institution")
    return render(
        request,
        "transfer/institution.html",
        {
            "programmes": programmes,
            "standards": standard_rows.prefetch_related("rules")[:200],
            "form": form,
            "incoming": selectors.incoming(who)[:200],
        },
    )


@login_required
@require_POST
def standard_action(request, standard_id, action):
    who = actor(request)
    if action not in ("publish", "retire"):
        raise Http404
    try:
        if action == "publish":
            s = standards.publish_standard(who, standard_id)
            messages.success(request, _("%(k)s is published.") % {"k": s.key})
        else:
            s = standards.retire_standard(who, standard_id, request.POST.get("reason", ""))
            messages.success(request, _("%(k)s is retired.") % {"k": s.key})
    except (Conflict, ValidationFailed) as error:
        messages.error(request, str(error.message))
    return redirect("transfer:institution")


@login_required
def queue(request):
    return render(request, "transfer/queue.html", {"incoming": selectors.incoming(actor(request))})


@login_required
@require_POST
def decider_action(request, application_id, action):
    who = actor(request)
    runs = {
        "review": (lambda: review.start_review(who, application_id), _("Review started.")),
        "finish": (lambda: review.finish_review(who, application_id), _("Review closed.")),
        "post": (
            lambda: posting.post_application(who, application_id),
            _("Posted: the outcomes are marked as used for the programme."),
        ),
    }
    if action not in runs:
        raise Http404
    run, done = runs[action]
    return act(request, application_id, run, done)


@login_required
@require_POST
def decide(request, application_id, item_id):
    who = actor(request)
    approve = request.POST.get("decision") == "approve"
    reason = request.POST.get("reason", "")
    if request.POST.get("decision") not in ("approve", "refuse"):
        messages.error(request, _("Choose approve or refuse."))
        return redirect("transfer:application", application_id)
    if not Application.objects.filter(pk=application_id, items__pk=item_id).exists():
        messages.error(request, _("No such item in this application."))
        return redirect("transfer:application", application_id)
    return act(
        request,
        application_id,
        lambda: review.decide_item(who, item_id, approve=approve, reason=reason),
        _("Decision saved."),
    )
