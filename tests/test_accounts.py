"""Real-name learning accounts: one person, one account, identity numbers never in clear."""

from datetime import date

import pytest
from django.db import connection

from learncity.audit.models import AuditEntry
from learncity.errors import DuplicateIdentity, InvalidIdentityDocument, ValidationFailed
from learncity.identity.models import Learner
from learncity.identity.services import Registration, find_learner, register_learner

from .conftest import valid_id


def registration(**overrides):
    values = dict(
        name="李梅",
        doc_type="cn_resident",
        id_number=valid_id(seq=42),
        district_code="310115",
        hukou="non_local",
        username="limei",
        password="correct-horse-9",
    )
    values.update(overrides)
    return Registration(**values)


def test_opening_an_account_derives_birth_date_and_sex_from_the_card(db, system):
    learner = register_learner(system, registration())
    assert learner.birth_date == date(1980, 3, 15)
    assert learner.sex == "F"
    assert learner.learner_no.startswith("L") and len(learner.learner_no) == 12


def test_the_learner_number_is_not_derived_from_the_identity_number(db, system):
    learner = register_learner(system, registration())
    assert learner.learner_no[1:] not in valid_id(seq=42)


def test_the_identity_number_is_stored_only_encrypted(db, system):
    number = valid_id(seq=42)
    learner = register_learner(system, registration())
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM identity_learner WHERE id = %s", [learner.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert number not in row
    assert number[:6] + "********" + number[-4:] in row  # the masked form only


def test_a_second_account_for_the_same_identity_is_refused_without_saying_whose(db, system):
    register_learner(system, registration())
    with pytest.raises(DuplicateIdentity) as caught:
        register_learner(system, registration(name="别人", username="other"))
    assert "李梅" not in str(caught.value.message)
    assert caught.value.status == 409
    assert Learner.objects.count() == 1


def test_lower_case_x_finds_the_same_account(db, system):
    number = "11010519491231002X"
    register_learner(system, registration(id_number=number, name="赵丽"))
    assert find_learner("cn_resident", number.lower()).name == "赵丽"


def test_a_typed_birth_date_that_disagrees_with_the_card_is_refused(db, system):
    with pytest.raises(ValidationFailed) as caught:
        register_learner(system, registration(birth_date=date(1981, 3, 15)))
    assert caught.value.field == "birth_date"


def test_a_typed_sex_that_disagrees_with_the_card_is_refused(db, system):
    with pytest.raises(ValidationFailed) as caught:
        register_learner(system, registration(sex="M"))
    assert caught.value.field == "sex"


def test_an_invalid_identity_number_is_refused_with_a_message(db, system):
    with pytest.raises(InvalidIdentityDocument) as caught:
        register_learner(system, registration(id_number="110105194912310021"))
    assert caught.value.field == "id_number"
    assert "check" in str(caught.value.message).lower() or "校验" in str(caught.value.message)


def test_an_unknown_district_is_refused(db, system):
    with pytest.raises(ValidationFailed) as caught:
        register_learner(system, registration(district_code="999999"))
    assert caught.value.field == "district_code"


def test_a_passport_holder_can_open_an_account(db, system):
    learner = register_learner(
        system,
        registration(
            doc_type="passport", id_number="E12345678", doc_country="USA", name="John Smith"
        ),
    )
    assert learner.doc_country == "USA" and learner.birth_date is None
    assert find_learner("passport", "E12345678", "USA") == learner
    assert find_learner("passport", "E12345678", "GBR") is None


def test_opening_an_account_is_audited_without_the_clear_number(db, system):
    learner = register_learner(system, registration())
    entry = AuditEntry.objects.get(action="learner.register")
    assert entry.object_id == str(learner.pk)
    assert valid_id(seq=42) not in str(entry.details)


def test_audit_entries_can_be_neither_changed_nor_deleted(db, system):
    register_learner(system, registration())
    entry = AuditEntry.objects.get(action="learner.register")
    entry.reason = "changed"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_identity_numbers_are_masked_in_logs(caplog):
    import logging

    from learncity.identity.logging import MaskIdentityNumbers

    logger = logging.getLogger("learncity.test")
    logger.addFilter(MaskIdentityNumbers())
    with caplog.at_level(logging.WARNING):
        logger.warning("lookup of %s failed", "11010519491231002X")
    assert "11010519491231002X" not in caplog.text
    assert "110105********002X" in caplog.text
