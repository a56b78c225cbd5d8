"""Weekly series: "every Tuesday 18:00, court 2 then any" as one ordinary request per week.

Only the next occurrence exists as a request at any time. When it ends - booked or not - the next one is
planned, so a failed week never stops the series. A week is settled once its request is waiting, booked,
failed or cancelled by the member; one the planner set aside itself (pausing, or an earlier week
un-skipped) is not, so resuming plans the first week that is neither settled nor skipped: no week is lost
to a pause, and none is planned twice. A week whose every start falls in the hour the clocks skip is not
a week of the series.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking import walltime
from booking.events import ProgressEvent
from booking.models import BookingRequest, RequestStatus, SeriesStatus, WeeklySeries
from booking.reasons import Code
from booking.release import to_utc
from booking.service import OPEN_STATUSES, BookingService, NotFound
from booking.validation import RequestInvalid, validate

log = logging.getLogger(__name__)

#: the reason of a week's request the planner cancelled itself: the week is planned again in its turn
SET_ASIDE = "set aside by its weekly series"


class WeeklyPlanner:
    def __init__(self, booking: BookingService) -> None:
        self._booking = booking
        self._storage = booking.storage
        self._tasks: set[asyncio.Task[None]] = set()
        # One planning at a time per series: skip() cancels a week, whose CANCELLED event makes the
        # listener plan too; without the lock both would see nothing waiting and plan the same week.
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        booking.bus.listen(self._on_event)

    async def start(self) -> None:
        """Make sure every active series has its next occurrence (after a restart, or a day passing)."""
        for series in await self._storage.series.active():
            await self._plan_logged(series)

    async def stop(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def create(
        self,
        member_id: int,
        weekday: int,
        times: tuple[time, ...],
        duration_min: int,
        courts: tuple[int, ...] = (),
        partner: str | None = None,
    ) -> tuple[WeeklySeries, BookingRequest | None]:
        """Check the series against the club's rules, store it, and plan its first occurrence."""
        if not 0 <= weekday <= 6:
            raise RequestInvalid(Code.PICK_A_WEEKDAY)
        club = await self._booking.club()
        now = datetime.fromtimestamp(self._booking.clock.now(), UTC)
        sample_day = _next_weekday(now.astimezone(club.rules.timezone).date() + timedelta(days=7), weekday)
        validate(
            BookingRequest(member_id, sample_day, times, duration_min, courts, partner),
            club.rules,
            club.court_numbers,
            now,
            horizon_days=10_000,
        )
        series = await self._storage.series.create(
            WeeklySeries(member_id, weekday, times, duration_min, courts, partner)
        )
        try:
            first = await self.plan(series)
        except Exception:
            # The first week was refused (no login, too many requests waiting...): no series either.
            await self._storage.series.set_status(series.id or 0, SeriesStatus.DELETED)
            raise
        return series, first

    async def series(self, member_id: int) -> list[WeeklySeries]:
        return await self._storage.series.for_member(member_id)

    async def pause(self, member_id: int, series_id: int) -> WeeklySeries:
        series = await self._owned(member_id, series_id)
        await self._storage.series.set_status(series_id, SeriesStatus.PAUSED)
        await _set_aside(self._booking, series, lambda _: True)
        return await self._owned(member_id, series_id)

    async def resume(self, member_id: int, series_id: int) -> tuple[WeeklySeries, BookingRequest | None]:
        await self._owned(member_id, series_id)
        await self._storage.series.set_status(series_id, SeriesStatus.ACTIVE)
        series = await self._owned(member_id, series_id)
        return series, await self.plan(series)

    async def delete(self, member_id: int, series_id: int) -> None:
        series = await self._owned(member_id, series_id)
        await self._storage.series.set_status(series_id, SeriesStatus.DELETED)
        await _set_aside(self._booking, series, lambda _: True)

    async def skip(self, member_id: int, series_id: int, day: date) -> BookingRequest | None:
        """Leave out one date (a holiday); if its request is waiting, it is set aside and the next week
        planned. Returns the series' waiting request."""
        series = await self._owned(member_id, series_id)
        if day.weekday() != series.weekday:
            raise RequestInvalid(Code.NOT_THAT_WEEKDAY, day=day, weekday=series.weekday)
        await self._storage.series.set_skipped(series_id, day, skipped=True)
        await _set_aside(self._booking, series, lambda request: request.day == day)
        return await self.plan(await self._owned(member_id, series_id))

    async def unskip(self, member_id: int, series_id: int, day: date) -> BookingRequest | None:
        """Take a date back into the series; a later week waiting is set aside for it. Returns the
        series' waiting request."""
        await self._owned(member_id, series_id)
        await self._storage.series.set_skipped(series_id, day, skipped=False)
        series = await self._owned(member_id, series_id)
        if series.status is SeriesStatus.ACTIVE:
            first_free = await self.next_date(series)  # before the waiting week, if it is `day`
            await _set_aside(self._booking, series, lambda request: request.day > first_free)
        return await self.plan(series)

    async def plan(self, series: WeeklySeries) -> BookingRequest | None:
        """The series' waiting request: the one there is, or a new one for the next week; None while the
        series is not active."""
        assert series.id is not None
        async with self._locks[series.id]:
            current = await self._storage.series.get(series.id)
            if current is None or current.status is not SeriesStatus.ACTIVE:
                return None
            waiting = await self._storage.requests.for_series(series.id, OPEN_STATUSES)
            if waiting:
                return min(waiting, key=lambda request: request.day)
            day = await self.next_date(current)
            tz = (await self._booking.club()).rules.timezone
            return await self._booking.submit(
                current.member_id,
                day,
                tuple(t for t in current.times if walltime.exists(day, t, tz)),
                current.duration_min,
                current.courts,
                current.partner,
                series_id=current.id,
            )

    async def next_date(self, series: WeeklySeries) -> date:
        """The date the next occurrence is (or would be) for: the first of the series' weekdays with a
        start still ahead that is neither skipped nor settled."""
        club = await self._booking.club()
        tz = club.rules.timezone
        now = datetime.fromtimestamp(self._booking.clock.now(), UTC)
        settled = {r.day for r in await self._storage.requests.for_series(series.id or 0) if _settles(r)}
        day = _next_weekday(now.astimezone(tz).date(), series.weekday)
        while day in series.skip_dates or day in settled or not _ahead(series, day, tz, now):
            day += timedelta(days=7)
        return day

    async def skipped_ahead(self, series: WeeklySeries) -> list[date]:
        """The skipped weeks that have not begun yet, soonest first (the ones that can be taken back)."""
        tz = (await self._booking.club()).rules.timezone
        now = datetime.fromtimestamp(self._booking.clock.now(), UTC)
        return sorted(day for day in series.skip_dates if _ahead(series, day, tz, now))

    async def wait_for_planning(self) -> None:
        """Until the planning that ended requests set off has finished (tests, and a clean stop)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _owned(self, member_id: int, series_id: int) -> WeeklySeries:
        series = await self._storage.series.get(series_id)
        if series is None or series.member_id != member_id or series.status is SeriesStatus.DELETED:
            raise NotFound
        return series

    def _on_event(self, event: ProgressEvent) -> None:
        if event.kind.is_final:
            task = asyncio.get_running_loop().create_task(self._after(event.request_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _after(self, request_id: int) -> None:
        request = await self._storage.requests.get(request_id)
        if request is None or request.series_id is None:
            return
        series = await self._storage.series.get(request.series_id)
        if series is not None:
            await self._plan_logged(series)

    async def _plan_logged(self, series: WeeklySeries) -> None:
        try:
            await self.plan(series)
        except Exception:  # one series the club no longer accepts must not stop the others
            log.exception("series %s: the next occurrence could not be planned", series.id)


async def pause_all(booking: BookingService, member_id: int) -> int:
    """Pause every active series of a member whose access ended, their waiting weeks set aside (so a
    resume, once access is back, plans them again); how many requests that cancelled."""
    cancelled = 0
    for series in await booking.storage.series.for_member(member_id):
        if series.status is SeriesStatus.ACTIVE:
            await booking.storage.series.set_status(series.id or 0, SeriesStatus.PAUSED)
            cancelled += await _set_aside(booking, series, lambda _: True)
    return cancelled


async def _set_aside(
    booking: BookingService, series: WeeklySeries, which: Callable[[BookingRequest], bool]
) -> int:
    """Cancel the series' requests waiting for their release that `which` picks, as not settled; how many
    were cancelled (one whose release has just begun is left to run)."""
    cancelled = 0
    for request in await booking.storage.requests.for_series(series.id or 0, (RequestStatus.SCHEDULED,)):
        if which(request):
            try:
                await booking.cancel(series.member_id, request.id or 0, reason=SET_ASIDE)
            except RequestInvalid:
                continue
            cancelled += 1
    return cancelled


def _next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _settles(request: BookingRequest) -> bool:
    """Whether the request settles its week: waiting, ended, or cancelled by anyone but the planner."""
    return request.status is not RequestStatus.CANCELLED or request.reason != SET_ASIDE


def _ahead(series: WeeklySeries, day: date, tz: ZoneInfo, now: datetime) -> bool:
    """Whether the series has a start on `day` that the clocks read and that is still ahead."""
    starts = [t for t in series.times if walltime.exists(day, t, tz)]
    return bool(starts) and to_utc(datetime.combine(day, min(starts)), tz) > now
