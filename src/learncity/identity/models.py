"""Real-name learners. The identity number is stored only encrypted, with a keyed index."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DOCUMENT_TYPE_CHOICES = [
    ("cn_resident", _("Resident identity card (mainland)")),
    ("hmt_permit", _("Residence permit for Hong Kong, Macao and Taiwan residents")),
    ("foreign_permanent", _("Foreign permanent resident ID card")),
    ("passport", _("Passport")),
]
SEX_CHOICES = [("M", _("Male")), ("F", _("Female")), ("U", _("Not stated"))]
HUKOU_CHOICES = [
    ("local", _("Local household registration")),
    ("non_local", _("Non-local household registration")),
]


class Learner(models.Model):
    """One real person with one learning account (实名制个人学习账户)."""

    learner_no = models.CharField(_("learner number"), max_length=16, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learner",
    )
    name = models.CharField(_("name"), max_length=100)
    doc_type = models.CharField(
        _("identity document"), max_length=20, choices=DOCUMENT_TYPE_CHOICES
    )
    doc_country = models.CharField(_("issuing country"), max_length=3, blank=True)
    id_encrypted = models.TextField(editable=False)
    id_index = models.CharField(max_length=64, unique=True, editable=False)
    id_masked = models.CharField(_("identity number"), max_length=24, editable=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=SEX_CHOICES, default="U")
    district_code = models.CharField(_("district of residence"), max_length=12, db_index=True)
    hukou = models.CharField(_("household registration"), max_length=10, choices=HUKOU_CHOICES)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")

    def __str__(self) -> str:
        return f"{self.learner_no} {self.name}"


class Delegate(models.Model):
    """Someone a learner lets read their archive and credits (e.g. a family member helping an
    older learner). Read only; revocable; every grant and revocation is audited."""

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="delegates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_delegation",
            )
        ]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")

    def __str__(self) -> str:
        return f"{self.user} → {self.learner.learner_no}"
