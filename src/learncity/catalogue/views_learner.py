"""Pages for learners: my courses and places, enrol, cancel, rate; teams; organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learncity.catalogue import choices, selectors
from learncity.catalogue.forms import ActivityForm, RatingForm, TeamForm
from learncity.catalogue.models import Enrolment, LearningOrganisation, LearningTeam
from learncity.catalogue.services import community, enrolment
from learncity.catalogue.suggestions import suggestions_for
from learncity.errors import NotFound
from learncity.identity.models import Learner
from learncity.portal.helpers import actor, run_on_form


@login_required
def mine(request):
    who = actor(request)
    learner = Learner.objects.get(pk=who.require_learner())
    rows, today = [], timezone.localdate()
    for e in selectors.my_enrolments(who)[:200]:
        e.position = selectors.waiting_position(e)
        e.status_label = choices.label(choices.ENROLMENT_STATES, e.status, request.LANGUAGE_CODE)
        took_part = e.status == "attended" or (
            e.status == "enrolled" and e.session.starts_on <= today
        )
        e.may_rate = took_part and not hasattr(e, "rating")
        e.may_cancel = e.status in ("enrolled", "waiting") and e.session.ends_on >= today
        e.title = e.session.title(request.LANGUAGE_CODE)
        rows.append(e)
    return render(
        request,
        "catalogue/mine.html",
        {"enrolments": rows, "suggestions": suggestions_for(learner, request.LANGUAGE_CODE)},
    )


@login_required
@require_POST
def enrol(request, session_id: int):
    e = enrolment.enrol(actor(request), session_id)
    if e.status == "enrolled":
        messages.success(request, _("You have a place. It is listed under “My courses”."))
    else:
        messages.info(
            request,
            _(
                "The session is full. You are number %(n)s on the waiting list; "
                "you will get the next free place."
            )
            % {"n": selectors.waiting_position(e)},
        )
    return redirect("catalogue:mine")


@login_required
@require_POST
def cancel(request, enrolment_id: int):
    enrolment.cancel(actor(request), enrolment_id, request.POST.get("reason", ""))
    messages.success(request, _("Cancelled. Your place goes to the next person waiting."))
    return redirect("catalogue:mine")


@login_required
def rate(request, enrolment_id: int):
    who = actor(request)
    e = (
        Enrolment.objects.select_related("session__course", "session__site", "session__event")
        .filter(pk=enrolment_id, learner_id=who.require_learner())
        .first()
    )
    if e is None:
        raise NotFound(_("No such enrolment of yours."))
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_on_form(
            form,
            lambda: enrolment.rate(
                who, e.pk, d["stars"], d.get("site_stars"), d.get("comment") or ""
            ),
        )
        if done:
            messages.success(request, _("Thank you. Your rating helps other learners."))
            return redirect("catalogue:mine")
    return render(request, "catalogue/rate.html", {"form": form, "enrolment": e})


def teams(request):
    who = actor(request)
    form = TeamForm(request.POST or None)
    if request.method == "POST":
        who.require_learner()
        if form.is_valid():
            team = run_on_form(form, lambda: community.create_team(who, **form.cleaned_data))
            if team:
                messages.success(request, _("Your team is registered. It shows once approved."))
                return redirect("catalogue:team", team_id=team.pk)
    found = LearningTeam.objects.filter(status="active").select_related("meeting_site")[:200]
    return render(
        request,
        "catalogue/teams.html",
        {"teams": found, "form": form, "is_learner": who.learner_id is not None},
    )


def team(request, team_id: int):
    who = actor(request)
    found = LearningTeam.objects.select_related("meeting_site").filter(pk=team_id).first()
    if found is None or (found.status != "active" and found.leader_id != who.learner_id):
        raise NotFound(_("No such team."))
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "join":
        community.join_team(who, found)
        messages.success(request, _("Welcome to the team."))
        return redirect("catalogue:team", team_id=team_id)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        logged = run_on_form(
            form, lambda: community.log_activity(who, found, **{**d, "hours": str(d["hours"])})
        )
        if logged:
            messages.success(request, _("Added to the activity log."))
            return redirect("catalogue:team", team_id=team_id)
    members = found.memberships.filter(left_on__isnull=True)
    return render(
        request,
        "catalogue/team.html",
        {
            "team": found,
            "members": members.count(),
            "is_member": who.learner_id is not None
            and members.filter(learner_id=who.learner_id).exists(),
            "is_leader": who.learner_id == found.leader_id,
            "is_learner": who.learner_id is not None,
            "activities": found.activities.all()[:50],
            "form": form,
        },
    )


def organisation(request, org_id: int):
    who = actor(request)
    org = LearningOrganisation.objects.filter(pk=org_id, status="active").first()
    if org is None:
        raise NotFound(_("No such learning organisation."))
    if request.method == "POST":
        consent = request.POST.get("consent") == "yes"
        member = org.members.filter(learner_id=who.require_learner()).first()
        if member is None:
            community.join_organisation(who, org, consent)
            messages.success(request, _("You are a member."))
        else:
            community.set_consent(who, org, consent)
            messages.success(request, _("Your choice is saved and applies from now on."))
        return redirect("catalogue:organisation", org_id=org_id)
    member = org.members.filter(learner_id=who.learner_id).first() if who.learner_id else None
    return render(
        request,
        "catalogue/organisation.html",
        {
            "org": org,
            "summary": community.organisation_summary(org),
            "member": member,
            "is_learner": who.learner_id is not None,
            "kind": choices.label(choices.ORGANISATION_KINDS, org.kind, request.LANGUAGE_CODE),
            "min_group": community.MIN_GROUP,
        },
    )
