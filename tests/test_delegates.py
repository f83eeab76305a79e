"""A learner lets a helper read (never change) their archive and credits, and takes it back."""

import pytest

from learncity.access import actor_for_user
from learncity.audit.models import AuditEntry
from learncity.errors import Conflict, NotFound
from learncity.identity.delegation import grant_delegate, revoke_delegate

from .conftest import valid_id


@pytest.fixture
def daughter(staff):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("daughter", password="correct-horse-9")


def test_a_delegate_reads_the_archive_and_credits_masked_until_revoked(client, learner, daughter):
    me = actor_for_user(learner.user)
    delegation = grant_delegate(me, "daughter")
    client.force_login(daughter)
    archive = client.get(f"/api/v1/learners/{learner.learner_no}/archive")
    assert archive.status_code == 200
    assert archive.json()["learner"]["id_number"] == learner.id_masked
    assert client.get(f"/learners/{learner.learner_no}/credits/").status_code == 200
    assert learner.name in client.get("/archive/delegates/").content.decode()
    revoke_delegate(me, delegation.pk)
    assert client.get(f"/api/v1/learners/{learner.learner_no}/archive").status_code == 403
    assert client.get(f"/api/v1/learners/{learner.learner_no}/credits").status_code == 403
    assert AuditEntry.objects.filter(action__startswith="delegate.").count() == 2


def test_a_delegate_of_one_learner_cannot_read_another(client, learner, daughter, make_learner):
    other = make_learner(name="别人", id_number=valid_id(seq=77))
    grant_delegate(actor_for_user(learner.user), "daughter")
    client.force_login(daughter)
    assert client.get(f"/api/v1/learners/{other.learner_no}/archive").status_code == 403


def test_granting_twice_or_to_nobody_is_refused(learner, daughter):
    me = actor_for_user(learner.user)
    grant_delegate(me, "daughter")
    with pytest.raises(Conflict):
        grant_delegate(me, "daughter")
    with pytest.raises(NotFound):
        grant_delegate(me, "nobody-by-this-name")


def test_the_learner_adds_a_delegate_on_the_page(client, learner, daughter):
    client.force_login(learner.user)
    client.post("/archive/delegates/", {"username": "daughter"})
    assert "daughter" in client.get("/archive/delegates/").content.decode()
