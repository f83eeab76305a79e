"""Portal pages for learners, institutions and reviewers, and the command line."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from learncity.transfer.models import Application, TransferStandard

from .conftest import STANDARD


def english() -> Client:
    """Pages are checked in English; the portal's default language is Chinese."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def learner_client(learner, archive):
    client = english()
    client.force_login(learner.user)
    return client


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_learner_explores_applies_and_follows_the_application(learner_client, deposit):
    deposit("SH-ADM-101", result="60")
    home = html(learner_client.get("/transfer/"))
    assert "/transfer/explore/SOU-PA-AD/" in home and 'href="/transfer/"' in home
    page = html(learner_client.get("/transfer/explore/SOU-PA-AD/"))
    assert 'data-testid="proposal-credits">9.0<' in page
    assert "Below the minimum result 70 of rule SOU-PA-T@1/R1" in page
    response = learner_client.post("/transfer/explore/SOU-PA-AD/apply/")
    app = Application.objects.get()
    assert response.url == f"/transfer/applications/{app.pk}/"
    refused = learner_client.post(f"/transfer/applications/{app.pk}/submit/", follow=True)
    assert "Agree to share your learning archive" in html(refused)
    done = learner_client.post(
        f"/transfer/applications/{app.pk}/submit/", {"consent": "on"}, follow=True
    )
    assert 'data-testid="state"><strong>Submitted<' in html(done)
    notices = html(learner_client.get("/transfer/notifications/"))
    assert f"Your application #{app.pk} to SOU-PA-AD was submitted." in notices
    assert learner_client.post(f"/transfer/applications/{app.pk}/explode/").status_code == 404


def test_an_officer_reviews_decides_and_posts_on_the_pages(learner_client, officer):
    client = english()
    learner_client.post("/transfer/explore/SOU-PA-AD/apply/")
    app = Application.objects.get()
    learner_client.post(f"/transfer/applications/{app.pk}/submit/", {"consent": "on"})
    client.force_login(officer)
    assert f"/transfer/applications/{app.pk}/" in html(client.get("/transfer/institution/"))
    client.post(f"/transfer/review/{app.pk}/review/")
    page = html(client.get(f"/transfer/applications/{app.pk}/"))
    assert "archive (shared with consent)" in page and "SH-OFF-1" in page
    for item in app.items.all():
        client.post(
            f"/transfer/review/{app.pk}/items/{item.pk}/",
            {"decision": "approve", "reason": "matches"},
        )
    client.post(f"/transfer/review/{app.pk}/finish/")
    posted = html(client.post(f"/transfer/review/{app.pk}/post/", follow=True))
    assert 'data-testid="state"><strong>Posted<' in posted
    transcript = html(learner_client.get("/transfer/transcript/"))
    assert "SOU-PA-T@1" in transcript and "officer" in transcript


def test_an_officer_imports_and_publishes_standards_on_the_page(programme, officer):
    client = english()
    client.force_login(officer)
    page = client.post("/transfer/institution/", {"text": STANDARD}, follow=True)
    assert "Draft standards created: SOU-PA-T@1" in html(page)
    standard = TransferStandard.objects.get()
    client.post(f"/transfer/standards/{standard.pk}/publish/")
    standard.refresh_from_db()
    assert standard.status == "published"
    bad = STANDARD.replace('version: "1"', 'version: "2"').replace("[PA101]", "[PA404]", 1)
    client.post("/transfer/institution/", {"text": bad})
    draft = TransferStandard.objects.get(version="2")
    refused = client.post(f"/transfer/standards/{draft.pk}/publish/", follow=True)
    assert "PA404" in html(refused)


def test_pages_refuse_people_without_the_role(learner_client, staff, other_institution):
    client = english()
    learner_client.post("/transfer/explore/SOU-PA-AD/apply/")
    app = Application.objects.get()
    assert learner_client.get("/transfer/institution/").status_code == 403
    client.force_login(staff("stranger", "officer", other_institution))
    assert client.get(f"/transfer/applications/{app.pk}/").status_code == 404
    reviewer = staff("rev", "reviewer")
    client.force_login(reviewer)
    assert "No applications are waiting." in html(client.get("/transfer/review/"))


def test_the_command_prints_the_explained_proposal(archive, learner, deposit):
    deposit("SH-OFF-1", completed_on="2015-01-01")
    out = io.StringIO()
    call_command(
        "transfer",
        "propose",
        "--learner",
        learner.learner_no,
        "--programme",
        "SOU-PA-AD",
        "--lang",
        "en",
        stdout=out,
    )
    text = out.getvalue()
    assert "credits: 9.0 of cap 10.0" in text and "SOU-PA-T@1/R2" in text
    assert "Too old: completed on 2015-01-01" in text
    out = io.StringIO()
    call_command(
        "transfer",
        "propose",
        "--learner",
        learner.learner_no,
        "--programme",
        "SOU-PA-AD",
        "--json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["credits"] == "9.0"


def test_the_command_imports_exports_and_publishes(programme, tmp_path):
    path = tmp_path / "standards.yaml"
    path.write_text(STANDARD, encoding="utf-8")
    out = io.StringIO()
    call_command("transfer", "import", str(path), stdout=out)
    assert "1 draft standards: SOU-PA-T@1" in out.getvalue()
    call_command("transfer", "publish", "SOU-PA-T@1", stdout=out)
    exported = io.StringIO()
    call_command("transfer", "export", "--format", "json", stdout=exported)
    assert json.loads(exported.getvalue())["standards"][0]["code"] == "SOU-PA-T"


def test_the_credits_page_shows_a_transfer_posting_as_a_credit_transfer(
    learner_client, learner_actor, officer_actor
):
    from learncity.transfer.services.posting import post_application

    from .test_applications import approved

    post_application(officer_actor, approved(learner_actor, officer_actor).pk)
    page = html(learner_client.get("/credits/"))
    assert page.count("⇄ Credit transfer") == 4  # one zero-credit entry per outcome used
