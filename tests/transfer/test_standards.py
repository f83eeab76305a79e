"""Transfer standards: import/export, publication checks, versions, publishers, alliances."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import yaml
from django.utils import timezone

from learncity.access import actor_for_user
from learncity.errors import PermissionDenied, ValidationFailed
from learncity.transfer.loading import standards_in_force
from learncity.transfer.models import TransferStandard
from learncity.transfer.programmes_file import import_catalogue
from learncity.transfer.services.standards import publish_standard, retire_standard
from learncity.transfer.standards_file import export_standards, import_standards

from .conftest import STANDARD


def one(rules: str, code="S", version="1", **head) -> str:
    extra = "".join(f"    {k}: {v}\n" for k, v in head.items())
    return (
        f"standards:\n  - code: {code}\n    version: '{version}'\n    name_zh: 标准\n"
        f"    institution: SOU\n    effective_from: 2020-01-01\n{extra}    rules:\n{rules}"
    )


def publish_text(system, text):
    [standard] = import_standards(system, text)
    return publish_standard(system, standard.pk)


def test_standards_round_trip_through_yaml_and_json(system, standard):
    exported = export_standards()
    data = yaml.safe_load(exported)["standards"][0]
    assert data["code"] == "SOU-PA-T" and len(data["rules"]) == 4
    assert data["rules"][1]["sources"] == [{"code_exact": "SH-OFF-1"}, {"code_exact": "SH-OFF-2"}]
    data["version"] = "2"
    [copy] = import_standards(system, json.dumps({"standards": [data]}))
    assert copy.status == "draft" and copy.rules.count() == 4
    assert json.loads(export_standards("draft", "json"))["standards"][0]["rules"] == data["rules"]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("not: [valid", "not valid YAML"),
        ("standards: []", "standards"),
        (one("      - {code: R, sources: [{colour: red}], targets: [PA101]}\n"), "colour"),
        (one("      - {code: R, sources: [], targets: [PA101]}\n"), "list of sources"),
        (one("      - {code: R, sources: [{min_hours: lots}], targets: [PA101]}\n"), "lots"),
        (
            one(
                "      - {code: R, sources: [{kinds: [course]}]}\n      - {code: R, sources: "
                "[{kinds: [course]}]}\n"
            ),
            "used twice",
        ),
        (
            one("      - {code: R, sources: [{kinds: [course]}]}\n", effective_to="2019-01-01"),
            "ends before",
        ),
        (
            one("      - {code: R, sources: [{kinds: [course]}]}\n").replace("SOU", "NOWHERE"),
            "NOWHERE",
        ),
    ],
)
def test_bad_standard_files_are_refused_whole(system, programme, text, fragment):
    with pytest.raises(ValidationFailed) as error:
        import_standards(system, text)
    assert fragment in str(error.value.message)
    assert not TransferStandard.objects.exists()


def test_a_rule_naming_an_unknown_course_is_not_published(system, programme):
    text = one("      - {code: R1, sources: [{code_exact: X}], targets: [PA101, PA999]}\n")
    with pytest.raises(ValidationFailed) as error:
        publish_text(system, text)
    assert error.value.code == "standard.unknown_courses"
    assert "PA999" in str(error.value.message) and "S@1/R1" in str(error.value.message)
    assert TransferStandard.objects.get().status == "draft"


def test_cyclic_rules_are_not_published_even_across_standards(system, programme):
    with pytest.raises(ValidationFailed) as error:
        publish_text(
            system,
            one(
                "      - {code: R1, sources: [{code_exact: PA101}], targets: [PA102]}\n"
                "      - {code: R2, sources: [{code_exact: PA102}], targets: [PA101]}\n"
            ),
        )
    assert error.value.code == "standard.cyclic" and "PA101 → PA102 → PA101" in str(error.value)
    publish_text(
        system,
        one("      - {code: R1, sources: [{code_exact: PA101}], targets: [PA102]}\n", code="A"),
    )
    with pytest.raises(ValidationFailed, match="cycle"):
        publish_text(
            system,
            one(
                "      - {code: R1, sources: [{code_pattern: 'PA10*'}], targets: [PA101]}\n",
                code="B",
            ),
        )


def test_contradictory_and_impossible_rules_are_not_published(system, programme):
    with pytest.raises(ValidationFailed) as error:
        publish_text(
            system,
            one(
                "      - {code: R1, sources: [{code_exact: X}], targets: [PA101],"
                " elective_credits: 1}\n"
                "      - {code: R2, sources: [{code_exact: X}], targets: [PA101],"
                " elective_credits: 3}\n"
            ),
        )
    assert error.value.code == "standard.contradictory"
    with pytest.raises(ValidationFailed) as error:
        publish_text(
            system,
            one(
                "      - {code: R1, sources: [{completed_from: 2024-01-01,"
                " completed_to: 2020-01-01}],"
                " targets: [PA101]}\n",
                code="T",
            ),
        )
    assert error.value.code == "standard.never_applies"


def test_only_the_publishing_institution_may_import_or_publish(staff, other_institution, programme):
    stranger = actor_for_user(staff("stranger", "officer", other_institution))
    with pytest.raises(PermissionDenied):
        import_standards(stranger, STANDARD)


def test_the_newest_version_in_force_applies_and_retired_ones_do_not(system, programme):
    rules = "      - {code: R1, sources: [{code_exact: X}], targets: [PA101]}\n"
    v1 = publish_text(system, one(rules, version="1"))
    v2 = publish_text(system, one(rules, version="2", effective_from="2024-01-01"))
    future = timezone.localdate() + timedelta(days=30)
    publish_text(system, one(rules, version="3", effective_from=future.isoformat()))
    now = timezone.now()
    assert standards_in_force(programme, now) == [v2]
    assert standards_in_force(programme, now.replace(year=2023)) == []  # v1 published later
    retire_standard(system, v2.pk, "replaced")
    assert standards_in_force(programme, timezone.now()) == [v1]


def test_alliance_standards_apply_to_member_programmes_only(
    system, programme, college, other_institution
):
    import_catalogue(
        system,
        """
alliances:
  - {code: YRD, name_zh: 联盟, members: [SOU, SHVC], joined_on: 2020-01-01}
programmes:
  - institution: XHEU
    code: XH-ART
    name_zh: 书画
    total_credits: 10
    courses: [{code: ART1, name_zh: 书法, credits: 2}]
""",
    )
    text = one("      - {code: E, sources: [{kinds: [training]}], elective_credits: 2}\n")
    publish_text(system, text.replace("institution: SOU", "alliance: YRD"))
    assert [s.code for s in standards_in_force(programme, timezone.now())] == ["S"]
    other = programme.__class__.objects.get(code="XH-ART")
    assert standards_in_force(other, timezone.now()) == []
