"""Signals other apps listen to, so records need not know who acts on a deposit.

``outcomes_deposited`` is sent inside the deposit's transaction with ``outcome_ids``, or after
an import has committed with ``batch_id`` and ``rows`` (how many outcomes it stored); the credit
bank applies its standards to them (a large import in the background).
"""

from django.dispatch import Signal

outcomes_deposited = Signal()
