"""What is free for a member choosing: one grid read shared a while (and a failed read too), forgotten when
we book, and the free slots nearest choices that were all taken."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from booking.availability import GRID_TTL_S, Availability, DayView, nearest_free
from booking.events import EventKind, ProgressEvent
from booking.models import BookingRequest
from booking.release import ReleaseRule, WindowKind
from booking.sites.base import CellState, ClubRules, DayGrid, Slot
from booking.sites.errors import TemporarilyUnavailable
from tests.engine.harness import LONDON

DAY = date(2026, 12, 1)
RULES = ClubRules(
    release=ReleaseRule(WindowKind.TIME_OF_DAY, 7, time(7)),
    timezone=LONDON,
    slot_minutes=60,
    opens=time(7),
    closes=time(22),
    max_slots=2,
    max_per_day=None,
    max_future=None,
    partner_required=False,
    hold_before_open=False,
)


class Clock:
    def __init__(self) -> None:
        self.at = 1000.0

    def now(self) -> float:
        return self.at

    async def sleep_until(self, instant: float) -> None:
        self.at = max(self.at, instant)


def _grid(taken: set[tuple[int, int]]) -> DayGrid:
    cells = {
        (court, time(hour)): CellState.BOOKED if (court, hour) in taken else CellState.FREE
        for court in (1, 2, 3, 4)
        for hour in range(7, 22)
    }
    return DayGrid(DAY, cells)


async def test_one_read_serves_a_while_and_a_booking_of_ours_forgets_it() -> None:
    clock, reads = Clock(), []

    async def read() -> DayGrid:
        reads.append(clock.now())
        return _grid(set())

    shared = Availability(clock)
    first = await shared.view(DAY, read)
    clock.at += GRID_TTL_S - 1
    assert await shared.view(DAY, read) is first and len(reads) == 1
    assert (await shared.view(DAY, read, fresh=True)).read_at == clock.at and len(reads) == 2  # ↻
    shared.on_event(ProgressEvent(1, 1, EventKind.BOOKED, clock.at))
    await shared.view(DAY, read)
    clock.at += GRID_TTL_S
    await shared.view(DAY, read)
    assert len(reads) == 4


async def test_a_club_that_is_down_is_asked_once_a_while_not_at_every_press() -> None:
    clock, reads = Clock(), []

    async def down() -> DayGrid:
        reads.append(clock.now())
        raise TemporarilyUnavailable("HTTP 503")

    shared = Availability(clock)
    for _ in range(3):
        with pytest.raises(TemporarilyUnavailable):
            await shared.view(DAY, down)
    assert len(reads) == 1
    clock.at += GRID_TTL_S
    with pytest.raises(TemporarilyUnavailable):
        await shared.view(DAY, down)
    assert len(reads) == 2


def test_the_pickers_marks_come_from_the_grid() -> None:
    view = DayView(_grid({(c, 20) for c in (1, 2, 3, 4)} | {(2, 18)}), 0.0)
    assert view.full([time(18), time(20)], [1, 2, 3, 4], RULES) == frozenset({time(20)})
    assert view.free_at(2, [time(18), time(19)], 60, RULES) == [time(19)]
    assert view.free_at(1, [time(19)], 120, RULES) == [], "two hours need 19:00 and 20:00 free"


def test_the_nearest_free_slots_are_the_same_times_on_other_courts_then_an_hour_either_side() -> None:
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    request = BookingRequest(1, DAY, (time(18),), 60, (2,))
    view = DayView(_grid({(2, 18), (1, 18), (3, 17)}), 0.0)
    assert nearest_free(view, request, RULES, [1, 2, 3, 4], now) == [
        Slot(3, DAY, time(18), 60),
        Slot(4, DAY, time(18), 60),
        Slot(1, DAY, time(17), 60),
        Slot(2, DAY, time(17), 60),
    ]
    anywhere = BookingRequest(1, DAY, (time(21),), 60, ())  # any court: only other times will do
    full = DayView(_grid({(c, 21) for c in (1, 2, 3, 4)}), 0.0)
    assert [s.start for s in nearest_free(full, anywhere, RULES, [1, 2, 3, 4], now)] == [time(20)] * 4
    late = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)  # 17:30 in London: 17:00 has begun
    assert [(s.court, s.start.hour) for s in nearest_free(view, request, RULES, [1, 2, 3, 4], late)] == [
        (3, 18),
        (4, 18),
        (1, 19),
        (2, 19),
    ]
