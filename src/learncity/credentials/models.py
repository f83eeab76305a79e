"""Issuer keys, issued credentials, their status-list positions, share links."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learncity.creditbank.models import Recognition
from learncity.identity.models import Learner
from learncity.records.models import Outcome


class IssuerKey(models.Model):
    """An Ed25519 key of the issuer's did:web. The private half is sealed (AES-GCM) under a key
    derived from the data key, which never enters the database; see `keys.py`."""

    did = models.CharField(max_length=200)
    fragment = models.CharField(max_length=64)
    public_key_multibase = models.CharField(max_length=64, unique=True)
    sealed_private_key = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(
        _("retired"), null=True, blank=True, help_text=_("Signs no more; still verifies.")
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn"), null=True, blank=True, help_text=_("Compromised: verifies nothing.")
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["did", "fragment"], name="unique_issuer_key_id")
        ]
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")

    def __str__(self) -> str:
        return self.verification_method

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.fragment}"


class IssuedCredential(models.Model):
    """One signed credential, kept exactly as issued (both formats) with its status position."""

    KINDS = [("achievement", _("Achievement")), ("clr", _("Comprehensive learner record"))]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=KINDS)
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="credentials")
    recognition = models.ForeignKey(
        Recognition, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issuer_key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    document = models.JSONField()
    jwt = models.TextField()
    sha256 = models.CharField(max_length=64, db_index=True)
    status_list = models.PositiveIntegerField()
    status_index = models.PositiveIntegerField()
    issued_at = models.DateTimeField(_("issued"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    suspended = models.BooleanField(_("suspended"), default=False)
    status_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="unique_status_position"
            ),
            models.UniqueConstraint(
                fields=["recognition"],
                condition=Q(kind="achievement"),
                name="one_credential_per_recognition",
            ),
        ]
        indexes = [models.Index(fields=["learner", "kind"], name="credentials_of_learner")]
        verbose_name = _("issued credential")
        verbose_name_plural = _("issued credentials")

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid}"

    @property
    def state(self) -> str:
        return "revoked" if self.revoked_at else "suspended" if self.suspended else "active"


class ShareLink(models.Model):
    """A link that shows one credential until it expires; only a hash of its token is kept."""

    credential = models.ForeignKey(
        IssuedCredential, on_delete=models.CASCADE, related_name="share_links"
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")


class StatusListCache(models.Model):
    """The last signed status list credential of one list and purpose; re-signed on change."""

    list_no = models.PositiveIntegerField()
    purpose = models.CharField(max_length=12)
    bits_sha256 = models.CharField(max_length=64)
    document = models.JSONField()
    valid_until = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list_no", "purpose"], name="unique_status_list")
        ]
