"""The paper transcript: a bilingual (Chinese and English) PDF of the learner's archive.

Fonts are embedded (subset), so the PDF shows the same on any machine; they are found through
fontconfig (Debian's fonts-noto-cjk: Noto Sans CJK SC), never downloaded. The QR code at the end
leads to the verification page with the UUID and SHA-256 of the CLR credential this paper
corresponds to, and the hash is printed so it can be compared by eye.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from fpdf import FPDF
from fpdf.fonts import FontFace

from learncity.credentials import qr
from learncity.errors import ConfigurationError

FONT_FAMILY = "Noto Sans CJK SC"


@dataclass(frozen=True)
class Row:
    completed_on: str
    title: str
    institution: str
    level: str
    category: str
    credits: str


@dataclass(frozen=True)
class Transcript:
    learner_name: str
    learner_no: str
    issued_at: str
    issuer_name: str
    issuer_did: str
    rows: list[Row]
    total_credits: str
    credential_uuid: str
    sha256: str
    verify_url: str


@cache
def font_file(style: str = "Regular") -> tuple[str, int]:
    """(file, index in the collection) of Noto Sans CJK SC, from fontconfig."""
    if shutil.which("fc-match"):
        out = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}|%{family}", f"{FONT_FAMILY}:style={style}"],
            capture_output=True, text=True, timeout=20, check=False,
        ).stdout
        path, _, rest = out.partition("|")
        index, _, family = rest.partition("|")
        if path and FONT_FAMILY in family:
            return path, int(index or 0)
    raise ConfigurationError(
        "The CJK font for PDF transcripts is missing: install Debian's fonts-noto-cjk "
        "(apt-get install fonts-noto-cjk)."
    )


class _Pdf(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.set_text_color(60, 60, 60)
        self.cell(0, 6, f"第 {self.page_no()} 页 · Page {self.page_no()}", align="C")


def _setup() -> _Pdf:
    pdf = _Pdf(format="A4")
    for style, name in (("", "Regular"), ("B", "Bold")):
        path, index = font_file(name)
        pdf.add_font("cjk", style, path, collection_font_number=index)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_margins(15, 15, 15)
    pdf.set_title("学习成果证明 Learning transcript")
    pdf.set_lang("zh-Hans")
    pdf.set_creator("LearnCity")
    return pdf


def _heading(pdf: _Pdf, t: Transcript) -> None:
    pdf.set_font("cjk", "B", 18)
    pdf.cell(0, 10, "学习成果证明", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", "", 13)
    pdf.cell(0, 7, "Learning transcript", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("cjk", "", 11)
    for zh, en, value in (
        ("姓名", "Name", t.learner_name),
        ("学习账号", "Learner number", t.learner_no),
        ("出具日期", "Issued", t.issued_at),
        ("出具机构", "Issuer", t.issuer_name),
    ):
        pdf.multi_cell(0, 6, f"{zh} {en}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _table(pdf: _Pdf, t: Transcript) -> None:
    pdf.set_font("cjk", "", 9.5)
    heading = FontFace(emphasis="BOLD", fill_color=(230, 236, 245))
    with pdf.table(col_widths=(20, 52, 40, 24, 26, 18), headings_style=heading,
                   line_height=5, text_align=("LEFT",) * 5 + ("RIGHT",)) as table:
        table.row(["完成日期\nDate", "学习成果\nOutcome", "机构\nInstitution", "级别\nLevel",
                   "类别\nCategory", "学分\nCredits"])
        for r in t.rows:
            table.row([r.completed_on, r.title, r.institution, r.level, r.category, r.credits])
    pdf.ln(2)
    pdf.set_font("cjk", "B", 11)
    pdf.cell(0, 7, f"合计学分 Total credits: {t.total_credits}", new_x="LMARGIN", new_y="NEXT")


def _verification(pdf: _Pdf, t: Transcript) -> None:
    modules = qr.matrix(t.verify_url)
    size = 38.0
    if pdf.get_y() + size + 10 > pdf.h - 18:
        pdf.add_page()
    pdf.ln(4)
    top, left, cell = pdf.get_y(), pdf.l_margin, size / len(modules)
    pdf.set_fill_color(0, 0, 0)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                pdf.rect(left + x * cell, top + y * cell, cell, cell, style="F")
    pdf.set_xy(left + size + 4, top + 2)
    pdf.set_font("cjk", "B", 10.5)
    pdf.multi_cell(0, 5.5, "核验 · Verify", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(left + size + 4)
    pdf.set_font("cjk", "", 9)
    pdf.multi_cell(
        0, 4.8,
        "扫描二维码，或在核验页面上传数字证书（CLR 2.0 可验证凭证）。\n"
        "Scan the code, or upload the digital credential (a CLR 2.0 verifiable credential) "
        f"to the verification page.\n凭证编号 Credential: urn:uuid:{t.credential_uuid}\n"
        f"SHA-256: {t.sha256}\n签发者 Issuer: {t.issuer_did}",
        new_x="LMARGIN", new_y="NEXT",
    )
    pdf.set_y(max(pdf.get_y(), top + size + 2))


def render(t: Transcript) -> bytes:
    pdf = _setup()
    pdf.add_page()
    _heading(pdf, t)
    _table(pdf, t)
    _verification(pdf, t)
    return bytes(pdf.output())
