"""Recognition standards to and from YAML or JSON, so a city can publish them as a file."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import yaml
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.creditbank.models import RecognitionStandard
from learncity.errors import ValidationFailed
from learncity.framework.models import Framework

FIELDS = (
    "code",
    "version",
    "name_zh",
    "name_en",
    "effective_from",
    "effective_to",
    "kinds",
    "institution_codes",
    "institution_kinds",
    "accredited_only",
    "code_exact",
    "code_pattern",
    "min_result",
    "min_hours",
    "completed_from",
    "completed_to",
    "level",
    "category",
    "credits_fixed",
    "hours_per_credit",
    "rounding_step",
    "credits_cap",
)
REQUIRED = ("code", "version", "name_zh", "effective_from", "level", "category")
DATES = ("effective_from", "effective_to", "completed_from", "completed_to")
DECIMALS = ("min_hours", "credits_fixed", "hours_per_credit", "rounding_step", "credits_cap")


def _plain(value):
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def standards_data(status: str = "published") -> list[dict]:
    return [
        {f: _plain(getattr(s, f)) for f in FIELDS if getattr(s, f) not in (None, "", [])}
        | {"framework": f"{s.framework.code}@{s.framework.version}"}
        for s in RecognitionStandard.objects.filter(status=status).select_related("framework")
    ]


def export_standards(status: str = "published", fmt: str = "yaml") -> str:
    items = standards_data(status)
    if fmt == "json":
        return json.dumps({"standards": items}, ensure_ascii=False, indent=2)
    return yaml.safe_dump({"standards": items}, allow_unicode=True, sort_keys=False)


def _clean(item: dict, index: int) -> dict:
    unknown = set(item) - set(FIELDS) - {"framework"}
    if unknown:
        raise ValidationFailed(
            _("Standard %(i)s has unknown fields: %(f)s")
            % {"i": index, "f": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    missing = [f for f in REQUIRED if item.get(f) in (None, "")]
    if missing:
        raise ValidationFailed(
            _("Standard %(i)s lacks: %(f)s") % {"i": index, "f": ", ".join(missing)},
            field=missing[0],
        )
    values = dict(item)
    try:
        for f in DATES:
            if values.get(f) and not isinstance(values[f], date):
                values[f] = date.fromisoformat(str(values[f]))
        for f in DECIMALS:
            if values.get(f) is not None:
                values[f] = Decimal(str(values[f]))
    except (ValueError, ArithmeticError):
        raise ValidationFailed(
            _("Standard %(i)s has a bad date or number.") % {"i": index}, field=f
        ) from None
    values["version"] = str(values["version"])
    return values


def import_standards(actor: Actor, text: str) -> list[RecognitionStandard]:
    """Create draft standards from a YAML or JSON document ({standards: [...]}), all or none."""
    actor.require_role("framework_admin")
    try:
        data = yaml.safe_load(text)  # JSON is YAML too
    except yaml.YAMLError as error:
        raise ValidationFailed(
            _("The file is not valid YAML or JSON: %(e)s") % {"e": error}
        ) from None
    items = data.get("standards") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise ValidationFailed(_("The file must hold a list under the key “standards”."))
    default = Framework.objects.order_by("-effective_from").first()
    if default is None:
        raise ValidationFailed(_("There is no qualifications framework yet; load one first."))
    created = []
    with transaction.atomic():
        for index, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise ValidationFailed(_("Standard %(i)s is not a mapping.") % {"i": index})
            values = _clean(item, index)
            framework = default
            if "framework" in values:
                code, _sep, version = str(values.pop("framework")).partition("@")
                framework = Framework.objects.filter(code=code, version=version).first()
                if framework is None:
                    raise ValidationFailed(
                        _("Standard %(i)s names an unknown framework.") % {"i": index},
                        field="framework",
                    )
            if RecognitionStandard.objects.filter(
                code=values["code"], version=values["version"]
            ).exists():
                raise ValidationFailed(
                    _("%(k)s already exists; give a new version.")
                    % {"k": f"{values['code']}@{values['version']}"},
                    field="version",
                )
            standard = RecognitionStandard.objects.create(framework=framework, **values)
            record(actor, "standard.import", standard, key=standard.key)
            created.append(standard)
    return created
