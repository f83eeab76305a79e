"""From statements to the archive: qualifying statements become online-course outcomes.

The projection reads stored statements in order (a cursor on Statement.id, leaving the last few
seconds alone so that slower transactions commit first), and for each completion of a known
activity by a learner deposits an outcome through records.services.deposit_outcomes, for the
institution of the credential that sent the statement. A later, better result corrects the
outcome (a new version); voiding the statement revokes it. Every decision is kept per
statement (ProjectedOutcome), so replaying any range of statements changes nothing.

Settings (Django settings, optional): ``LRS_LEARNER_HOMEPAGES``, the account homePage(s) whose
account names are LearnCity learner numbers.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learncity.access import Actor, system_actor
from learncity.audit.services import record
from learncity.errors import LearnCityError, NotFound, PermissionDenied, ValidationFailed
from learncity.identity.models import Learner
from learncity.lrs import indexing
from learncity.lrs.models import (
    LearnerMbox,
    ProjectedOutcome,
    ProjectionCursor,
    ProjectionRule,
    Statement,
)
from learncity.lrs.projection_rules import QUALIFYING_VERBS, VOIDED, better, mbox_sha1
from learncity.lrs.projection_rules import read_statement as read
from learncity.records.models import Outcome

DEFAULT_HOMEPAGES = ("https://learncity.invalid/learners",)
SETTLE = timedelta(seconds=5)


@dataclass(frozen=True)
class KnownActivity:
    title: str
    code: str
    hours: Decimal | None
    credits: Decimal | None
    kind: str = "online_course"


def homepages() -> tuple[str, ...]:
    return tuple(getattr(settings, "LRS_LEARNER_HOMEPAGES", DEFAULT_HOMEPAGES))


def known_activities(iris: set[str]) -> dict[str, KnownActivity]:
    """Catalogue courses with these activity IRIs, then projection rules (which win)."""
    found: dict[str, KnownActivity] = {}
    if apps.is_installed("learncity.catalogue") and iris:
        course = apps.get_model("catalogue", "Course")
        for c in course.objects.filter(xapi_activity_iri__in=iris, status="published"):
            found[c.xapi_activity_iri] = KnownActivity(c.title_zh, c.code, c.hours, c.credits)
    keys = {indexing.activity_key(i): i for i in iris}
    for rule in ProjectionRule.objects.filter(activity_key__in=keys, active=True):
        found[rule.activity_iri] = KnownActivity(
            rule.title, rule.code, rule.hours, rule.credits, rule.kind
        )
    return found


def mask_email(email: str) -> str:
    """What a learner is shown of an address they confirmed: ``wa…@example.com``."""
    local, _at, domain = email.strip().rpartition("@")
    return f"{local[:2]}…@{domain.lower()}"


def confirm_learner_email(actor: Actor, learner: Learner, email: str) -> LearnerMbox:
    """Record that a learner owns an email, so statements with that mbox are theirs.

    An address already confirmed for another learner stays theirs: only an administrator (or
    the system) can move it, so no learner can take another's statements.
    """
    if not (actor.is_system or actor.is_admin or actor.learner_id == learner.pk):
        raise PermissionDenied(_("Only the learner (or an administrator) can confirm this."))
    email = email.strip()
    if "@" not in email or email.startswith("mailto:"):
        raise ValidationFailed(_("Give an email address such as wang@example.com."), field="email")
    digest = mbox_sha1("mailto:" + email)
    with transaction.atomic():
        held = LearnerMbox.objects.select_for_update().filter(mbox_sha1=digest).first()
        if (
            held is not None
            and held.learner_id != learner.pk
            and not (actor.is_system or actor.is_admin)
        ):
            raise ValidationFailed(
                _("This address is already confirmed for another learning account."),
                field="email",
            )
        mbox, _created = LearnerMbox.objects.update_or_create(
            mbox_sha1=digest,
            defaults={
                "learner": learner,
                "verified_at": timezone.now(),
                "hint": mask_email(email),
            },
        )
        record(actor, "lrs.learner_email.confirm", learner, mbox_sha1=digest)
    return mbox


def forget_learner_email(actor: Actor, learner: Learner, mbox_id: int) -> None:
    """Withdraw a confirmed address: later statements with it are no longer the learner's
    (outcomes already made from earlier ones stay, as every projection decision does)."""
    if not (actor.is_system or actor.is_admin or actor.learner_id == learner.pk):
        raise PermissionDenied(_("Only the learner (or an administrator) can do this."))
    with transaction.atomic():
        mbox = LearnerMbox.objects.filter(pk=mbox_id, learner=learner).first()
        if mbox is None:
            raise NotFound(_("This address is not among your confirmed addresses."))
        record(actor, "lrs.learner_email.forget", learner, mbox_sha1=mbox.mbox_sha1)
        mbox.delete()


def _learner(ref) -> Learner | None:
    if ref.learner_no:
        return Learner.objects.filter(learner_no=ref.learner_no).first()
    mbox = LearnerMbox.objects.select_related("learner").filter(mbox_sha1=ref.mbox_sha1).first()
    return mbox.learner if mbox else None


def _completed_on(statement: dict, row: Statement):
    from learncity.lrs.datatypes import parse_timestamp

    moment = min(parse_timestamp(statement.get("timestamp") or statement["stored"]), row.stored)
    return timezone.localdate(moment).isoformat()


def _result(outcome: Outcome) -> str:
    return "" if outcome.result_type == "none" else outcome.result


def _note(row: Statement, decision: str, **fields) -> str:
    ProjectedOutcome.objects.create(statement=row, decision=decision, **fields)
    return decision


def _deposit(row, statement, reading, learner, activity: KnownActivity, actor) -> str:
    from learncity.identity import vault
    from learncity.records.services import correct_outcome, deposit_outcomes

    key = indexing.activity_key(reading.activity_iri)
    completed_on = _completed_on(statement, row)
    earlier = (
        ProjectedOutcome.objects.filter(
            learner=learner, activity_key=key, revoked=False, lineage__isnull=False
        )
        .order_by("-id")
        .first()
    )
    current = (
        Outcome.objects.filter(lineage=earlier.lineage, is_current=True).first()
        if earlier
        else None
    )
    if current is not None and current.status != "revoked":
        decision = "unchanged"
        if better(reading.result, _result(current)):
            correct_outcome(
                actor,
                current.pk,
                {"result": reading.result, "completed_on": completed_on},
                reason=f"xAPI statement {row.statement_id}",
            )
            decision = "updated"
        return _note(row, decision, learner=learner, activity_key=key, lineage=earlier.lineage)
    item = {
        "id_type": learner.doc_type,
        "id_country": learner.doc_country,
        "id_number": vault.decrypt(learner.id_encrypted),
        "name": learner.name,
        "kind": activity.kind,
        "title": activity.title,
        "code": activity.code,
        "hours": "" if activity.hours is None else str(activity.hours),
        "credits": "" if activity.credits is None else str(activity.credits),
        "result": reading.result,
        "completed_on": completed_on,
        "reference": f"xapi:{row.statement_id}",
    }
    outcome = deposit_outcomes(actor, row.credential.institution, [item], source="xapi")[0]
    return _note(row, "created", learner=learner, activity_key=key, lineage=outcome.lineage)


def _void(row: Statement, actor: Actor) -> str:
    projected = ProjectedOutcome.objects.filter(
        statement__statement_id=row.object_statement, revoked=False, lineage__isnull=False
    ).first()
    if projected is None:
        return "voiding_nothing_projected"
    ProjectedOutcome.objects.filter(pk=projected.pk).update(revoked=True)
    if ProjectedOutcome.objects.filter(lineage=projected.lineage, revoked=False).exists():
        return "voided_one_of_several"
    outcomes = Outcome.objects.filter(lineage=projected.lineage, is_current=True)
    for outcome in outcomes:
        record(
            actor,
            "outcome.revoke",
            outcome,
            reason=f"xAPI statement {row.statement_id} voided statement {row.object_statement}",
        )
    outcomes.update(status="revoked")
    return "revoked"


def project(row: Statement, known: dict[str, KnownActivity], actor: Actor) -> str:
    """Decide one statement (once: a statement already decided is left alone)."""
    if ProjectedOutcome.objects.filter(statement=row).exists():
        return "already_decided"
    statement = json.loads(row.full)
    with transaction.atomic():
        if statement["verb"]["id"] == VOIDED:
            return _void(row, actor)
        if row.voided:
            return _note(row, "voided")
        reading = read(statement, set(known), homepages())
        if reading.refusal:
            return _note(row, reading.refusal)
        learner = _learner(reading.learner)
        if learner is None:
            return _note(row, "learner_not_found")
        if row.credential is None:
            return _note(row, "no_institution")
        try:
            with transaction.atomic():
                return _deposit(
                    row, statement, reading, learner, known[reading.activity_iri], actor
                )
        except LearnCityError as error:
            return _note(row, f"refused:{error.code}"[:40], learner=learner)


def _verb_keys() -> list[str]:
    return [indexing.activity_key("verb:" + v) for v in (*QUALIFYING_VERBS, VOIDED)]


def run(
    *, batch_size: int = 500, from_start: bool = False, progress=None, settle: timedelta = SETTLE
) -> Counter:
    """Project every statement after the cursor (or all, ``from_start``); returns decisions."""
    actor = system_actor("lrs-projection")
    cursor, _created = ProjectionCursor.objects.get_or_create(name="outcomes")
    position = 0 if from_start else cursor.position
    pending = Statement.objects.filter(verb__in=_verb_keys(), stored__lte=timezone.now() - settle)
    total = pending.filter(pk__gt=position).count()
    counts: Counter = Counter()
    done = 0
    while True:
        rows = list(
            pending.filter(pk__gt=position)
            .select_related("credential__institution")
            .order_by("pk")[:batch_size]
        )
        if not rows:
            break
        iris = set()
        for r in rows:
            obj = json.loads(r.full).get("object") or {}
            if isinstance(obj.get("id"), str):
                iris.add(obj["id"])
        known = known_activities(iris)
        for row in rows:
            counts[project(row, known, actor)] += 1
        position = rows[-1].pk
        ProjectionCursor.objects.filter(pk=cursor.pk, position__lt=position).update(
            position=position
        )
        done += len(rows)
        if progress:
            progress(done, total)
    return counts
