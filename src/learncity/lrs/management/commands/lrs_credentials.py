"""`learncity manage lrs_credentials create|list|revoke`: LRS credentials for a platform."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from learncity.access import system_actor
from learncity.errors import LearnCityError
from learncity.institutions.services import institution_by_code
from learncity.lrs.credentials import create_credential, revoke_credential
from learncity.lrs.models import Credential


class Command(BaseCommand):
    help = "Create, list or revoke xAPI (LRS) credentials of an institution's platforms."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a key and secret (the secret is shown once).")
        create.add_argument("--institution", required=True, help="Institution code, e.g. SOU")
        create.add_argument("--name", default="xAPI platform", help="What the platform is")
        create.add_argument("--scope", default="read,write", help="read, write or read,write")
        create.add_argument(
            "--xapi-version",
            default="2.0.0",
            choices=["1.0.3", "2.0.0"],
            help="Version assumed when a request carries no valid version header",
        )
        listing = sub.add_parser("list", help="List credentials (never their secrets).")
        listing.add_argument("--institution", help="Only this institution's")
        revoke = sub.add_parser("revoke", help="Revoke a credential by its key.")
        revoke.add_argument("key")
        revoke.add_argument("--reason", default="")

    def handle(self, *args, **options):
        actor = system_actor(f"cli:{os.environ.get('USER', 'unknown')}")
        try:
            getattr(self, "_" + options["action"])(actor, options)
        except LearnCityError as error:
            raise CommandError(str(error.message)) from None

    def _create(self, actor, options):
        institution = institution_by_code(options["institution"])
        scopes = [s.strip() for s in options["scope"].split(",") if s.strip()]
        credential, secret = create_credential(
            actor, institution, options["name"], scopes, options["xapi_version"]
        )
        self.stdout.write(
            f"key:    {credential.key}\nsecret: {secret}\n"
            f"scopes: {','.join(credential.scopes)}\n"
            "Keep the secret now: it is not stored and cannot be shown again."
        )

    def _list(self, actor, options):
        rows = Credential.objects.select_related("institution").order_by("created_at")
        if options.get("institution"):
            rows = rows.filter(institution__code=options["institution"])
        for c in rows:
            state = f"revoked {c.revoked_at:%Y-%m-%d}" if c.revoked_at else "active"
            self.stdout.write(
                f"{c.key}  {c.institution.code}  {','.join(c.scopes)}  {state}  {c.name}"
            )

    def _revoke(self, actor, options):
        credential = Credential.objects.filter(key=options["key"]).first()
        if credential is None:
            raise CommandError("No credential has this key.")
        revoke_credential(actor, credential, options["reason"])
        self.stdout.write(f"Revoked {credential.key}.")
