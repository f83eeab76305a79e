"""Each learner reads only their own archive; staff see what their role allows."""

import pytest

from learncity.access import actor_for_user
from learncity.records.services import correct_outcome, deposit_outcomes

from .conftest import outcome_values, valid_id


@pytest.fixture
def two_learners(make_learner, institution, system):
    alice = make_learner(name="王芳", id_number=valid_id(seq=101), username="alice")
    bob = make_learner(name="李强", id_number=valid_id(seq=103), username="bob")
    deposit_outcomes(
        system, institution, [outcome_values(valid_id(seq=101), name="王芳")], source="api"
    )
    deposit_outcomes(
        system,
        institution,
        [outcome_values(valid_id(seq=103), name="李强", title="Bob's course")],
        source="api",
    )
    return alice, bob


def test_a_learner_reads_their_own_archive_through_the_api(client, two_learners):
    alice, _bob = two_learners
    client.force_login(alice.user)
    body = client.get("/api/v1/me/archive").json()
    assert body["count"] == 1
    assert body["learner"]["id_number"] == valid_id(seq=101)  # in full, to its owner only
    assert body["outcomes"][0]["title"] == "公共管理导论"


def test_one_learner_cannot_read_another_learners_archive(client, two_learners):
    alice, bob = two_learners
    client.force_login(alice.user)
    api = client.get(f"/api/v1/learners/{bob.learner_no}/archive")
    page = client.get(f"/learners/{bob.learner_no}/")
    assert api.status_code == 403 and page.status_code == 403
    assert "Bob's course" not in api.content.decode() + page.content.decode()
    other = client.get(f"/outcomes/{bob.outcomes.get().pk}/")
    assert other.status_code == 403


def test_a_reviewer_sees_the_archive_with_the_identity_number_masked(
    client, two_learners, reviewer
):
    _alice, bob = two_learners
    client.force_login(reviewer)
    body = client.get(f"/api/v1/learners/{bob.learner_no}/archive").json()
    assert body["learner"]["id_number"] == bob.id_masked
    page = client.get(f"/learners/{bob.learner_no}/").content.decode()
    assert valid_id(seq=103) not in page and bob.id_masked in page


def test_an_officer_sees_only_their_institutions_outcomes(
    client, two_learners, staff, other_institution, system
):
    _alice, bob = two_learners
    deposit_outcomes(
        system,
        other_institution,
        [outcome_values(valid_id(seq=103), name="李强", title="书法")],
        source="api",
    )
    xheu_officer = staff("xheu", "officer", other_institution)
    client.force_login(xheu_officer)
    body = client.get(f"/api/v1/learners/{bob.learner_no}/archive").json()
    assert [o["title"] for o in body["outcomes"]] == ["书法"]


def test_the_archive_filters_by_category_and_year(client, learner, institution, system):
    deposit_outcomes(
        system,
        institution,
        [
            outcome_values(valid_id(seq=21)),
            outcome_values(
                valid_id(seq=21),
                kind="culture_leisure",
                title="书法入门",
                started_on="2024-03-01",
                completed_on="2024-06-28",
            ),
        ],
        source="api",
    )
    client.force_login(learner.user)
    assert client.get("/api/v1/me/archive?category=culture_leisure").json()["count"] == 1
    assert client.get("/api/v1/me/archive?year=2023").json()["count"] == 1
    page = client.get("/archive/?category=culture_leisure").content.decode()
    assert "书法入门" in page and "公共管理导论" not in page


def test_a_correction_is_a_new_version_and_the_history_stays(
    client, learner, institution, officer, system
):
    [first] = deposit_outcomes(
        system, institution, [outcome_values(valid_id(seq=21))], source="api"
    )
    second = correct_outcome(
        actor_for_user(officer), first.pk, {"result": "90"}, reason="marking error"
    )
    first.refresh_from_db()
    assert (first.result, first.is_current, first.status) == ("86", False, "superseded")
    assert (second.result, second.version, second.lineage) == ("90", 2, first.lineage)
    client.force_login(learner.user)
    archive = client.get("/api/v1/me/archive").json()
    assert [o["result"] for o in archive["outcomes"]] == ["90"]
    history = client.get(f"/outcomes/{second.pk}/").content.decode()
    assert "86" in history and "90" in history


def test_another_institution_cannot_correct_an_outcome(
    learner, institution, other_institution, staff, system
):
    from learncity.errors import PermissionDenied

    [first] = deposit_outcomes(
        system, institution, [outcome_values(valid_id(seq=21))], source="api"
    )
    intruder = actor_for_user(staff("xheu", "officer", other_institution))
    with pytest.raises(PermissionDenied):
        correct_outcome(intruder, first.pk, {"result": "100"}, reason="please")
