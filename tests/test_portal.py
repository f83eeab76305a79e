"""The portal pages: registration, deposit, upload, self-reporting, review and audit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learncity.audit.models import AuditEntry
from learncity.identity.models import Learner
from learncity.records.models import Outcome

from .conftest import outcome_values, valid_id


def register_form(**overrides):
    data = {
        "name": "陈静",
        "doc_type": "cn_resident",
        "doc_country": "",
        "id_number": valid_id(seq=301),
        "birth_date": "",
        "sex": "U",
        "district_code": "310115",
        "hukou": "local",
        "phone": "",
        "email": "",
        "username": "chenjing",
        "password": "correct-horse-9",
    }
    data.update(overrides)
    return data


def test_a_resident_opens_an_account_and_lands_on_the_archive(client, db):
    response = client.post("/register/", register_form(), follow=True)
    assert response.redirect_chain[-1][0] == "/archive/"
    page = response.content.decode()
    assert valid_id(seq=301) in page  # the learner sees their own number in full
    assert Learner.objects.get().name == "陈静"


def test_a_wrong_identity_number_is_shown_next_to_the_field(client, db):
    response = client.post("/register/", register_form(id_number="110105194912310021"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_id_number_error"' in page
    assert Learner.objects.count() == 0


def test_the_interface_speaks_chinese_by_default_and_english_on_request(client, db):
    chinese = client.get("/register/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'lang="zh-Hans"' in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": "/register/"})
    english = client.get("/register/").content.decode()
    assert 'lang="en"' in english and "Open your learning account" in english


def test_an_officer_deposits_through_the_form(client, officer, learner):
    client.force_login(officer)
    data = {
        **outcome_values(valid_id(seq=21)),
        "id_type": "cn_resident",
        "id_country": "",
        "evidence_url": "",
        "reference": "",
    }
    response = client.post("/institution/deposit/", data, follow=True)
    assert response.status_code == 200
    assert Outcome.objects.get().source == "form"


def test_the_deposit_form_shows_what_is_wrong(client, officer, learner):
    client.force_login(officer)
    data = {**outcome_values(valid_id(seq=21), hours="abc"), "id_type": "cn_resident"}
    page = client.post("/institution/deposit/", data).content.decode()
    assert 'id="id_hours_error"' in page
    assert Outcome.objects.count() == 0


def test_an_upload_with_bad_rows_shows_the_report_and_imports_nothing(client, officer, learner):
    from .test_import import HEADER, row

    client.force_login(officer)
    csv_text = ",".join(HEADER) + "\n" + ",".join(row(valid_id(seq=21), hours="-2")) + "\n"
    upload = SimpleUploadedFile("x.csv", csv_text.encode("gbk"), content_type="text/csv")
    page = client.post("/institution/upload/", {"file": upload}).content.decode()
    assert "<td>2</td>" in page  # the report names row 2
    assert Outcome.objects.count() == 0


def test_someone_without_a_role_cannot_open_officer_pages(client, learner):
    client.force_login(learner.user)
    assert client.get("/institution/upload/").status_code == 403
    assert client.get("/review/").status_code == 403
    assert client.get("/audit/").status_code == 403


def test_a_learner_reports_volunteering_and_a_reviewer_accepts_it(client, learner, reviewer):
    client.force_login(learner.user)
    evidence = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 volunteer letter")
    response = client.post(
        "/archive/report/",
        {
            "kind": "social_practice",
            "title": "社区志愿服务",
            "issuer_name": "徐汇区志愿者协会",
            "hours": "40",
            "started_on": "2024-01-01",
            "completed_on": "2024-12-31",
            "evidence": evidence,
        },
        follow=True,
    )
    outcome = Outcome.objects.get()
    assert outcome.status == "pending_review" and len(outcome.evidence_sha256) == 64
    assert response.status_code == 200
    client.force_login(reviewer)
    assert "社区志愿服务" in client.get("/review/").content.decode()
    client.post(f"/review/{outcome.pk}/", {"decision": "approve", "note": "证明齐全"})
    outcome.refresh_from_db()
    assert outcome.status == "recorded"
    second = client.post(f"/review/{outcome.pk}/", {"decision": "refuse", "note": "late"})
    assert second.status_code in (200, 409)
    outcome.refresh_from_db()
    assert outcome.status == "recorded"


def test_learners_cannot_report_degrees_themselves(client, learner):
    client.force_login(learner.user)
    client.post(
        "/archive/report/",
        {
            "kind": "degree",
            "title": "学士",
            "completed_on": "2020-07-01",
            "evidence_url": "https://x.org",
        },
    )
    assert Outcome.objects.count() == 0


def test_a_refusal_needs_a_reason(learner, reviewer):
    from learncity.access import actor_for_user
    from learncity.errors import ValidationFailed
    from learncity.records.services import report_own_outcome, review_reported_outcome

    outcome = report_own_outcome(
        actor_for_user(learner.user),
        {
            "kind": "work_experience",
            "title": "社区工作",
            "completed_on": "2024-01-01",
            "evidence_url": "https://example.org/x",
        },
    )
    with pytest.raises(ValidationFailed):
        review_reported_outcome(actor_for_user(reviewer), outcome.pk, approve=False, note=" ")


def test_an_auditor_filters_the_audit_trail(client, auditor, learner):
    client.force_login(auditor)
    page = client.get("/audit/?action=learner.").content.decode()
    assert "learner.register" in page
    assert valid_id(seq=21) not in page
    assert AuditEntry.objects.filter(action="learner.register").exists()


def test_an_officer_issues_an_api_key_that_is_shown_once(client, officer):
    client.force_login(officer)
    page = client.post(
        "/institution/api-keys/", {"name": "Moodle", "scopes": ["outcomes:write"]}
    ).content.decode()
    assert 'data-testid="new-key"' in page
    again = client.get("/institution/api-keys/").content.decode()
    assert 'data-testid="new-key"' not in again and "Moodle" in again


@pytest.mark.django_db(transaction=True)  # the background recognition has its own connection
def test_a_large_upload_says_its_credits_are_recognised_in_the_background(
    client, officer, learner, settings, background_recognitions
):
    from learncity.creditbank.models import Recognition

    from .test_import import HEADER, row

    settings.RECOGNISE_INLINE_ROWS = 1
    threads = background_recognitions
    client.force_login(officer)
    lines = [",".join(HEADER)] + [
        ",".join(row(valid_id(seq=21), reference=f"R{i}")) for i in range(3)
    ]
    upload = SimpleUploadedFile("x.csv", "\n".join(lines).encode(), content_type="text/csv")
    page = client.post(
        "/institution/upload/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "being recognised in the background" in page or "后台" in page
    threads[0].join(timeout=60)
    assert Recognition.objects.filter(is_current=True).count() == 3
