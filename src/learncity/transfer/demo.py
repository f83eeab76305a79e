"""Demo transfer data: imported and published once (idempotent)."""

from __future__ import annotations

from pathlib import Path

from learncity.access import system_actor
from learncity.transfer.models import Programme, TransferStandard
from learncity.transfer.programmes_file import import_catalogue
from learncity.transfer.services.standards import publish_standard
from learncity.transfer.standards_file import import_standards

DEMO_FILE = Path(__file__).resolve().parent / "demo_data.yaml"


def load_demo_transfer(actor=None) -> None:
    actor = actor or system_actor("demo")
    text = DEMO_FILE.read_text(encoding="utf-8")
    if not Programme.objects.filter(code="SOU-PA-AD").exists():
        import_catalogue(actor, text)
    if not TransferStandard.objects.filter(code="SOU-PA-TRANSFER").exists():
        import_standards(actor, text)
    for standard in TransferStandard.objects.filter(status="draft"):
        publish_standard(actor, standard.pk)
