"""Reading the audit trail (auditors only)."""

from __future__ import annotations

from datetime import date

from learncity.access import Actor
from learncity.audit.models import AuditEntry


def audit_entries(
    actor: Actor,
    *,
    action: str = "",
    who: str = "",
    since: date | None = None,
    until: date | None = None,
    object_id: str = "",
):
    actor.require_role("auditor")
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action__startswith=action)
    if who:
        entries = entries.filter(actor_label__icontains=who)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries
