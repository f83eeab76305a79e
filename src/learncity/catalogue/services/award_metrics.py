"""The measures award candidates are ranked on, read from the archive and the team logs.

Learning stars: a learner's recorded outcomes completed in the year (hours, credits, number of
categories) and the activities of the teams they belong to. Teams: activities and their hours,
members, and members' learning hours. Organisations: only members who consent count.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q, Sum

from learncity.catalogue.models import (
    LearningOrganisation,
    LearningTeam,
    OrganisationMember,
    TeamActivity,
    TeamMembership,
)
from learncity.catalogue.ranking import Candidate
from learncity.records.models import Outcome


def _outcomes(year: int):
    return Outcome.objects.filter(is_current=True, status="recorded", completed_on__year=year)


def _team_activity_counts(year: int) -> dict[int, int]:
    """learner -> activities in the year of active teams they belonged to at the time."""
    counts: dict[int, int] = defaultdict(int)
    activities = TeamActivity.objects.filter(held_on__year=year, team__status="active")
    per_team = defaultdict(list)
    for team_id, held_on in activities.values_list("team_id", "held_on"):
        per_team[team_id].append(held_on)
    members = TeamMembership.objects.filter(team_id__in=list(per_team))
    for team_id, learner_id, joined, left in members.values_list(
        "team_id", "learner_id", "joined_on", "left_on"
    ):
        counts[learner_id] += sum(
            1 for d in per_team[team_id] if joined <= d and (left is None or d <= left)
        )
    return counts


def learning_stars(year: int) -> list[Candidate]:
    rows = (
        _outcomes(year)
        .values("learner_id")
        .annotate(
            hours=Sum("hours"), credits=Sum("credits"), categories=Count("category", distinct=True)
        )
    )
    teams = _team_activity_counts(year)
    return [
        Candidate(
            str(r["learner_id"]),
            {
                "hours": float(r["hours"] or 0),
                "credits": float(r["credits"] or 0),
                "categories": float(r["categories"]),
                "team_activities": float(teams.get(r["learner_id"], 0)),
            },
        )
        for r in rows
    ]


def teams(year: int) -> list[Candidate]:
    found = []
    for team in LearningTeam.objects.filter(status="active").annotate(
        n_activities=Count("activities", filter=Q(activities__held_on__year=year), distinct=True),
        activity_hours=Sum("activities__hours", filter=Q(activities__held_on__year=year)),
    ):
        member_ids = list(
            team.memberships.filter(left_on__isnull=True).values_list("learner_id", flat=True)
        )
        hours = _outcomes(year).filter(learner_id__in=member_ids).aggregate(h=Sum("hours"))["h"]
        found.append(
            Candidate(
                str(team.pk),
                {
                    "activities": float(team.n_activities),
                    "activity_hours": float(team.activity_hours or 0),
                    "members": float(len(member_ids)),
                    "member_hours": float(hours or 0),
                },
            )
        )
    return found


def organisations(year: int) -> list[Candidate]:
    found = []
    for organisation in LearningOrganisation.objects.filter(status="active"):
        consenting = list(
            OrganisationMember.objects.filter(
                organisation=organisation, consent_at__isnull=False
            ).values_list("learner_id", flat=True)
        )
        outcomes = _outcomes(year).filter(learner_id__in=consenting)
        agg = outcomes.aggregate(
            h=Sum("hours"),
            learners=Count("learner_id", distinct=True),
            categories=Count("category", distinct=True),
        )
        n = len(consenting)
        found.append(
            Candidate(
                str(organisation.pk),
                {
                    "members": float(n),
                    "hours_per_member": float(agg["h"] or 0) / n if n else 0.0,
                    "share_learning": agg["learners"] / n if n else 0.0,
                    "categories": float(agg["categories"]),
                },
            )
        )
    return found


def candidates_for(kind: str, year: int) -> list[Candidate]:
    return {"learning_star": learning_stars, "team": teams, "organisation": organisations}[kind](
        year
    )
