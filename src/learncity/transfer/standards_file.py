"""Transfer standards to and from YAML or JSON ({standards: [...]}), so they travel as files.

Each standard names its publisher (`institution: CODE` or `alliance: CODE`), its period and
its rules; each rule has `sources` (a list of criteria, one per outcome), `targets` (course
codes) and/or `elective_credits`. Import creates drafts, all or none; publishing checks them.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation

import yaml
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.errors import ValidationFailed
from learncity.institutions.models import Institution
from learncity.transfer.loading import SOURCE_FIELDS, source_of
from learncity.transfer.models import Alliance, TransferRule, TransferStandard
from learncity.transfer.services.access import require_publisher

FIELDS = ("code", "version", "name_zh", "name_en", "institution", "alliance", "programmes")
FIELDS += ("effective_from", "effective_to", "rules")
REQUIRED = ("code", "version", "name_zh", "effective_from", "rules")
RULE_FIELDS = ("code", "sources", "targets", "elective_credits", "note")


def _plain(value):
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v not in (None, "", [], False)}
    return value


def standard_data(s: TransferStandard) -> dict:
    data = {
        "code": s.code,
        "version": s.version,
        "name_zh": s.name_zh,
        "name_en": s.name_en,
        "institution": s.institution.code if s.institution_id else None,
        "alliance": s.alliance.code if s.alliance_id else None,
        "programmes": s.programmes,
        "effective_from": s.effective_from,
        "effective_to": s.effective_to,
        "rules": [
            {
                "code": r.code,
                "sources": [_plain(src) for src in r.sources],
                "targets": r.targets,
                "elective_credits": r.elective_credits or None,
                "note": r.note,
            }
            for r in s.rules.all()
        ],
    }
    return _plain(data)


def export_standards(status: str = "published", fmt: str = "yaml") -> str:
    rows = TransferStandard.objects.filter(status=status).select_related("institution", "alliance")
    items = [standard_data(s) for s in rows.prefetch_related("rules")]
    if fmt == "json":
        return json.dumps({"standards": items}, ensure_ascii=False, indent=2)
    return yaml.safe_dump({"standards": items}, allow_unicode=True, sort_keys=False)


def _fail(index: int, message, field: str | None = None) -> ValidationFailed:
    return ValidationFailed(
        _("Standard %(i)s: %(m)s") % {"i": index, "m": message}, field=field, code="standard.file"
    )


def _publisher(item: dict, index: int) -> dict:
    if bool(item.get("institution")) == bool(item.get("alliance")):
        raise _fail(index, _("name exactly one publisher: institution or alliance"), "institution")
    if item.get("institution"):
        inst = Institution.objects.filter(code=item["institution"]).first()
        if inst is None:
            raise _fail(index, _("unknown institution %(c)s") % {"c": item["institution"]})
        return {"institution": inst}
    alliance = Alliance.objects.filter(code=item["alliance"]).first()
    if alliance is None:
        raise _fail(index, _("unknown alliance %(c)s") % {"c": item["alliance"]}, "alliance")
    return {"alliance": alliance}


def _rule(data, index: int) -> dict:
    if not isinstance(data, dict) or not data.get("code") or "/" in str(data["code"]):
        raise _fail(index, _("every rule needs a code without “/”"), "rules")
    unknown = set(data) - set(RULE_FIELDS)
    if unknown:
        raise _fail(
            index,
            _("rule %(r)s has unknown fields: %(f)s")
            % {"r": data["code"], "f": ", ".join(sorted(unknown))},
            "rules",
        )
    sources = data.get("sources") or []
    if not isinstance(sources, list) or not sources:
        raise _fail(index, _("rule %(r)s needs a list of sources") % {"r": data["code"]}, "rules")
    try:
        for source in sources:
            source_of(source)
        electives = Decimal(str(data.get("elective_credits") or 0))
    except (ValueError, InvalidOperation, TypeError) as error:
        raise _fail(
            index, _("rule %(r)s: %(e)s") % {"r": data["code"], "e": error}, "rules"
        ) from None
    targets = data.get("targets") or []
    if not isinstance(targets, list):
        targets = [targets]
    return {
        "code": str(data["code"]),
        "sources": [{k: _plain(v) for k, v in s.items() if k in SOURCE_FIELDS} for s in sources],
        "targets": [str(t) for t in targets],
        "elective_credits": electives,
        "note": str(data.get("note") or ""),
    }


def _clean(item, index: int) -> tuple[dict, list[dict]]:
    if not isinstance(item, dict):
        raise _fail(index, _("not a mapping"))
    unknown = set(item) - set(FIELDS)
    if unknown:
        raise _fail(index, _("unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    missing = [f for f in REQUIRED if item.get(f) in (None, "", [])]
    if missing:
        raise _fail(index, _("lacks %(f)s") % {"f": ", ".join(missing)}, missing[0])
    values = {f: item[f] for f in ("code", "name_zh", "name_en") if item.get(f)}
    values["version"] = str(item["version"])
    values["programmes"] = [str(p) for p in item.get("programmes") or []]
    try:
        for f in ("effective_from", "effective_to"):
            if item.get(f):
                values[f] = date.fromisoformat(str(item[f]))
    except ValueError:
        raise _fail(index, _("a date is not YYYY-MM-DD"), "effective_from") from None
    if values.get("effective_to") and values["effective_to"] < values["effective_from"]:
        raise _fail(index, _("the standard ends before it starts"), "effective_to")
    if not isinstance(item["rules"], list):
        raise _fail(index, _("rules must be a list"), "rules")
    rules = [_rule(r, index) for r in item["rules"]]
    codes = [r["code"] for r in rules]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise _fail(index, _("rule codes used twice: %(c)s") % {"c": ", ".join(twice)}, "rules")
    return values | _publisher(item, index), rules


def import_standards(actor: Actor, text: str) -> list[TransferStandard]:
    """Create draft standards from a YAML or JSON document, all or none."""
    try:
        data = yaml.safe_load(text)  # JSON is YAML too
    except yaml.YAMLError as error:
        raise ValidationFailed(
            _("The file is not valid YAML or JSON: %(e)s") % {"e": error}
        ) from None
    items = data.get("standards") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise ValidationFailed(_("The file must hold a list under the key “standards”."))
    created = []
    with transaction.atomic():
        for index, item in enumerate(items, start=1):
            values, rules = _clean(item, index)
            standard = TransferStandard(**values)
            require_publisher(actor, standard)
            if TransferStandard.objects.filter(
                code=standard.code, version=standard.version
            ).exists():
                raise _fail(
                    index,
                    _("%(k)s already exists; give a new version.") % {"k": standard.key},
                    "version",
                )
            standard.save()
            TransferRule.objects.bulk_create(TransferRule(standard=standard, **r) for r in rules)
            record(actor, "transfer.standard.import", standard, key=standard.key, rules=len(rules))
            created.append(standard)
    return created
