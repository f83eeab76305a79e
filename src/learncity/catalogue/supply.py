"""Distribution across the city (资源配送): supply per district against residents, the gap
between suburbs and centre, and which courses to extend where. Reads for the page and API;
the arithmetic is in the pure distribution module."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from learncity.access import Actor
from learncity.catalogue import distribution
from learncity.catalogue.models import Course, Rating, Session, Site
from learncity.identity import districts

DEMAND_COURSES = 300


def _running(today: date):
    return Session.objects.filter(cancelled=False, ends_on__gte=today).filter(
        Q(course__status="published") | Q(event__published=True)
    )


def supplies(today: date) -> list[distribution.Supply]:
    per_district = {
        row["site__district_code"]: row
        for row in _running(today)
        .values("site__district_code")
        .annotate(courses=Count("course_id", distinct=True), seats=Sum("capacity"))
    }
    sites = dict(
        Site.objects.filter(status="published").values_list("district_code").annotate(n=Count("id"))
    )
    found = []
    for d in districts.all_districts():
        row = per_district.get(d.code, {})
        found.append(
            distribution.Supply(
                d.code,
                d.zone,
                d.residents,
                row.get("courses") or 0,
                row.get("seats") or 0,
                sites.get(d.code, 0),
            )
        )
    return found


def demand(today: date) -> list[distribution.Demand]:
    busiest = list(
        _running(today)
        .filter(course__isnull=False)
        .values("course_id")
        .annotate(
            capacity=Sum("capacity"),
            taken=Sum("seats_taken"),
            waiting=Count("enrolments", filter=Q(enrolments__status="waiting")),
        )
        .order_by("-waiting", "-taken", "course_id")[:DEMAND_COURSES]
    )
    ids = [row["course_id"] for row in busiest]
    held = defaultdict(set)
    for course_id, district in (
        _running(today).filter(course_id__in=ids).values_list("course_id", "site__district_code")
    ):
        held[course_id].add(district)
    stars = dict(
        Rating.objects.filter(course_id__in=ids).values_list("course_id").annotate(a=Avg("stars"))
    )
    return [
        distribution.Demand(
            row["course_id"],
            frozenset(held[row["course_id"]]),
            row["waiting"],
            (row["taken"] or 0) / row["capacity"] if row["capacity"] else 0.0,
            stars.get(row["course_id"]),
        )
        for row in busiest
    ]


@dataclass(frozen=True)
class DistributionReport:
    analysis: distribution.Analysis
    proposals: list[distribution.Proposal]
    courses: dict[int, Course]
    online_courses: int


def distribution_report(actor: Actor, today: date | None = None) -> DistributionReport:
    actor.require_role("admin", "analyst")
    today = today or timezone.localdate()
    analysis = distribution.analyse(supplies(today))
    proposals = distribution.propose(analysis, demand(today))
    courses = Course.objects.select_related("provider").in_bulk({p.course_id for p in proposals})
    online = Course.objects.filter(status="published", mode="online").count()
    return DistributionReport(analysis, proposals, courses, online)
