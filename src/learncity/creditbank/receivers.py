"""Apply the published standards as soon as outcomes are deposited.

A form, an API call or a small import is decided before the depositor gets an answer. An import
of more than RECOGNISE_INLINE_ROWS outcomes is decided in a background thread instead: its file
is stored (committed) first, so a big upload answers when its rows are safe, and the decisions
follow at the batch's pace (about a minute per million outcomes). Nothing is lost if the
process stops first: the outcomes stay undecided, and `learncity recognise` decides every
undecided outcome.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connections
from django.dispatch import receiver

from learncity.creditbank.engine import recognise_undecided
from learncity.records.signals import outcomes_deposited

log = logging.getLogger(__name__)


@receiver(outcomes_deposited)
def recognise_deposited(sender, outcome_ids=None, batch_id=None, rows=0, **kwargs):
    if outcome_ids:
        recognise_undecided(outcome_filter={"pk__in": outcome_ids})
    elif batch_id and rows > settings.RECOGNISE_INLINE_ROWS:
        recognise_in_background(batch_id)
    elif batch_id:
        recognise_undecided(outcome_filter={"batch_id": batch_id})


def recognise_in_background(batch_id: int) -> threading.Thread:
    """Decide an import's outcomes in a thread of this process (with its own connection)."""
    thread = threading.Thread(
        target=_recognise_batch, args=(batch_id,), name=f"recognise-batch-{batch_id}"
    )
    thread.start()
    return thread


def _recognise_batch(batch_id: int) -> None:
    try:
        report = recognise_undecided(outcome_filter={"batch_id": batch_id}, large=True)
        log.info(
            "import batch %s: %s outcomes recognised, %s to review",
            batch_id,
            report.recognised,
            report.to_review,
        )
    except Exception:  # the outcomes stay undecided; `learncity recognise` decides them later
        log.exception("import batch %s: background recognition stopped", batch_id)
    finally:
        connections.close_all()
