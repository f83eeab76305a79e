"""`learncity snapshot`: export what the statistics need from the database to Parquet.

Pseudonymised: no names, identity numbers, learner numbers, contact details or free text leave
the database. A learner becomes `person_key`, the first 8 bytes of HMAC-SHA256 under a key
derived (HKDF) from the data key for this one purpose, so keys are stable from run to run but
cannot be reversed or recomputed without the key; outcome and granted-course ids are keyed the
same way. Birth dates are reduced to the year.

Incremental: each run adds files for rows created since the last run's watermarks (ids), plus
rows the audit trail says were changed since then (every write is audited), so a correction or
a revocation reaches the snapshot; readers keep each key's row from the latest run. Posted
credit transfers (one row per course granted) never change: a run adds the new ones and those
of learners who changed. Small tables (sites, courses, the census population, the surveys) are
exported whole each run.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import date
from hashlib import sha256
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.db.models import Max, Q
from django.utils import timezone

from learncity.audit.models import AuditEntry
from learncity.identity.districts import all_districts
from learncity.identity.models import Learner
from learncity.monitoring.margins import population_cells
from learncity.monitoring.snapshot_files import (
    SnapshotWriter,
    add_run,
    default_folder,
    read_manifest,
    write_manifest,
)
from learncity.records.models import Outcome
from learncity.secrets import data_key

CHUNK = 20_000
EPOCH = date(1970, 1, 1)


class Pseudonyms:
    def __init__(self):
        self.key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                        info=b"learncity monitoring pseudonym").derive(data_key())

    def __call__(self, kind: str, pk: int) -> int:
        digest = hmac.new(self.key, f"{kind}:{pk}".encode(), sha256).digest()
        return int.from_bytes(digest[:8], "big", signed=True)


def _day(value) -> int:
    if value is None:
        return -1
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return (value - EPOCH).days


def _changed(model: str, since: int) -> set[int]:
    ids = AuditEntry.objects.filter(pk__gt=since, object_type=model).values_list(
        "object_id", flat=True)
    return {int(i) for i in ids if str(i).isdigit()}


def _chunks(queryset, fields):
    rows = []
    for row in queryset.order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK):
        rows.append(row)
        if len(rows) == CHUNK:
            yield rows
            rows = []
    if rows:
        yield rows


def _persons(writer, pseudo, learners, run) -> None:
    fields = ("pk", "district_code", "sex", "birth_date", "hukou", "created_at")
    for rows in _chunks(learners, fields):
        writer.write("persons", {
            "person_key": [pseudo("learner", r[0]) for r in rows],
            "district_code": [r[1] for r in rows], "sex": [r[2] for r in rows],
            "birth_year": [r[3].year if r[3] else None for r in rows],
            "hukou": [r[4] for r in rows], "account_opened_on": [_day(r[5]) for r in rows],
            "run": run})


def _outcomes(writer, pseudo, outcomes, run) -> None:
    fields = ("pk", "learner_id", "institution_id", "kind", "category", "source", "status",
              "is_current", "hours", "credits", "completed_on", "learner__district_code",
              "learner__sex", "learner__birth_date", "learner__hukou")
    for rows in _chunks(outcomes, fields):
        by_year: dict[int, list] = {}
        for r in rows:
            by_year.setdefault(r[10].year, []).append(r)
        for year, part in by_year.items():
            writer.write("outcomes", {
                "outcome_key": [pseudo("outcome", r[0]) for r in part],
                "person_key": [pseudo("learner", r[1]) for r in part],
                "institution_id": [r[2] for r in part], "kind": [r[3] for r in part],
                "category": [r[4] for r in part], "source": [r[5] for r in part],
                "status": [r[6] for r in part], "is_current": [r[7] for r in part],
                "hours_tenths": [None if r[8] is None else int(r[8] * 10) for r in part],
                "credits_tenths": [None if r[9] is None else int(r[9] * 10) for r in part],
                "completed_on": [_day(r[10]) for r in part],
                "district_code": [r[11] for r in part], "sex": [r[12] for r in part],
                "birth_year": [r[13].year if r[13] else None for r in part],
                "hukou": [r[14] for r in part], "run": run}, part=str(year))


def _recognitions(writer, pseudo, since: dict, run) -> dict:
    if not apps.is_installed("learncity.creditbank"):
        return {}
    Recognition = apps.get_model("creditbank", "Recognition")
    high = Recognition.objects.aggregate(m=Max("pk"))["m"] or 0
    changed = _changed("Recognition", since["audit"])
    rows_q = Recognition.objects.filter(is_current=True).filter(
        Q(pk__gt=since["recognition"]) | Q(pk__in=changed) | Q(
            learner_id__in=since["changed_learners"], pk__lte=since["recognition"]))
    fields = ("pk", "outcome_id", "learner_id", "status", "category", "credits", "decided_at",
              "learner__district_code", "learner__sex", "learner__birth_date", "learner__hukou")
    for rows in _chunks(rows_q, fields):
        writer.write("recognitions", {
            "outcome_key": [pseudo("outcome", r[1]) for r in rows],
            "person_key": [pseudo("learner", r[2]) for r in rows],
            "status": [r[3] for r in rows], "category": [r[4] or "" for r in rows],
            "credits_tenths": [None if r[5] is None else int(r[5] * 10) for r in rows],
            "decided_on": [_day(r[6]) for r in rows],
            "district_code": [r[7] for r in rows], "sex": [r[8] for r in rows],
            "birth_year": [r[9].year if r[9] else None for r in rows],
            "hukou": [r[10] for r in rows], "run": run})
    return {"recognition": high, "recognition_changes": len(changed)}


def _source_categories(outcome_ids: set[int]) -> dict[int, str]:
    ids, found = sorted(outcome_ids), {}
    for start in range(0, len(ids), 2_000):  # stay under SQLite's limit on query parameters
        found.update(Outcome.objects.filter(pk__in=ids[start:start + 2_000]).values_list(
            "pk", "category"))
    return found


def _source_category(outcome_ids, categories: dict[int, str]) -> str:
    """The category of the outcomes a course was granted for; "mixed" when they differ."""
    found = {categories.get(o, "") for o in outcome_ids or ()}
    return found.pop() if len(found) == 1 else ("mixed" if found else "")


def _transfers(writer, pseudo, since: dict, run) -> dict:
    """Courses (or elective credits) granted by posted credit-transfer applications."""
    if not apps.is_installed("learncity.transfer"):
        return {}
    GrantedCourse = apps.get_model("transfer", "GrantedCourse")
    high = GrantedCourse.objects.aggregate(m=Max("pk"))["m"] or 0
    rows_q = GrantedCourse.objects.filter(item__application__posted_at__isnull=False).filter(
        Q(pk__gt=since["transfer"], pk__lte=high)
        | Q(learner_id__in=since["changed_learners"], pk__lte=since["transfer"]))
    fields = ("pk", "learner_id", "item__application__posted_at", "credits",
              "programme__institution__kind", "programme__institution__district_code",
              "item__outcome_ids", "learner__district_code", "learner__sex",
              "learner__birth_date", "learner__hukou")
    for rows in _chunks(rows_q, fields):
        categories = _source_categories({o for r in rows for o in r[6] or ()})
        writer.write("transfers", {
            "transfer_key": [pseudo("transfer", r[0]) for r in rows],
            "person_key": [pseudo("learner", r[1]) for r in rows],
            "posted_on": [_day(r[2]) for r in rows],
            "credits_tenths": [int(r[3] * 10) for r in rows],
            "institution_kind": [r[4] for r in rows], "institution_district": [r[5] for r in rows],
            "source_category": [_source_category(r[6], categories) for r in rows],
            "district_code": [r[7] for r in rows], "sex": [r[8] for r in rows],
            "birth_year": [r[9].year if r[9] else None for r in rows],
            "hukou": [r[10] for r in rows], "run": run})
    return {"transfer": high}


def _catalogue(writer, run) -> None:
    """Learning sites (published) and courses per district and year, from the catalogue."""
    if not apps.is_installed("learncity.catalogue"):
        return
    Site = apps.get_model("catalogue", "Site")
    Session = apps.get_model("catalogue", "Session")
    sites = list(Site.objects.values_list("pk", "district_code", "kind", "status"))
    writer.write("sites", {"site_id": [s[0] for s in sites], "district_code": [s[1] for s in sites],
                           "kind": [s[2] for s in sites],
                           "active": [s[3] == "published" for s in sites], "run": run})
    offered = (Session.objects.filter(course__isnull=False, cancelled=False)
               .values_list("course_id", "site__district_code", "starts_on").distinct())
    seen = sorted({(c, d, s.year) for c, d, s in offered})
    writer.write("courses", {"course_key": [c for c, _d, _y in seen],
                             "district_code": [d for _c, d, _y in seen],
                             "year": [y for _c, _d, y in seen], "run": run})


def _replace(root: Path, name: str) -> None:
    for path in (root / name).glob("*.parquet"):
        path.unlink()


def _surveys(writer, root) -> None:
    from learncity.monitoring.models import Response, SampleUnit

    _replace(root, "survey_units")
    _replace(root, "survey_answers")
    units = list(SampleUnit.objects.select_related("survey").values_list(
        "survey__code", "survey__year", "unit_key", "stratum", "psu", "base_weight",
        "response__id", "district_code", "sex", "age_band", "hukou"))
    columns = ("survey", "year", "unit_key", "stratum", "psu", "base_weight", "responded",
               "district_code", "sex", "age_band", "hukou")
    writer.write("survey_units", {c: [u[i] is not None if c == "responded" else u[i]
                                      for u in units] for i, c in enumerate(columns)})
    answers = [(code, key, item, value) for code, key, given in Response.objects.values_list(
        "unit__survey__code", "unit__unit_key", "answers")
        for item, value in given.items() if item != "Q_COMMENT"]  # free text never leaves
    writer.write("survey_answers", {c: [a[i] for a in answers] for i, c in enumerate(
        ("survey", "unit_key", "item_code", "value"))})


def export(root: Path | None = None, *, full: bool = False,
           progress: Callable[[str], None] | None = None) -> dict:
    """Add one run to the snapshot at `root`; returns the run's facts."""
    root = Path(root or default_folder())
    root.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(root)
    if full or not manifest["runs"]:
        for old in root.rglob("*.parquet"):
            old.unlink()
        manifest = {"format": 1, "kind": "operational", "runs": [], "updates": False}
    last = manifest["runs"][-1]["watermarks"] if manifest["runs"] else {}
    since = {k: last.get(k, 0) for k in ("learner", "outcome", "recognition", "transfer",
                                         "audit")}
    run = (manifest["runs"][-1]["run"] + 1) if manifest["runs"] else 1
    marks = {"learner": Learner.objects.aggregate(m=Max("pk"))["m"] or 0,
             "outcome": Outcome.objects.aggregate(m=Max("pk"))["m"] or 0,
             "audit": AuditEntry.objects.aggregate(m=Max("pk"))["m"] or 0}
    changed_learners = _changed("Learner", since["audit"])
    changed_outcomes = _changed("Outcome", since["audit"])
    changed_outcomes |= set(Outcome.objects.filter(
        pk__in=changed_outcomes, supersedes__isnull=False).values_list("supersedes_id", flat=True))
    changed_outcomes |= set(Outcome.objects.filter(  # outcomes carry their learner's facts
        learner_id__in=changed_learners, pk__lte=since["outcome"]).values_list("pk", flat=True))
    pseudo = Pseudonyms()
    writer = SnapshotWriter(root, run)
    try:
        _persons(writer, pseudo, Learner.objects.filter(
            Q(pk__gt=since["learner"], pk__lte=marks["learner"]) | Q(pk__in=changed_learners)),
            run)
        _outcomes(writer, pseudo, Outcome.objects.filter(
            Q(pk__gt=since["outcome"], pk__lte=marks["outcome"]) | Q(pk__in=changed_outcomes)),
            run)
        marks.update(_recognitions(writer, pseudo, since | {"changed_learners": changed_learners},
                                   run))
        marks.update(_transfers(writer, pseudo, since | {"changed_learners": changed_learners},
                                run))
        _replace(root, "population")
        districts = all_districts()
        cells = population_cells([(d.code, d.residents) for d in districts])
        writer.write("population", {k: [c[i] for c in cells] for i, k in enumerate(
            ("district_code", "sex", "age_band", "hukou", "residents"))})
        _catalogue(writer, run)
        _surveys(writer, root)
    finally:
        writer.close()
    updates = bool(run > 1 and (changed_learners or changed_outcomes
                                or marks.get("recognition_changes")))
    manifest["updates"] = manifest.get("updates", False) or updates
    manifest["assumptions"] = [
        "Denominators are the 2020 census residents; every district is assumed to have the "
        "city's sex, age and hukou structure (no official district-level split was published)."
    ]
    write_manifest(root, add_run(manifest, run, dict(writer.rows), watermarks=marks))
    if progress:
        progress(f"run {run}: {dict(writer.rows)}")
    return {"run": run, "rows": dict(writer.rows), "folder": str(root)}
