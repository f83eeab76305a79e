"""The batch's rule index gives the decisions a plain scan of the candidates gives."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from learncity.creditbank.engine import RuleBook
from learncity.creditbank.models import RecognitionStandard
from learncity.creditbank.rules import OutcomeFacts, choose

KINDS = ["course", "training", "skill_certificate"]
INSTITUTIONS = [
    ("A", "university", True),
    ("B", "community_school", False),
    ("C", "university", False),
]
CODES = ["", "X-1", "X-2", "Y-1"]


def subset(values):
    return st.lists(st.sampled_from(values), unique=True, max_size=2)


standards = st.builds(
    dict,
    kinds=subset(KINDS),
    institution_codes=subset([i[0] for i in INSTITUTIONS]),
    institution_kinds=subset(["university", "community_school"]),
    accredited_only=st.booleans(),
    code_exact=st.sampled_from(CODES),
    code_pattern=st.sampled_from(["", "X-*", "Y-*", "*-1", "[XY]-?"]),
    min_result=st.sampled_from(["", "60", "pass"]),
    effective_from=st.sampled_from([date(2015, 1, 1), date(2021, 1, 1)]),
)
outcomes = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(CODES),
    st.sampled_from(INSTITUTIONS),
    st.sampled_from([("score", "55"), ("score", "80"), ("pass", "pass"), ("none", "")]),
    st.sampled_from([date(2019, 5, 1), date(2023, 5, 1)]),
)


def book_of(items: list[dict]) -> RuleBook:
    return RuleBook(
        [
            RecognitionStandard(
                code=f"S{i}",
                version="1",
                level=3,
                category="vocational",
                credits_fixed=Decimal(1 + i % 3),
                rounding_step=Decimal("0.5"),
                **item,
            )
            for i, item in enumerate(items)
        ]
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(standards, max_size=12), st.lists(outcomes, min_size=1, max_size=20))
def test_the_shortlist_chooses_as_the_full_candidate_list(items, cases):
    book = book_of(items)
    for kind, code, institution, (result_type, result), completed_on in cases * 2:  # + cache
        facts = OutcomeFacts(
            1, kind, *institution, code, result_type, result, Decimal(32), completed_on
        )
        assert choose(book.shortlist(kind, code, institution), facts) == choose(
            book.candidates(kind, code), facts
        )
