"""Reads for the credit bank: balances (always the sum of the ledger), history, the queue."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.creditbank.models import LedgerEntry, Recognition, RecognitionStandard
from learncity.errors import PermissionDenied
from learncity.framework.models import Category
from learncity.identity.delegation import is_delegate
from learncity.identity.models import Learner

LEDGER_READERS = ("auditor", "admin", "reviewer")


@dataclass
class Balance:
    total: Decimal
    by_category: dict[str, Decimal]
    by_level: dict[int, Decimal]
    by_year: dict[int, Decimal]


def require_ledger_access(actor: Actor, learner: Learner) -> None:
    if (
        actor.learner_id != learner.pk
        and not any(actor.has_role(r) for r in LEDGER_READERS)
        and not is_delegate(actor, learner.pk)
    ):
        raise PermissionDenied(_("You may read only your own credit account."))


def _grouped(entries, field: str) -> dict:
    rows = entries.values(field).annotate(s=Sum("credits")).order_by(field)
    return {r[field]: r["s"] for r in rows if r["s"]}


def balance(actor: Actor, learner: Learner) -> Balance:
    require_ledger_access(actor, learner)
    entries = LedgerEntry.objects.filter(learner=learner)
    total = entries.aggregate(s=Sum("credits"))["s"] or Decimal(0)
    return Balance(
        total, _grouped(entries, "category"), _grouped(entries, "level"), _grouped(entries, "year")
    )


def history(actor: Actor, learner: Learner):
    require_ledger_access(actor, learner)
    return (
        LedgerEntry.objects.filter(learner=learner)
        .select_related("outcome", "recognition", "recognition__standard")
        .order_by("-seq")
    )


def decisions(actor: Actor, learner: Learner):
    require_ledger_access(actor, learner)
    return (
        Recognition.objects.filter(learner=learner)
        .exclude(is_current=False, status="pending")  # waiting entries a standard later decided
        .select_related("outcome", "standard")
        .order_by("-created_at")
    )


def category_names(language: str) -> dict[str, str]:
    """Category code -> name in the reader's language (all frameworks; codes are shared)."""
    english = language.startswith("en")
    return {c.code: (c.name_en if english else c.name_zh) for c in Category.objects.all()}


def recognition_queue(actor: Actor):
    actor.require_role("reviewer")
    return (
        Recognition.objects.filter(is_current=True, status__in=["pending", "second_review"])
        .select_related("outcome", "outcome__institution", "learner")
        .order_by("created_at")
    )


def candidate_standards(recognition: Recognition) -> list[RecognitionStandard]:
    """Published standards for the outcome's kind, to help the reviewer decide."""
    outcome = recognition.outcome
    standards = RecognitionStandard.objects.filter(
        status="published", effective_from__lte=outcome.completed_on
    )
    return [s for s in standards if not s.kinds or outcome.kind in s.kinds][:20]
