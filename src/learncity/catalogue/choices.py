"""The catalogue's code lists, each code with its English and Chinese label. Pure: no Django.

Forms, spreadsheets and the API accept a code, its English label or its Chinese label
(`find`); pages show the label in the reader's language (`label`).
"""

from __future__ import annotations

Labels = dict[str, tuple[str, str]]

MODES: Labels = {
    "online": ("Online", "线上"),
    "offline": ("In person", "线下"),
    "blended": ("Blended", "线上线下结合"),
}
COURSE_KINDS: Labels = {
    "degree": ("Degree course", "学历课程"),
    "vocational": ("Vocational training", "职业培训"),
    "community": ("Community course", "社区课程"),
    "elderly": ("Elderly-education course", "老年教育课程"),
    "mooc": ("MOOC", "慕课"),
    "micro_lesson": ("Micro-lesson", "微课"),
    "experience": ("Experience programme", "体验项目"),
}
AUDIENCES: Labels = {
    "children": ("Children (under 14)", "少年儿童（14 岁以下）"),
    "youth": ("Young people (14–34)", "青年（14–34 岁）"),
    "adults": ("Adults (35–59)", "中年（35–59 岁）"),
    "elderly": ("Older people (60 and over)", "老年人（60 岁及以上）"),
}
SITE_KINDS: Labels = {
    "community_school": ("Community school", "社区学校"),
    "elderly_university": ("Elderly university", "老年大学"),
    "learning_point": ("Social learning point", "社会学习点"),
    "experience_base": ("Lifelong-learning experience base", "终身学习体验基地"),
    "library": ("Library", "图书馆"),
    "museum": ("Museum", "博物馆"),
    "cultural_centre": ("Cultural centre", "文化中心"),
    "other": ("Other learning site", "其他学习场所"),
}
MODERATION: Labels = {
    "pending": ("Waiting for moderation", "待审核"),
    "published": ("Published", "已发布"),
    "rejected": ("Sent back to the provider", "已退回"),
    "suspended": ("Suspended", "已暂停"),
}
ENROLMENT_STATES: Labels = {
    "enrolled": ("Place confirmed", "已报名"),
    "waiting": ("On the waiting list", "候补中"),
    "cancelled": ("Cancelled", "已取消"),
    "attended": ("Attended", "已参加"),
    "absent": ("Did not attend", "未参加"),
}
PARTS_OF_DAY: Labels = {
    "morning": ("Morning (before 12:00)", "上午（12:00 前）"),
    "afternoon": ("Afternoon (12:00–18:00)", "下午（12:00–18:00）"),
    "evening": ("Evening (from 18:00)", "晚上（18:00 起）"),
}
WEEKDAYS: Labels = {
    "1": ("Monday", "星期一"),
    "2": ("Tuesday", "星期二"),
    "3": ("Wednesday", "星期三"),
    "4": ("Thursday", "星期四"),
    "5": ("Friday", "星期五"),
    "6": ("Saturday", "星期六"),
    "7": ("Sunday", "星期日"),
}
EVENT_KINDS: Labels = {
    "activity_week": ("Lifelong-learning activity week", "全民终身学习活动周"),
    "reading_festival": ("Reading festival", "读书节"),
    "poetry_festival": ("Citizens' poetry festival", "市民诗歌节"),
    "other": ("Other citywide event", "其他全市性活动"),
}
TEAM_STATES: Labels = {
    "pending": ("Waiting for approval", "待审核"),
    "active": ("Active", "活跃"),
    "closed": ("Closed", "已解散"),
}
ORGANISATION_KINDS: Labels = {
    "unit": ("Government unit or public institution", "机关事业单位"),
    "community": ("Community (street, town or neighbourhood)", "社区（街镇、居村）"),
    "enterprise": ("Enterprise", "企业"),
}
PRACTITIONER_ROLES: Labels = {
    "teacher": ("Teacher", "教师"),
    "manager": ("Manager of learning services", "管理人员"),
    "volunteer": ("Volunteer tutor", "志愿者讲师"),
}
COMPETENCE_LEVELS: Labels = {
    "entry": ("Entry", "初级"),
    "proficient": ("Proficient", "中级"),
    "expert": ("Expert", "高级"),
}
CHECK_ANSWERS: Labels = {
    "unset": ("Not yet answered", "未填写"),
    "met": ("Met", "达标"),
    "not_met": ("Not met", "未达标"),
    "not_applicable": ("Not applicable", "不适用"),
}
VERDICTS: Labels = {
    "meets": ("Meets the standard", "达标"),
    "conditions": ("Meets it with conditions", "有条件达标"),
    "fails": ("Does not meet the standard", "不达标"),
}
AWARD_KINDS: Labels = {
    "learning_star": ("Learning star", "学习明星"),
    "team": ("Outstanding learning team", "优秀学习团队"),
    "organisation": ("Outstanding learning organisation", "优秀学习型组织"),
}
NOMINATION_STATES: Labels = {
    "candidate": ("Ranked candidate", "候选"),
    "nominated": ("Nominated", "已提名"),
    "approved": ("Approved by the reviewer", "审核通过"),
    "rejected": ("Not approved", "未通过"),
    "published": ("Published", "已公示"),
}


def label(table: Labels, code: str, language: str = "zh-hans") -> str:
    """The label of a code in a language; the code itself when unknown."""
    pair = table.get(code)
    if pair is None:
        return code
    return pair[0] if (language or "").startswith("en") else pair[1]


def find(table: Labels, value: str) -> str | None:
    """A code from its code, English label or Chinese label, as typed; None when unknown."""
    value = (value or "").strip()
    folded = value.casefold()
    for code, (en, zh) in table.items():
        if folded in (code.casefold(), en.casefold()) or value == zh:
            return code
    return None


def django_choices(table: Labels) -> list[tuple[str, str]]:
    """(code, English label) pairs for model fields; pages translate with `label`."""
    return [(code, en) for code, (en, _zh) in table.items()]


def pack(codes: list[str] | tuple[str, ...] | set[str]) -> str:
    """Store a set of codes in one column as ',a,b,' so a LIKE '%,a,%' finds each one."""
    ordered = sorted({c.strip() for c in codes if c and c.strip()})
    return f",{','.join(ordered)}," if ordered else ""


def unpack(packed: str) -> list[str]:
    return [c for c in (packed or "").split(",") if c]
