"""Enrolment with places and a waiting list; attendance; ratings after taking part.

Never overbooked, however many people press “enrol” at once: each enrolment or cancellation
locks its session row first (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions
let one writer in at a time), takes a place only with a conditional UPDATE (seats_taken <
capacity), and the table refuses seats_taken > capacity (a CHECK constraint) as a last guard.
Locking the session first in every path also orders the locks, so there are no deadlocks.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.catalogue.models import Enrolment, Rating, Session
from learncity.catalogue.services.offers import WRITE_SCOPE
from learncity.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

TAKING_PART = ("enrolled", "attended", "absent")


def _locked_session(session_id: int) -> Session:
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("course", "event", "site")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise NotFound(_("No such session."), field="session_id")
    return session


def _check_open(session: Session) -> None:
    if session.cancelled:
        raise Conflict(_("This session has been cancelled."), code="session.cancelled")
    if session.ends_on < timezone.localdate():
        raise Conflict(_("This session has already ended."), code="session.ended")
    published = (
        session.course.status == "published" if session.course_id else session.event.published
    )
    if not published:
        raise NotFound(_("No such session."), field="session_id")


def enrol(actor: Actor, session_id: int) -> Enrolment:
    """Take a place, or a place on the waiting list when the session is full."""
    learner_id = actor.require_learner()
    with transaction.atomic():
        session = _locked_session(session_id)
        _check_open(session)
        if Enrolment.objects.filter(
            session=session, learner_id=learner_id, status__in=("enrolled", "waiting")
        ).exists():
            raise Conflict(
                _("You are already enrolled in this session or on its waiting list."),
                code="enrolment.duplicate",
            )
        took_place = Session.objects.filter(pk=session.pk, seats_taken__lt=F("capacity")).update(
            seats_taken=F("seats_taken") + 1
        )
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    session=session,
                    learner_id=learner_id,
                    status="enrolled" if took_place else "waiting",
                )
        except IntegrityError:
            raise Conflict(
                _("You already took part in this session."), code="enrolment.duplicate"
            ) from None
        record(actor, "catalogue.enrol", enrolment, session=session.pk, status=enrolment.status)
    return enrolment


def promote_waiting(session: Session, places: int) -> list[int]:
    """Give up to `places` free places to the waiting list, first come first served.

    Call with the session row locked. Returns the enrolments moved up.
    """
    if places <= 0:
        return []
    waiting = list(
        Enrolment.objects.filter(session=session, status="waiting")
        .order_by("id")
        .values_list("id", flat=True)[:places]
    )
    if waiting:
        Enrolment.objects.filter(pk__in=waiting).update(
            status="enrolled", promoted_at=timezone.now(), updated_at=timezone.now()
        )
        Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + len(waiting))
    return waiting


def may_manage(actor: Actor, session: Session) -> bool:
    owner = session.course.provider_id if session.course_id else session.site.provider_id
    return actor.may_act_for(owner, WRITE_SCOPE) or actor.may_act_for(
        session.site.provider_id, WRITE_SCOPE
    )


def cancel(actor: Actor, enrolment_id: int, reason: str = "") -> Enrolment:
    """Give up a place (or a place in the queue); a freed place goes to the next in line."""
    found = Enrolment.objects.filter(pk=enrolment_id).values_list("session_id", flat=True).first()
    if found is None:
        raise NotFound(_("No such enrolment."))
    with transaction.atomic():
        session = _locked_session(found)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        if enrolment.learner_id != actor.learner_id and not may_manage(actor, session):
            raise PermissionDenied(_("You may cancel only your own enrolments."))
        if enrolment.status not in ("enrolled", "waiting"):
            raise Conflict(_("This enrolment is no longer active."), code="enrolment.inactive")
        held_place = enrolment.status == "enrolled"
        enrolment.status = "cancelled"
        enrolment.save(update_fields=["status", "updated_at"])
        promoted = []
        if held_place:
            Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") - 1)
            promoted = promote_waiting(session, 1)
        record(actor, "catalogue.enrolment.cancel", enrolment, reason=reason, promoted=promoted)
    return enrolment


def mark_attendance(actor: Actor, session: Session, attended: dict[int, bool]) -> list[Enrolment]:
    """Record who came ({enrolment id: came?}). Attending an event session becomes a culture
    and leisure outcome in the learner's archive, deposited by the site's institution."""
    if not may_manage(actor, session):
        raise PermissionDenied(_("Only the provider of this session can record attendance."))
    if session.starts_on > timezone.localdate():
        raise ValidationFailed(_("Attendance can be recorded once the session has started."))
    changed = []
    with transaction.atomic():
        for enrolment in session.enrolments.filter(pk__in=list(attended), status__in=TAKING_PART):
            enrolment.status = "attended" if attended[enrolment.pk] else "absent"
            if enrolment.status == "attended" and session.event_id and not enrolment.outcome_id:
                enrolment.outcome_id = _deposit_attendance(actor, session, enrolment)
            enrolment.save(update_fields=["status", "outcome_id", "updated_at"])
            changed.append(enrolment)
        record(
            actor,
            "catalogue.attendance",
            session,
            attended=[e.pk for e in changed if e.status == "attended"],
            absent=[e.pk for e in changed if e.status == "absent"],
        )
    return changed


def _deposit_attendance(actor: Actor, session: Session, enrolment: Enrolment) -> int:
    from learncity.identity import vault
    from learncity.records.services import deposit_outcomes

    learner = enrolment.learner
    event = session.event
    hours = (
        (session.end_time.hour * 60 + session.end_time.minute)
        - (session.start_time.hour * 60 + session.start_time.minute)
    ) / 60
    values = {
        "id_type": learner.doc_type,
        "id_country": learner.doc_country,
        "id_number": vault.decrypt(learner.id_encrypted),
        "name": learner.name,
        "kind": "culture_leisure",
        "title": f"{event.title_zh}：{session.title_zh}"[:300],
        "code": event.code,
        "hours": f"{hours:.1f}",
        "completed_on": min(session.ends_on, timezone.localdate()).isoformat(),
        "reference": f"EVT-{enrolment.pk}",
    }
    outcomes = deposit_outcomes(actor, session.site.provider, [values], source="form")
    return outcomes[0].pk


def rate(
    actor: Actor, enrolment_id: int, stars: int, site_stars: int | None = None, comment: str = ""
) -> Rating:
    """Rate a course and its site after taking part; one rating per enrolment."""
    learner_id = actor.require_learner()
    enrolment = (
        Enrolment.objects.select_related("session__course", "session__site")
        .filter(pk=enrolment_id, learner_id=learner_id)
        .first()
    )
    if enrolment is None:
        raise NotFound(_("No such enrolment of yours."))
    session = enrolment.session
    took_part = enrolment.status == "attended" or (
        enrolment.status == "enrolled" and session.starts_on <= timezone.localdate()
    )
    if not took_part:
        raise ValidationFailed(
            _("You can rate a course once you have taken part in it."), code="rating.too_early"
        )
    for value, field in ((stars, "stars"), (site_stars, "site_stars")):
        if value is not None and not (isinstance(value, int) and 1 <= value <= 5):
            raise ValidationFailed(_("Give 1 to 5 stars."), field=field)
    if len(comment) > 1000:
        raise ValidationFailed(_("Keep the comment under 1,000 characters."), field="comment")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                enrolment=enrolment,
                provider_id=session.course.provider_id
                if session.course_id
                else session.site.provider_id,
                course=session.course,
                site=session.site,
                stars=stars,
                site_stars=site_stars,
                comment=comment.strip(),
            )
            record(actor, "catalogue.rate", rating, stars=stars, site_stars=site_stars)
    except IntegrityError:
        raise Conflict(
            _("You have already rated this; there is one rating per enrolment."),
            code="rating.duplicate",
        ) from None
    return rating
