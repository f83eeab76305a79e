"""Pages for providers (institution officers): their courses, sites and sessions, imports,
and attendance."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learncity.catalogue import choices, sheets
from learncity.catalogue.forms import CourseForm, ImportForm, SessionForm, SiteForm
from learncity.catalogue.models import Course, Session, Site
from learncity.catalogue.services import enrolment, imports, offers
from learncity.catalogue.services.sessions import SessionInput, add_session
from learncity.errors import NotFound, PermissionDenied, SpreadsheetRejected
from learncity.portal.helpers import actor, run_on_form


def _provider(request):
    who = actor(request)
    mine = who.institution_ids()
    if not mine and not who.is_admin:
        raise PermissionDenied(_("Only institution officers manage catalogue entries."))
    provider = offers.provider_for(who, request.GET.get("institution") or None)
    who.require_institution(provider.pk, offers.WRITE_SCOPE)
    return who, provider


def _label(table, code, request):
    return choices.label(table, code, request.LANGUAGE_CODE)


@login_required
def dashboard(request):
    who, provider = _provider(request)
    courses = list(
        Course.objects.filter(provider=provider)
        .prefetch_related("sessions")
        .order_by("-updated_at")[:200]
    )
    for c in courses:
        c.status_label = _label(choices.MODERATION, c.status, request)
    sites = list(Site.objects.filter(provider=provider).order_by("name_zh")[:200])
    for s in sites:
        s.status_label = _label(choices.MODERATION, s.status, request)
    return render(
        request,
        "catalogue/provider.html",
        {"provider": provider, "courses": courses, "sites": sites},
    )


def _initial(entry, form_class) -> dict:
    initial = {name: getattr(entry, name, "") for name in form_class.base_fields}
    if isinstance(entry, Course):
        initial.update(
            audiences=choices.unpack(entry.audiences),
            districts=choices.unpack(entry.districts),
            level=entry.level.number if entry.level_id else "",
            category=entry.category.code if entry.category_id else "",
        )
    else:
        initial["district"] = entry.district_code
    return {k: ("" if v is None else v) for k, v in initial.items()}


def _entry_form(request, model, form_class, save, entry_id, template):
    who, provider = _provider(request)
    entry = None
    if entry_id is not None:
        entry = model.objects.filter(pk=entry_id, provider=provider).first()
        if entry is None:
            raise NotFound(_("No such entry of your institution."))
    form = form_class(request.POST or None, initial=_initial(entry, form_class) if entry else None)
    if request.method == "POST" and form.is_valid():
        kw = {"course": entry} if model is Course else {"site": entry}
        saved = run_on_form(form, lambda: save(who, provider, form.as_texts(), **kw))
        if saved:
            messages.success(
                request, _("Saved. New entries show once an administrator publishes them.")
            )
            return redirect("catalogue:provider")
    return render(request, template, {"form": form, "entry": entry, "provider": provider})


@login_required
def course_form(request, course_id: int | None = None):
    return _entry_form(
        request, Course, CourseForm, offers.save_course, course_id, "catalogue/course_form.html"
    )


@login_required
def site_form(request, site_id: int | None = None):
    return _entry_form(
        request, Site, SiteForm, offers.save_site, site_id, "catalogue/site_form.html"
    )


@login_required
def session_form(request, course_id: int):
    who, provider = _provider(request)
    course = Course.objects.filter(pk=course_id, provider=provider).first()
    if course is None:
        raise NotFound(_("No such course of your institution."))
    sites = Site.objects.filter(Q(provider=provider) | Q(status="published")).order_by("name_zh")[
        :500
    ]
    form = SessionForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = SessionInput(
            site_id=d["site"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            start_time=d["start_time"],
            end_time=d["end_time"],
            capacity=d["capacity"],
            weekdays="".join(d["weekdays"]),
            room=d.get("room") or "",
        )
        session = run_on_form(form, lambda: add_session(who, course, data))
        if session:
            messages.success(request, _("Session added."))
            return redirect("catalogue:provider")
    return render(request, "catalogue/session_form.html", {"form": form, "course": course})


@login_required
def import_file(request):
    who, provider = _provider(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report, result = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload"
            with open(path, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                result = imports.import_entries(
                    who, provider, path, upload.name, form.cleaned_data["kind"]
                )
            except SpreadsheetRejected as error:
                form.add_error(None, str(error.message))
                report = error.details if isinstance(error.details, list) else []
        if result:
            messages.success(
                request,
                _("Imported %(rows)s rows: %(created)s new, %(changed)s changed.")
                % {"rows": result.rows, "created": result.created, "changed": result.changed},
            )
            return redirect("catalogue:provider")
    return render(
        request, "catalogue/import.html", {"form": form, "report": report, "provider": provider}
    )


def template_file(request, kind: str):
    if kind not in sheets.KINDS:
        raise NotFound(_("No such template."))
    response = HttpResponse(sheets.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="catalogue-{kind}-template.csv"'
    return response


@login_required
def roster(request, session_id: int):
    """The people enrolled in a session, and who came."""
    who = actor(request)
    session = (
        Session.objects.select_related("course", "event", "site").filter(pk=session_id).first()
    )
    if session is None:
        raise NotFound(_("No such session."))
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("enrolment") if i.isdigit()]
        came = {int(i) for i in request.POST.getlist("came") if i.isdigit()}
        enrolment.mark_attendance(who, session, {i: i in came for i in ids})
        messages.success(request, _("Attendance saved."))
        return redirect("catalogue:roster", session_id=session_id)
    if not enrolment.may_manage(who, session):
        raise PermissionDenied(_("Only the provider of this session can see who is enrolled."))
    people = list(
        session.enrolments.exclude(status="cancelled").select_related("learner").order_by("id")
    )
    for e in people:
        e.status_label = _label(choices.ENROLMENT_STATES, e.status, request)
    return render(
        request,
        "catalogue/roster.html",
        {"session": session, "people": people, "title": session.title(request.LANGUAGE_CODE)},
    )
