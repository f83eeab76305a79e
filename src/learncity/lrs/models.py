"""Tables of the Learning Record Store: credentials, statements and their index, attachments,
activities, documents, and the projection of statements into outcomes.

Statements are kept as the JSON text the LRS returns (``full``), with a narrow index table
(``StatementIndex``) that answers the agent, verb, activity and registration filters on SQLite
and PostgreSQL alike. Keys are 40-hex hashes (see indexing.py), so no index depends on the
length of an IRI.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learncity.institutions.models import Institution

SCOPES = ["read", "write"]


class Credential(models.Model):
    """HTTP Basic credentials of a platform: key and secret; only a SHA-256 of the secret."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="lrs_credentials"
    )
    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(_("key"), max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    default_version = models.CharField(
        _("xAPI version assumed for requests without a valid version header"),
        max_length=8,
        default="2.0.0",
        choices=[("1.0.3", "1.0.3"), ("2.0.0", "2.0.0")],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("LRS credential")
        verbose_name_plural = _("LRS credentials")

    def __str__(self) -> str:
        return f"{self.institution.code} {self.name} ({self.key})"


class Statement(models.Model):
    """One stored statement. Never changed, except for the ``voided`` flag."""

    statement_id = models.UUIDField(unique=True)
    stored = models.DateTimeField()
    verb = models.CharField(max_length=40)
    object_statement = models.UUIDField(null=True, blank=True)  # a StatementRef's target
    is_voiding = models.BooleanField(default=False)
    voided = models.BooleanField(default=False)
    # No database constraint and no index, as for StatementIndex.statement: only services.py
    # writes statements, each with the credential that has just authenticated; credentials are
    # revoked, never deleted (the admin refuses; PROTECT still guards an ORM deletion); nothing
    # looks statements up by credential. The constraint's check on every stored statement (a
    # shared lock on the one credential row, from every concurrent batch) and the index of a
    # value every row repeats cost more than storing the statement's text.
    credential = models.ForeignKey(
        Credential,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    full = models.TextField()

    class Meta:
        indexes = [
            models.Index(fields=["stored", "id"], name="lrs_stmt_stored"),
            # Only StatementRefs: small, free for other statements, and the index PostgreSQL
            # picks for "which stored statements refer to these?" even without statistics.
            models.Index(
                fields=["object_statement"],
                name="lrs_stmt_refs",
                condition=models.Q(object_statement__isnull=False),
            ),
        ]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return str(self.statement_id)


class StatementIndex(models.Model):
    """What a statement is about: one row per (kind, key), inherited through StatementRefs.

    kind: ``a`` agent (actor/object), ``A`` agent anywhere (actor, object, authority, context,
    sub-statement: what ``related_agents`` matches), ``o`` activity (object), ``O`` activity
    anywhere (``related_activities``), ``v`` verb, ``r`` registration. Main keys are stored as
    related too, so every filter reads one (key, kind) range. ``stored`` repeats the
    statement's, so that range is already in the order pages are served (stored, statement):
    a page is read from the index without sorting every match.
    """

    # No index of its own (lrs_index_unique starts with the statement) and no database
    # constraint: rows are only ever written by services.py, for statements it has just
    # inserted, and statements are never deleted (Django still cascades a deletion). The
    # deferred check of a constraint cost more than the row's insert itself.
    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(max_length=1)
    key = models.CharField(max_length=40)
    stored = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["key", "kind", "stored", "statement"], name="lrs_index_page")
        ]
        constraints = [
            models.UniqueConstraint(fields=["statement", "kind", "key"], name="lrs_index_unique")
        ]


class AttachmentPayload(models.Model):
    """Attachment data, stored once per SHA-2 however many statements carry it."""

    sha2 = models.CharField(max_length=128, unique=True)
    content_type = models.CharField(max_length=255)
    length = models.BigIntegerField()
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)


class Activity(models.Model):
    """The LRS's canonical definition of an activity, merged from the statements received."""

    key = models.CharField(max_length=40, unique=True)
    iri = models.TextField()
    definition = models.TextField(default="{}")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.iri


DOCUMENT_KINDS = [
    ("state", _("State")),
    ("activity_profile", _("Activity profile")),
    ("agent_profile", _("Agent profile")),
]


class Document(models.Model):
    """A state, activity profile or agent profile document, with its ETag (SHA-1)."""

    kind = models.CharField(max_length=16, choices=DOCUMENT_KINDS)
    activity_key = models.CharField(max_length=40, blank=True)
    agent_key = models.CharField(max_length=40, blank=True)
    registration = models.CharField(max_length=36, blank=True)
    doc_key = models.CharField(max_length=40)
    doc_id = models.TextField()
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=40)
    updated = models.DateTimeField()
    credential = models.ForeignKey(
        Credential, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "activity_key", "agent_key", "registration", "doc_key"],
                name="lrs_document_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["kind", "activity_key", "agent_key", "updated"], name="lrs_document_scope"
            ),
        ]
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class ProjectionRule(models.Model):
    """An activity (course or module) whose completion becomes an outcome.

    Courses in the catalogue with an xAPI activity IRI count without a rule; a rule adds
    modules and other activities, or overrides a course's title, hours or credits.
    """

    activity_iri = models.CharField(_("activity IRI"), max_length=500)
    activity_key = models.CharField(max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    code = models.CharField(_("course or module code"), max_length=64, blank=True)
    hours = models.DecimalField(_("learning hours"), max_digits=8, decimal_places=1)
    credits = models.DecimalField(
        _("credits (issuer)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    kind = models.CharField(_("outcome kind"), max_length=30, default="online_course")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("projection rule")
        verbose_name_plural = _("projection rules")

    def __str__(self) -> str:
        return f"{self.activity_iri} → {self.title}"


class LearnerMbox(models.Model):
    """An email address a learner has confirmed, so statements with it (or its SHA-1) match."""

    learner = models.ForeignKey(
        "identity.Learner", on_delete=models.CASCADE, related_name="xapi_mboxes"
    )
    mbox_sha1 = models.CharField(max_length=40, unique=True)
    hint = models.CharField(_("address"), max_length=120, blank=True)  # masked: wa…@example.com
    verified_at = models.DateTimeField()

    class Meta:
        verbose_name = _("verified xAPI email")
        verbose_name_plural = _("verified xAPI emails")


class ProjectedOutcome(models.Model):
    """What the projection decided for one statement; replays read it and change nothing."""

    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=40)
    learner = models.ForeignKey(
        "identity.Learner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity_key = models.CharField(max_length=40, blank=True)
    lineage = models.UUIDField(null=True, blank=True, db_index=True)
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["learner", "activity_key"], name="lrs_projected_learner"),
        ]


class ProjectionCursor(models.Model):
    """How far the projection has read, by Statement.id; one row per projection name."""

    name = models.CharField(max_length=40, unique=True)
    position = models.BigIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)
