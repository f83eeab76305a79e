"""The question bank, the web form's rules, and importing responses from .csv and .xlsx."""

import pytest
from django.test import Client
from openpyxl import Workbook

from learncity.errors import Conflict, PermissionDenied, ValidationFailed
from learncity.monitoring.answers import ItemSpec, clean
from learncity.monitoring.models import Item, Questionnaire, Response, SampleUnit
from learncity.monitoring.services import (
    create_survey,
    import_responses,
    issue_links,
    load_question_bank,
)

UNIT = {"stratum": "310104", "psu": "310104-0001", "base_weight": 250.0,
        "district_code": "310104", "sex": "F", "age_band": "60-64", "hukou": "local"}
GOOD = {"Q_PART12": "yes", "Q_WANTED": "yes", "Q_BARRIERS": ["cost", "time"], "Q_DIG1": "3",
        "Q_DIG2": "4", "Q_DIG3": "2", "Q_DIG4": "1", "Q_DIG5": "5", "Q_USED": "partly",
        "Q_CERT": "no", "Q_HOURS": "40", "Q_COMMENT": ""}


@pytest.fixture
def survey(db, system):
    load_question_bank(system)
    questionnaire = Questionnaire.objects.get(code="LLL")
    return create_survey(system, "LLL-2024", 2024, questionnaire)


def test_the_bank_loads_once_and_refuses_a_silent_change(db, system):
    first = load_question_bank(system)
    assert first["items"] >= 12 and first["questionnaires"] == 1
    assert load_question_bank(system) == {"items": 0, "questionnaires": 0}
    item = Item.objects.get(code="Q_WANTED")
    assert item.indicators == ["SV_UNMET_NEED", "SV_BARRIERS"] and item.text_en and item.text_zh
    Item.objects.filter(pk=item.pk).update(text_en="Changed wording")
    with pytest.raises(Conflict):
        load_question_bank(system)


def test_only_analysts_manage_surveys(db, learner):
    from learncity.access import actor_for_user

    with pytest.raises(PermissionDenied):
        load_question_bank(actor_for_user(learner.user))


def test_answers_follow_the_questionnaire_rules():
    specs = [ItemSpec("A", "single", ("yes", "no")),
             ItemSpec("B", "multiple", ("x", "y"), show_if={"item": "A", "values": ["yes"]}),
             ItemSpec("C", "scale", (), 1, 5), ItemSpec("D", "number", (), 0, 100, False)]
    answers, problems = clean(specs, {"A": "yes", "B": "y；x", "C": "5", "D": ""})
    assert answers == {"A": "yes", "B": "x;y", "C": "5"} and problems == []
    answers, problems = clean(specs, {"A": "no", "B": "x", "C": "6", "D": "abc"})
    assert "B" not in answers  # not asked after "no"
    assert {(p.item, p.kind) for p in problems} == {("C", "out_of_range"), ("D", "not_a_number")}
    _answers, problems = clean(specs, {"A": "maybe"})
    assert {(p.item, p.kind) for p in problems} == {("A", "not_an_option"), ("C", "required")}


def test_an_anonymous_link_answers_once(survey, system):
    (_key, token), = issue_links(system, survey, [{"unit_key": 1, **UNIT}])
    client = Client()
    page = client.get(f"/monitoring/survey/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and b"wanted to learn" in page.content
    bad = client.post(f"/monitoring/survey/{token}/", {**GOOD, "Q_DIG1": "9"})
    assert bad.status_code == 200 and Response.objects.count() == 0
    done = client.post(f"/monitoring/survey/{token}/", GOOD)
    assert done.status_code == 200 and Response.objects.count() == 1
    response = Response.objects.get()
    assert response.answers["Q_BARRIERS"] == "time;cost"
    assert client.get(f"/monitoring/survey/{token}/").status_code == 200  # "already answered"
    assert client.post(f"/monitoring/survey/{token}/", GOOD).status_code == 200
    assert Response.objects.count() == 1
    assert SampleUnit.objects.get().token_hash != token
    assert client.get("/monitoring/survey/not-a-token/").status_code == 404


def _rows(extra=None):
    header = ["unit_key", "stratum", "psu", "base_weight", "district_code", "sex", "age_band",
              "hukou", "responded", *GOOD]
    good = ["7", *[str(UNIT[k]) for k in header[1:8]], "1",
            *[";".join(v) if isinstance(v, list) else v for v in GOOD.values()]]
    silent = ["8", *[str(UNIT[k]) for k in header[1:8]], "0", *[""] * len(GOOD)]
    return [header, good, silent, *(extra or [])]


def test_responses_import_from_csv(survey, system, tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text("\n".join(",".join(r) for r in _rows()), encoding="utf-8-sig")
    assert import_responses(system, survey, path) == {"rows": 2, "responses": 1}
    assert SampleUnit.objects.filter(survey=survey).count() == 2


def test_responses_import_from_xlsx_and_bad_rows_refuse_the_file(survey, system, tmp_path):
    header, good, silent = _rows()
    bad = list(good)
    bad[0], bad[5], bad[9] = "9", "X", "perhaps"  # sex and Q_PART12 wrong
    book = Workbook()
    for row in (header, good, silent, bad):
        book.active.append(row)
    path = tmp_path / "responses.xlsx"
    book.save(path)
    with pytest.raises(ValidationFailed) as refused:
        import_responses(system, survey, path)
    problems = {(p["row"], p["column"]) for p in refused.value.details}
    assert problems == {(4, "sex"), (4, "Q_PART12")}
    assert SampleUnit.objects.count() == 0  # nothing half-imported
