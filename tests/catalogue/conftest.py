"""Catalogue fixtures: a provider with published sites and courses, an administrator."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from learncity.access import actor_for_user
from learncity.catalogue.models import Course, Site
from learncity.catalogue.services.offers import moderate, save_course, save_site
from learncity.catalogue.services.sessions import SessionInput, add_session


@pytest.fixture
def admin_actor(staff):
    return actor_for_user(staff("cityadmin", "admin"))


@pytest.fixture
def today():
    return timezone.localdate()


SITE = {
    "code": "XH-01",
    "name_zh": "徐汇区社区学校",
    "name_en": "Xuhui Community School",
    "kind": "community_school",
    "address": "上海市徐汇区漕溪北路 1 号",
    "district": "310104",
    "latitude": "31.1885",
    "longitude": "121.4365",
    "capacity": "200",
    "step_free": "是",
}


@pytest.fixture
def make_site(officer_actor, institution, admin_actor):
    def make(publish: bool = True, **overrides) -> Site:
        site = save_site(officer_actor, institution, {**SITE, **overrides})
        return moderate(admin_actor, site, "publish") if publish else site

    return make


COURSE = {
    "code": "XH-CAL-01",
    "title_zh": "书法入门",
    "title_en": "Calligraphy for beginners",
    "description_zh": "从握笔开始学习毛笔字，适合零基础学员。",
    "mode": "offline",
    "kind": "elderly",
    "audiences": "elderly",
    "hours": "32",
    "credits": "2",
    "level": "2",
    "category": "culture_leisure",
    "public_benefit": "是",
}


@pytest.fixture
def make_course(officer_actor, institution, admin_actor):
    def make(publish: bool = True, **overrides) -> Course:
        course = save_course(officer_actor, institution, {**COURSE, **overrides})
        return moderate(admin_actor, course, "publish") if publish else course

    return make


@pytest.fixture
def make_session(officer_actor, today):
    def make(
        owner,
        site,
        capacity: int = 2,
        start: time = time(9),
        end: time = time(11),
        days: tuple[int, int] = (1, 60),
        weekdays: str = "",
        room: str = "",
        **extra,
    ):
        starts, ends = today + timedelta(days[0]), today + timedelta(days[1])
        data = SessionInput(
            site_id=site.pk,
            starts_on=starts,
            ends_on=ends,
            start_time=start,
            end_time=end,
            capacity=capacity,
            weekdays=weekdays or str(starts.isoweekday()),
            room=room,
            **extra,
        )
        return add_session(officer_actor, owner, data)

    return make


def _unused(_: date) -> None:  # keep the date import for fixtures that build dates
    return None
