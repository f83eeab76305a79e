"""Citywide learning events. Their sessions, registration and attendance reuse sessions and
enrolment (services.sessions, services.enrolment); attending becomes a culture and leisure
outcome in the learner's archive."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.catalogue import choices
from learncity.catalogue.models import Event
from learncity.catalogue.rows import CODE_PATTERN
from learncity.catalogue.services.offers import WRITE_SCOPE
from learncity.errors import ValidationFailed
from learncity.institutions.models import Institution


def create_event(
    actor: Actor,
    organiser: Institution,
    *,
    code: str,
    title_zh: str,
    kind: str,
    starts_on: date,
    ends_on: date,
    title_en: str = "",
    description_zh: str = "",
    description_en: str = "",
) -> Event:
    actor.require_institution(organiser.pk, WRITE_SCOPE)
    if not CODE_PATTERN.match(code or "") or len(code) > 40:
        raise ValidationFailed(
            _("Use letters, digits, dots, hyphens and underscores only."), field="code"
        )
    if Event.objects.filter(code=code).exists():
        raise ValidationFailed(_("Another event already has this code."), field="code")
    if not title_zh.strip():
        raise ValidationFailed(_("This is required."), field="title_zh")
    if kind not in choices.EVENT_KINDS:
        raise ValidationFailed(_("Choose a kind of event."), field="kind")
    if ends_on < starts_on:
        raise ValidationFailed(_("The last day is before the first day."), field="ends_on")
    with transaction.atomic():
        event = Event.objects.create(
            code=code,
            title_zh=title_zh.strip()[:200],
            title_en=title_en.strip()[:200],
            kind=kind,
            organiser=organiser,
            starts_on=starts_on,
            ends_on=ends_on,
            description_zh=description_zh.strip(),
            description_en=description_en.strip(),
        )
        record(actor, "catalogue.event.create", event, code=code)
    return event


def publish_event(actor: Actor, event: Event) -> Event:
    actor.require_role("admin")
    with transaction.atomic():
        event.published = True
        event.save(update_fields=["published"])
        record(actor, "catalogue.event.publish", event)
    return event
