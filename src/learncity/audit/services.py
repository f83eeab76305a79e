"""Writing to the audit trail. Called inside each write's transaction, so both land or neither."""

from __future__ import annotations

from learncity.access import Actor
from learncity.audit.models import AuditEntry


def record(actor: Actor, action: str, obj=None, *, reason: str = "", **details) -> AuditEntry:
    """Append one entry. Never pass a clear identity number in details: pass the masked one."""
    return AuditEntry.objects.create(
        actor=actor.user if getattr(actor.user, "pk", None) else None,
        actor_label=actor.label,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        source_ip=actor.ip,
        details=details,
    )
