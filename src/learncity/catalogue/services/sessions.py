"""Sessions (classes of a course, or sessions of a citywide event) at learning sites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.catalogue import choices, schedule
from learncity.catalogue.messages import PROBLEMS
from learncity.catalogue.models import Course, Event, Session, Site
from learncity.catalogue.services.offers import WRITE_SCOPE
from learncity.errors import Conflict, NotFound, ValidationFailed

MAX_CAPACITY = 10_000


@dataclass(frozen=True)
class SessionInput:
    site_id: int
    starts_on: date
    ends_on: date
    start_time: time
    end_time: time
    capacity: int
    weekdays: str = ""
    room: str = ""
    title_zh: str = ""
    title_en: str = ""


def slot_of(session: Session) -> schedule.Slot:
    return schedule.Slot(
        session.starts_on,
        session.ends_on,
        frozenset(int(c) for c in session.weekdays),
        session.start_time,
        session.end_time,
        session.room,
    )


def _checked_slot(data: SessionInput) -> schedule.Slot:
    try:
        weekdays = schedule.parse_weekdays(data.weekdays, data.starts_on, data.ends_on)
        slot = schedule.Slot(
            data.starts_on, data.ends_on, weekdays, data.start_time, data.end_time, data.room
        )
        return schedule.check_slot(slot)
    except schedule.ScheduleError as error:
        raise ValidationFailed(PROBLEMS[error.code], field=error.field, code=error.code) from None


def _site_for(actor: Actor, owner: Course | Event, site_id: int) -> Site:
    site = Site.objects.select_for_update().filter(pk=site_id).first()
    if site is None:
        raise NotFound(_("No such learning site."), field="site_id")
    own_site = actor.may_act_for(site.provider_id, WRITE_SCOPE)
    if isinstance(owner, Course):
        actor.require_institution(owner.provider_id, WRITE_SCOPE)
        if site.status != "published" and not own_site:
            raise ValidationFailed(
                _("Hold sessions at your own sites or at published ones."), field="site_id"
            )
    elif not (own_site or actor.may_act_for(owner.organiser_id, WRITE_SCOPE)):
        actor.require_institution(site.provider_id, WRITE_SCOPE)
    return site


def _refuse_clash(site: Site, slot: schedule.Slot, exclude: int | None = None) -> None:
    nearby = Session.objects.filter(
        site=site, cancelled=False, starts_on__lte=slot.ends_on, ends_on__gte=slot.starts_on
    ).exclude(pk=exclude)
    for other in nearby:
        if schedule.overlaps(slot, slot_of(other)):
            raise Conflict(
                _(
                    "This clashes with another session in the same room at this site "
                    "(%(start)s–%(end)s, from %(date)s). Choose another time or room."
                )
                % {
                    "start": other.start_time.strftime("%H:%M"),
                    "end": other.end_time.strftime("%H:%M"),
                    "date": other.starts_on.isoformat(),
                },
                field="start_time",
                code="session.overlap",
                details={"session_id": other.pk},
            )


def _check_capacity(site: Site, capacity: int) -> None:
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationFailed(
            _("Places must be between 1 and %(max)s.") % {"max": MAX_CAPACITY}, field="capacity"
        )
    if site.capacity and capacity > site.capacity:
        raise ValidationFailed(
            _("The site holds at most %(n)s people.") % {"n": site.capacity}, field="capacity"
        )


def add_session(actor: Actor, owner: Course | Event, data: SessionInput) -> Session:
    """Add a session to a course or event; refuses clashes at the site and impossible dates."""
    slot = _checked_slot(data)
    if isinstance(owner, Event) and not data.title_zh.strip():
        raise ValidationFailed(_("Give the session a title."), field="title_zh")
    with transaction.atomic():
        site = _site_for(actor, owner, data.site_id)  # locked: one new session per site at once
        _check_capacity(site, data.capacity)
        _refuse_clash(site, slot)
        session = Session.objects.create(
            course=owner if isinstance(owner, Course) else None,
            event=owner if isinstance(owner, Event) else None,
            title_zh=data.title_zh.strip(),
            title_en=data.title_en.strip(),
            site=site,
            room=data.room.strip(),
            starts_on=slot.starts_on,
            ends_on=slot.ends_on,
            weekdays="".join(str(d) for d in sorted(slot.weekdays)),
            start_time=slot.start_time,
            end_time=slot.end_time,
            capacity=data.capacity,
        )
        if session.course_id:
            refresh_schedule(session.course_id)
        record(actor, "catalogue.session.create", session, site=site.code)
    return session


def change_capacity(actor: Actor, session: Session, capacity: int) -> Session:
    """Change the number of places; more places move people up from the waiting list."""
    from learncity.catalogue.services.enrolment import promote_waiting

    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("site").get(pk=session.pk)
        owner = session.course.provider_id if session.course_id else session.site.provider_id
        actor.require_institution(owner, WRITE_SCOPE)
        _check_capacity(session.site, capacity)
        if capacity < session.seats_taken:
            raise Conflict(
                _("%(n)s people already have a place; places cannot go below that.")
                % {"n": session.seats_taken},
                field="capacity",
                code="session.capacity_below_taken",
            )
        before = session.capacity
        Session.objects.filter(pk=session.pk).update(capacity=capacity)
        session.capacity = capacity
        promoted = promote_waiting(session, capacity - session.seats_taken)
        record(
            actor,
            "catalogue.session.capacity",
            session,
            before=before,
            after=capacity,
            promoted=promoted,
        )
    session.refresh_from_db()
    return session


def cancel_session(actor: Actor, session: Session, reason: str) -> Session:
    if not reason.strip():
        raise ValidationFailed(_("Say why the session is cancelled."), field="reason")
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("site").get(pk=session.pk)
        owner = session.course.provider_id if session.course_id else session.site.provider_id
        actor.require_institution(owner, WRITE_SCOPE)
        live = session.enrolments.filter(status__in=("enrolled", "waiting"))
        affected = live.count()
        live.update(status="cancelled", updated_at=timezone.now())
        Session.objects.filter(pk=session.pk).update(cancelled=True, seats_taken=0)
        if session.course_id:
            refresh_schedule(session.course_id)
        record(actor, "catalogue.session.cancel", session, reason=reason, enrolments=affected)
    session.refresh_from_db()
    return session


def schedule_summary(sessions, today: date) -> dict:
    """next_start and where/when the running sessions meet, as stored on the course."""
    running = [s for s in sessions if not s.cancelled and s.ends_on >= today]
    return {
        "next_start": min((s.starts_on for s in running), default=None),
        "held_in": choices.pack({s.site.district_code for s in running}),
        "held_days": choices.pack({d for s in running for d in s.weekdays}),
        "held_parts": choices.pack({schedule.part_of_day(s.start_time) for s in running}),
    }


def refresh_schedule(course_id: int, today: date | None = None) -> None:
    """Keep the course's next start (for sorting) and where/when it meets (for filters)."""
    today = today or timezone.localdate()
    sessions = Session.objects.filter(course_id=course_id).select_related("site")
    summary = schedule_summary(sessions, today)
    Course.objects.filter(pk=course_id).update(**summary)


def refresh_all_next_starts(today: date | None = None) -> int:
    """Daily: courses whose first session has ended, or any of whose sessions ended in the
    last week, get their start date and where/when they meet recomputed. Returns how many."""
    today = today or timezone.localdate()
    current = Session.objects.filter(
        course_id=OuterRef("pk"),
        cancelled=False,
        ends_on__gte=today,
        starts_on=OuterRef("next_start"),
    )
    stale = set(
        Course.objects.filter(next_start__isnull=False)
        .exclude(Exists(current))
        .values_list("id", flat=True)[:100_000]
    )
    stale |= set(
        Session.objects.filter(
            course__isnull=False, ends_on__lt=today, ends_on__gte=today - timedelta(days=7)
        ).values_list("course_id", flat=True)[:100_000]
    )
    for course_id in stale:
        refresh_schedule(course_id, today)
    return len(stale)


def seats_left(session: Session) -> int:
    return max(session.capacity - session.seats_taken, 0)
