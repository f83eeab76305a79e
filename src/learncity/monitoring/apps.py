import contextlib
from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def compile_own_messages(root: Path) -> None:
    """Compile this app's .po files to .mo when a .mo is missing or older (.mo are not committed;
    `learncity compilemessages` covers only the project's own locale folder)."""
    import polib

    for po_path in root.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with contextlib.suppress(OSError):  # a read-only install ships compiled files
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


class MonitoringConfig(AppConfig):
    name = "learncity.monitoring"
    verbose_name = _("Monitoring and evaluation")

    def ready(self) -> None:
        compile_own_messages(Path(__file__).resolve().parent / "locale")
