"""Keep credentials in step with the credit bank's decisions.

An outcome's revocation is handled by `creditbank.services.revoke_outcome`, which calls
`services.revoke_for_outcome` in its own transaction. This receiver covers appeals: when the
decision on an appeal is made, the credential of the decision it replaces is revoked (a new one
is issued for the new decision if it recognises the outcome again).
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from learncity.access import system_actor
from learncity.creditbank.models import Recognition


@receiver(post_save, sender=Recognition, dispatch_uid="credentials.appeal_decided")
def appeal_decided(sender, instance: Recognition, created=False, **kwargs):
    if created or not instance.appeal_of_id or instance.status not in ("recognised", "refused"):
        return
    from learncity.credentials.services import revoke_for_recognition

    revoke_for_recognition(
        system_actor("credit bank"), instance.appeal_of_id,
        f"replaced by the decision on appeal ({instance.get_status_display()})",
    )
