"""A member's weekly series as /weekly and /bookings list them: each with its waiting occurrence, the
date "Skip next" would leave out, and the skipped weeks still to come."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from booking.models import BookingRequest, RequestStatus, WeeklySeries
from booking.service import OPEN_STATUSES

if TYPE_CHECKING:
    from bot.application import BotServices


@dataclass(frozen=True)
class SeriesEntry:
    series: WeeklySeries
    #: the occurrence still to be booked (scheduled, being booked, or watching), if there is one
    waiting: BookingRequest | None
    #: what "Skip next" leaves out: the scheduled occurrence's date, else the next one the planner would take
    next_day: date
    #: skipped weeks not begun yet, soonest first: shown, and each can be taken back
    skipped: tuple[date, ...] = ()

    @property
    def series_id(self) -> int:
        assert self.series.id is not None
        return self.series.id


async def load(services: BotServices, member_id: int) -> list[SeriesEntry]:
    """The member's series (deleted ones are gone), oldest first."""
    all_series = await services.weekly.series(member_id)
    if not all_series:
        return []
    requests = await services.booking.requests(member_id)
    entries = []
    for series in all_series:
        waiting = [r for r in requests if r.series_id == series.id and r.status in OPEN_STATUSES]
        scheduled = [r.day for r in waiting if r.status is RequestStatus.SCHEDULED]
        next_day = min(scheduled) if scheduled else await services.weekly.next_date(series)
        skipped = tuple(await services.weekly.skipped_ahead(series))
        entries.append(
            SeriesEntry(series, min(waiting, key=lambda r: r.day, default=None), next_day, skipped)
        )
    return entries
