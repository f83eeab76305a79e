"""Demo catalogue: sites, courses, sessions and a citywide event for the demo institutions.

The entries are in data/demo_catalogue.yaml. Idempotent (matched on their codes); called from
learncity.demo.load_demo.
"""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import yaml
from django.utils import timezone

from learncity.catalogue.models import Course, Event, Session, Site
from learncity.catalogue.services import events, offers
from learncity.catalogue.services.sessions import SessionInput, add_session
from learncity.institutions.models import Institution

DATA = Path(__file__).resolve().parent / "data" / "demo_catalogue.yaml"
EVENT_SESSIONS = [
    ("XHEU-MAIN", "市民诗歌朗诵会", "Citizens' poetry reading", 1),
    ("SOU-SONGJIANG", "家庭阅读分享会", "Family reading circle", 3),
]


def _entries(actor, data: dict) -> None:
    for values in data["sites"]:
        provider = Institution.objects.get(code=values["provider"])
        if not Site.objects.filter(provider=provider, code=values["code"]).exists():
            site = offers.save_site(actor, provider, {k: str(v) for k, v in values.items()})
            offers.moderate(actor, site, "publish")
    for values in data["courses"]:
        provider = Institution.objects.get(code=values["provider"])
        if not Course.objects.filter(provider=provider, code=values["code"]).exists():
            texts = {k: str(v) for k, v in values.items()}
            if values["mode"] != "offline":
                texts["xapi_activity_iri"] = (
                    f"https://learncity.example.org/activities/{values['code']}"
                )
            offers.moderate(actor, offers.save_course(actor, provider, texts), "publish")


def _sessions(actor, data: dict, today) -> None:
    for s in data["sessions"]:
        course = Course.objects.get(code=s["course"])
        site = Site.objects.get(code=s["site"])
        if Session.objects.filter(course=course, site=site).exists():
            continue
        first = today + timedelta(days=s["start_in_days"])
        data_in = SessionInput(
            site_id=site.pk,
            starts_on=first,
            ends_on=first + timedelta(weeks=s["weeks"]),
            start_time=time(s["hour"]),
            end_time=time(s["hour"] + 2),
            capacity=s["places"],
            weekdays=str(s["weekdays"]),
        )
        add_session(actor, course, data_in)


def _event(actor, today) -> None:
    if Event.objects.filter(code="LLW-DEMO").exists():
        return
    week = today + timedelta(days=20)
    event = events.create_event(
        actor,
        Institution.objects.get(code="SOU"),
        code="LLW-DEMO",
        title_zh="全民终身学习活动周（示例）",
        title_en="Lifelong-learning activity week (demo)",
        kind="activity_week",
        starts_on=week,
        ends_on=week + timedelta(days=6),
    )
    events.publish_event(actor, event)
    for site_code, title_zh, title_en, day in EVENT_SESSIONS:
        date = week + timedelta(days=day)
        session = SessionInput(
            site_id=Site.objects.get(code=site_code).pk,
            starts_on=date,
            ends_on=date,
            start_time=time(14),
            end_time=time(16),
            capacity=60,
            title_zh=title_zh,
            title_en=title_en,
        )
        add_session(actor, event, session)


def load_catalogue_demo(actor) -> None:
    today = timezone.localdate()
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    _entries(actor, data)
    _sessions(actor, data, today)
    _event(actor, today)
