"""Loading a framework from YAML (the shipped default, or a city's own file)."""

from __future__ import annotations

from pathlib import Path

import yaml

DEFAULT_FILE = Path(__file__).resolve().parent / "default_framework.yaml"


def load_framework(apps_or_none=None, path: Path = DEFAULT_FILE):
    """Create the framework in the file unless that code and version exist. Returns it.

    Takes the migration's app registry when called from a data migration.
    """
    if apps_or_none is None:
        from learncity.framework.models import Category, Framework, Level
    else:
        Framework = apps_or_none.get_model("framework", "Framework")
        Level = apps_or_none.get_model("framework", "Level")
        Category = apps_or_none.get_model("framework", "Category")
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    framework, created = Framework.objects.get_or_create(
        code=data["code"],
        version=str(data["version"]),
        defaults={
            "name_zh": data["name_zh"],
            "name_en": data["name_en"],
            "effective_from": data["effective_from"],
            "credit_unit_hours": data["credit_unit_hours"],
            "note": data.get("note", ""),
        },
    )
    if not created:
        return framework
    for c in data["categories"]:
        Category.objects.create(framework=framework, **c)
    for lv in data["levels"]:
        Level.objects.create(
            framework=framework,
            number=lv["number"],
            eqf_level=lv["eqf"],
            name_zh=lv["name_zh"],
            name_en=lv["name_en"],
            knowledge_zh=lv["knowledge"][0],
            knowledge_en=lv["knowledge"][1],
            skills_zh=lv["skills"][0],
            skills_en=lv["skills"][1],
            competence_zh=lv["competence"][0],
            competence_en=lv["competence"][1],
        )
    return framework
