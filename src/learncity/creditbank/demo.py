"""Demo recognition standards: imported and published once, so demo outcomes earn credits."""

from __future__ import annotations

from pathlib import Path

from learncity.access import system_actor
from learncity.creditbank.models import RecognitionStandard
from learncity.creditbank.services import publish_standard
from learncity.creditbank.standards_file import import_standards

EXAMPLE_FILE = Path(__file__).resolve().parent / "example_standards.yaml"


def load_demo_standards() -> None:
    actor = system_actor("demo")
    if not RecognitionStandard.objects.exists():
        import_standards(actor, EXAMPLE_FILE.read_text(encoding="utf-8"))
    for standard in RecognitionStandard.objects.filter(status="draft"):
        publish_standard(actor, standard.pk)
