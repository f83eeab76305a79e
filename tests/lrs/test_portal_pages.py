"""Portal pages of the LRS: officers' credentials (secret once), learners' platform emails."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client

from learncity.audit.models import AuditEntry
from learncity.lrs.credentials import create_credential
from learncity.lrs.models import Credential, LearnerMbox
from learncity.lrs.projection import confirm_learner_email
from learncity.lrs.projection_rules import mbox_sha1

pytestmark = pytest.mark.django_db

CREDENTIALS = "/institution/lrs-credentials/"
EMAILS = "/archive/learning-platform-emails/"


def xapi_status(key: str, secret: str) -> int:
    auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
    response = Client().get(
        "/xapi/statements", HTTP_AUTHORIZATION=auth, HTTP_X_EXPERIENCE_API_VERSION="2.0.0"
    )
    return response.status_code


def email_form(email: str, again: str | None = None, **extra) -> dict:
    return {"email": email, "email_again": again or email, "confirm": "on", **extra}


# --- officers: LRS credentials --------------------------------------------------------------


def test_an_officer_creates_a_credential_and_sees_the_secret_once(client, officer, institution):
    client.force_login(officer)
    page = client.get(CREDENTIALS)
    assert page.status_code == 200 and "/xapi/" in page.content.decode()
    response = client.post(
        CREDENTIALS, {"name": "SOU Moodle", "scopes": ["read", "write"], "default_version": "1.0.3"}
    )
    html = response.content.decode()
    credential = Credential.objects.get(institution=institution)
    secret = re.search(r'data-testid="new-secret">([^<]+)<', html).group(1)
    assert credential.key in html and response["Cache-Control"] == "no-store"
    assert credential.scopes == ["read", "write"] and credential.default_version == "1.0.3"
    assert secret not in credential.secret_hash and xapi_status(credential.key, secret) == 200
    again = client.get(CREDENTIALS).content.decode()  # listed, but the secret never again
    assert credential.key in again and secret not in again and "new-secret" not in again


def test_an_officer_revokes_a_credential_and_it_stops_working(
    client, officer, officer_actor, institution
):
    credential, secret = create_credential(officer_actor, institution, "app", ["read"])
    client.force_login(officer)
    response = client.post(CREDENTIALS, {"revoke": credential.pk, "reason": "platform retired"})
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.revoked_at is not None and xapi_status(credential.key, secret) == 401
    entry = AuditEntry.objects.get(action="lrs.credential.revoke")
    assert entry.reason == "platform retired"


def test_the_form_says_what_is_missing(client, officer):
    client.force_login(officer)
    html = client.post(CREDENTIALS, {"name": "", "default_version": "2.0.0"}).content.decode()
    assert 'role="alert"' in html and "has-error" in html
    assert not Credential.objects.exists()


def test_an_officer_cannot_see_or_revoke_another_institutions_credentials(
    client, officer, institution, other_institution, system
):
    theirs, secret = create_credential(system, other_institution, "XHEU app", ["write"])
    mine, _ = create_credential(system, institution, "SOU app", ["write"])
    client.force_login(officer)
    html = client.get(CREDENTIALS).content.decode()
    assert mine.key in html and theirs.key not in html and "XHEU app" not in html
    assert client.get(CREDENTIALS + "?institution=XHEU").status_code == 403
    assert client.post(CREDENTIALS, {"revoke": theirs.pk}).status_code == 404
    assert client.post(CREDENTIALS + "?institution=XHEU", {"revoke": theirs.pk}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.revoked_at is None and xapi_status(theirs.key, secret) != 401


def test_people_without_the_officer_role_cannot_open_the_credentials_page(client, learner):
    assert client.get(CREDENTIALS).status_code == 302  # to the sign-in page
    client.force_login(learner.user)
    assert client.get(CREDENTIALS).status_code == 403


def test_the_credentials_page_speaks_both_languages(client, officer):
    client.force_login(officer)
    chinese = client.get(CREDENTIALS, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "本机构的凭据" in chinese and "创建该凭据" in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": CREDENTIALS})
    english = client.get(CREDENTIALS).content.decode()
    assert "Credentials of your institution" in english


# --- learners: email addresses of their learning platforms ---------------------------------


def test_a_learner_confirms_an_address_and_sees_it_masked(client, learner):
    client.force_login(learner.user)
    response = client.post(EMAILS, email_form("wang.jianguo@Example.com"), follow=True)
    html = response.content.decode()
    mbox = LearnerMbox.objects.get()
    assert mbox.learner == learner
    assert mbox.mbox_sha1 == mbox_sha1("mailto:wang.jianguo@example.com")
    assert "wa…@example.com" in html and "wang.jianguo" not in html
    assert AuditEntry.objects.filter(action="lrs.learner_email.confirm").count() == 1


def test_typos_and_unchecked_boxes_are_refused(client, learner):
    client.force_login(learner.user)
    html = client.post(EMAILS, email_form("wang@example.com", "wagn@example.com")).content.decode()
    assert 'role="alert"' in html and not LearnerMbox.objects.exists()
    html = client.post(EMAILS, {"email": "not an address", "email_again": "x"}).content.decode()
    assert 'role="alert"' in html and not LearnerMbox.objects.exists()
    client.post(EMAILS, {"email": "wang@example.com", "email_again": "wang@example.com"})
    assert not LearnerMbox.objects.exists()  # the "this address is mine" box is required


def test_a_learner_cannot_confirm_for_another_learner(client, learner, make_learner, system):
    li = make_learner(name="李秀英", username="li")
    confirm_learner_email(system, li, "li@example.com")
    client.force_login(learner.user)
    # The page only ever acts for the signed-in learner: there is nothing to name another with,
    # and an address already confirmed by another learner stays theirs.
    html = client.post(EMAILS, email_form("li@example.com", learner=li.pk)).content.decode()
    assert "该邮箱已被另一个学习账户确认" in html
    assert LearnerMbox.objects.get().learner == li
    client.post(EMAILS, email_form("wang@example.com", learner_no=li.learner_no))
    assert LearnerMbox.objects.get(mbox_sha1=mbox_sha1("mailto:wang@example.com")).learner == (
        learner
    )
    assert LearnerMbox.objects.filter(learner=li).count() == 1


def test_a_learner_removes_only_their_own_addresses(client, learner, make_learner, system):
    li = make_learner(name="李秀英", username="li")
    theirs = confirm_learner_email(system, li, "li@example.com")
    mine = confirm_learner_email(system, learner, "wang@example.com")
    client.force_login(learner.user)
    html = client.get(EMAILS).content.decode()
    assert "wa…@example.com" in html and "li…@example.com" not in html
    assert client.post(EMAILS, {"forget": theirs.pk}).status_code == 404
    assert LearnerMbox.objects.filter(pk=theirs.pk).exists()
    assert client.post(EMAILS, {"forget": mine.pk}).status_code == 302
    assert not LearnerMbox.objects.filter(pk=mine.pk).exists()


def test_staff_without_a_learning_account_cannot_use_the_email_page(client, officer):
    assert client.get(EMAILS).status_code == 302
    client.force_login(officer)
    assert client.get(EMAILS).status_code == 403


def test_the_email_page_speaks_both_languages(client, learner):
    client.force_login(learner.user)
    chinese = client.get(EMAILS, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "我在学习平台使用的电子邮箱" in chinese and 'lang="zh-Hans"' in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": EMAILS})
    english = client.get(EMAILS).content.decode()
    assert "Email addresses of my learning platforms" in english


def test_navigation_links_to_both_pages(client, officer, learner):
    client.force_login(officer)
    assert CREDENTIALS in client.get("/institution/").content.decode()
    client.force_login(learner.user)
    assert EMAILS in client.get("/archive/").content.decode()
