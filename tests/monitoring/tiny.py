"""A hand-made snapshot small enough to work every indicator out by hand (see test_indicators)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from learncity.monitoring.snapshot_files import SnapshotWriter, add_run, write_manifest


def day(text: str) -> int:
    return (date.fromisoformat(text) - date(1970, 1, 1)).days


POPULATION = [("310101", "M", "30-44", "local", 100), ("310101", "F", "65+", "local", 100),
              ("310112", "M", "30-44", "non_local", 200)]
PERSONS = [  # key, district, sex, birth year, hukou, account opened
    (1, "310101", "M", 1990, "local", "2020-01-01"),
    (2, "310101", "F", 1955, "local", "2024-03-01"),
    (3, "310112", "M", 1990, "non_local", None),
    (4, "310112", "M", 1990, "non_local", "2024-06-01"),
]
OUTCOMES = [  # key, person, kind, category, source, status, current, hours, completed
    (11, 1, "course", "academic", "upload", "recorded", True, 48, "2024-06-30"),
    (12, 1, "online_course", "vocational", "api", "recorded", True, 12, "2024-02-01"),
    (21, 2, "culture_leisure", "culture_leisure", "form", "recorded", True, 30, "2024-10-10"),
    (31, 3, "work_experience", "work_experience", "self", "pending_review", True, 100,
     "2024-05-05"),
    (32, 3, "training", "vocational", "upload", "recorded", True, 8, "2023-11-11"),
    (41, 4, "training", "vocational", "upload", "recorded", True, 20, "2024-07-07"),
    (42, 4, "training", "vocational", "upload", "superseded", False, 99, "2024-07-07"),
    (43, 4, "course", "academic", "xapi", "recorded", True, 10, "2024-12-31"),
]
TRANSFERS = [  # key, person, credits (tenths), posted on
    (51, 1, 30, "2024-09-01"),
    (52, 1, 20, "2024-09-01"),
    (53, 4, 15, "2024-11-30"),
    (54, 4, 40, "2023-12-31"),
]


def write_tiny(folder: Path, *, extra_run: list | None = None) -> Path:
    writer = SnapshotWriter(folder, 1)
    writer.write("population", {k: [p[i] for p in POPULATION] for i, k in enumerate(
        ("district_code", "sex", "age_band", "hukou", "residents"))})
    writer.write("persons", {
        "person_key": [p[0] for p in PERSONS], "district_code": [p[1] for p in PERSONS],
        "sex": [p[2] for p in PERSONS], "birth_year": [p[3] for p in PERSONS],
        "hukou": [p[4] for p in PERSONS],
        "account_opened_on": [day(p[5]) if p[5] else -1 for p in PERSONS], "run": 1})
    for year in (2023, 2024):
        rows = [o for o in OUTCOMES if o[8].startswith(str(year))]
        writer.write("outcomes", _outcome_columns(rows, 1), part=str(year))
    writer.write("recognitions", {"outcome_key": [11], "person_key": [1],
                                  "status": ["recognised"], "category": ["academic"],
                                  "credits_tenths": [30], "decided_on": [day("2024-05-01")],
                                  "district_code": ["310101"], "sex": ["M"],
                                  "birth_year": [1990], "hukou": ["local"], "run": 1})
    person = {p[0]: p for p in PERSONS}
    writer.write("transfers", {
        "transfer_key": [t[0] for t in TRANSFERS], "person_key": [t[1] for t in TRANSFERS],
        "posted_on": [day(t[3]) for t in TRANSFERS],
        "credits_tenths": [t[2] for t in TRANSFERS], "institution_kind": "open_university",
        "institution_district": "310106", "source_category": "academic",
        "district_code": [person[t[1]][1] for t in TRANSFERS],
        "sex": [person[t[1]][2] for t in TRANSFERS],
        "birth_year": [person[t[1]][3] for t in TRANSFERS],
        "hukou": [person[t[1]][4] for t in TRANSFERS], "run": 1})
    writer.write("sites", {"site_id": [1, 2, 3, 4],
                           "district_code": ["310101", "310101", "310101", "310112"],
                           "kind": ["community_school"] * 4,
                           "active": [True, True, False, True], "run": 1})
    writer.write("courses", {"course_key": [1, 2, 3], "district_code": ["310101"] * 3,
                             "year": [2024] * 3, "run": 1})
    writer.close()
    manifest = {"format": 1, "kind": "operational", "runs": [], "updates": False}
    add_run(manifest, 1, dict(writer.rows))
    if extra_run:
        second = SnapshotWriter(folder, 2)
        second.write("outcomes", _outcome_columns(extra_run, 2), part="2024")
        second.close()
        manifest["updates"] = True
        add_run(manifest, 2, dict(second.rows))
    write_manifest(folder, manifest)
    return folder


def _outcome_columns(rows, run):
    person = {p[0]: p for p in PERSONS}
    return {
        "district_code": [person[o[1]][1] for o in rows], "sex": [person[o[1]][2] for o in rows],
        "birth_year": [person[o[1]][3] for o in rows], "hukou": [person[o[1]][4] for o in rows],
        "outcome_key": [o[0] for o in rows], "person_key": [o[1] for o in rows],
        "institution_id": [1] * len(rows), "kind": [o[2] for o in rows],
        "category": [o[3] for o in rows], "source": [o[4] for o in rows],
        "status": [o[5] for o in rows], "is_current": [o[6] for o in rows],
        "hours_tenths": [o[7] * 10 for o in rows], "credits_tenths": [None] * len(rows),
        "completed_on": [day(o[8]) for o in rows], "run": run}
