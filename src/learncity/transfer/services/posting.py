"""Posting an approved application: the outcomes are marked as used for the programme.

Posting writes, in one transaction: one ledger entry per outcome used (type "transfer", zero
credits: the learner's credit balance is unchanged, the hash chain records the use), one
`UsedOutcome` per outcome (unique per programme and outcome lineage) and one `GrantedCourse`
per approved course (unique per learner, programme and course). The learner's row is locked
first, so concurrent postings queue; the unique constraints are the last guard, so however
many attempts race, one posting stands.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.creditbank import ledger
from learncity.creditbank.models import LedgerEntry, Recognition
from learncity.errors import Conflict
from learncity.records.models import Outcome
from learncity.transfer.models import Application, GrantedCourse, Notification, UsedOutcome
from learncity.transfer.selectors import changes
from learncity.transfer.services.review import _locked
from learncity.transfer.services.steps import step

ENTRY_TYPE = "transfer"


def _refuse_changed(app: Application) -> None:
    changed = changes(app)
    if changed:
        titles = ", ".join(f"{c['title']} ({c['change']})" for c in changed)
        raise Conflict(
            _(
                "Outcomes in this application changed since it was submitted: %(t)s. Update the "
                "application and decide again before posting."
            )
            % {"t": titles},
            code="application.changed",
            details=changed,
        )


def _shares(app: Application, approved) -> dict[int, Decimal]:
    """Each outcome's share of the approved credits of the rule application it served."""
    shares: dict[int, Decimal] = {}
    for item in approved:
        part = item.credits / len(item.outcome_ids)
        for o in item.outcome_ids:
            shares[o] = shares.get(o, Decimal(0)) + part
    return shares


def post_application(actor: Actor, application_id: int) -> Application:
    try:
        return _post(actor, application_id)
    except Conflict as error:
        if error.code == "application.changed":
            _tell_learner_it_changed(application_id, len(error.details or []))
        raise


def _tell_learner_it_changed(application_id: int, count: int) -> None:
    """The refused posting rolled back; the learner still hears what must happen next."""
    app = Application.objects.select_related("programme").get(pk=application_id)
    Notification.objects.create(
        learner_id=app.learner_id,
        application=app,
        kind="changed",
        params={"id": app.pk, "programme": app.programme.code, "count": count},
    )


def _post(actor: Actor, application_id: int) -> Application:
    with transaction.atomic():
        app = _locked(actor, application_id)
        if app.state not in ("approved", "partly_approved"):
            raise Conflict(
                _("Only an approved application can be posted; this one is %(s)s.")
                % {"s": app.get_state_display()},
                code="application.not_approved",
            )
        _refuse_changed(app)
        approved = list(app.items.filter(decision="approved"))
        shares = _shares(app, approved)
        outcomes = Outcome.objects.select_related("institution").in_bulk(list(shares))
        recognitions = {
            r.outcome_id: r
            for r in Recognition.objects.filter(
                outcome_id__in=list(shares), is_current=True, status="recognised"
            )
        }
        lineages = [outcomes[o].lineage for o in shares]
        if UsedOutcome.objects.filter(programme=app.programme, lineage__in=lineages).exists():
            raise Conflict(_("An outcome of this application is already posted for the programme."))
        drafts = [
            ledger.Draft(
                app.learner_id,
                ENTRY_TYPE,
                o,
                recognitions[o].pk,
                recognitions[o].category,
                recognitions[o].level,
                Decimal(0),
                outcomes[o].completed_on.year,
            )
            for o in sorted(shares)
        ]
        entries = _append(app.learner_id, drafts)
        try:
            with transaction.atomic():
                _write(app, approved, shares, outcomes, entries)
        except IntegrityError:
            raise Conflict(
                _("This outcome or course is already posted for the programme.")
            ) from None
        app.posted_at = timezone.now()
        step(
            actor,
            app,
            "post",
            to_state="posted",
            notify="posted",
            ledger_seqs=[e.seq for e in entries.values()],
            credits=str(app.credits_approved),
        )
        app.save()
    return app


def _append(learner_id: int, drafts) -> dict:
    """Append through the ledger and read back the entries written (the learner is locked)."""
    mine = LedgerEntry.objects.filter(learner_id=learner_id)
    head = mine.aggregate(m=Max("seq"))["m"] or 0
    ledger.append(drafts)
    written = mine.filter(seq__gt=head, entry_type=ENTRY_TYPE)
    return {e.outcome_id: e for e in written}


def _write(app, approved, shares, outcomes, entries) -> None:
    UsedOutcome.objects.bulk_create(
        UsedOutcome(
            programme_id=app.programme_id,
            learner_id=app.learner_id,
            outcome_id=o,
            lineage=outcomes[o].lineage,
            application=app,
            institution_code=outcomes[o].institution.code if outcomes[o].institution_id else "",
            year=outcomes[o].completed_on.year,
            credits=share.quantize(Decimal("0.001")),
            ledger_entry=entries[o],
        )
        for o, share in shares.items()
    )
    GrantedCourse.objects.bulk_create(
        GrantedCourse(
            programme_id=app.programme_id,
            learner_id=app.learner_id,
            course_code=item.course_code,
            credits=item.credits,
            item=item,
        )
        for item in approved
    )
