"""`learncity manage credentials_keys [show|rotate|withdraw KEY] --reason …`"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from learncity.access import system_actor
from learncity.credentials import keys
from learncity.credentials.models import IssuerKey
from learncity.errors import LearnCityError


class Command(BaseCommand):
    help = "Show, rotate or withdraw the issuer's signing keys (did:web)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "rotate", "withdraw"])
        parser.add_argument("key", nargs="?", help="the key id (fragment) to withdraw")
        parser.add_argument("--reason", default="")

    def handle(self, action, key=None, reason="", **options):
        actor = system_actor("cli:credentials_keys")
        try:
            if action == "rotate":
                made = keys.rotate(actor, reason or "rotation")
                self.stdout.write(f"New signing key: {made.verification_method}")
            elif action == "withdraw":
                if not key or not reason:
                    raise CommandError("Give the key id and --reason to withdraw a key.")
                keys.withdraw(actor, key, reason)
                self.stdout.write(f"Withdrawn: {key}; what it signed no longer verifies.")
            else:
                keys.active_key()
        except LearnCityError as error:
            raise CommandError(str(error.message)) from None
        for item in IssuerKey.objects.all():
            state = "withdrawn" if item.withdrawn_at else "retired" if item.retired_at else "signs"
            self.stdout.write(f"{item.verification_method}  {state}  {item.created_at:%Y-%m-%d}")
