"""Importing a provider's courses or sites from a spreadsheet: all rows or none.

Every row is checked first (the same rules as the form and the API) and every problem is
reported with its row and column; only a file without problems is written, in one transaction.
Rows are matched on the provider's code, so uploading the same file again changes nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.catalogue import geo, rows, sheets
from learncity.catalogue.messages import report_entry
from learncity.catalogue.models import Course, Site
from learncity.catalogue.services import offers
from learncity.errors import PayloadTooLarge, SpreadsheetRejected, ValidationFailed
from learncity.institutions.models import Institution

MAX_REPORTED = 1000


@dataclass(frozen=True)
class ImportResult:
    kind: str
    rows: int
    created: int
    changed: int


def _check_all(path: Path, file_name: str, kind: str) -> tuple[list[tuple[int, dict]], list[dict]]:
    lookups = offers.current_lookups()
    extent = geo.city_extent()
    checked, report, codes = [], [], {}
    for number, values in sheets.iter_rows(path, file_name, kind):
        if number - 1 > settings.MAX_IMPORT_ROWS:
            raise PayloadTooLarge(
                _("The file has more than %(n)s rows; split it.") % {"n": settings.MAX_IMPORT_ROWS}
            )
        result = (
            rows.check_course(values, lookups)
            if kind == "courses"
            else rows.check_site(values, lookups, extent)
        )
        if isinstance(result, list):
            report += [report_entry(number, p) for p in result]
            continue
        first = codes.setdefault(result["code"], number)
        if first != number:
            message = _("The code %(code)s is also on row %(row)s.")
            text = str(message % {"code": result["code"], "row": first})
            report.append(
                {
                    "row": number,
                    "column": "code",
                    "code": "duplicate_code",
                    "column_label": "code",
                    "message": text,
                }
            )
            continue
        checked.append((number, values))
    return checked, report


def import_entries(
    actor: Actor, provider: Institution, path: Path, file_name: str, kind: str
) -> ImportResult:
    """Check the whole file, then create or change every entry; refuse it with a report."""
    actor.require_institution(provider.pk, offers.WRITE_SCOPE)
    if kind not in sheets.KINDS:
        raise SpreadsheetRejected(_("Import courses or sites."), code="spreadsheet.kind")
    checked, report = _check_all(path, file_name, kind)
    if not checked and not report:
        raise SpreadsheetRejected(
            _("The file has no rows under its header."), code="spreadsheet.empty"
        )
    model = Course if kind == "courses" else Site
    upsert = offers.upsert_course if kind == "courses" else offers.upsert_site
    created = changed = 0
    lookups = offers.current_lookups()
    with transaction.atomic():
        existing = set(model.objects.filter(provider=provider).values_list("code", flat=True))
        for number, values in checked:
            try:
                upsert(actor, provider, values, lookups=lookups)
            except ValidationFailed as error:  # a rule that needs the database (e.g. IRI taken)
                report.append(
                    {
                        "row": number,
                        "column": error.field,
                        "code": error.code,
                        "column_label": error.field or "",
                        "message": str(error.message),
                    }
                )
                continue
            if values["code"].strip() in existing:
                changed += 1
            else:
                created += 1
        if report:
            transaction.set_rollback(True)
        else:
            record(
                actor,
                f"catalogue.import.{kind}",
                provider,
                file_name=file_name,
                created=created,
                changed=changed,
            )
    if report:
        report.sort(key=lambda e: (e["row"], e["column"] or ""))
        raise SpreadsheetRejected(
            _(
                "%(n)s problems in the file; nothing was imported. Correct the rows listed "
                "and upload it again."
            )
            % {"n": len(report)},
            code="spreadsheet.rejected",
            details=report[:MAX_REPORTED],
        )
    return ImportResult(kind, len(checked), created, changed)
