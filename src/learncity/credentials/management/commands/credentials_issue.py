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
        count = 0
        for rec_id in waiting.values_list("pk", flat=True).iterator():
            services.issue_for_recognition(actor, rec_id)
            count += 1
        self.stdout.write(f"Issued {count} credential(s).")
