"""Recognised outcomes for the Django tests of credentials (the credit bank's own path)."""

from __future__ import annotations

from learncity.creditbank.models import Recognition
from learncity.creditbank.services import publish_standard
from learncity.creditbank.standards_file import import_standards
from learncity.framework.loader import load_framework
from learncity.records.services import deposit_outcomes

from ..conftest import outcome_values, valid_id

SOU_COURSES = """
standards:
  - code: SOU-PA
    version: "1"
    name_zh: 公共管理课程
    name_en: Public administration courses
    effective_from: 2020-01-01
    kinds: [course]
    institution_codes: [SOU]
    code_pattern: SOU-PA-*
    min_result: "60"
    level: 5
    category: academic
    hours_per_credit: 16
    rounding_step: 0.5
    credits_cap: 6
"""


def publish_standards(admin_actor) -> None:
    load_framework()
    for standard in import_standards(admin_actor, SOU_COURSES):
        publish_standard(admin_actor, standard.pk)


def recognised(system, institution, **overrides) -> Recognition:
    """Deposit an outcome for the `learner` fixture (id seq 21) that a standard recognises."""
    [outcome] = deposit_outcomes(
        system, institution, [outcome_values(valid_id(seq=21), **overrides)], source="api"
    )
    return Recognition.objects.get(outcome=outcome, is_current=True, status="recognised")
