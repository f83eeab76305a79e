"""From statements to the archive: completions become outcomes, voiding revokes them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps

from learncity.lrs import indexing, projection
from learncity.lrs.models import ProjectedOutcome, ProjectionRule
from learncity.lrs.projection_rules import read_statement, result_text
from learncity.records.models import Outcome
from tests.lrs.conftest import statement

pytestmark = pytest.mark.django_db

COURSE = "http://example.com/courses/python"
HOME = projection.DEFAULT_HOMEPAGES[0]
PASSED = {"id": "http://adlnet.gov/expapi/verbs/passed"}
VOIDED = {"id": "http://adlnet.gov/expapi/verbs/voided"}


def run():
    return projection.run(settle=timedelta(0))


@pytest.fixture
def rule(db):
    return ProjectionRule.objects.create(
        activity_iri=COURSE,
        activity_key=indexing.activity_key(COURSE),
        title="Python 编程基础",
        code="PY-101",
        hours=Decimal("24"),
    )


def completion(learner, **overrides):
    actor = {"objectType": "Agent", "account": {"homePage": HOME, "name": learner.learner_no}}
    body = statement(
        actor=actor,
        verb=PASSED,
        object={"id": COURSE},
        result={"score": {"scaled": 0.86}, "success": True},
        timestamp="2024-06-30T09:00:00+08:00",
    )
    body.update(overrides)
    return body


def test_results_are_read_as_scores_pass_or_nothing():
    assert result_text(PASSED["id"], {"score": {"raw": 43, "min": 0, "max": 50}}) == "86"
    assert result_text(PASSED["id"], {}) == "pass"
    assert result_text("http://adlnet.gov/expapi/verbs/completed", None) == ""
    assert result_text(PASSED["id"], {"success": False}) is None


def test_only_completions_of_known_activities_by_learners_qualify():
    known = {COURSE}
    body = completion(type("L", (), {"learner_no": "L1"}))
    assert read_statement(body, known, (HOME,)).refusal is None
    other = {**body, "object": {"id": "http://example.com/unknown"}}
    assert read_statement(other, known, (HOME,)).refusal == "activity_not_in_catalogue"
    stranger = {**body, "actor": {"account": {"homePage": "http://moodle.example", "name": "x"}}}
    assert read_statement(stranger, known, (HOME,)).refusal == "agent_not_a_learner"


def test_a_passed_statement_becomes_an_online_course_outcome_once(xapi, learner, rule, institution):
    xapi.post("statements", completion(learner))
    assert run()["created"] == 1
    outcome = Outcome.objects.get(learner=learner)
    assert (outcome.kind, outcome.source, outcome.institution) == (
        "online_course",
        "xapi",
        institution,
    )
    assert (outcome.title, outcome.hours, outcome.result) == (
        "Python 编程基础",
        Decimal("24"),
        "86",
    )
    assert str(outcome.completed_on) == "2024-06-30"
    assert projection.run(settle=timedelta(0), from_start=True)["already_decided"] == 1
    assert Outcome.objects.count() == 1


def test_a_better_result_corrects_the_outcome_and_a_worse_one_does_not(xapi, learner, rule):
    xapi.post("statements", completion(learner))
    run()
    better = completion(learner, result={"score": {"scaled": 0.95}})
    worse = completion(learner, result={"score": {"scaled": 0.5}})
    xapi.post("statements", [better, worse])
    counts = run()
    assert counts["updated"] == 1 and counts["unchanged"] == 1
    current = Outcome.objects.get(learner=learner, is_current=True)
    assert current.result == "95" and current.version == 2


def test_voiding_the_statement_revokes_its_outcome(xapi, learner, rule):
    body = completion(learner)
    xapi.post("statements", body)
    run()
    xapi.post(
        "statements",
        statement(verb=VOIDED, object={"objectType": "StatementRef", "id": body["id"]}),
    )
    assert run()["revoked"] == 1
    assert Outcome.objects.get(learner=learner).status == "revoked"
    assert ProjectedOutcome.objects.get(statement__statement_id=body["id"]).revoked


def test_a_statement_voided_before_projection_creates_nothing(xapi, learner, rule):
    body = completion(learner)
    xapi.post("statements", body)
    xapi.post(
        "statements",
        statement(verb=VOIDED, object={"objectType": "StatementRef", "id": body["id"]}),
    )
    counts = run()
    assert counts["voided"] == 1 and not Outcome.objects.exists()


def test_a_confirmed_email_maps_statements_to_the_learner(xapi, learner, rule, system):
    projection.confirm_learner_email(system, learner, "wang@Example.com")
    xapi.post("statements", completion(learner, actor={"mbox": "mailto:wang@example.com"}))
    assert run()["created"] == 1
    unknown = completion(learner, actor={"mbox": "mailto:someone@example.com"})
    xapi.post("statements", unknown)
    assert run()["learner_not_found"] == 1


def test_failed_attempts_and_strangers_are_recorded_but_change_nothing(xapi, learner, rule):
    xapi.post("statements", completion(learner, result={"success": False}))
    assert run()["not_successful"] == 1
    assert not Outcome.objects.exists()


@pytest.mark.skipif(not apps.is_installed("learncity.catalogue"), reason="no catalogue app")
def test_published_catalogue_courses_with_an_activity_iri_qualify(xapi, learner, institution):
    course = apps.get_model("catalogue", "Course")
    course.objects.create(
        provider=institution,
        code="PY",
        title_zh="Python 入门",
        mode="online",
        kind="vocational",
        hours=Decimal("12"),
        xapi_activity_iri=COURSE,
        status="published",
    )
    xapi.post("statements", completion(learner))
    assert run()["created"] == 1
    assert Outcome.objects.get(learner=learner).title == "Python 入门"


def test_the_command_projects_in_batches_and_reports_decisions(xapi, learner, rule):
    import io

    from django.core.management import call_command

    from learncity.lrs.models import Statement

    xapi.post("statements", completion(learner))
    Statement.objects.update(stored=Statement.objects.get().stored - timedelta(minutes=1))
    out = io.StringIO()
    call_command("lrs_project", stdout=out)
    assert "created: 1" in out.getvalue()
    out = io.StringIO()
    call_command("lrs_project", "--from-start", stdout=out)
    assert "already_decided: 1" in out.getvalue()
