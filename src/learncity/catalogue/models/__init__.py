"""The catalogue's tables, one module per part (see each module's docstring)."""

from learncity.catalogue.models.awards import AwardScheme, Nomination
from learncity.catalogue.models.community import (
    LearningOrganisation,
    LearningTeam,
    OrganisationMember,
    TeamActivity,
    TeamMembership,
)
from learncity.catalogue.models.events import Event
from learncity.catalogue.models.offer import Course, Session, Site
from learncity.catalogue.models.quality import (
    ChecklistItem,
    Inspection,
    InspectionCheck,
    Practitioner,
)
from learncity.catalogue.models.taking import Enrolment, Rating

__all__ = [
    "AwardScheme",
    "ChecklistItem",
    "Course",
    "Enrolment",
    "Event",
    "Inspection",
    "InspectionCheck",
    "LearningOrganisation",
    "LearningTeam",
    "Nomination",
    "OrganisationMember",
    "Practitioner",
    "Rating",
    "Session",
    "Site",
    "TeamActivity",
    "TeamMembership",
]
