"""Recommendations for one learner: gather a few hundred candidates with bounded queries,
then rank them with the pure recommend module and say why in the learner's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from learncity.catalogue import choices, recommend
from learncity.catalogue.models import Course, Enrolment, Rating
from learncity.framework.models import Category
from learncity.identity import districts
from learncity.identity.models import Learner
from learncity.records.models import Outcome

TAKEN = ("enrolled", "attended", "waiting")
PEERS = 500
PER_SOURCE = 40


@dataclass(frozen=True)
class Suggestion:
    course: Course
    score: float
    reasons: list[str]


def _taken_courses(learner: Learner) -> set[int]:
    enrolled = Enrolment.objects.filter(
        learner=learner, status__in=TAKEN, session__course__isnull=False
    )
    taken = set(enrolled.values_list("session__course_id", flat=True))
    pairs = list(
        Outcome.objects.filter(learner=learner, is_current=True)
        .exclude(code="")
        .values_list("institution_id", "code")[:500]
    )
    if pairs:
        match = Q()
        for institution_id, code in pairs:
            match |= Q(provider_id=institution_id, code=code)
        taken |= set(Course.objects.filter(match).values_list("id", flat=True))
    return taken


def profile_of(learner: Learner, today: date) -> recommend.Profile:
    categories = dict(
        Outcome.objects.filter(learner=learner, is_current=True, status="recorded")
        .values_list("category")
        .annotate(n=Count("id"))
    )
    taken = _taken_courses(learner)
    levels = Course.objects.filter(pk__in=taken, level__isnull=False).values_list(
        "level__number", flat=True
    )
    return recommend.Profile(
        district_code=learner.district_code,
        age_group=recommend.age_group(learner.birth_date, today),
        categories=categories,
        highest_level=max(levels, default=None),
        taken=frozenset(taken),
    )


def _next_steps(learner: Learner, taken: frozenset[int]) -> dict[int, recommend.NextStep]:
    if not taken:
        return {}
    firsts: dict[int, tuple] = {}
    shared = (
        Enrolment.objects.filter(session__course_id__in=taken, status__in=TAKEN)
        .exclude(learner=learner)
        .order_by("-id")
        .values_list("learner_id", "created_at", "session__course_id")[:PEERS]
    )
    for peer, when, course in shared:
        if peer not in firsts or when < firsts[peer][0]:
            firsts[peer] = (when, course)
    later = (
        Enrolment.objects.filter(learner_id__in=list(firsts), status__in=TAKEN)
        .filter(session__course__isnull=False, session__course__status="published")
        .exclude(session__course_id__in=taken)
        .values_list("learner_id", "session__course_id", "created_at")[: PEERS * 10]
    )
    return recommend.next_steps(firsts, list(later))


def _candidate_ids(profile: recommend.Profile, steps: dict) -> list[int]:
    published = Course.objects.filter(status="published").exclude(pk__in=profile.taken)
    ids = sorted(steps, key=lambda c: -steps[c].learners)[:PER_SOURCE]
    near = published.filter(
        held_in__contains=f",{profile.district_code},", next_start__isnull=False
    )
    ids += near.order_by("next_start").values_list("id", flat=True)[:PER_SOURCE]
    if profile.age_group:
        for_age = published.filter(
            audiences__contains=f",{profile.age_group},", next_start__isnull=False
        )
        ids += for_age.order_by("next_start").values_list("id", flat=True)[:PER_SOURCE]
    top = sorted(profile.categories, key=lambda c: -profile.categories[c])[:3]
    if top:
        in_category = published.filter(category__code__in=top, next_start__isnull=False)
        ids += in_category.order_by("next_start").values_list("id", flat=True)[:PER_SOURCE]
    ids += published.filter(mode="online").order_by("-id").values_list("id", flat=True)[:10]
    return list(dict.fromkeys(ids))


def _candidates(ids: list[int]) -> list[recommend.Candidate]:
    """The features of each candidate, read as plain values (no model objects)."""
    rows = Course.objects.filter(pk__in=ids, status="published").values_list(
        "id", "category__code", "level__number", "audiences", "held_in", "mode",
        "public_benefit", "fee_yuan",
    )  # fmt: skip
    stars = dict(
        Rating.objects.filter(course_id__in=ids).values_list("course_id").annotate(a=Avg("stars"))
    )
    return [
        recommend.Candidate(
            course_id=pk,
            category=category,
            level=level,
            audiences=tuple(choices.unpack(audiences)),
            site_districts=tuple(choices.unpack(held_in)),
            mode=mode,
            free=free or fee == 0,
            rating=round(stars[pk], 1) if pk in stars else None,
        )
        for pk, category, level, audiences, held_in, mode, free, fee in rows
    ]


def suggestions_for(
    learner: Learner, language: str = "zh-hans", limit: int = 6
) -> list[Suggestion]:
    today = timezone.localdate()
    profile = profile_of(learner, today)
    steps = _next_steps(learner, profile.taken)
    candidates = _candidates(_candidate_ids(profile, steps))
    ranked = recommend.recommend(profile, candidates, steps, limit)
    courses = Course.objects.select_related("provider", "level", "category").in_bulk(
        [r.course_id for r in ranked]
    )
    with translation.override(language):
        return [
            Suggestion(courses[r.course_id], r.score, [reason_text(x, language) for x in r.reasons])
            for r in ranked
        ]


def reason_text(reason: recommend.Reason, language: str) -> str:
    p = reason.param
    if reason.code == "next_step":
        after = Course.objects.filter(pk=p("after_course")).first()
        return _("%(n)s learners who took “%(course)s” went on to this.") % {
            "n": p("learners"),
            "course": after.title(language) if after else "?",
        }
    if reason.code == "district":
        district = districts.by_code(p("district"))
        return _("Sessions in your district, %(district)s.") % {
            "district": district.label(language) if district else p("district")
        }
    if reason.code == "age_group":
        return _("Meant for your age group: %(group)s.") % {
            "group": choices.label(choices.AUDIENCES, p("age_group"), language)
        }
    if reason.code == "interest":
        category = Category.objects.filter(code=p("category")).first()
        name = (
            (category.name_en if language.startswith("en") else category.name_zh)
            if category
            else p("category")
        )
        return _("Your archive has %(n)s outcomes in %(category)s.") % {
            "n": p("outcomes"),
            "category": name,
        }
    texts = {
        "level_up": _("One level above the highest you have reached (level %(level)s)."),
        "same_level": _("At the level you have reached (level %(level)s)."),
        "online": _("Online: take it from anywhere."),
        "free": _("Free of charge."),
        "well_rated": _("Learners rate it %(rating)s out of 5."),
    }
    return texts[reason.code] % dict(reason.params) if reason.params else texts[reason.code]
