"""Unified social credit codes (GB 32100-2015) are checked."""

import pytest

from learncity.institutions.uscc import USCCError, check_uscc, make_uscc


def test_a_published_example_code_is_accepted():
    assert check_uscc("91350100M000100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y44", "bad_check_char"),
        ("91350100M000100Y4", "wrong_length"),
        ("91350100M000100I43", "bad_characters"),
    ],
)
def test_bad_codes_are_refused(code, problem):
    with pytest.raises(USCCError) as caught:
        check_uscc(code)
    assert caught.value.code == problem


def test_made_codes_check():
    assert check_uscc(make_uscc("12310104MB0000003"))
