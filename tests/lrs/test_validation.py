"""Statement validation and value formats: pure, no database."""

from __future__ import annotations

import copy

import pytest

from learncity.lrs import datatypes as t
from learncity.lrs.compare import same_statement
from learncity.lrs.validation import StatementInvalid, validate_statement
from tests.lrs.conftest import statement


def refuses(value, version: str = "1.0.3") -> str:
    with pytest.raises(StatementInvalid) as caught:
        validate_statement(value, version)
    return caught.value.path


def with_path(path: tuple, value) -> dict:
    body = statement()
    target = body
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    return body


def test_a_plain_statement_is_valid_in_both_versions():
    validate_statement(statement(), "1.0.3")
    validate_statement(statement(), "2.0.0")


@pytest.mark.parametrize(
    "path, value",
    [
        (("verb", "id"), "not an iri"),
        (("verb", "display"), {"en-US": 1}),
        (("verb", "display"), {"a12345678": "bad tag"}),
        (("actor", "mbox"), "wang@example.com"),
        (("actor", "mbox_sha1sum"), "xyz"),
        (("object", "objectType"), "activity"),
        (("timestamp",), "2008-09-15T15:53:00.601-00:00"),
        (("timestamp",), "01/011/2015"),
        (("id",), "MA97B177-9383-4934-8543-0F91A7A02836"),
        (("result", "duration"), "PA1H0M0S"),
        (("result", "score", "scaled"), 1.5),
        (("result", "success"), "true"),
        (("context", "registration"), "not-a-uuid"),
        (("context", "language"), "english language"),
        (("version",), "1.1.0"),
        (("Actor",), {"mbox": "mailto:a@example.com"}),
        (("verb", "id"), None),
    ],
)
def test_malformed_values_are_refused_with_their_path(path, value):
    where = refuses(with_path(path, value))
    assert where.startswith("statement")


def test_nulls_are_allowed_inside_extensions_only():
    ok = with_path(("result", "extensions"), {"http://example.com/x": None})
    validate_statement(ok, "1.0.3")
    refuses(with_path(("result", "response"), None))


def test_an_agent_has_exactly_one_identifier():
    refuses(with_path(("actor",), {"mbox": "mailto:a@example.com", "openid": "http://a.example"}))
    refuses(with_path(("actor",), {"name": "nobody"}))


def test_groups_follow_their_rules():
    anonymous = {"objectType": "Group", "member": [{"mbox": "mailto:a@example.com"}]}
    validate_statement(with_path(("actor",), anonymous), "1.0.3")
    refuses(with_path(("actor",), {"objectType": "Group"}))
    nested = {"objectType": "Group", "member": [anonymous]}
    refuses(with_path(("actor",), nested))


def test_a_substatement_cannot_nest_or_carry_an_id():
    inner = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:a@example.com"},
        "verb": {"id": "http://example.com/v"},
        "object": {"id": "http://example.com/a"},
    }
    validate_statement(with_path(("object",), inner), "1.0.3")
    refuses(with_path(("object",), {**inner, "id": "9e3a3b0e-4c8e-4b8e-9a1e-1b2c3d4e5f60"}))
    refuses(with_path(("object",), {**inner, "object": copy.deepcopy(inner)}))


def test_revision_needs_an_activity_object():
    agent_object = {"objectType": "Agent", "mbox": "mailto:b@example.com"}
    body = with_path(("object",), agent_object)
    body["context"] = {"revision": "2"}
    assert refuses(body) == "statement.context.revision"


def test_context_agents_exist_only_in_2_0():
    body = with_path(
        ("context", "contextAgents"),
        [
            {
                "objectType": "contextAgent",
                "agent": {"mbox": "mailto:c@example.com"},
                "relevantTypes": ["http://example.com/types/tutor"],
            }
        ],
    )
    validate_statement(body, "2.0.0")
    refuses(body, "1.0.3")
    body["context"]["contextAgents"][0]["relevantTypes"] = []
    refuses(body, "2.0.0")


def test_statement_versions_depend_on_the_api_version():
    validate_statement(with_path(("version",), "1.0.9"), "1.0.3")
    refuses(with_path(("version",), "2.0.0"), "1.0.3")
    validate_statement(with_path(("version",), "2.0.0"), "2.0.0")


def test_interaction_components_need_a_matching_interaction_type():
    definition = {"interactionType": "true-false", "choices": [{"id": "a"}]}
    refuses(with_path(("object", "definition"), definition))
    definition = {"interactionType": "choice", "choices": [{"id": "a"}, {"id": "a"}]}
    refuses(with_path(("object", "definition"), definition))


def test_voiding_needs_a_statement_reference():
    body = statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"})
    assert refuses(body) == "statement.object"


@pytest.mark.parametrize("tag", ["en", "en-US", "zh-Hans-CN", "sgn-BE-FR", "x-private", "de-1996"])
def test_language_tags_follow_rfc_5646(tag):
    assert t.is_language(tag)


@pytest.mark.parametrize("tag", ["", "a12345678", "en_US", "-en", "en--US"])
def test_malformed_language_tags_are_refused(tag):
    assert not t.is_language(tag)


@pytest.mark.parametrize(
    "text, ok",
    [
        ("PT1H0M0.1S", True),
        ("P4W", True),
        ("P1DT12H", True),
        ("P", False),
        ("PT", False),
        ("P4W1D", False),
        ("PA1H0M0S", False),
    ],
)
def test_durations_follow_iso_8601(text, ok):
    assert t.is_duration(text) is ok


def test_timestamps_are_read_as_utc_and_refuse_negative_zero_offsets():
    moment = t.parse_timestamp("2023-05-04T12:00:00-05:00")
    assert t.format_timestamp(moment) == "2023-05-04T17:00:00.000Z"
    for text in ("2008-09-15T15:53:00.601-00", "2008-09-15T15:53:00.601-0000"):
        assert not t.is_timestamp(text)


def test_comparison_ignores_what_immutability_allows():
    a = statement(timestamp="2023-05-04T12:00:00-05:00")
    b = copy.deepcopy(a)
    b["timestamp"] = "2023-05-04T17:00:00Z"
    b["verb"]["display"] = {"fr-FR": "terminé"}
    b["object"]["definition"] = {"name": {"en-US": "Other name"}}
    b["stored"] = "2024-01-01T00:00:00Z"
    assert same_statement(a, b)
    b["verb"]["id"] = "http://example.com/other"
    assert not same_statement(a, b)
