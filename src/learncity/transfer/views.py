"""Learner pages: programmes to explore, the explained proposal, applications, notifications and
the transfer transcript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learncity.errors import Conflict, PermissionDenied, ValidationFailed
from learncity.portal.helpers import actor
from learncity.transfer import selectors
from learncity.transfer.forms import ConsentForm, DecisionForm, ReasonForm
from learncity.transfer.models import OPEN_STATES
from learncity.transfer.services import applications
from learncity.transfer.services.access import application_for, may_decide
from learncity.transfer.services.steps import mark_read


@login_required
def home(request):
    who = actor(request)
    context = {"programmes": selectors.programmes()}
    if who.learner_id:
        context |= {
            "applications": selectors.my_applications(who)[:50],
            "unread": selectors.unread_count(who.learner_id),
        }
    return render(request, "transfer/home.html", context)


@login_required
def explore(request, code):
    who = actor(request)
    programme = selectors.programme_by_code(code)
    view = selectors.explore(who, programme)
    return render(
        request,
        "transfer/explore.html",
        view | {"programme": programme, "courses": programme.courses.all()},
    )


def act(request, application_id, action, done: str):
    """Run a service; its refusal becomes a message on the application page."""
    try:
        action()
        messages.success(request, done)
    except (Conflict, ValidationFailed, PermissionDenied) as error:
        messages.error(request, str(error.message))
    return redirect("transfer:application", application_id)


@login_required
@require_POST
def start(request, code):
    who = actor(request)
    try:
        app = applications.start_application(who, code)
    except (Conflict, ValidationFailed) as error:
        messages.error(request, str(error.message))
        return redirect("transfer:explore", code)
    messages.success(request, _("Draft application created. Check it, then submit it."))
    return redirect("transfer:application", app.pk)


@login_required
def application(request, application_id):
    who = actor(request)
    app = application_for(who, application_id)
    decider = may_decide(who, app.programme)
    items = app.items.select_related("standard", "decided_by")
    names = dict(app.programme.courses.values_list("code", "name_zh"))
    own = who.learner_id == app.learner_id
    can = {
        "submit": own and app.state == "draft",
        "appeal": own and app.state in ("refused", "partly_approved") and not app.appeal_reason,
        "withdraw": own and app.state in OPEN_STATES,
        "review": decider and app.state == "submitted",
        "decide": decider and app.state in ("under_review", "appealed"),
        "post": decider and app.state in ("approved", "partly_approved"),
    }
    context = {
        "app": app,
        "own": own,
        "can": can,
        "decider": decider,
        "items": [(i, names.get(i.course_code, "")) for i in items],
        "events": app.events.all(),
        "changes": selectors.changes(app) if app.state not in ("posted", "withdrawn") else [],
        "standards": app.standards.all(),
        "consent_form": ConsentForm(),
        "reason_form": ReasonForm(),
        "decision_form": DecisionForm(),
        "archive": selectors.shared_archive(who, app),
    } | selectors.proposal_view(app.proposal, app.programme)
    return render(request, "transfer/application.html", context)


@login_required
@require_POST
def learner_action(request, application_id, action):
    who = actor(request)
    reason = request.POST.get("reason", "")
    runs = {
        "submit": (
            lambda: applications.submit(
                who, application_id, consent=request.POST.get("consent") == "on"
            ),
            _("Application submitted. You will be told of every step."),
        ),
        "withdraw": (
            lambda: applications.withdraw(who, application_id, reason),
            _("Application withdrawn."),
        ),
        "appeal": (
            lambda: applications.appeal(who, application_id, reason),
            _("Appeal filed: the refused courses will be decided again."),
        ),
        "refresh": (
            lambda: applications.refresh(who, application_id),
            _("Application updated to the current archive."),
        ),
    }
    if action not in runs:
        raise Http404
    run, done = runs[action]
    return act(request, application_id, run, done)


@login_required
def notifications(request):
    who = actor(request)
    rows = selectors.notifications(who)
    mark_read(who)
    return render(request, "transfer/notifications.html", {"notifications": rows})


@login_required
def transcript(request):
    who = actor(request)
    posted = selectors.transcript(who, who.require_learner())
    return render(request, "transfer/transcript.html", {"posted": posted})
