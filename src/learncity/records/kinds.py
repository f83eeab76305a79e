"""Outcome kinds and the framework category each belongs to by default. Pure: no Django."""

from __future__ import annotations

from functools import lru_cache


def gettext_noop(text: str) -> str:
    """Mark a label for translation extraction without importing Django (this module is pure)."""
    return text


# kind code -> (English label, Chinese label, default category code)
OUTCOME_KINDS: dict[str, tuple[str, str, str]] = {
    "course": (gettext_noop("Course"), "课程", "academic"),
    "degree": (gettext_noop("Degree or diploma"), "学历学位", "academic"),
    "vocational_certificate": (
        gettext_noop("Vocational qualification certificate"),
        "职业资格证书",
        "vocational",
    ),
    "skill_certificate": (
        gettext_noop("Skill-level certificate"),
        "职业技能等级证书",
        "vocational",
    ),
    "training": (gettext_noop("Training"), "培训", "vocational"),
    "online_course": (gettext_noop("Online course"), "在线课程", "vocational"),
    "culture_leisure": (
        gettext_noop("Culture or leisure course"),
        "文化休闲课程",
        "culture_leisure",
    ),
    "work_experience": (gettext_noop("Work experience"), "工作经历", "work_experience"),
    "social_practice": (
        gettext_noop("Social practice or volunteering"),
        "社会实践/志愿服务",
        "social_practice",
    ),
    "competition_award": (gettext_noop("Competition award"), "竞赛获奖", "social_practice"),
}

SELF_REPORTABLE_KINDS = ("work_experience", "social_practice", "online_course", "culture_leisure")


@lru_cache(maxsize=1024)  # a spreadsheet repeats a few spellings on every row
def find_kind(value: str) -> str | None:
    """Find a kind by code, English or Chinese label, as typed in a form or spreadsheet."""
    value = value.strip()
    folded = value.casefold()
    for code, (en, zh, _category) in OUTCOME_KINDS.items():
        if folded in (code, en.casefold()) or value == zh:
            return code
    return None


def default_category(kind: str) -> str:
    return OUTCOME_KINDS[kind][2]
