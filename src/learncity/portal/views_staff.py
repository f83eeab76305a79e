"""Pages for reviewers (the queue of learners' own outcomes) and auditors (the audit trail)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learncity.audit.selectors import audit_entries
from learncity.portal.forms import AuditFilterForm, ReviewForm
from learncity.portal.helpers import actor, run_on_form
from learncity.records.selectors import outcome_with_history, review_queue
from learncity.records.services import review_reported_outcome


@login_required
def queue(request):
    outcomes = review_queue(actor(request))
    return render(request, "portal/review_queue.html", {"outcomes": outcomes[:200]})


@login_required
def review(request, outcome_id):
    who = actor(request)
    who.require_role("reviewer")
    outcome, versions = outcome_with_history(who, outcome_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_on_form(
            form,
            lambda: review_reported_outcome(
                who,
                outcome.pk,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            ),
        )
        if done:
            messages.success(request, _("Decision saved."))
            return redirect("portal:review_queue")
    return render(
        request, "portal/review.html", {"outcome": outcome, "form": form, "versions": versions}
    )


@login_required
def audit(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(actor(request), **{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "portal/audit.html", {"form": form, "page": page})
