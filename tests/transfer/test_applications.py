"""Applications: states, per-course decisions, notifications, posting, changes, versions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from learncity.access import actor_for_user
from learncity.creditbank import ledger
from learncity.creditbank.models import LedgerEntry
from learncity.creditbank.selectors import balance
from learncity.creditbank.services import revoke_outcome
from learncity.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from learncity.transfer import selectors
from learncity.transfer.models import Notification, UsedOutcome
from learncity.transfer.services.applications import (
    appeal,
    refresh,
    start_application,
    submit,
    withdraw,
)
from learncity.transfer.services.posting import post_application
from learncity.transfer.services.review import decide_item, finish_review, start_review
from learncity.transfer.services.standards import publish_standard
from learncity.transfer.standards_file import import_standards

from .conftest import STANDARD

PROGRAMME = "SOU-PA-AD"


def submitted(learner_actor):
    app = start_application(learner_actor, PROGRAMME)
    return submit(learner_actor, app.pk, consent=True)


def decide_all(actor, app, refuse=()):
    for item in app.items.all():
        decide_item(actor, item.pk, approve=item.course_code not in refuse, reason="checked")
    return finish_review(actor, app.pk)


def approved(learner_actor, officer_actor):
    app = submitted(learner_actor)
    start_review(officer_actor, app.pk)
    return decide_all(officer_actor, app)


def test_an_application_goes_from_draft_to_posted_with_a_decision_per_course(
    archive, learner, learner_actor, officer_actor
):
    before = balance(learner_actor, learner).total
    app = start_application(learner_actor, PROGRAMME)
    assert app.state == "draft" and app.credits_proposed == Decimal(9)
    assert sorted(app.items.values_list("course_code", flat=True)) == ["", "PA101", "PA102"]
    with pytest.raises(ValidationFailed) as error:
        submit(learner_actor, app.pk, consent=False)
    assert error.value.field == "consent"
    app = submit(learner_actor, app.pk, consent=True)
    assert app.state == "submitted" and [s.key for s in app.standards.all()] == ["SOU-PA-T@1"]
    start_review(officer_actor, app.pk)
    app = decide_all(officer_actor, app, refuse=["PA102"])
    assert (app.state, app.credits_approved) == ("partly_approved", Decimal(5))
    app = appeal(learner_actor, app.pk, "I passed both office courses")
    assert app.state == "appealed"
    [again] = app.items.filter(decision="pending")
    decide_item(officer_actor, again.pk, approve=True, reason="on appeal")
    app = finish_review(officer_actor, app.pk)
    assert (app.state, app.credits_approved) == ("approved", Decimal(9))
    app = post_application(officer_actor, app.pk)
    assert app.state == "posted"
    entries = LedgerEntry.objects.filter(learner=learner, entry_type="transfer")
    assert sorted(e.outcome_id for e in entries) == sorted(o.pk for o in archive.values())
    assert all(e.credits == 0 for e in entries) and ledger.verify()[1] == []
    assert balance(learner_actor, learner).total == before  # marks use, moves no credits
    kinds = list(Notification.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [
        "submitted",
        "under_review",
        "partly_approved",
        "appealed",
        "approved",
        "posted",
    ]
    steps = [(e.action, e.to_state) for e in app.events.all()]
    assert steps[0] == ("create", "draft") and steps[-1] == ("post", "posted")


def test_the_transcript_shows_who_approved_what_on_which_standard(
    archive, learner, learner_actor, officer_actor
):
    post_application(officer_actor, approved(learner_actor, officer_actor).pk)
    [app] = selectors.transcript(learner_actor, learner.pk)
    rows = {(i.course_code, i.decided_by.username, i.standard.key) for i in app.items.all()}
    assert rows == {
        ("PA101", "officer", "SOU-PA-T@1"),
        ("PA102", "officer", "SOU-PA-T@1"),
        ("", "officer", "SOU-PA-T@1"),
    }
    assert app.used.count() == 4


def test_posted_outcomes_and_courses_are_never_used_again_for_the_programme(
    archive, learner_actor, officer_actor
):
    app = approved(learner_actor, officer_actor)
    post_application(officer_actor, app.pk)
    with pytest.raises(Conflict):
        post_application(officer_actor, app.pk)
    second = start_application(learner_actor, PROGRAMME)
    assert second.credits_proposed == 0
    assert {u["reason"] for u in second.proposal["unused"]} == {"already_used"}
    with pytest.raises(ValidationFailed) as error:
        submit(learner_actor, second.pk, consent=True)
    assert error.value.code == "application.empty"


def test_one_open_application_per_programme(archive, learner_actor):
    first = start_application(learner_actor, PROGRAMME)
    with pytest.raises(Conflict):
        start_application(learner_actor, PROGRAMME)
    withdraw(learner_actor, first.pk, "changed my mind")
    assert start_application(learner_actor, PROGRAMME).state == "draft"


def test_only_deciders_decide_and_others_do_not_even_see_it(
    archive, learner_actor, officer_actor, staff, other_institution
):
    app = submitted(learner_actor)
    with pytest.raises(PermissionDenied):
        start_review(learner_actor, app.pk)
    stranger = actor_for_user(staff("stranger", "officer", other_institution))
    with pytest.raises(NotFound):
        start_review(stranger, app.pk)
    reviewer = actor_for_user(staff("rev", "reviewer"))
    with pytest.raises(NotFound):
        start_review(reviewer, app.pk)
    app.programme.decided_by = "reviewer"
    app.programme.save()
    assert start_review(reviewer, app.pk).state == "under_review"
    assert list(selectors.incoming(officer_actor)) == [app]  # the institution still sees it
    with pytest.raises(PermissionDenied):
        decide_item(officer_actor, app.items.first().pk, approve=True, reason="x")


def test_institutions_see_incoming_applications_only_when_submitted_with_consent(
    archive, learner_actor, officer_actor
):
    draft = start_application(learner_actor, PROGRAMME)
    assert list(selectors.incoming(officer_actor)) == []
    with pytest.raises(NotFound):
        selectors.shared_archive(officer_actor, draft) or start_review(officer_actor, draft.pk)
    app = submit(learner_actor, draft.pk, consent=True)
    assert list(selectors.incoming(officer_actor)) == [app]
    assert selectors.shared_archive(officer_actor, app).count() == 4


def test_a_decision_needs_a_reason_and_a_review_needs_every_course_decided(
    archive, learner_actor, officer_actor
):
    app = submitted(learner_actor)
    start_review(officer_actor, app.pk)
    with pytest.raises(ValidationFailed):
        decide_item(officer_actor, app.items.first().pk, approve=True, reason=" ")
    decide_item(officer_actor, app.items.first().pk, approve=True, reason="ok")
    with pytest.raises(ValidationFailed) as error:
        finish_review(officer_actor, app.pk)
    assert error.value.code == "review.pending"
    with pytest.raises(Conflict):
        post_application(officer_actor, app.pk)


def test_an_appeal_is_allowed_once_and_only_after_a_refusal(archive, learner_actor, officer_actor):
    app = submitted(learner_actor)
    start_review(officer_actor, app.pk)
    app = decide_all(officer_actor, app, refuse=["PA101", "PA102", ""])
    assert app.state == "refused"
    appeal(learner_actor, app.pk, "please look again")
    app = decide_all(officer_actor, app, refuse=["PA101", "PA102", ""])
    with pytest.raises(Conflict):
        appeal(learner_actor, app.pk, "and again")


def test_a_revoked_outcome_in_a_pending_application_blocks_posting_until_updated(
    archive, system, learner_actor, officer_actor
):
    app = approved(learner_actor, officer_actor)
    revoke_outcome(system, archive["off1"].pk, "issued in error")
    [change] = selectors.changes(app)
    assert change == {
        "outcome_id": archive["off1"].pk,
        "title": "课程 SH-OFF-1",
        "change": "revoked",
    }
    with pytest.raises(Conflict) as error:
        post_application(officer_actor, app.pk)
    assert error.value.code == "application.changed"
    assert not UsedOutcome.objects.exists()
    assert Notification.objects.filter(kind="changed", application=app).exists()
    app = refresh(learner_actor, app.pk)
    assert selectors.changes(app) == []
    assert sorted(app.items.values_list("course_code", flat=True)) == ["", "PA101"]
    assert app.state == "approved" and app.credits_approved == Decimal(5)
    assert post_application(officer_actor, app.pk).state == "posted"
    assert "refreshed" in Notification.objects.values_list("kind", flat=True)


def test_a_standard_published_after_submission_leaves_the_application_on_its_version(
    archive, system, learner_actor, officer_actor
):
    app = submitted(learner_actor)
    richer = STANDARD.replace('version: "1"', 'version: "2"').replace(
        "targets: [PA101]\n", "targets: [PA101, PA103]\n", 1
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    richer = richer.replace("effective_from: 2020-01-01", f"effective_from: {yesterday}")
    [v2] = import_standards(system, richer)
    publish_standard(system, v2.pk)
    explored = selectors.explore(learner_actor, app.programme)
    assert "SOU-PA-T@2/R1" in {u["rule"] for u in explored["proposal"]["uses"]}
    start_review(officer_actor, app.pk)
    app = refresh(officer_actor, app.pk)  # even an update keeps the submitted version
    app = decide_all(officer_actor, app)
    assert [s.key for s in app.standards.all()] == ["SOU-PA-T@1"]
    assert set(app.items.values_list("rule_key", flat=True)) <= {
        "SOU-PA-T@1/R1",
        "SOU-PA-T@1/R2",
        "SOU-PA-T@1/R4",
    }
    assert post_application(officer_actor, app.pk).credits_approved == Decimal(9)


def test_a_withdrawn_application_cannot_be_reviewed_or_posted(
    archive, learner_actor, officer_actor
):
    app = submitted(learner_actor)
    start_review(officer_actor, app.pk)
    withdraw(learner_actor, app.pk)
    with pytest.raises(Conflict):
        finish_review(officer_actor, app.pk)
    with pytest.raises(Conflict):
        withdraw(learner_actor, app.pk)
