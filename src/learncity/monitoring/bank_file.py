"""Read the question bank YAML into plain dicts for the loader, and build the answer rules of a
questionnaire. Pure: no Django."""

from __future__ import annotations

from pathlib import Path

import yaml

from learncity.monitoring.answers import ItemSpec

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "question_bank.yaml"
TYPES = ("single", "multiple", "scale", "number", "text")


def read(path: Path | None = None) -> dict:
    raw = yaml.safe_load(Path(path or DEFAULT_FILE).read_text(encoding="utf-8"))
    codes = set()
    for item in raw["items"]:
        if item["type"] not in TYPES:
            raise ValueError(f"item {item['code']}: unknown type {item['type']}")
        if item["type"] in ("single", "multiple") and not item.get("options"):
            raise ValueError(f"item {item['code']}: a choice item needs options")
        codes.add(item["code"])
    for q in raw["questionnaires"]:
        for entry in q["items"]:
            if entry["item"] not in codes:
                raise ValueError(f"questionnaire {q['code']}: unknown item {entry['item']}")
    return raw


def item_fields(item: dict, version: str) -> dict:
    """The Item model's fields for one YAML item."""
    scale = item.get("scale") or {}
    number = item.get("number") or {}
    return {
        "code": item["code"], "version": str(item.get("version", version)), "type": item["type"],
        "text_zh": item["zh"], "text_en": item["en"],
        "options": [{"code": str(o["code"]), "zh": o["zh"], "en": o["en"]}
                    for o in item.get("options", [])],
        "scale_min": scale.get("min"), "scale_max": scale.get("max"),
        "scale_labels": {k: v for k, v in scale.items() if k not in ("min", "max")},
        "number_min": number.get("min"), "number_max": number.get("max"),
        "indicators": list(item.get("indicators", [])),
    }


def spec(item, required: bool, show_if: dict) -> ItemSpec:
    """The answer rule of a stored Item (any object with the Item model's attributes)."""
    low, high = (item.scale_min, item.scale_max) if item.type == "scale" else (
        item.number_min, item.number_max)
    return ItemSpec(item.code, item.type, tuple(o["code"] for o in item.options), low, high,
                    required, show_if or {})
