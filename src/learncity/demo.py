"""Demo data for a pilot or a look around: institutions, one user per role, a learner's archive.

Idempotent: running it twice changes nothing the second time. Refused in production.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from learncity import config
from learncity.access import system_actor
from learncity.catalogue.demo import load_catalogue_demo
from learncity.creditbank.demo import load_demo_standards
from learncity.errors import ConfigurationError
from learncity.framework.loader import load_framework
from learncity.identity.idnumbers import mod11_2_check_char
from learncity.identity.models import Learner
from learncity.identity.services import Registration, find_learner, register_learner
from learncity.institutions.models import Institution
from learncity.institutions.services import create_institution, grant_role
from learncity.institutions.uscc import make_uscc
from learncity.records.models import Outcome
from learncity.records.services import deposit_outcomes
from learncity.transfer.demo import load_demo_transfer

DEMO_PASSWORD = "learncity-demo"
INSTITUTIONS = [
    (
        "SOU",
        "上海开放大学",
        "Shanghai Open University",
        "open_university",
        "310106",
        "52310000MJ0000001",
    ),
    (
        "SHVC",
        "上海城市职业技术学院（示例）",
        "Shanghai City Vocational College (demo)",
        "vocational_college",
        "310115",
        "12310000MB0000002",
    ),
    (
        "XHEU",
        "徐汇区老年大学（示例）",
        "Xuhui Elderly University (demo)",
        "elderly_university",
        "310104",
        "12310104MB0000003",
    ),
    (
        "PTCS",
        "普陀区社区学校（示例）",
        "Putuo Community School (demo)",
        "community_school",
        "310107",
        "12310107MB0000004",
    ),
]


def demo_id_number(region: str, born: date, sequence: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + mod11_2_check_char(first17)


DEMO_LEARNER_ID = demo_id_number("310104", date(1958, 5, 17), 21)  # odd sequence: male


def _user(username: str, **extra):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults=extra)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _outcomes(actor, learner_id_number: str) -> None:
    rows = [
        (
            "SOU",
            "course",
            "公共管理导论",
            "SOU-PA-101",
            "48",
            "3",
            "86",
            "2023-02-20",
            "2023-06-30",
            "DEMO-SOU-1",
        ),
        (
            "SHVC",
            "skill_certificate",
            "养老护理员（四级）",
            "6-10-01-05",
            "160",
            "",
            "合格",
            "2023-09-01",
            "2024-01-15",
            "DEMO-SHVC-1",
        ),
        (
            "XHEU",
            "culture_leisure",
            "书法入门",
            "XH-CAL-01",
            "32",
            "",
            "优秀",
            "2024-03-01",
            "2024-06-28",
            "DEMO-XHEU-1",
        ),
        (
            "PTCS",
            "training",
            "老年人智能手机应用",
            "PT-DIG-02",
            "16",
            "",
            "通过",
            "2025-04-01",
            "2025-05-20",
            "DEMO-PTCS-1",
        ),
    ]
    for code, kind, title, ccode, hours, credits, result, start, end, ref in rows:
        institution = Institution.objects.get(code=code)
        if Outcome.objects.filter(institution=institution, idempotency_key=f"ref:{ref}").exists():
            continue
        deposit_outcomes(
            actor,
            institution,
            [
                {
                    "id_number": learner_id_number,
                    "name": "王建国",
                    "kind": kind,
                    "title": title,
                    "code": ccode,
                    "hours": hours,
                    "credits": credits,
                    "result": result,
                    "started_on": start,
                    "completed_on": end,
                    "reference": ref,
                }
            ],
            source="form",
        )


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo data; return (role, user name, password) for each demo login."""
    if config.is_production():
        raise ConfigurationError("Demo data is never loaded in production.")
    actor = system_actor("demo")
    load_framework()
    for code, zh, en, kind, district, uscc17 in INSTITUTIONS:
        if not Institution.objects.filter(code=code).exists():
            create_institution(
                actor,
                code=code,
                name_zh=zh,
                name_en=en,
                kind=kind,
                district_code=district,
                uscc=make_uscc(uscc17),
            )
    admin = _user("admin", is_staff=True, is_superuser=True, email="admin@example.org")
    officer = _user("officer")
    reviewer = _user("reviewer")
    auditor = _user("auditor")
    grant_role(actor, admin, "admin")
    grant_role(actor, officer, "officer", Institution.objects.get(code="SOU"))
    grant_role(actor, reviewer, "reviewer")
    grant_role(actor, auditor, "auditor")
    if find_learner("cn_resident", DEMO_LEARNER_ID) is None:
        register_learner(
            actor,
            Registration(
                name="王建国",
                doc_type="cn_resident",
                id_number=DEMO_LEARNER_ID,
                district_code="310104",
                hukou="local",
                phone="13800000000",
                username="learner",
                password=DEMO_PASSWORD,
            ),
        )
    load_demo_standards()
    _outcomes(actor, DEMO_LEARNER_ID)
    load_demo_transfer(actor)
    load_catalogue_demo(actor)
    assert Learner.objects.filter(user__username="learner").exists()
    return [
        ("learner 学习者", "learner", DEMO_PASSWORD),
        ("institution officer 机构经办人 (SOU)", "officer", DEMO_PASSWORD),
        ("credit bank reviewer 学分银行审核员", "reviewer", DEMO_PASSWORD),
        ("auditor 审计员", "auditor", DEMO_PASSWORD),
        ("administrator 管理员 (/admin/)", "admin", DEMO_PASSWORD),
    ]
