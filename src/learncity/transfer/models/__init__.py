from learncity.transfer.models.applications import (
    OPEN_STATES,
    STATES,
    Application,
    ApplicationEvent,
    ApplicationItem,
    GrantedCourse,
    Notification,
    UsedOutcome,
)
from learncity.transfer.models.programmes import (
    Alliance,
    AllianceMember,
    Programme,
    ProgrammeCourse,
    TransferRule,
    TransferStandard,
)

__all__ = [
    "OPEN_STATES",
    "STATES",
    "Alliance",
    "AllianceMember",
    "Application",
    "ApplicationEvent",
    "ApplicationItem",
    "GrantedCourse",
    "Notification",
    "Programme",
    "ProgrammeCourse",
    "TransferRule",
    "TransferStandard",
    "UsedOutcome",
]
