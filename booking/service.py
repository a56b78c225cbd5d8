"""The booking service: everything the bot may ask of the domain, with no Telegram in it."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from booking.availability import Availability, DayView, nearest_free
from booking.clockcache import SharedClockEstimate
from booking.club import Club
from booking.events import EventBus, EventKind, ProgressEvent
from booking.gate import FireGates
from booking.grid import bookable_now
from booking.models import BookingRequest, Credentials, RequestStatus
from booking.nightcheck import night_before_problems
from booking.outcomes import Outcomes
from booking.plan import CONTEST_MEMORY_DAYS, ReleasePlans, SlotClaims
from booking.reasons import Code, Reason
from booking.release import ReleaseChoice, to_utc
from booking.run import STILL_UNCLEAR, AdapterFactory, Policy, RequestRun
from booking.scheduler import CHECK, RECHECK, ReleaseScheduler
from booking.sites.base import Booking, ClubRules, DayGrid, SiteAdapter, Slot
from booking.sites.errors import InvalidRequest, LoginFailed, LoginRequired, SiteError
from booking.timebase import Clock
from booking.validation import DEFAULT_HORIZON_DAYS, RequestInvalid, release_of, validate
from storage import Storage, StorageUnavailable

log = logging.getLogger(__name__)


OPEN_STATUSES = (
    RequestStatus.SCHEDULED,
    RequestStatus.RUNNING,
    RequestStatus.WATCHING,
    RequestStatus.CHECKING,
)
#: a night-before check is only worth making this long before the release (time to fix what it finds)
CHECK_USEFUL_S = 600.0
#: what start-up puts back on the scheduler or runs again
RESTORED_STATUSES = (RequestStatus.SCHEDULED, RequestStatus.RUNNING, RequestStatus.CHECKING)
#: requests restored while the club cannot be read try it again after this, doubling up to the most
RESUME_FIRST_S = 1.0
RESUME_MAX_S = 300.0


class NotFound(LookupError):
    """No such request for this member (or not theirs: we do not say which)."""


class NotLoggedIn(Exception):
    """The member has no club login stored."""


@dataclass(frozen=True)
class ServiceLimits:
    max_open_per_member: int = 10
    horizon_days: int = DEFAULT_HORIZON_DAYS


class BookingService:
    def __init__(
        self,
        storage: Storage,
        adapter_factory: AdapterFactory,
        clock: Clock,
        *,
        policy: Policy | None = None,
        limits: ServiceLimits | None = None,
        release: ReleaseChoice | None = None,
        check_hours_before: float | None = 12.0,
    ) -> None:
        self.storage = storage
        self.bus = EventBus()
        self.clock = clock
        self._adapter_factory = adapter_factory
        self._policy = policy or Policy()
        self._limits = limits or ServiceLimits()
        self._release = release or ReleaseChoice()
        self._check_s = check_hours_before * 3600 if check_hours_before else None
        self._scheduler = ReleaseScheduler(clock)
        self._gates = FireGates(clock)
        self._clock_estimate = SharedClockEstimate(clock)
        self.outcomes = Outcomes(storage, self.bus, clock)
        self._claims = SlotClaims()
        self._plans = ReleasePlans(self._recent_contest_wins)
        self._club: Club | None = None
        self._club_lock = asyncio.Lock()
        self._runs: dict[int, asyncio.Task[None]] = {}
        self._looks: dict[int, int] = {}  # request id -> looks at its unclear booking so far
        self._member_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._availability = Availability(clock)
        self.bus.listen(self._availability.on_event)

    # -- life cycle -----------------------------------------------------------------------------------

    async def start(self) -> int:
        """Start the scheduler and put every stored open request back on it; returns how many."""
        self._scheduler.start()
        return await self.restore()

    async def stop(self) -> None:
        """Stop scheduling; runs in flight are cancelled and settled by the next start-up."""
        self._scheduler.shutdown()
        runs = list(self._runs.values())
        for run in runs:
            run.cancel()
        await asyncio.gather(*runs, return_exceptions=True)

    async def restore(self) -> int:
        """Put every stored open request back; returns how many. One whose release is ahead only needs
        its stored instant; the others need the club (see _resume), which may be down as we start."""
        now = self.clock.now()
        requests = await self.storage.requests.with_status(RESTORED_STATUSES)
        need_club: list[int] = []
        for request in requests:
            assert request.id is not None
            ahead = request.release_at and request.release_at.timestamp() - self._policy.warmup_s > now
            if request.status is RequestStatus.SCHEDULED and ahead:
                self._schedule(request)
            else:
                need_club.append(request.id)
        await self._resume(need_club)
        await self._settle_ended(exclude={r.id for r in requests})
        return len(requests)

    async def _settle_ended(self, exclude: set[int | None]) -> None:
        """Requests that ended with an attempt still unknown: settled against the club in the background."""
        for request_id in await self.storage.attempts.requests_with_unresolved():
            request = await self.storage.requests.get(request_id)
            if request is None or request_id in exclude or request.status is RequestStatus.BOOKED:
                continue
            task = asyncio.create_task(self._run_for(request).settle_ended(), name=f"settle-{request_id}")
            self._runs[request_id] = task
            task.add_done_callback(lambda _, rid=request_id: self._runs.pop(rid, None))

    async def _resume(self, request_ids: list[int], tries: int = 0) -> None:
        """Runs cut short (each starts by settling what it left unknown) and releases missed while we were
        down (run if the slot is still ahead, which takes the club's time zone). While the club cannot be
        read they wait, and are tried again ever less often."""
        if not request_ids:
            return
        try:
            club = await self.club()
        except SiteError as error:
            delay = min(RESUME_FIRST_S * 2**tries, RESUME_MAX_S)
            log.warning(
                "the club cannot be read (%s): %d request(s) wait for it; trying again in %g s",
                error,
                len(request_ids),
                delay,
            )
            retry = functools.partial(self._resume, request_ids, tries + 1)
            self._scheduler.once(self.clock.now() + delay, retry, "resume")
            return
        now = self.clock.now()
        for request_id in request_ids:
            request = await self.storage.requests.get(request_id)
            if request is None or request.status not in RESTORED_STATUSES:
                continue  # cancelled while it waited
            last = to_utc(datetime.combine(request.day, max(request.times)), club.rules.timezone)
            if request.status is not RequestStatus.SCHEDULED or last.timestamp() > now:
                self._launch(request)
            else:
                said = Reason(Code.SLOT_PASSED_WHILE_DOWN)
                await self.outcomes.end(request, RequestStatus.FAILED, said, reason=said.code)

    def every(self, interval_s: float, job: Callable[[], Awaitable[None]], name: str) -> None:
        self._scheduler.every(interval_s, job, name)

    async def _recent_contest_wins(self, member_ids: Sequence[int]) -> dict[int, int]:
        since = self.clock.now() - CONTEST_MEMORY_DAYS * 86400
        return await self.storage.contests.wins_since(member_ids, since)

    async def prune(self, retention_days: int) -> int:
        """Forget requests that ended more than `retention_days` ago and whose day has passed."""
        now = datetime.fromtimestamp(self.clock.now(), UTC)
        today = now.astimezone((await self.club()).rules.timezone).date()
        await self.storage.contests.forget_before(self.clock.now() - CONTEST_MEMORY_DAYS * 86400)
        return await self.storage.requests.prune(now - timedelta(days=retention_days), today)

    @property
    def scheduled_count(self) -> int:
        return self._scheduler.count()

    @property
    def pending_checks(self) -> int:
        """Night-before checks waiting to run."""
        return self._scheduler.count(CHECK)

    @property
    def scheduler_running(self) -> bool:
        return self._scheduler.running

    # -- the club -------------------------------------------------------------------------------------

    async def club(self) -> Club:
        """The club's rules and courts, read once from the site: from its public pages, or logged in as
        one of our members where the club shows nothing to visitors (a private site)."""
        async with self._club_lock:
            if self._club is None:
                adapter = self._adapter_factory()
                try:
                    try:
                        self._club = await self._read_club(adapter)
                    except LoginRequired:
                        await self._log_in_as_a_member(adapter)
                        self._club = await self._read_club(adapter)
                finally:
                    await adapter.close()
            return self._club

    async def _read_club(self, adapter: SiteAdapter) -> Club:
        rules, courts = await adapter.rules(), await adapter.courts()
        return Club(rules=self._decided(rules), courts=courts)

    async def _log_in_as_a_member(self, adapter: SiteAdapter) -> None:
        for member_id in await self.storage.credentials.member_ids():
            credentials = await self.storage.credentials.get(member_id)
            if credentials is None:
                continue
            try:
                await adapter.login(credentials.username, credentials.password)
            except LoginFailed:
                continue
            return
        raise LoginRequired("the club's site shows its courts only to members, and no stored login opens it")

    def forget_club(self) -> None:
        """Read the club's rules afresh on next use (they changed, e.g. the playground's release)."""
        self._club = None

    async def retime(self) -> list[BookingRequest]:
        """The club's release rule changed (the playground's "Release in 30 s"): read it again, and time
        every request waiting for its release by it; those whose instant moved are returned."""
        self.forget_club()
        rules = (await self.club()).rules
        moved = []
        for request in await self.storage.requests.with_status((RequestStatus.SCHEDULED,)):
            assert request.id is not None
            release = release_of(request, rules)
            if request.id in self._runs or release == request.release_at:
                continue
            await self.storage.requests.set_release(request.id, release)
            self._scheduler.unschedule(request.id)
            retimed = request.with_(release_at=release)
            if release.timestamp() - self._policy.warmup_s > self.clock.now():
                self._schedule(retimed)
            else:
                self._launch(retimed)
            moved.append(retimed)
        return moved

    def _decided(self, rules: ClubRules) -> ClubRules:
        """The club's rules with the release rule decided once, here (booking.release.ReleaseChoice)."""
        try:
            return dataclasses.replace(rules, release=self._release.decide(rules.release))
        except ValueError as error:
            raise InvalidRequest(str(error)) from None

    async def check_login(self, credentials: Credentials) -> None:
        """Log in once to prove the credentials; raises LoginFailed or a site fault. The first login
        also reads the club's rules and courts, where a private site would not show them before."""
        adapter = self._adapter_factory()
        try:
            await adapter.login(credentials.username, credentials.password)
            async with self._club_lock:
                if self._club is None:
                    try:
                        self._club = await self._read_club(adapter)
                    except SiteError as error:  # the login stands; the club is read again when needed
                        log.info("club rules not read after a login (%s)", error)
        finally:
            await adapter.close()

    async def _logged_in_adapter(self, member_id: int) -> SiteAdapter:
        credentials = await self.storage.credentials.get(member_id)
        if credentials is None:
            raise NotLoggedIn
        adapter = self._adapter_factory()
        try:
            await adapter.login(credentials.username, credentials.password)
        except BaseException:
            await adapter.close()
            raise
        return adapter

    async def availability(self, member_id: int, day: date, *, fresh: bool = False) -> DayView:
        """The day's grid as the club shows it, read with the member's own login and shared for a short
        while (booking.availability); `fresh` reads it again. Raises NotLoggedIn or a site fault."""
        return await self._availability.view(day, lambda: self._read_grid(member_id, day), fresh=fresh)

    async def _read_grid(self, member_id: int, day: date) -> DayGrid:
        """The club's grid with what is not bookable yet closed, by the release rule decided here."""
        rules = (await self.club()).rules
        adapter = await self._logged_in_adapter(member_id)
        try:
            shown = await adapter.availability(day)
        finally:
            await adapter.close()
        return bookable_now(shown, rules, self.clock.now())

    async def alternatives(self, request: BookingRequest) -> list[Slot]:
        """Free slots near a request whose choices were all taken, from the club's grid read now: its
        times on other courts, then an hour either side. Raises NotLoggedIn or a site fault."""
        club = await self.club()
        view = await self.availability(request.member_id, request.day, fresh=True)
        now = datetime.fromtimestamp(self.clock.now(), UTC)
        return nearest_free(view, request, club.rules, club.court_numbers, now)

    async def site_bookings(self, member_id: int) -> list[Booking]:
        """The member's upcoming bookings as the club lists them."""
        adapter = await self._logged_in_adapter(member_id)
        try:
            return await adapter.my_bookings()
        finally:
            await adapter.close()

    # -- requests -------------------------------------------------------------------------------------

    async def submit(
        self,
        member_id: int,
        day: date,
        times: tuple[time, ...],
        duration_min: int,
        courts: tuple[int, ...] = (),
        partner: str | None = None,
        series_id: int | None = None,
    ) -> BookingRequest:
        """Validate, store and schedule (or start) a request. Raises RequestInvalid or NotLoggedIn."""
        request = BookingRequest(
            member_id=member_id,
            day=day,
            times=times,
            duration_min=duration_min,
            courts=courts,
            partner=partner,
            series_id=series_id,
        )
        release = await self._checked(request)
        if await self.storage.credentials.get(member_id) is None:
            raise NotLoggedIn
        open_requests = await self.storage.requests.for_member(member_id, OPEN_STATUSES)
        for existing in open_requests:
            if (existing.day, existing.times, existing.duration_min, existing.courts) == (
                day,
                times,
                duration_min,
                courts,
            ):
                raise RequestInvalid(Code.ALREADY_ASKED)
        if len(open_requests) >= self._limits.max_open_per_member:
            raise RequestInvalid(Code.TOO_MANY_WAITING, count=len(open_requests))
        stored = await self.storage.requests.create(
            request.with_(status=RequestStatus.SCHEDULED, release_at=release)
        )
        if release.timestamp() - self._policy.warmup_s > self.clock.now():
            self._schedule(stored)
        else:
            self._launch(stored)
        return stored

    async def preview(
        self,
        member_id: int,
        day: date,
        times: tuple[time, ...],
        duration_min: int,
        courts: tuple[int, ...] = (),
        partner: str | None = None,
    ) -> datetime:
        """The instant the request would fire at (past: at once), by exactly submit()'s checks of the
        request itself; raises RequestInvalid. Nothing is stored."""
        return await self._checked(BookingRequest(member_id, day, times, duration_min, courts, partner))

    async def _checked(self, request: BookingRequest) -> datetime:
        club = await self.club()
        now = datetime.fromtimestamp(self.clock.now(), UTC)
        validate(request, club.rules, club.court_numbers, now, self._limits.horizon_days)
        if club.rules.partner_required and not request.partner:
            raise RequestInvalid(Code.PARTNER_REQUIRED)
        return release_of(request, club.rules)

    async def stats(self) -> dict[RequestStatus, int]:
        """How many requests stand in each status (for an admin's /stats)."""
        return await self.storage.requests.count_by_status()

    def _schedule(self, request: BookingRequest) -> None:
        assert request.id is not None and request.release_at is not None
        release = request.release_at.timestamp()
        self._scheduler.schedule(request.id, release - self._policy.warmup_s, self._due)
        if self._check_s is not None:
            # The check runs `check_hours_before` ahead; a request made later than that is checked at
            # once, unless it fires so soon that a warning could not help.
            check_at = max(release - self._check_s, self.clock.now() + 1)
            if release - check_at >= CHECK_USEFUL_S:
                self._scheduler.schedule(request.id, check_at, self._check_due, kind=CHECK)
        self._publish(request, EventKind.SCHEDULED, Reason(Code.SCHEDULED), release_at=request.release_at)

    async def _check_due(self, request_id: int) -> None:
        request = await self.storage.requests.get(request_id)
        if request is None or request.status is not RequestStatus.SCHEDULED:
            return
        await self.night_before_check(request)

    async def night_before_check(self, request: BookingRequest) -> list[Reason]:
        """Warn the member now about anything that would make the request fail at its release."""
        adapter = self._adapter_factory()
        try:
            problems = await night_before_problems(
                adapter, request, await self.club(), await self.storage.credentials.get(request.member_id)
            )
        except SiteError as error:
            log.info("request %s: night-before check could not reach the club (%s)", request.id, error)
            return []
        finally:
            await adapter.close()
        for problem in problems:
            self._publish(request, EventKind.WARNING, problem)
        if not problems:
            log.info("request %s: night-before check found nothing wrong", request.id)
        return problems

    async def _due(self, request_id: int) -> None:
        request = await self.storage.requests.get(request_id)
        if request is not None and request.status is RequestStatus.SCHEDULED:
            self._launch(request)

    def new_adapter(self) -> SiteAdapter:
        """A fresh, logged-out session with the club (one per member and purpose)."""
        return self._adapter_factory()

    def run_now(self, request: BookingRequest) -> None:
        """Start booking a request at once (a watched slot came free); a no-op while it already runs."""
        self._launch(request)

    def _launch(self, request: BookingRequest) -> None:
        assert request.id is not None
        if request.id in self._runs:
            return
        run = self._run_for(request)
        task = asyncio.create_task(self._execute(run), name=f"request-{request.id}")
        self._runs[request.id] = task
        task.add_done_callback(lambda _: self._runs.pop(request.id or 0, None))

    def _run_for(self, request: BookingRequest) -> RequestRun:
        return RequestRun(
            request,
            storage=self.storage,
            adapter_factory=self._adapter_factory,
            club_source=self.club,
            clock=self.clock,
            bus=self.bus,
            gates=self._gates,
            clock_estimate=self._clock_estimate,
            policy=self._policy,
            member_lock=self._member_locks[request.member_id],
            outcomes=self.outcomes,
            claims=self._claims,
            plans=self._plans,
            looking_again=request.id in self._looks,
        )

    async def _execute(self, run: RequestRun) -> None:
        await run.execute()
        try:
            if run.unclear:
                await self._look_again_later(run.request)
            else:
                self._looks.pop(run.request_id, None)
        except Exception:  # a task nobody awaits: never let its failure go unseen
            log.exception("request %s: the next look could not be planned", run.request_id)
            self._scheduler.schedule(
                run.request_id, self.clock.now() + self._policy.recheck_first_s, self._look_due, kind=RECHECK
            )

    async def _look_again_later(self, request: BookingRequest) -> None:
        """Another look at an unclear booking, ever less often; the admins hear when looking does not
        settle it, and looking ends when the slot starts."""
        assert request.id is not None
        looks = self._looks[request.id] = self._looks.get(request.id, 0) + 1
        now = self.clock.now()
        club = await self.club()
        starts = to_utc(datetime.combine(request.day, min(request.times)), club.rules.timezone).timestamp()
        if now >= starts:
            self._looks.pop(request.id, None)
            said = Reason(Code.NEVER_SETTLED)
            await self.outcomes.end(
                request,
                RequestStatus.FAILED,
                said,
                reason=said.code,
                only_if=(RequestStatus.CHECKING,),
                outcome=STILL_UNCLEAR,
            )
            return
        if looks == self._policy.alert_after_checks:
            self._publish(
                request,
                EventKind.CHECKING,
                Reason(Code.STILL_UNCLEAR_AFTER, {"looks": looks}),
                outcome=STILL_UNCLEAR,
            )
        delay = min(self._policy.recheck_first_s * 2 ** (looks - 1), self._policy.recheck_max_s)
        self._scheduler.schedule(request.id, min(now + delay, starts), self._look_due, kind=RECHECK)

    async def _look_due(self, request_id: int) -> None:
        """Look again at a request left unclear, or unrecorded (still running, as far as the database
        knows)."""
        try:
            request = await self.storage.requests.get(request_id)
        except StorageUnavailable:
            log.warning("request %s: the database still fails; looking again later", request_id)
            self._scheduler.schedule(
                request_id, self.clock.now() + self._policy.recheck_first_s, self._look_due, kind=RECHECK
            )
            return
        if request is not None and request.status in (RequestStatus.CHECKING, RequestStatus.RUNNING):
            self._launch(request)

    async def wait_for_runs(self) -> None:
        """Until no run is in flight (tests and graceful shutdown)."""
        while self._runs:
            await asyncio.gather(*list(self._runs.values()), return_exceptions=True)

    async def get(self, member_id: int, request_id: int) -> BookingRequest:
        request = await self.storage.requests.get(request_id)
        if request is None or request.member_id != member_id:
            raise NotFound
        return request

    async def requests(self, member_id: int, open_only: bool = False) -> list[BookingRequest]:
        statuses = OPEN_STATUSES if open_only else ()
        return await self.storage.requests.for_member(member_id, statuses)

    async def cancel(self, member_id: int, request_id: int, *, reason: str | None = None) -> BookingRequest:
        """Withdraw a scheduled request, or cancel a booked one on the club's site; `reason` is kept with a
        withdrawn request (who withdrew it, when not the member)."""
        request = await self.get(member_id, request_id)
        if (
            request.status is RequestStatus.SCHEDULED
            and request_id not in self._runs
            and await self.outcomes.end(
                request,
                RequestStatus.CANCELLED,
                Reason(Code.CANCELLED),
                only_if=(RequestStatus.SCHEDULED,),
                reason=reason,
            )
        ):
            self._scheduler.unschedule(request_id)
            return await self.get(member_id, request_id)
        if request.status is RequestStatus.WATCHING and await self.outcomes.end(
            request,
            RequestStatus.CANCELLED,
            Reason(Code.STOPPED_WATCHING),
            only_if=(RequestStatus.WATCHING,),
        ):
            return await self.get(member_id, request_id)
        if request.status is RequestStatus.CHECKING:
            raise RequestInvalid(Code.STILL_CHECKING)
        if request.status in (RequestStatus.SCHEDULED, RequestStatus.RUNNING, RequestStatus.WATCHING):
            raise RequestInvalid(Code.BEING_BOOKED)
        if request.status is RequestStatus.BOOKED and request.reference:
            await self.cancel_site_booking(member_id, request.reference)
            return await self.get(member_id, request_id)
        raise RequestInvalid(Code.ALREADY_ENDED)

    async def cancel_site_booking(self, member_id: int, reference: str) -> None:
        """Cancel one of the member's bookings on the club's site (made by us or not)."""
        adapter = await self._logged_in_adapter(member_id)
        try:
            await adapter.cancel(reference)
        finally:
            await adapter.close()
        for request in await self.storage.requests.for_member(member_id, (RequestStatus.BOOKED,)):
            if request.reference == reference:
                await self.outcomes.end(
                    request,
                    RequestStatus.CANCELLED,
                    Reason(Code.CANCELLED_AT_CLUB),
                    reason="cancelled by the member",
                )

    def _publish(self, request: BookingRequest, kind: EventKind, said: Reason, **fields: object) -> None:
        assert request.id is not None
        self.bus.publish(
            ProgressEvent(
                request_id=request.id,
                member_id=request.member_id,
                kind=kind,
                at=self.clock.now(),
                reason=said,
                **fields,  # type: ignore[arg-type]
            )
        )
