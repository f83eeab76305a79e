"""Shared fixtures: institutions, learners with valid identity numbers, staff with roles, keys."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from learncity.access import actor_for_api_key, actor_for_user, system_actor
from learncity.identity.idnumbers import mod11_2_check_char
from learncity.identity.services import Registration, register_learner
from learncity.institutions.services import create_institution, grant_role, issue_api_key
from learncity.institutions.uscc import make_uscc


def valid_id(region: str = "310104", born: date = date(1980, 3, 15), seq: int = 11) -> str:
    """A mainland identity number with a correct check character."""
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + mod11_2_check_char(first17)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Fast hashing in tests only: production keeps Django's PBKDF2 default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def system():
    return system_actor("test")


@pytest.fixture
def institution(db, system):
    return create_institution(
        system,
        code="SOU",
        name_zh="上海开放大学",
        name_en="Shanghai Open University",
        kind="open_university",
        district_code="310106",
        uscc=make_uscc("52310000MJ0000001"),
    )


@pytest.fixture
def other_institution(db, system):
    return create_institution(
        system,
        code="XHEU",
        name_zh="徐汇区老年大学",
        kind="elderly_university",
        district_code="310104",
        uscc=make_uscc("12310104MB0000003"),
    )


@pytest.fixture
def make_learner(db, system):
    counter = iter(range(1, 100000, 2))

    def make(
        name: str = "王建国",
        id_number: str | None = None,
        username: str | None = None,
        district: str = "310104",
        **extra,
    ):
        seq = next(counter)
        number = id_number or valid_id(seq=seq % 1000)
        reg = Registration(
            name=name,
            doc_type=extra.pop("doc_type", "cn_resident"),
            id_number=number,
            district_code=district,
            hukou=extra.pop("hukou", "local"),
            username=username or f"learner{seq}",
            password="correct-horse-9",
            **extra,
        )
        return register_learner(system, reg)

    return make


@pytest.fixture
def learner(make_learner):
    return make_learner(name="王建国", id_number=valid_id(seq=21), username="wang")


@pytest.fixture
def staff(db, system):
    def make(username: str, role: str, institution=None):
        user = get_user_model().objects.create_user(username, password="correct-horse-9")
        grant_role(system, user, role, institution)
        return user

    return make


@pytest.fixture
def officer(staff, institution):
    return staff("officer", "officer", institution)


@pytest.fixture
def officer_actor(officer):
    return actor_for_user(officer)


@pytest.fixture
def reviewer(staff):
    return staff("reviewer", "reviewer")


@pytest.fixture
def auditor(staff):
    return staff("auditor", "auditor")


@pytest.fixture
def api_token(officer_actor, institution):
    _key, token = issue_api_key(
        officer_actor, institution, "test platform", ["outcomes:read", "outcomes:write"]
    )
    return token


@pytest.fixture
def key_actor(api_token):
    from learncity.institutions.services import authenticate_api_key

    return actor_for_api_key(authenticate_api_key(api_token))


def outcome_values(learner_id: str, name: str = "王建国", **overrides) -> dict[str, str]:
    values = {
        "id_number": learner_id,
        "name": name,
        "kind": "course",
        "title": "公共管理导论",
        "code": "SOU-PA-101",
        "hours": "48",
        "credits": "3",
        "result": "86",
        "started_on": "2023-02-20",
        "completed_on": "2023-06-30",
    }
    values.update(overrides)
    return values


@pytest.fixture
def people(make_learner):
    """Five registered learners, the ones the import tests' rows name."""
    return [make_learner(name=f"学员{i}", id_number=valid_id(seq=200 + 2 * i)) for i in range(5)]


@pytest.fixture
def background_recognitions(monkeypatch):
    """The threads large deposits start to decide their outcomes, so a test can join them."""
    from learncity.creditbank import receivers

    threads = []
    real = receivers.recognise_in_background
    monkeypatch.setattr(
        receivers, "recognise_in_background", lambda batch_id: threads.append(real(batch_id))
    )
    return threads


def rejected_lines(settings, batch) -> list[list[str]]:
    """The rows of the rejected-rows file an accept-valid import wrote back."""
    import csv
    from pathlib import Path

    rejected = Path(settings.MEDIA_ROOT) / "imports" / batch.rejected_file
    return list(csv.reader(rejected.read_text(encoding="utf-8-sig").splitlines()))
