"""The learner's pages (download, share link with QR, CLR), the PDF transcript rendered to an
image, and the public verification page fed by paste, upload and the transcript's QR link."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from learncity.credentials import build, transcripts
from learncity.credentials.models import IssuedCredential, ShareLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(recognition, learner):
    client = Client()
    client.force_login(learner.user)
    return client


def test_the_learner_sees_the_credential_of_each_recognised_outcome(client):
    page = client.get("/credentials/")
    assert page.status_code == 200
    issued = IssuedCredential.objects.get(kind="achievement")
    assert "公共管理导论" in page.content.decode() and str(issued.uuid) in page.content.decode()


def test_downloads_are_the_credential_as_issued_in_both_formats(client):
    client.get("/credentials/")
    issued = IssuedCredential.objects.get(kind="achievement")
    response = client.get(f"/credentials/{issued.uuid}/download")
    assert "attachment" in response["Content-Disposition"]
    assert hashlib.sha256(response.content).hexdigest() == issued.sha256
    jwt = client.get(f"/credentials/{issued.uuid}/download?format=jwt")
    assert jwt["Content-Type"] == "application/vc+jwt" and jwt.content.decode() == issued.jwt


def test_another_learner_cannot_download_it(client, make_learner):
    client.get("/credentials/")
    issued = IssuedCredential.objects.get(kind="achievement")
    other = Client()
    other.force_login(make_learner(name="李四").user)
    assert other.get(f"/credentials/{issued.uuid}/download").status_code == 403


def test_a_share_link_with_a_qr_code_works_until_it_expires(client):
    client.get("/credentials/")
    issued = IssuedCredential.objects.get(kind="achievement")
    page = client.post(f"/credentials/{issued.uuid}/share", {"days": 7})
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "<title>" in html
    url = html.split('data-testid="share-url">')[1].split("<")[0]
    path = "/" + url.split("/", 3)[3]
    anonymous = Client()
    assert anonymous.get(path).json()["id"] == f"urn:uuid:{issued.uuid}"
    link = ShareLink.objects.get()
    assert timedelta(days=6) < link.expires_at - timezone.now() <= timedelta(days=7)
    ShareLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert anonymous.get(path).status_code == 404


def test_the_learner_makes_a_clr_from_the_page(client):
    client.get("/credentials/")
    response = client.post("/credentials/clr/")
    assert response.status_code == 302
    clr = IssuedCredential.objects.get(kind="clr")
    assert str(clr.uuid) in client.get("/credentials/").content.decode()


def _pdftotext(pdf_bytes: bytes, tmp_path) -> str:
    (tmp_path / "t.pdf").write_bytes(pdf_bytes)
    return subprocess.run(["pdftotext", "-layout", str(tmp_path / "t.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_the_pdf_transcript_renders_chinese_and_english_with_qr_and_hash(client, tmp_path):
    response = client.get("/credentials/transcript.pdf")
    assert response["Content-Type"] == "application/pdf"
    clr = IssuedCredential.objects.get(kind="clr")
    text = _pdftotext(response.content, tmp_path)
    for expected in ("学习成果证明", "Learning transcript", "王建国", "公共管理导论", clr.sha256):
        assert expected in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "t.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "NotoSansCJK" in fonts and " no " not in fonts.split("\n", 2)[2]  # all embedded
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1",
                    str(tmp_path / "t.pdf"), str(tmp_path / "page")], check=True)
    from PIL import Image

    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    title = image.crop((0, 0, image.width, image.height // 10))
    dark = sum(title.histogram()[:128])
    assert dark > 200, "the Chinese title did not render"


def test_the_transcripts_qr_link_opens_the_verification_of_the_same_credential(
    client, learner_actor, learner
):
    client.get("/credentials/")
    _pdf, clr = transcripts.transcript(learner_actor, learner)
    link = transcripts.verify_link(clr)
    page = Client().get("/" + link.split("/", 3)[3])
    html = page.content.decode()
    assert page.status_code == 200 and 'data-check="embedded" data-result="passed"' in html
    assert clr.sha256 in html and "公共管理导论" in html
    altered = link.replace(clr.sha256, "0" * 64)
    assert Client().get("/" + altered.split("/", 3)[3]).status_code == 404


def test_the_verification_page_accepts_paste_and_upload(client):
    client.get("/credentials/")
    issued = IssuedCredential.objects.get(kind="achievement")
    anonymous = Client()
    pasted = anonymous.post("/verify/", {"credential": json.dumps(issued.document)})
    assert pasted.status_code == 200 and 'data-result="failed"' not in pasted.content.decode()
    upload = SimpleUploadedFile("c.json", build.serialise(issued.document).encode(),
                                "application/json")
    uploaded = anonymous.post("/verify/", {"upload": upload})
    assert 'data-check="signature" data-result="passed"' in uploaded.content.decode()
    bad = anonymous.post("/verify/", {"credential": "{broken"})
    assert bad.status_code == 400 and "not valid JSON" in bad.content.decode()
    assert anonymous.post("/verify/", {}).status_code == 200  # the form asks for input


def test_the_framework_page_credentials_align_to_exists(client):
    client.get("/credentials/")
    issued = IssuedCredential.objects.get(kind="achievement")
    url = issued.document["credentialSubject"]["achievement"]["alignment"][0]["targetUrl"]
    page = Client().get("/" + url.split("/", 3)[3].split("#")[0])
    assert page.status_code == 200 and 'id="level-5"' in page.content.decode()


def test_the_verification_page_reads_a_share_link(client):
    client.get("/credentials/")
    issued = IssuedCredential.objects.get(kind="achievement")
    page = client.post(f"/credentials/{issued.uuid}/share", {"days": 1}).content.decode()
    url = page.split('data-testid="share-url">')[1].split("<")[0]
    result = Client().post("/verify/", {"link": url})
    assert 'data-check="signature" data-result="passed"' in result.content.decode()
    assert Client().post("/verify/", {"link": "https://elsewhere.example/x"}).status_code == 404
