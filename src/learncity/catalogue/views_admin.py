"""Pages for administrators and analysts: moderation, and distribution across the city."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learncity.catalogue import choices, selectors
from learncity.catalogue.forms import ModerationForm
from learncity.catalogue.models import Course, Site
from learncity.catalogue.services import offers
from learncity.catalogue.supply import distribution_report
from learncity.errors import NotFound, ValidationFailed
from learncity.identity import districts
from learncity.portal.helpers import actor

MEASURE_LABELS = {
    "courses": lambda: _("Courses"),
    "seats": lambda: _("Places"),
    "sites": lambda: _("Learning sites"),
}


@login_required
def moderation(request):
    who = actor(request)
    if request.method == "POST":
        model = {"course": Course, "site": Site}.get(request.POST.get("type", ""))
        entry = model.objects.filter(pk=request.POST.get("id") or 0).first() if model else None
        if entry is None:
            raise NotFound(_("No such entry."))
        form = ModerationForm(request.POST)
        if form.is_valid():
            try:
                offers.moderate(who, entry, form.cleaned_data["action"], form.cleaned_data["note"])
                messages.success(request, _("Done."))
            except ValidationFailed as error:
                messages.error(request, str(error.message))
        return redirect("catalogue:moderation")
    queue = selectors.moderation_queue(who)
    return render(request, "catalogue/moderation.html", {"queue": queue, "form": ModerationForm()})


def _district_name(code: str, language: str) -> str:
    d = districts.by_code(code)
    return d.label(language) if d else code


@login_required
def distribution(request):
    report = distribution_report(actor(request))
    lang = request.LANGUAGE_CODE
    a = report.analysis
    top = max((r.rates["seats"] for r in a.districts), default=0) or 1
    rows = []
    for r in sorted(a.districts, key=lambda r: r.rates["seats"]):
        rows.append(
            {
                "name": _district_name(r.supply.code, lang),
                "zone": r.supply.zone,
                "residents": r.supply.residents,
                "supply": r.supply,
                "rates": r.rates,
                "under": [str(MEASURE_LABELS[m]()) for m in r.under_served],
                "bar": round(100 * r.rates["seats"] / top, 1),
            }
        )
    proposals = [
        {
            "course": report.courses[p.course_id],
            "title": report.courses[p.course_id].title(lang),
            "to": _district_name(p.district, lang),
            "held_in": [_district_name(c, lang) for c in p.held_in],
            "waiting": p.waiting,
        }
        for p in report.proposals
    ]
    gaps = [{"label": MEASURE_LABELS[g.measure](), "gap": g} for g in a.gaps]
    return render(
        request,
        "catalogue/distribution.html",
        {
            "rows": rows,
            "gaps": gaps,
            "zones": a.zones,
            "city": a.city,
            "proposals": proposals,
            "online": report.online_courses,
            "measures": choices,
        },
    )
