"""`learncity manage credentials_issue`: issue the credentials of every recognised outcome
that has none yet (they are also issued when a learner opens the credentials page)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from learncity.access import system_actor
from learncity.credentials import services
from learncity.credentials.models import IssuedCredential
from learncity.creditbank.models import Recognition


class Command(BaseCommand):
    help = "Issue missing OB 3.0 credentials for recognised outcomes."

    def handle(self, **options):
        actor = system_actor("cli:credentials_issue")
        waiting = Recognition.objects.filter(
            is_current=True, status="recognised", outcome__status="recorded"
        ).exclude(pk__in=IssuedCredential.objects.filter(kind="achievement").values(
            "recognition_id"))
        ids = list(waiting.values_list("pk", flat=True))
        for start in range(0, len(ids), services.BATCH):
            services.issue_for_recognitions(actor, ids[start:start + services.BATCH])
        self.stdout.write(f"Issued {len(ids)} credential(s).")
