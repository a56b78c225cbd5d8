"""A booking request while the member composes it with the /book keyboards (in memory only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from enum import IntEnum


class Step(IntEnum):
    """The /book conversation's states, in the order the member meets them."""

    DAY = 1
    TIMES = 2
    COURTS = 3
    DURATION = 4
    PARTNER = 5
    SUMMARY = 6


@dataclass
class BookingDraft:
    member_id: int
    #: the one message the whole flow edits; buttons on any other message are stale
    message_id: int | None = None
    step: Step = Step.DAY
    day: date | None = None
    times: list[time] = field(default_factory=list)  # in order of preference
    courts: list[int] = field(default_factory=list)  # in order of preference; empty: any court
    duration_min: int | None = None
    partner: str | None = None
    partner_saved: bool = False
    #: the page of the date keyboard shown (this week, later)
    day_page: int = 0
    #: the form waits while the member gives their club login (/login), then comes back
    awaiting_login: bool = False

    def toggle_time(self, start: time) -> None:
        if start in self.times:
            self.times.remove(start)
        else:
            self.times.append(start)

    def toggle_court(self, court: int) -> None:
        if court in self.courts:
            self.courts.remove(court)
        else:
            self.courts.append(court)

    def previous(self, step: Step, partner_required: bool) -> Step:
        """The step Back leads to from `step`."""
        if step is Step.SUMMARY:
            return Step.PARTNER if partner_required else Step.DURATION
        return Step(max(step - 1, Step.DAY))
