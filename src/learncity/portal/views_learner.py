"""Pages for residents: open an account, see the archive, report own learning."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learncity.framework.models import Category
from learncity.identity import districts
from learncity.identity.delegation import grant_delegate, live_delegates, revoke_delegate
from learncity.identity.models import Learner
from learncity.identity.services import Registration, register_learner, reveal_identity_number
from learncity.portal.forms import DelegateForm, RegistrationForm, SelfReportForm
from learncity.portal.helpers import actor, run_on_form
from learncity.records.selectors import archive, archive_years, learner_for, outcome_with_history
from learncity.records.services import report_own_outcome


def home(request):
    return render(request, "portal/home.html")


def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reg = Registration(
            **{k: v or ("" if k != "birth_date" else None) for k, v in form.cleaned_data.items()}
        )
        learner = run_on_form(form, lambda: register_learner(actor(request), reg))
        if learner:
            login(request, learner.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Your learning account %(no)s is open.") % {"no": learner.learner_no}
            )
            return redirect("portal:archive")
    return render(request, "portal/register.html", {"form": form})


def _category_names(language: str) -> dict[str, str]:
    english = language.startswith("en")
    return {
        c.code: (c.name_en if english else c.name_zh)
        for c in Category.objects.filter(framework__code="learncity-default")
    }


def _archive_page(request, learner_no=None):
    who = actor(request)
    learner = learner_for(who, learner_no)
    category = request.GET.get("category", "")
    year = request.GET.get("year", "")
    outcomes = archive(who, learner, category=category, year=int(year) if year.isdigit() else None)
    district = districts.by_code(learner.district_code)
    return render(
        request,
        "portal/archive.html",
        {
            "learner": learner,
            "outcomes": outcomes[:500],
            "count": outcomes.count(),
            "categories": _category_names(request.LANGUAGE_CODE),
            "years": archive_years(learner),
            "selected_category": category,
            "selected_year": year,
            "id_number": reveal_identity_number(who, learner),
            "district": district.label(request.LANGUAGE_CODE)
            if district
            else learner.district_code,
            "own": learner.pk == who.learner_id,
        },
    )


@login_required
def my_archive(request):
    if actor(request).learner_id is None:
        return redirect("portal:home")
    return _archive_page(request)


@login_required
def learner_archive(request, learner_no):
    return _archive_page(request, learner_no)


@login_required
def outcome_detail(request, outcome_id):
    outcome, versions = outcome_with_history(actor(request), outcome_id)
    return render(request, "portal/outcome.html", {"outcome": outcome, "versions": versions})


@login_required
def report_outcome(request):
    who = actor(request)
    who.require_learner()
    form = SelfReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {
            k: data.get(k) or ""
            for k in ("kind", "title", "hours", "started_on", "completed_on", "evidence_url")
        }
        outcome = run_on_form(
            form,
            lambda: report_own_outcome(
                who,
                values,
                issuer_name=data.get("issuer_name") or "",
                evidence=data.get("evidence"),
            ),
        )
        if outcome:
            messages.success(
                request,
                _("Saved. A reviewer will check it; you will see the decision in your archive."),
            )
            return redirect("portal:outcome", outcome_id=outcome.pk)
    return render(request, "portal/report.html", {"form": form})


@login_required
def delegates(request):
    """The learner names who may read their archive and credits, and takes it back."""
    who = actor(request)
    learner = learner_for(who) if who.learner_id else None  # a helper need not be a learner
    form = DelegateForm(request.POST or None) if learner else None
    if request.method == "POST" and "revoke" in request.POST:
        revoke_delegate(who, int(request.POST["revoke"]))
        messages.success(request, _("The delegate can no longer read your records."))
        return redirect("portal:delegates")
    if form is not None and request.method == "POST" and form.is_valid():
        done = run_on_form(form, lambda: grant_delegate(who, form.cleaned_data["username"]))
        if done:
            messages.success(
                request,
                _("%(name)s can now read your archive and credits.") % {"name": done.user.username},
            )
            return redirect("portal:delegates")
    return render(
        request,
        "portal/delegates.html",
        {
            "form": form,
            "delegates": live_delegates(learner) if learner else [],
            "helping": Learner.objects.filter(
                delegates__user=request.user, delegates__revoked_at__isnull=True
            ),
        },
    )
