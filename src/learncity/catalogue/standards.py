"""Loading construction-standard checklists from YAML (the shipped example or a city's own)."""

from __future__ import annotations

from pathlib import Path

import yaml

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "construction_standards.yaml"
ANY_KIND = "*"


def load_checklists(model=None, path: Path = DEFAULT_FILE) -> int:
    """Create the file's items that do not exist yet; return how many were created."""
    if model is None:
        from learncity.catalogue.models import ChecklistItem as model
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    created = 0
    for kind, items in data["kinds"].items():
        for order, (code, text_zh, text_en) in enumerate(items, start=1):
            _item, made = model.objects.get_or_create(
                institution_kind=kind,
                standard=data["standard"],
                code=code,
                defaults={"text_zh": text_zh, "text_en": text_en, "order": order},
            )
            created += made
    return created
