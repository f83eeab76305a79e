"""Credit bank pages: the learner's credits and appeals, the reviewers' recognition queue,
the auditor's ledger check."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from learncity.creditbank import ledger
from learncity.creditbank.forms import AppealForm, DecisionForm, VerifyForm
from learncity.creditbank.models import Recognition
from learncity.creditbank.selectors import (
    balance,
    candidate_standards,
    category_names,
    decisions,
    history,
    recognition_queue,
)
from learncity.creditbank.services import appeal, decide_recognition
from learncity.framework.selectors import framework_in_force
from learncity.identity.models import Learner
from learncity.portal.helpers import actor, run_on_form
from learncity.records.selectors import learner_for


@login_required
def my_credits(request, learner_no=None):
    who = actor(request)
    learner = learner_for(who, learner_no)
    names = category_names(request.LANGUAGE_CODE)
    totals = balance(who, learner)
    return render(
        request,
        "creditbank/credits.html",
        {
            "learner": learner,
            "balance": totals,
            "category_names": names,
            "by_category": [(names.get(c, c), v) for c, v in totals.by_category.items()],
            "entries": history(who, learner)[:500],
            "decisions": decisions(who, learner)[:200],
        },
    )


@login_required
def appeal_view(request, recognition_id):
    who = actor(request)
    rec = get_object_or_404(Recognition, pk=recognition_id, learner_id=who.require_learner())
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("evidence")
        digest = ""
        if upload:
            sha = hashlib.sha256()
            for chunk in upload.chunks():
                sha.update(chunk)
            digest = sha.hexdigest()
        done = run_on_form(
            form,
            lambda: appeal(
                who,
                rec.pk,
                reason=form.cleaned_data["reason"],
                evidence_url=form.cleaned_data.get("evidence_url") or "",
                evidence_sha256=digest,
            ),
        )
        if done:
            messages.success(request, _("Your appeal is filed. A reviewer will decide again."))
            return redirect("creditbank:credits")
    return render(request, "creditbank/appeal.html", {"form": form, "recognition": rec})


@login_required
def queue(request):
    return render(
        request, "creditbank/queue.html", {"recognitions": recognition_queue(actor(request))[:200]}
    )


@login_required
def decide(request, recognition_id):
    who = actor(request)
    who.require_role("reviewer")
    rec = get_object_or_404(
        Recognition.objects.select_related("outcome", "learner"), pk=recognition_id
    )
    framework = framework_in_force(rec.outcome.completed_on) or framework_in_force(
        timezone.localdate()
    )
    initial = {
        "level": rec.level,
        "category": rec.category or rec.outcome.category,
        "credits": rec.credits,
    }
    form = DecisionForm(request.POST or None, framework=framework, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_on_form(
            form,
            lambda: decide_recognition(
                who,
                rec.pk,
                approve=data["decision"] == "approve",
                reason=data["reason"],
                level=data.get("level") or None,
                category=data.get("category") or "",
                credits=data.get("credits"),
            ),
        )
        if done:
            messages.success(
                request, _("Decision saved: %(s)s.") % {"s": done.get_status_display()}
            )
            return redirect("creditbank:queue")
    return render(
        request,
        "creditbank/decide.html",
        {"rec": rec, "form": form, "candidates": candidate_standards(rec)},
    )


@login_required
def verify(request):
    who = actor(request)
    who.require_role("auditor")
    form = VerifyForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        number = form.cleaned_data["learner_no"].strip()
        ids = None
        if number:
            ids = list(Learner.objects.filter(learner_no=number).values_list("pk", flat=True))
        count, problems = ledger.verify(ids)
        result = {"count": count, "problems": problems[:500], "problem_count": len(problems)}
    return render(request, "creditbank/verify.html", {"form": form, "result": result})
