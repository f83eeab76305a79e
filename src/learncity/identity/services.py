"""Opening real-name learning accounts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.errors import DuplicateIdentity, ValidationFailed
from learncity.identity import districts, vault
from learncity.identity.idnumbers import (
    IdentityDocument,
    IdentityNumberError,
    blind_index_input,
    check_document,
    mask,
)
from learncity.identity.messages import as_domain_error, problem_message
from learncity.identity.models import Learner


@dataclass
class Registration:
    name: str
    doc_type: str
    id_number: str
    district_code: str
    hukou: str
    doc_country: str = ""
    birth_date: date | None = None
    sex: str = ""
    phone: str = ""
    email: str = ""
    username: str = ""
    password: str = ""


def checked_document(doc_type: str, number: str, country: str = "") -> IdentityDocument:
    try:
        return check_document(doc_type, number, today=timezone.localdate(), country=country)
    except IdentityNumberError as error:
        raise as_domain_error(error) from None


def identity_index(doc: IdentityDocument) -> str:
    return vault.blind_index(blind_index_input(doc))


def _agree_with_document(reg: Registration, doc: IdentityDocument) -> tuple[date | None, str]:
    birth, sex = reg.birth_date, reg.sex or "U"
    if doc.birth_date:
        if birth and birth != doc.birth_date:
            raise ValidationFailed(
                problem_message("birth_date_mismatch"),
                field="birth_date",
                code="identity.birth_date_mismatch",
            )
        birth = doc.birth_date
    if doc.sex:
        if reg.sex and reg.sex != "U" and reg.sex != doc.sex:
            raise ValidationFailed(
                problem_message("sex_mismatch"), field="sex", code="identity.sex_mismatch"
            )
        sex = doc.sex
    return birth, sex


def _new_learner_number() -> str:
    """A random learner number, deliberately unrelated to the identity number."""
    return "L" + "".join(secrets.choice("0123456789") for _ in range(11))


def _check_fields(reg: Registration) -> None:
    if not reg.name.strip():
        raise ValidationFailed(
            _("Enter the name as it is written on the identity document."), field="name"
        )
    if districts.by_code(reg.district_code) is None:
        raise ValidationFailed(
            _("Choose a district of residence from the list."), field="district_code"
        )
    if reg.hukou not in ("local", "non_local"):
        raise ValidationFailed(
            _("Choose local or non-local household registration."), field="hukou"
        )
    if reg.username and len(reg.password) < 8:
        raise ValidationFailed(_("Choose a password of at least 8 characters."), field="password")


def register_learner(actor: Actor, reg: Registration) -> Learner:
    """Open an account; refuse an identity that already has one without saying whose it is."""
    doc = checked_document(reg.doc_type, reg.id_number, reg.doc_country)
    birth, sex = _agree_with_document(reg, doc)
    _check_fields(reg)
    index = identity_index(doc)
    duplicate = DuplicateIdentity(
        _(
            "An account already exists for this identity document. If it is yours, sign in; if "
            "you cannot, ask the credit bank's service desk to recover it."
        ),
        field="id_number",
    )
    if Learner.objects.filter(id_index=index).exists():
        raise duplicate
    User = get_user_model()
    if reg.username and User.objects.filter(username=reg.username).exists():
        raise ValidationFailed(_("This user name is taken; choose another."), field="username")
    try:
        with transaction.atomic():
            user = None
            if reg.username:
                user = User.objects.create_user(
                    reg.username, email=reg.email, password=reg.password
                )
            learner = Learner.objects.create(
                learner_no=_new_learner_number(),
                user=user,
                name=reg.name.strip(),
                doc_type=doc.doc_type,
                doc_country=doc.country if doc.doc_type == "passport" else "",
                id_encrypted=vault.encrypt(doc.number),
                id_index=index,
                id_masked=mask(doc.number),
                birth_date=birth,
                sex=sex,
                district_code=reg.district_code,
                hukou=reg.hukou,
                phone=reg.phone,
                email=reg.email,
            )
            record(
                actor,
                "learner.register",
                learner,
                id_masked=learner.id_masked,
                learner_no=learner.learner_no,
            )
    except IntegrityError:
        raise duplicate from None
    return learner


def find_learner(doc_type: str, number: str, country: str = "") -> Learner | None:
    doc = checked_document(doc_type, number, country)
    return Learner.objects.filter(id_index=identity_index(doc)).first()


def reveal_identity_number(actor: Actor, learner: Learner) -> str:
    """The clear number, for the learner alone; everyone else gets the masked one."""
    if actor.learner_id == learner.pk:
        return vault.decrypt(learner.id_encrypted)
    return learner.id_masked
