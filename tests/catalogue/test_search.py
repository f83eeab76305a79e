"""Search finds Chinese text without spaces, on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm)."""

from __future__ import annotations

from datetime import time

import pytest
from django.db import connection

from learncity.catalogue import searchindex
from learncity.catalogue.search import CourseFilters, search_courses, search_sites
from learncity.catalogue.selectors import origin_from
from learncity.catalogue.services.offers import moderate, save_course


@pytest.fixture
def catalogue(make_course, make_site, make_session):
    xuhui = make_site()
    songjiang = make_site(
        code="SJ-01",
        name_zh="松江区老年大学",
        name_en="Songjiang Elderly University",
        kind="elderly_university",
        address="上海市松江区中山中路 1 号",
        district="310117",
        latitude="31.0322",
        longitude="121.2277",
    )
    calligraphy = make_course()
    phone = make_course(
        code="XH-PHONE",
        title_zh="老年人智能手机应用",
        title_en="Smartphones for older people",
        description_zh="学会微信视频、移动支付和网上挂号。",
        level="1",
    )
    english = make_course(
        code="PT-ENG",
        title_zh="社区英语口语",
        title_en="Everyday English",
        description_zh="日常会话，书法爱好者也欢迎。",
        kind="community",
        audiences="youth,adults",
        level="2",
        category="",
        public_benefit="否",
        fee_yuan="200",
    )
    online = make_course(
        code="AI-MOOC",
        title_zh="人工智能通识",
        title_en="AI for everyone",
        description_zh="",
        mode="online",
        kind="mooc",
        audiences="",
        level="4",
    )
    make_session(calligraphy, xuhui, days=(10, 60), weekdays="2", start=time(9), end=time(11))
    make_session(phone, songjiang, days=(3, 30), start=time(14), end=time(16))
    make_session(english, xuhui, days=(20, 80), start=time(19), end=time(21), room="201")
    return {
        "calligraphy": calligraphy,
        "phone": phone,
        "english": english,
        "online": online,
        "xuhui": xuhui,
        "songjiang": songjiang,
    }


def titles(page):
    return [c.title_zh for c in page.items]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("书法", "书法入门"),  # two characters, inside a word
        ("书", "书法入门"),  # one character
        ("智能手机", "老年人智能手机应用"),  # a word in the middle of a title without spaces
        ("手机应用", "老年人智能手机应用"),
        ("网上挂号", "老年人智能手机应用"),  # in the description
        ("smartphones", "老年人智能手机应用"),
        ("ENGLISH", "社区英语口语"),
        ("ai", "人工智能通识"),
        ("英语 口语", "社区英语口语"),
    ],
)
def test_search_finds_chinese_and_english_text_without_spaces(catalogue, text, expected):
    assert expected in titles(search_courses(text))


def test_title_matches_rank_above_description_matches(catalogue):
    page = search_courses("书法")
    assert titles(page) == ["书法入门", "社区英语口语"]
    assert page.items[0].score > page.items[1].score


def test_every_term_must_match(catalogue):
    assert titles(search_courses("书法 手机")) == []


def test_a_search_of_only_punctuation_shows_everything_and_says_why(catalogue):
    page = search_courses("！？。…()*%_\"'")
    assert page.total == 4 and "no_terms" in page.notes


def test_a_very_long_search_is_cut_not_refused(catalogue):
    page = search_courses("书法" * 10_000)
    assert "shortened" in page.notes and page.total == 0
    page = search_courses("书法 " + "！" * 100_000)
    assert "shortened" in page.notes and titles(page)[0] == "书法入门"


def test_fts_syntax_in_a_search_is_just_text(catalogue):
    for text in ["NEAR(书法 入门)", '"书法', "title:书法", "书法 OR 手机", "*", "-书法", "^"]:
        search_courses(text)  # never a database error


def test_unpublished_courses_are_not_found(make_course):
    make_course(publish=False, code="HIDDEN", title_zh="书法进阶")
    assert search_courses("书法").total == 0


def test_filters(catalogue):
    assert titles(search_courses("", CourseFilters(mode="online"))) == ["人工智能通识"]
    assert set(titles(search_courses("", CourseFilters(free=True)))) == {
        "书法入门",
        "老年人智能手机应用",
        "人工智能通识",
    }
    assert "社区英语口语" not in titles(search_courses("", CourseFilters(audience="elderly")))
    assert titles(search_courses("", CourseFilters(level=4))) == ["人工智能通识"]
    assert titles(search_courses("", CourseFilters(weekday=2))) == ["书法入门"]
    assert titles(search_courses("", CourseFilters(part_of_day="evening"))) == ["社区英语口语"]
    songjiang = titles(search_courses("", CourseFilters(district="310117")))
    assert "老年人智能手机应用" in songjiang and "人工智能通识" in songjiang  # held there; citywide


def test_sorting_by_start_date_and_by_distance(catalogue):
    by_start = titles(search_courses("", sort="start"))
    assert by_start[:3] == ["老年人智能手机应用", "书法入门", "社区英语口语"]
    assert by_start[-1] == "人工智能通识"  # no session: last
    near_songjiang = search_courses("", sort="distance", origin=origin_from("310117"))
    assert titles(near_songjiang)[0] == "老年人智能手机应用"
    assert near_songjiang.items[0].distance_km < 1
    assert near_songjiang.items[-1].distance_km is None  # online: no distance


def test_distance_without_a_place_falls_back_and_says_so(catalogue):
    page = search_courses("书法", sort="distance")
    assert page.sort == "relevance" and "distance_needs_origin" in page.notes


def test_changing_or_deleting_a_course_keeps_the_index_in_step(
    catalogue, officer_actor, institution
):
    course = catalogue["calligraphy"]
    save_course(
        officer_actor,
        institution,
        {"code": course.code, "title_zh": "篆刻入门", "mode": "offline", "kind": "elderly"},
        course=course,
    )
    assert search_courses("书法入门").total == 0
    assert search_courses("篆刻").total == 1
    online = catalogue["online"]
    online.delete()
    assert search_courses("人工智能").total == 0


def test_sites_are_found_by_name_and_address_and_nearest_first(catalogue):
    assert [s.code for s in search_sites("老年大学").items] == ["SJ-01"]
    assert [s.code for s in search_sites("漕溪").items] == ["XH-01"]
    page = search_sites("", origin=origin_from("310104"), radius_km=5)
    assert [s.code for s in page.items] == ["XH-01"] and page.items[0].distance_km < 1
    page = search_sites("", origin=origin_from(latitude="31.03", longitude="121.23"))
    assert [s.code for s in page.items] == ["SJ-01", "XH-01"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers are SQLite's")
def test_a_table_rebuild_that_drops_the_triggers_is_repaired_after_migrate(catalogue):
    with connection.cursor() as cursor:
        for name in searchindex.TRIGGERS:
            cursor.execute(f"DROP TRIGGER catalogue_course_fts_{name}")
        cursor.execute(
            "INSERT INTO catalogue_course_fts(catalogue_course_fts) VALUES ('delete-all')"
        )
    assert search_courses("书法").total == 0
    assert searchindex.ensure(connection) is True
    assert search_courses("书法").total == 2
    assert searchindex.ensure(connection) is False


def test_moderation_needs_an_administrator_and_a_reason_to_send_back(
    make_course, officer_actor, admin_actor
):
    from learncity.errors import PermissionDenied, ValidationFailed

    course = make_course(publish=False)
    with pytest.raises(PermissionDenied):
        moderate(officer_actor, course, "publish")
    with pytest.raises(ValidationFailed):
        moderate(admin_actor, course, "reject", "  ")
    assert moderate(admin_actor, course, "reject", "标题有错别字").status == "rejected"


def test_common_words_are_ranked_within_a_pool_that_filters_can_grow(monkeypatch, make_course):
    from learncity.catalogue import search

    for i in range(5):
        make_course(code=f"C{i}", title_zh=f"书法{i}", kind="mooc" if i == 2 else "elderly")
    monkeypatch.setattr(search, "POOL", 2)
    monkeypatch.setattr(search, "POOL_MAX", 4)
    page = search_courses("书法", per_page=2)
    assert len(page.items) == 2
    if connection.vendor == "sqlite":
        assert (page.total, page.total_capped) == (5, False)  # counted inside the FTS index
    else:
        assert (page.total, page.total_capped) == (2, True)  # "more than 2"
    found = search_courses("书法", CourseFilters(kind="mooc"), per_page=2)
    assert titles(found) == ["书法2"] and found.total_capped  # the pool grew to find it
