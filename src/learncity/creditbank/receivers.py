"""Apply the published standards as soon as outcomes are deposited."""

from __future__ import annotations

from django.dispatch import receiver

from learncity.creditbank.engine import recognise_undecided
from learncity.records.signals import outcomes_deposited


@receiver(outcomes_deposited)
def recognise_deposited(sender, outcome_ids=None, batch_id=None, **kwargs):
    if outcome_ids:
        recognise_undecided(outcome_filter={"pk__in": outcome_ids})
    elif batch_id:
        recognise_undecided(outcome_filter={"batch_id": batch_id})
