"""The city's districts, read from a CSV so another city can configure its own list.

Default: Shanghai's 16 districts with their 2020 census residents (shipped as package data,
copied from shared/data). Set LEARNCITY_DISTRICTS_FILE for another city.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from learncity import config

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "shanghai_districts_2020.csv"


@dataclass(frozen=True)
class District:
    code: str
    name_zh: str
    name_en: str
    zone: str
    residents: int

    def label(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_zh


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[District, ...]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return tuple(
            District(r["code"], r["name_zh"], r["name_en"], r["zone"], int(r["residents_2020"]))
            for r in csv.DictReader(handle)
        )


def all_districts() -> tuple[District, ...]:
    return _load(config.get("LEARNCITY_DISTRICTS_FILE") or str(DEFAULT_FILE))


def by_code(code: str) -> District | None:
    return next((d for d in all_districts() if d.code == code), None)


def find(value: str) -> District | None:
    """Find a district by code, Chinese name or English name (as typed in a spreadsheet)."""
    value = value.strip()
    folded = value.casefold()
    for d in all_districts():
        if value in (d.code, d.name_zh) or folded == d.name_en.casefold():
            return d
    return None


def choices(language: str = "zh-hans") -> list[tuple[str, str]]:
    return [(d.code, d.label(language)) for d in all_districts()]
