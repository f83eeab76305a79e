"""Identity documents are checked against their national standards."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learncity.identity.idnumbers import (
    IdentityNumberError,
    check_document,
    mask,
    mod11_2_check_char,
)

TODAY = date(2026, 11, 29)


def code_of(doc_type, number, country=""):
    with pytest.raises(IdentityNumberError) as caught:
        check_document(doc_type, number, today=TODAY, country=country)
    return caught.value.code


def test_a_published_example_number_is_accepted_with_birth_date_and_sex():
    doc = check_document("cn_resident", "11010519491231002X", today=TODAY)
    assert doc.birth_date == date(1949, 12, 31)
    assert doc.sex == "F"


def test_lower_case_x_and_spaces_are_normalised():
    doc = check_document("cn_resident", " 11010519491231002x ", today=TODAY)
    assert doc.number == "11010519491231002X"


def test_a_wrong_check_character_is_refused():
    assert code_of("cn_resident", "110105194912310021") == "bad_check_char"


def test_an_impossible_birth_date_is_refused():
    first17 = "31010119900230001"  # 30 February
    assert code_of("cn_resident", first17 + mod11_2_check_char(first17)) == "impossible_birth_date"


def test_a_birth_date_in_the_future_is_refused():
    first17 = "31010120301231001"
    assert code_of("cn_resident", first17 + mod11_2_check_char(first17)) == "future_birth_date"


def test_an_unknown_region_prefix_is_refused():
    first17 = "99010119800101001"
    assert code_of("cn_resident", first17 + mod11_2_check_char(first17)) == "unknown_region"


@pytest.mark.parametrize("number", ["1101051949123100", "11010519491231002X1", ""])
def test_a_wrong_length_is_refused(number):
    assert code_of("cn_resident", number) == "wrong_length"


def test_full_width_characters_are_refused_with_their_own_message():
    assert code_of("cn_resident", "１１０１０５１９４９１２３１００２Ｘ") == "full_width"


def test_letters_inside_the_number_are_refused():
    assert code_of("cn_resident", "11010519491231A02X") == "bad_characters"


def test_hong_kong_macao_taiwan_permits_use_their_prefix_and_the_same_checksum():
    first17 = "81000019900101002"
    number = first17 + mod11_2_check_char(first17)
    doc = check_document("hmt_permit", number, today=TODAY)
    assert doc.sex == "F" and doc.birth_date == date(1990, 1, 1)
    assert code_of("cn_resident", number) == "permit_not_resident_card"
    assert code_of("hmt_permit", "11010519491231002X") == "unknown_region"


def test_foreign_permanent_resident_cards_of_both_generations():
    first17 = "93184019850704001"
    new = check_document("foreign_permanent", first17 + mod11_2_check_char(first17), today=TODAY)
    assert new.birth_date == date(1985, 7, 4) and new.sex == "M"
    old = check_document("foreign_permanent", "USA318507040012", today=TODAY)
    assert old.birth_date == date(1985, 7, 4) and old.country == "USA"


def test_passports_need_a_country_code_and_a_plausible_number():
    doc = check_document("passport", "e12345678", today=TODAY, country="usa")
    assert (doc.country, doc.number, doc.birth_date) == ("USA", "E12345678", None)
    assert code_of("passport", "E12345678", country="US") == "bad_country"
    assert code_of("passport", "E1", country="USA") == "bad_passport_number"


def test_masking_keeps_only_the_region_and_the_last_four():
    assert mask("11010519491231002X") == "110105********002X"


@given(st.integers(min_value=0, max_value=10**17 - 1))
def test_every_seventeen_digits_have_exactly_one_valid_check_character(n):
    first17 = f"{n:017d}"
    valid = mod11_2_check_char(first17)
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    value = 10 if valid == "X" else int(valid)
    assert (total + value) % 11 == 1
