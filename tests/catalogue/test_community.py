"""Teams, organisations (consent), events (attendance into the archive), quality, awards."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from learncity.access import actor_for_user
from learncity.catalogue.models import Enrolment, Session
from learncity.catalogue.selectors import quality_view
from learncity.catalogue.services import awards, community, events, quality
from learncity.catalogue.services.enrolment import enrol, mark_attendance, rate
from learncity.errors import Conflict, PermissionDenied, ValidationFailed
from learncity.records.models import Outcome


@pytest.fixture
def learners(make_learner):
    return [make_learner(username=f"m{i}") for i in range(4)]


def actor(learner):
    return actor_for_user(learner.user)


def test_a_team_starts_waits_for_approval_then_logs_activities(learners, admin_actor, make_site):
    leader = actor(learners[0])
    team = community.create_team(
        leader,
        name="银发读书会",
        topic="读书",
        district_code="310104",
        meeting_site_id=make_site().pk,
    )
    with pytest.raises(Conflict):
        community.join_team(actor(learners[1]), team)
    community.approve_team(admin_actor, team)
    community.join_team(actor(learners[1]), team)
    with pytest.raises(PermissionDenied):
        community.log_activity(
            actor(learners[1]), team, held_on=date(2025, 3, 1), title="x", hours="2", attendees=5
        )
    with pytest.raises(ValidationFailed):
        community.log_activity(
            leader,
            team,
            held_on=timezone.localdate() + timedelta(1),
            title="明天",
            hours="2",
            attendees=5,
        )
    community.log_activity(
        leader, team, held_on=date(2025, 3, 1), title="共读《论语》", hours="2", attendees=12
    )
    assert team.activities.count() == 1 and team.memberships.count() == 2


def test_an_organisation_summary_counts_only_consenting_members_and_hides_small_groups(
    learners, admin_actor, officer_actor, institution
):
    org = community.register_organisation(
        officer_actor,
        name="徐汇区某街道学习型社区",
        kind="community",
        district_code="310104",
        institution_id=institution.pk,
    )
    community.approve_organisation(admin_actor, org)
    for i, learner in enumerate(learners):
        community.join_organisation(actor(learner), org, consent=i < 3)
        Outcome.objects.create(
            learner=learner,
            kind="training",
            category="vocational",
            title="培训",
            hours=10 * (i + 1),
            completed_on=date(2025, 1, 1),
            source="form",
            status="recorded",
        )
    summary = community.organisation_summary(org)
    assert (summary.members, summary.consenting, summary.shown) == (4, 3, True)
    assert summary.hours == 60  # 10 + 20 + 30: the fourth member did not consent
    community.set_consent(actor(learners[0]), org, False)
    assert community.organisation_summary(org).shown is False  # 2 < 3


def test_attending_an_event_session_becomes_a_culture_outcome_once(
    learners, officer_actor, institution, make_site, admin_actor
):
    today = timezone.localdate()
    event = events.create_event(
        officer_actor,
        institution,
        code="LLW-2025",
        title_zh="全民终身学习活动周",
        kind="activity_week",
        starts_on=today,
        ends_on=today + timedelta(6),
    )
    events.publish_event(admin_actor, event)
    from learncity.catalogue.services.sessions import SessionInput, add_session

    session = add_session(
        officer_actor,
        event,
        SessionInput(
            site_id=make_site().pk,
            starts_on=today,
            ends_on=today,
            start_time=time(14),
            end_time=time(16),
            capacity=50,
            title_zh="诗歌朗诵会",
        ),
    )
    came, missed = (enrol(actor(x), session.pk) for x in learners[:2])
    mark_attendance(officer_actor, session, {came.pk: True, missed.pk: False})
    mark_attendance(officer_actor, session, {came.pk: True})  # again: no second outcome
    outcome = Outcome.objects.get(learner=learners[0])
    assert outcome.kind == "culture_leisure" and outcome.title == "全民终身学习活动周：诗歌朗诵会"
    assert outcome.hours == 2 and outcome.institution_id == institution.pk
    assert Enrolment.objects.get(pk=missed.pk).status == "absent"
    assert not Outcome.objects.filter(learner=learners[1]).exists()
    assert rate(actor(learners[0]), came.pk, 5).stars == 5


def test_an_inspection_needs_evidence_for_every_item_before_a_verdict(
    officer_actor, institution, reviewer, admin_actor
):
    from learncity.catalogue.standards import load_checklists

    load_checklists()
    inspection = quality.start_inspection(officer_actor, institution)  # open university: general
    checks = list(inspection.checks.select_related("item"))
    assert [c.item.code for c in checks] == ["GN-01", "GN-02", "GN-03", "GN-04"]
    with pytest.raises(Conflict):
        quality.start_inspection(officer_actor, institution)
    judge = actor_for_user(reviewer)
    with pytest.raises(ValidationFailed):
        quality.decide_inspection(judge, inspection, "meets")
    with pytest.raises(ValidationFailed):
        quality.answer_check(officer_actor, checks[0], "met", "")
    for c in checks[:-1]:
        quality.answer_check(officer_actor, c, "met", "教学场所产权证明.pdf")
    quality.answer_check(officer_actor, checks[-1], "not_met", "")
    with pytest.raises(ValidationFailed):
        quality.decide_inspection(judge, inspection, "meets")
    with pytest.raises(PermissionDenied):
        quality.decide_inspection(officer_actor, inspection, "conditions", "补充应急预案")
    quality.decide_inspection(judge, inspection, "conditions", "三个月内补充应急预案")
    with pytest.raises(Conflict):
        quality.answer_check(officer_actor, checks[-1], "met", "预案.pdf")
    person = quality.add_practitioner(
        officer_actor,
        institution,
        name="李老师",
        role="teacher",
        competence="expert",
        qualification="高级讲师",
    )
    quality.verify_practitioner(judge, person)
    view = quality_view(institution.pk)
    assert view.latest_inspection.verdict == "conditions"
    assert (view.practitioners, view.verified_practitioners) == (1, 1)


def test_ratings_feed_the_providers_quality_view(make_course, make_site, make_session, learners):
    session = make_session(make_course(), make_site(), capacity=5, days=(1, 30))
    Session.objects.filter(pk=session.pk).update(starts_on=date(2020, 1, 1))
    for learner, stars in zip(learners[:3], (5, 4, 3), strict=True):
        e = enrol(actor(learner), session.pk)
        rate(actor(learner), e.pk, stars, 4)
    view = quality_view(session.course.provider_id)
    assert (view.course_stars.average, view.course_stars.count) == (4.0, 3)
    assert view.site_stars.average == 4.0 and view.by_course[0]["n"] == 3


def test_awards_rank_from_the_archive_then_nominate_review_publish_into_the_archive(
    learners, admin_actor, reviewer
):
    year = 2025
    for i, learner in enumerate(learners):
        for n in range(i + 1):
            Outcome.objects.create(
                learner=learner,
                kind="training",
                category=["vocational", "culture_leisure", "academic"][n % 3],
                title="课程",
                hours=20,
                credits=1,
                completed_on=date(year, 5, 1),
                source="form",
                status="recorded",
            )
    with pytest.raises(ValidationFailed):
        awards.create_scheme(
            admin_actor,
            year=year,
            kind="learning_star",
            title_zh="学习明星",
            issuer_name="市学习型城市建设办公室",
            weights={"iq": 1},
        )
    scheme = awards.create_scheme(
        admin_actor,
        year=year,
        kind="learning_star",
        title_zh="学习明星",
        issuer_name="市学习型城市建设办公室",
        weights={"hours": 2, "categories": 1},
        minimums={"hours": 40},
        quota=1,
    )
    ranked = awards.rank_candidates(admin_actor, scheme)
    assert [n.learner_id for n in ranked] == [learners[3].pk, learners[2].pk, learners[1].pk]
    top = ranked[0]
    assert top.rank == 1 and float(top.score) == 100.0
    with pytest.raises(Conflict):
        awards.review(actor_for_user(reviewer), top, True)  # not nominated yet
    awards.nominate(admin_actor, top)
    with pytest.raises(PermissionDenied):
        awards.review(
            admin_actor.__class__(label="x", roles=frozenset({("officer", 1)})), top, True
        )
    awards.review(actor_for_user(reviewer), top, True, "事迹属实")
    published = awards.publish(admin_actor, scheme)
    outcome = Outcome.objects.get(pk=published[0].outcome_ids[0])
    assert outcome.learner_id == learners[3].pk and outcome.kind == "competition_award"
    assert outcome.title == "2025 学习明星" and outcome.issuer_name == "市学习型城市建设办公室"
    with pytest.raises(Conflict):
        awards.publish(admin_actor, scheme)


def test_a_team_award_reaches_every_member(learners, admin_actor, reviewer):
    team = community.create_team(
        actor(learners[0]), name="编织小组", topic="手工", district_code="310104"
    )
    community.approve_team(admin_actor, team)
    community.join_team(actor(learners[1]), team)
    community.log_activity(
        actor(learners[0]), team, held_on=date(2025, 4, 1), title="编织", hours="3", attendees=8
    )
    scheme = awards.create_scheme(
        admin_actor,
        year=2025,
        kind="team",
        title_zh="优秀学习团队",
        issuer_name="市学习型城市建设办公室",
        weights={"activities": 1, "members": 1},
        quota=1,
    )
    (nomination,) = awards.rank_candidates(admin_actor, scheme)
    awards.nominate(admin_actor, nomination)
    awards.review(actor_for_user(reviewer), nomination, True)
    awards.publish(admin_actor, scheme)
    assert Outcome.objects.filter(kind="competition_award").count() == 2
