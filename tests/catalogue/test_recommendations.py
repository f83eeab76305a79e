"""Recommendations on the learner's page: from what similar learners took next, the district,
the age group and the archive — each with its reasons."""

from __future__ import annotations

from datetime import date

from learncity.access import actor_for_user
from learncity.catalogue.models import Enrolment
from learncity.catalogue.services.enrolment import enrol
from learncity.catalogue.suggestions import suggestions_for
from learncity.records.models import Outcome
from tests.conftest import valid_id


def test_what_similar_learners_took_next_is_recommended_with_the_reason(
    make_course, make_site, make_session, make_learner
):
    xuhui, songjiang = (
        make_site(),
        make_site(code="SJ", district="310117", latitude="31.03", longitude="121.22"),
    )
    first = make_course(code="FIRST", title_zh="书法入门", audiences="")
    follow = make_course(code="NEXT", title_zh="书法提高", audiences="elderly,adults", level="3")
    make_course(code="OTHER", title_zh="编程", audiences="youth", level="5")
    s1 = make_session(first, xuhui, capacity=10)
    s2 = make_session(follow, songjiang, capacity=10)
    me = make_learner(username="me", id_number=valid_id(born=date(1958, 5, 17), seq=61))
    peers = [make_learner(username=f"peer{i}") for i in range(3)]
    for person in [me, *peers]:
        enrol(actor_for_user(person.user), s1.pk)
    for person in peers:
        enrol(actor_for_user(person.user), s2.pk)
    Outcome.objects.create(
        learner=me,
        kind="culture_leisure",
        category="culture_leisure",
        title="国画",
        completed_on=date(2024, 1, 1),
        source="form",
        status="recorded",
    )
    found = suggestions_for(me, "en")
    assert [s.course.code for s in found] == ["NEXT"]  # FIRST taken, OTHER meant for youth
    assert found[0].reasons[0] == "3 learners who took “Calligraphy for beginners” went on to this."
    assert any("Older people" in r for r in found[0].reasons)
    assert any("archive has 1 outcomes" in r for r in found[0].reasons)
    assert any("level 3" in r for r in found[0].reasons)
    assert Enrolment.objects.count() == 7


def test_a_new_learner_gets_courses_held_in_their_district(
    make_course, make_site, make_session, make_learner
):
    make_session(make_course(audiences=""), make_site(), capacity=5)
    newcomer = make_learner(username="new", district="310104")
    found = suggestions_for(newcomer, "zh-hans")
    assert found and "徐汇区" in found[0].reasons[0]
