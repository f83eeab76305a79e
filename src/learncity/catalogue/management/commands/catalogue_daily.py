"""Daily upkeep: move each course's next start date past sessions that have ended.

learncity manage catalogue_daily
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from learncity.catalogue.services.sessions import refresh_all_next_starts


class Command(BaseCommand):
    help = "Move each course's next start date past sessions that have ended (run daily)."

    def handle(self, *args, **options):
        changed = refresh_all_next_starts()
        self.stdout.write(f"{changed} courses updated")
