"""Weekly timetables of sessions: checking one, and whether two clash at a site. Pure.

A session meets on some weekdays (1 = Monday … 7 = Sunday) between a first and a last date, at
the same time each meeting. Two sessions in the same room of a site clash when some date lies
in both date ranges, falls on a weekday both meet on, and their times overlap. A one-day event
is a session whose first and last dates are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta


class ScheduleError(ValueError):
    """Raised when a timetable is impossible (ends before it starts, never meets, …)."""

    def __init__(self, code: str, field: str, message: str):
        super().__init__(message)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Slot:
    starts_on: date
    ends_on: date
    weekdays: frozenset[int]
    start_time: time
    end_time: time
    room: str = ""

    def meeting_dates(self) -> list[date]:
        days = (self.ends_on - self.starts_on).days + 1
        return [
            d
            for d in (self.starts_on + timedelta(n) for n in range(days))
            if d.isoweekday() in self.weekdays
        ]


def parse_weekdays(text: str, starts_on: date, ends_on: date) -> frozenset[int]:
    """'135' or '1,3,5' -> {1, 3, 5}; empty means the weekday of a one-day session."""
    digits = [c for c in (text or "") if not c.isspace() and c not in ",，、"]
    if not digits:
        if starts_on == ends_on:
            return frozenset({starts_on.isoweekday()})
        raise ScheduleError("schedule.no_weekdays", "weekdays", "no weekdays given")
    if any(c not in "1234567" for c in digits):
        raise ScheduleError("schedule.bad_weekdays", "weekdays", "weekdays are digits 1 to 7")
    return frozenset(int(c) for c in digits)


def check_slot(slot: Slot, max_days: int = 366 * 2) -> Slot:
    if slot.ends_on < slot.starts_on:
        raise ScheduleError("schedule.ends_before_start", "ends_on", "ends before it starts")
    if (slot.ends_on - slot.starts_on).days > max_days:
        raise ScheduleError("schedule.too_long", "ends_on", "runs longer than two years")
    if slot.end_time <= slot.start_time:
        raise ScheduleError("schedule.time_order", "end_time", "ends before it starts")
    if not slot.meeting_dates():
        raise ScheduleError("schedule.never_meets", "weekdays", "no date falls on these weekdays")
    return slot


def overlaps(a: Slot, b: Slot) -> bool:
    """True when a and b meet in the same room at the same time on some date."""
    if a.room.strip().casefold() != b.room.strip().casefold():
        return False
    if not (a.start_time < b.end_time and b.start_time < a.end_time):
        return False
    first, last = max(a.starts_on, b.starts_on), min(a.ends_on, b.ends_on)
    if last < first:
        return False
    shared = a.weekdays & b.weekdays
    if not shared:
        return False
    if (last - first).days >= 6:
        return True
    return any(
        (first + timedelta(n)).isoweekday() in shared for n in range((last - first).days + 1)
    )


def part_of_day(start: time) -> str:
    if start < time(12):
        return "morning"
    return "afternoon" if start < time(18) else "evening"


def next_meeting(slot: Slot, today: date) -> date | None:
    return next((d for d in slot.meeting_dates() if d >= today), None)
