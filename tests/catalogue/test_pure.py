"""The pure modules: search terms, coordinates, timetables, ranking, recommendations, supply."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from learncity.catalogue import distribution, geo, ranking, recommend, rows, schedule, textsearch


def test_chinese_is_split_from_latin_and_at_punctuation():
    assert textsearch.tokens("老年人智能手机，Python编程!3D打印") == [
        "老年人智能手机",
        "python",
        "编程",
        "3d",
        "打印",
    ]


def test_grams_hold_short_chinese_pieces_and_short_latin_words():
    grams = textsearch.grams("书法入门", "AI for everyone")
    for piece in (" 书 ", " 法 ", " 书法 ", " 法入 ", " 入门 ", " ai "):
        assert piece in grams
    assert " everyone " not in grams  # long words are found by the trigram text index


def test_full_width_and_case_are_folded():
    assert textsearch.parse("ＰＹＴＨＯＮ").terms == ("python",)


def test_a_query_of_only_punctuation_has_no_terms():
    query = textsearch.parse("！？。,.;'\"()*%_")
    assert query.empty and not query.shortened


def test_a_very_long_query_is_cut_and_says_so():
    query = textsearch.parse("书法 " * 5000 + "".join(f"词{i} " for i in range(50)))
    assert query.shortened and len(query.terms) <= textsearch.MAX_TERMS
    query = textsearch.parse("长" * 500)
    assert query.shortened and len(query.terms[0]) <= textsearch.MAX_TERM_CHARS


def test_fts5_expression_quotes_every_term_so_input_is_never_syntax():
    expression = textsearch.fts5_expression(textsearch.parse("书法 NEAR AND 智能手机"))
    assert expression == (
        'grams : " 书法 " AND {title body} : "near" AND '
        '{title body} : "and" AND {title body} : "智能手机"'
    )


def test_like_patterns_escape_wildcards():
    assert textsearch.like_escape("50%_off\\") == "50\\%\\_off\\\\"


@pytest.mark.parametrize(
    "lat, lon, code",
    [
        ("abc", "121.4", "coordinates.unreadable"),
        ("nan", "121.4", "coordinates.unreadable"),
        ("121.47", "31.23", "coordinates.swapped"),
        ("95", "200", "coordinates.out_of_range"),
        ("31.2", "181", "coordinates.out_of_range"),
    ],
)
def test_invalid_coordinates_are_refused_with_a_reason(lat, lon, code):
    with pytest.raises(geo.GeoError) as error:
        geo.parse_point(lat, lon)
    assert error.value.code == code


def test_points_outside_the_city_are_refused():
    extent = geo.city_extent()
    assert geo.check_in_city(geo.Point(31.23, 121.47), extent)
    with pytest.raises(geo.GeoError) as error:
        geo.check_in_city(geo.Point(0.0, 0.0), extent)
    assert error.value.code == "coordinates.outside_city"
    with pytest.raises(geo.GeoError):
        geo.check_in_city(geo.Point(39.9, 116.4), extent)  # Beijing


def test_distance_between_people_square_and_the_bund_is_about_1_5_km():
    km = geo.distance_km(geo.Point(31.2304, 121.4737), geo.Point(31.2400, 121.4900))
    assert 1.6 < km < 2.0
    south, west, north, east = geo.bounding_box(geo.Point(31.23, 121.47), 5)
    assert south < 31.23 < north and west < 121.47 < east


def slot(start, end, days="1", first=date(2025, 3, 3), last=date(2025, 6, 30), room=""):
    return schedule.Slot(
        first, last, frozenset(int(d) for d in days), time(*start), time(*end), room
    )


def test_sessions_clash_only_in_the_same_room_at_overlapping_times_on_a_shared_weekday():
    monday_morning = slot((9, 0), (11, 0), "1")
    assert schedule.overlaps(monday_morning, slot((10, 30), (12, 0), "13"))
    assert not schedule.overlaps(monday_morning, slot((11, 0), (12, 0), "1"))  # back to back
    assert not schedule.overlaps(monday_morning, slot((9, 0), (11, 0), "2"))
    assert not schedule.overlaps(monday_morning, slot((9, 0), (11, 0), "1", room="201"))
    later = slot((9, 0), (11, 0), "1", first=date(2025, 7, 1), last=date(2025, 8, 1))
    assert not schedule.overlaps(monday_morning, later)


def test_short_overlapping_ranges_clash_only_when_a_shared_weekday_falls_in_them():
    a = slot((9, 0), (11, 0), "5", first=date(2025, 3, 3), last=date(2025, 3, 7))  # Mon-Fri
    b = slot((9, 0), (11, 0), "5", first=date(2025, 3, 6), last=date(2025, 3, 6))  # Thursday
    assert not schedule.overlaps(a, b)


def test_impossible_timetables_are_refused():
    with pytest.raises(schedule.ScheduleError) as error:
        schedule.check_slot(slot((9, 0), (8, 0)))
    assert error.value.code == "schedule.time_order"
    with pytest.raises(schedule.ScheduleError):
        schedule.check_slot(slot((9, 0), (10, 0), first=date(2025, 3, 5), last=date(2025, 3, 1)))
    with pytest.raises(schedule.ScheduleError) as error:
        schedule.check_slot(
            slot((9, 0), (10, 0), "6", first=date(2025, 3, 3), last=date(2025, 3, 4))
        )
    assert error.value.code == "schedule.never_meets"
    with pytest.raises(schedule.ScheduleError):
        schedule.parse_weekdays("18", date(2025, 3, 3), date(2025, 3, 10))
    assert schedule.parse_weekdays("", date(2025, 3, 3), date(2025, 3, 3)) == {1}


def test_award_candidates_rank_on_weighted_criteria_and_minimums_exclude():
    criteria = ranking.Criteria("learning_star", {"hours": 2, "categories": 1}, {"hours": 10})
    ranked = ranking.rank(
        [
            ranking.Candidate("a", {"hours": 100, "categories": 1}),
            ranking.Candidate("b", {"hours": 50, "categories": 4}),
            ranking.Candidate("c", {"hours": 5, "categories": 5}),
            ranking.Candidate("d", {"hours": 100, "categories": 1}),
        ],
        criteria,
    )
    assert [(r.key, r.rank) for r in ranked] == [("a", 1), ("d", 1), ("b", 3), ("c", None)]
    assert ranked[0].score == pytest.approx(66.67 + 6.67, abs=0.01)  # best categories: 5
    assert ranked[-1].shortfalls == ("hours",)
    with pytest.raises(ranking.CriteriaError):
        ranking.Criteria("learning_star", {"shoe_size": 1}).check()
    with pytest.raises(ranking.CriteriaError):
        ranking.Criteria("team", {"activities": 0}).check()


def test_recommendations_explain_themselves_and_skip_courses_for_other_ages():
    profile = recommend.Profile("310104", "elderly", {"culture_leisure": 3}, 2, frozenset({1}))
    candidates = [
        recommend.Candidate(1, "culture_leisure", audiences=("elderly",)),  # taken already
        recommend.Candidate(2, "culture_leisure", 3, ("elderly",), ("310104",), free=True),
        recommend.Candidate(3, "vocational", audiences=("youth",), site_districts=("310104",)),
        recommend.Candidate(4, "academic", mode="online", rating=4.5),
        recommend.Candidate(5, "vocational", site_districts=("310117",)),
    ]
    steps = {4: recommend.NextStep(12, 1)}
    result = recommend.recommend(profile, candidates, steps)
    assert [r.course_id for r in result] == [2, 4]
    codes = [r.code for r in result[0].reasons]
    assert codes[0] in ("district", "age_group") and "level_up" in codes and "free" in codes
    assert result[1].reasons[0].code == "next_step" and result[1].reasons[0].param("learners") == 12


def test_next_steps_count_only_what_peers_took_after_the_shared_course():
    t = datetime(2025, 1, 1)
    firsts = {10: (t, 1), 11: (t, 1)}
    later = [
        (10, 7, datetime(2025, 2, 1)),
        (11, 7, datetime(2025, 3, 1)),
        (11, 8, datetime(2024, 12, 1)),
        (99, 7, datetime(2025, 2, 1)),
    ]
    steps = recommend.next_steps(firsts, later)
    assert steps == {7: recommend.NextStep(2, 1)}


def test_age_groups():
    today = date(2025, 6, 1)
    assert recommend.age_group(date(1958, 5, 17), today) == "elderly"
    assert recommend.age_group(date(1965, 6, 2), today) == "adults"  # 59 until tomorrow
    assert recommend.age_group(date(2015, 1, 1), today) == "children"
    assert recommend.age_group(None, today) is None


def test_supply_per_10k_residents_the_gap_and_proposals_for_under_served_districts():
    supplies = [
        distribution.Supply("c1", "central", 100_000, courses=50, seats=2000, sites=10),
        distribution.Supply("c2", "central", 100_000, courses=40, seats=1800, sites=8),
        distribution.Supply("s1", "suburb", 200_000, courses=10, seats=400, sites=2),
    ]
    analysis = distribution.analyse(supplies)
    s1 = next(r for r in analysis.districts if r.supply.code == "s1")
    assert s1.rates == {"courses": 0.5, "seats": 20.0, "sites": 0.1}
    assert set(s1.under_served) == {"courses", "seats", "sites"}
    seats_gap = next(g for g in analysis.gaps if g.measure == "seats")
    assert seats_gap.centre == 190.0 and seats_gap.suburbs == 20.0 and seats_gap.ratio == 0.11
    demand = [
        distribution.Demand(1, frozenset({"c1"}), waiting=30, fill_rate=1.0, rating=4.8),
        distribution.Demand(2, frozenset({"s1"}), waiting=50, fill_rate=1.0),
        distribution.Demand(3, frozenset({"c2"}), waiting=0, fill_rate=0.2),
    ]
    proposals = distribution.propose(analysis, demand)
    assert [(p.course_id, p.district) for p in proposals] == [(1, "s1"), (3, "s1")]


def test_course_rows_report_every_problem():
    lookups = rows.Lookups(
        find_district=lambda v: "310104" if v in ("310104", "徐汇区") else None,
        levels={1, 2, 3},
        categories={"culture_leisure": "culture_leisure"},
    )
    problems = rows.check_course(
        {
            "code": "bad code",
            "title_zh": "",
            "mode": "by post",
            "kind": "mooc",
            "hours": "-3",
            "level": "9",
            "fee_yuan": "20",
            "public_benefit": "是",
            "xapi_activity_iri": "course 1",
            "districts": "徐汇区, 火星区",
            "audiences": "elderly 外星人",
        },
        lookups,
    )
    found = {(p.column, p.code) for p in problems}
    assert found >= {
        ("code", "bad_code"),
        ("title_zh", "required"),
        ("mode", "unknown_value"),
        ("hours", "out_of_range"),
        ("level", "unknown_value"),
        ("fee_yuan", "free_with_fee"),
        ("xapi_activity_iri", "bad_iri"),
        ("districts", "unknown_value"),
        ("audiences", "unknown_value"),
    }
