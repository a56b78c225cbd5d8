"""Watching for a cancellation: when every choice was taken, poll the day's grid and book the moment a
wanted slot frees up.

One poller per watched day serves every member watching it, so ten watchers cost the club one request
per interval, not ten. The interval has jitter (no lockstep with anyone else's bot) and doubles on 429.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from booking.events import EventKind, ProgressEvent
from booking.grid import bookable_now
from booking.models import BookingRequest, RequestStatus
from booking.reasons import Code, Reason
from booking.release import to_utc
from booking.service import BookingService
from booking.sites.base import CellState, DayGrid, SiteAdapter
from booking.sites.errors import LoginFailed, RateLimited, SiteError
from booking.validation import RequestInvalid

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WatchPolicy:
    interval_s: float = 30.0
    jitter: float = 0.2  # each wait is interval × (1 ± jitter)
    max_interval_s: float = 600.0
    #: the default deadline: this long before the slot starts
    default_margin: timedelta = timedelta(hours=2)


class CancellationWatch:
    def __init__(self, booking: BookingService, policy: WatchPolicy | None = None) -> None:
        self._booking = booking
        self._storage = booking.storage
        self._policy = policy or WatchPolicy()
        self._pollers: dict[date, asyncio.Task[None]] = {}
        self._intervals: dict[date, float] = {}
        self._rng = random.Random()

    async def start(self) -> None:
        """Restart the pollers of every request still watching (after a restart)."""
        for request in await self._storage.requests.with_status((RequestStatus.WATCHING,)):
            self._ensure_poller(request.day)

    async def stop(self) -> None:
        pollers = list(self._pollers.values())
        for poller in pollers:
            poller.cancel()
        await asyncio.gather(*pollers, return_exceptions=True)

    def interval(self, day: date) -> float | None:
        """The current wait between polls of `day` (grows after a 429)."""
        return self._intervals.get(day)

    async def watch(self, member_id: int, request_id: int, until: datetime | None = None) -> BookingRequest:
        """Turn a request whose choices were all taken into a watch, until `until` (default: 2 h before)."""
        request = await self._booking.get(member_id, request_id)
        club = await self._booking.club()
        starts = to_utc(datetime.combine(request.day, min(request.times)), club.rules.timezone)
        deadline = until or starts - self._policy.default_margin
        now = datetime.fromtimestamp(self._booking.clock.now(), UTC)
        if request.status is not RequestStatus.FAILED:
            raise RequestInvalid(Code.NOT_WATCHABLE)
        if deadline <= now or deadline > starts:
            raise RequestInvalid(Code.WATCH_DEADLINE, starts=starts)
        await self._storage.requests.update(
            request_id, RequestStatus.WATCHING, watch_until=deadline, only_if=(RequestStatus.FAILED,)
        )
        self._publish(request, EventKind.WATCHING, Reason(Code.WATCHING, {"until": deadline}))
        self._ensure_poller(request.day)
        return await self._booking.get(member_id, request_id)

    def _ensure_poller(self, day: date) -> None:
        poller = self._pollers.get(day)
        if poller is None or poller.done():
            self._intervals[day] = self._policy.interval_s
            self._pollers[day] = asyncio.create_task(self._poll(day), name=f"watch-{day}")

    async def _poll(self, day: date) -> None:
        adapter: SiteAdapter | None = None
        member: int | None = None
        try:
            while True:
                watchers = await self._watchers(day)
                if not watchers:
                    return
                try:
                    if member not in {w.member_id for w in watchers}:
                        if adapter is not None:
                            await adapter.close()
                        adapter, member = await self._login_as_one_of(watchers)
                    if adapter is not None:
                        shown = await adapter.availability(day)
                        rules = (await self._booking.club()).rules
                        self._book_what_is_free(
                            watchers, bookable_now(shown, rules, self._booking.clock.now())
                        )
                        self._intervals[day] = max(self._policy.interval_s, self._intervals[day] / 2)
                except RateLimited as error:
                    slower = max(self._intervals[day] * 2, error.retry_after_s)
                    self._intervals[day] = min(slower, self._policy.max_interval_s)
                    log.info(
                        "watch %s: the club asked us to slow down; every %.0f s now",
                        day,
                        self._intervals[day],
                    )
                except SiteError as error:
                    log.info("watch %s: could not read the day (%s)", day, error)
                interval = self._intervals[day]
                await asyncio.sleep(interval * (1 + self._policy.jitter * (2 * self._rng.random() - 1)))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("watching %s stopped unexpectedly", day)
        finally:
            self._pollers.pop(day, None)
            if adapter is not None:
                await adapter.close()

    async def _watchers(self, day: date) -> list[BookingRequest]:
        """The requests watching `day`; those past their deadline are ended here."""
        now = self._booking.clock.now()
        watching = []
        for request in await self._storage.requests.with_status((RequestStatus.WATCHING,)):
            if request.day != day:
                continue
            if request.watch_until is not None and request.watch_until.timestamp() <= now:
                said = Reason(Code.WATCH_ENDED)
                await self._booking.outcomes.end(
                    request, RequestStatus.FAILED, said, reason=said.code, only_if=(RequestStatus.WATCHING,)
                )
                continue
            watching.append(request)
        return watching

    async def _login_as_one_of(self, watchers: list[BookingRequest]) -> tuple[SiteAdapter | None, int | None]:
        for request in watchers:
            credentials = await self._storage.credentials.get(request.member_id)
            if credentials is None:
                continue
            adapter = self._booking.new_adapter()
            try:
                await adapter.login(credentials.username, credentials.password)
            except LoginFailed:
                log.info("watch: the club refused member %s's login; polling as another", request.member_id)
                await adapter.close()
                continue
            except BaseException:
                await adapter.close()
                raise
            return adapter, request.member_id
        return None, None

    def _book_what_is_free(self, watchers: list[BookingRequest], grid: DayGrid) -> None:
        for request in watchers:
            courts = request.courts or tuple(court for court, _ in grid.cells)
            if any(grid.state(c, t) is CellState.FREE for t in request.times for c in courts):
                self._booking.run_now(request)

    def _publish(self, request: BookingRequest, kind: EventKind, said: Reason) -> None:
        self._booking.bus.publish(
            ProgressEvent(
                request_id=request.id or 0,
                member_id=request.member_id,
                kind=kind,
                at=self._booking.clock.now(),
                reason=said,
                release_at=request.watch_until,
            )
        )
