"""Fixtures: a target programme at SOU, a source college, a published standard, a learner whose
outcomes the credit bank has recognised."""

from __future__ import annotations

import pytest
from django.utils import translation

from learncity.access import actor_for_user
from learncity.creditbank.services import publish_standard as publish_recognition
from learncity.creditbank.standards_file import import_standards as import_recognition
from learncity.framework.loader import load_framework
from learncity.institutions.services import create_institution
from learncity.institutions.uscc import make_uscc
from learncity.records.services import deposit_outcomes
from learncity.transfer.programmes_file import import_catalogue
from learncity.transfer.services.standards import publish_standard
from learncity.transfer.standards_file import import_standards

from ..conftest import outcome_values, valid_id

RECOGNISE_ALL = """
standards:
  - code: TEST-ALL
    version: "1"
    name_zh: 测试认定
    effective_from: 2000-01-01
    kinds: [course, training, skill_certificate]
    level: 4
    category: academic
    credits_fixed: 2
"""

CATALOGUE = """
programmes:
  - institution: SOU
    code: SOU-PA-AD
    name_zh: 行政管理（专科）
    name_en: Public administration (associate)
    total_credits: 20
    transfer_max_share: 0.5
    residency_min_credits: 5
    elective_credits: 4
    validity_years: 5
    courses:
      - {code: PA101, name_zh: 管理学基础, credits: 3}
      - {code: PA102, name_zh: 办公室管理, credits: 4}
      - {code: PA103, name_zh: 公文写作, credits: 2}
"""

STANDARD = """
standards:
  - code: SOU-PA-T
    version: "1"
    name_zh: 行政管理学分转换标准
    institution: SOU
    effective_from: 2020-01-01
    rules:
      - code: R1
        sources: [{code_exact: SH-ADM-101, min_result: "70"}]
        targets: [PA101]
      - code: R2
        sources: [{code_exact: SH-OFF-1}, {code_exact: SH-OFF-2}]
        targets: [PA102]
      - code: R3
        sources: [{code_exact: SH-WRT-9}]
        targets: [PA103, PA101]
      - code: R4
        sources: [{kinds: [training]}]
        elective_credits: 2
"""


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English; the portal's default language is Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture
def college(db, system):
    return create_institution(
        system,
        code="SHVC",
        name_zh="上海城市职业技术学院",
        kind="vocational_college",
        district_code="310115",
        uscc=make_uscc("12310000MB0000002"),
    )


@pytest.fixture
def programme(system, institution):
    load_framework()  # a transactional test flushed the migration's copy
    import_recognition(system, RECOGNISE_ALL)
    from learncity.creditbank.models import RecognitionStandard

    for s in RecognitionStandard.objects.filter(status="draft"):
        publish_recognition(system, s.pk)
    _alliances, [programme] = import_catalogue(system, CATALOGUE)
    return programme


@pytest.fixture
def standard(system, programme):
    [standard] = import_standards(system, STANDARD)
    return publish_standard(system, standard.pk)


@pytest.fixture
def deposit(system, college, learner):
    def make(code, kind="course", result="86", completed_on="2024-06-30", institution=None):
        values = outcome_values(
            valid_id(seq=21),
            kind=kind,
            code=code,
            result=result,
            title=f"课程 {code}",
            started_on="",
            completed_on=completed_on,
        )
        [outcome] = deposit_outcomes(system, institution or college, [values], source="api")
        return outcome

    return make


@pytest.fixture
def archive(deposit, standard):
    """R1 (PA101, 3), R2 pair (PA102, 4), a training (electives 2); one below R1's minimum."""
    return {
        "adm": deposit("SH-ADM-101"),
        "off1": deposit("SH-OFF-1"),
        "off2": deposit("SH-OFF-2"),
        "training": deposit("SH-TR-5", kind="training", result="通过"),
    }


@pytest.fixture
def learner_actor(learner):
    return actor_for_user(learner.user)
