"""One booking request's run: warm up, fire at the corrected instant, retry, fall back, finish.

Exactly-once rests on three habits: an attempt is written before its request leaves; any answer that
leaves the outcome unknown (5xx, timeout, an unreadable page) is settled against the club's records
(booking.settle) before anything is sent again, and an outcome that cannot be settled stops the run
(the request waits, CHECKING, for a later look); and a run always starts by settling attempts that an
earlier run left unknown.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from booking.clockcache import SharedClockEstimate
from booking.clocksync import fire_instant
from booking.club import ClubSource
from booking.events import EventBus, EventKind, ProgressEvent
from booking.gate import FireGates
from booking.grid import bookable_now
from booking.models import Attempt, AttemptOutcome, BookingRequest, Credentials, RequestStatus
from booking.outcomes import Outcomes
from booking.plan import Assignment, ReleasePlans, SlotClaims
from booking.reasons import Code, CourtTime, Reason, Refusal, Value
from booking.settle import Settlement, settle
from booking.sites.base import ArmedPrepare, Booking, CellState, ClockSample, Prepared, SiteAdapter, Slot
from booking.sites.errors import (
    HoldExpired,
    InvalidRequest,
    LimitReached,
    LoginFailed,
    NotOpenYet,
    PageNotUnderstood,
    RateLimited,
    RefusedByClub,
    SessionExpired,
    SiteError,
    SlotTaken,
    TemporarilyUnavailable,
)
from booking.timebase import Clock
from storage import Storage, StorageUnavailable

log = logging.getLogger(__name__)

AdapterFactory = Callable[[], SiteAdapter]
#: the FAILED event's outcome when every choice was taken (the bot offers to watch for a cancellation)
ALL_TAKEN = "all-taken"
#: a CHECKING (or final FAILED) event's outcome when looking again has not settled a booking: the admins
#: are told too, since only the club's own staff can see what its site would not show us
STILL_UNCLEAR = "still-unclear"
#: a BOOKED event's outcome when the slot reads back held twice (a site that does not lock)
DOUBLE_BOOKED = "double-booked"


@dataclass(frozen=True)
class Policy:
    """How hard and how long to try; the defaults suit a club that opens at a fixed instant."""

    warmup_s: float = 60.0  # log in and sync the clock this long before the release
    not_open_retry_s: float = 5.0  # keep retrying "not open yet" this long after the release
    not_open_step_s: float = 0.05
    transient_deadline_s: float = 120.0  # retry 5xx / timeouts / 429 until this long after starting
    backoff_first_s: float = 0.2
    backoff_max_s: float = 5.0
    max_slow_checks: int = 5  # unclear outcomes in a row before we give up
    arm_lead_s: float = 1.0  # connect the pre-built first request this long before firing
    #: plan a shared release (club-mates never race each other); off only to measure what it is worth
    plan_releases: bool = True
    recheck_first_s: float = 60.0  # look again at an unclear booking after this, doubling each time
    recheck_max_s: float = 3600.0
    alert_after_checks: int = 3  # looks that leave it unclear before the admins are told


#: the release plan is made this long before the first requests are armed
PLAN_LEAD_S = 1.0


class RunFailed(Refusal):
    """Ends a run as failed; its reason is for the member."""


class AllTaken(RunFailed):
    """Every choice was taken: the one failure that watching for a cancellation can still turn round."""


class Unclear(Refusal):
    """A booking request may have landed and the club's records cannot tell: nothing more is sent for
    the request until a later look settles it."""


def place(slot: Slot) -> CourtTime:
    """The slot as a reason names it: its court and start."""
    return CourtTime(slot.court, slot.start)


class RequestRun:
    """Runs one request to its end. Create one per run; it is not reusable."""

    def __init__(
        self,
        request: BookingRequest,
        *,
        storage: Storage,
        adapter_factory: AdapterFactory,
        club_source: ClubSource,
        clock: Clock,
        bus: EventBus,
        gates: FireGates,
        clock_estimate: SharedClockEstimate,
        policy: Policy,
        member_lock: asyncio.Lock,
        outcomes: Outcomes,
        claims: SlotClaims,
        plans: ReleasePlans,
        looking_again: bool = False,
    ) -> None:
        assert request.id is not None
        self.request = request
        self.request_id: int = request.id
        self._storage = storage
        self._adapter_factory = adapter_factory
        self._club_source = club_source
        self._clock = clock
        self._bus = bus
        self._gates = gates
        self._clock_estimate = clock_estimate
        self._policy = policy
        self._member_lock = member_lock
        self._outcomes = outcomes
        self._claims = claims
        self._plans = plans
        self._assignment: Assignment | None = None
        self._release_s = (request.release_at or datetime.now(UTC)).timestamp()
        self._offset_s = 0.0
        self._half_rtt_s = 0.0
        self._credentials: Credentials | None = None
        self._started = clock.now()
        self._rng = random.Random()
        #: when the winning attempt left, if we fired at a release (for "booked N ms after 07:00")
        self._winning_sent_at: float | None = None
        self._fired_at_release = False
        #: the run stopped on an outcome it could not settle (or record); the service looks again later
        self.unclear = False
        self._sent = False  # a booking request may have left
        #: a later look at a request the member has already been told about: stay quiet until news
        self._looking_again = looking_again
        self._booked: Booking | None = None  # the club's confirmation, once it came

    # -- events ---------------------------------------------------------------------------------------

    def _emit(self, kind: EventKind, said: Reason | None = None, **fields: object) -> None:
        self._bus.publish(
            ProgressEvent(
                request_id=self.request_id,
                member_id=self.request.member_id,
                kind=kind,
                at=self._clock.now(),
                reason=said,
                **fields,  # type: ignore[arg-type]
            )
        )

    # -- the run --------------------------------------------------------------------------------------

    async def execute(self) -> None:
        try:
            await self._execute()
        except StorageUnavailable as error:
            log.error("request %s: the database failed (%s)", self.request_id, error)
            self._unrecorded()
        finally:
            self._claims.release(self.request_id)
            self._plans.leave(self._release_s, self.request_id)

    async def _execute(self) -> None:
        moved = await self._storage.requests.update(
            self.request_id,
            RequestStatus.RUNNING,
            only_if=(
                RequestStatus.SCHEDULED,
                RequestStatus.RUNNING,
                RequestStatus.WATCHING,
                RequestStatus.CHECKING,
            ),
        )
        if not moved:
            return  # cancelled or finished meanwhile
        adapter = self._adapter_factory()
        try:
            booking = await self._run(adapter)
        except Unclear as unclear:
            await self._checking(unclear.reason)
        except AllTaken as failure:
            await self._all_taken(failure.reason)
        except RunFailed as failure:
            await self._fail(failure.reason)
        except (asyncio.CancelledError, StorageUnavailable):
            raise
        except Exception:
            log.exception("request %s: unexpected error", self.request_id)
            await self._unexpected_error()
        else:
            await self._succeed(booking)
        finally:
            await adapter.close()

    def _unrecorded(self) -> None:
        """The database will not take what happened: tell the member what we know (the club's answer may
        be in hand), and let the service look again once it can be recorded."""
        self.unclear = True
        booked = self._booked
        if booked is not None:
            said = Reason(
                Code.UNSAVED_BOOKING,
                {"slot": place(booked.slot), "day": booked.slot.day, "reference": booked.reference},
            )
        elif self._sent:
            said = Reason(Code.UNSAVED_ANSWER)
        elif self._looking_again:
            return  # the member heard at the first failure; nothing new has happened since
        else:
            said = Reason(Code.DATABASE_DOWN)
        self._emit(EventKind.WARNING, said)

    async def _unexpected_error(self) -> None:
        """Our own fault: once a booking request may have reached the club, only the club's records may
        say whether it was booked, so the request is checked with the club before the member hears."""
        if await self._storage.attempts.unresolved(self.request_id):
            await self._checking(Reason(Code.OUR_ERROR_AFTER_SENDING))
        else:
            await self._fail(Reason(Code.OUR_ERROR_NOTHING_SENT))

    async def settle_ended(self) -> None:
        """A request that ended while an attempt's outcome was still unknown (a crash between the answer
        and its record, or an older courtbot): the club's records decide, and a booking found corrects
        what the member was told."""
        adapter = self._adapter_factory()
        try:
            await self._login(adapter)
            unknown = await self._storage.attempts.unresolved(self.request_id)
            found = (await self._settle(adapter, unknown)).booking
        except (RunFailed, Unclear) as error:
            log.warning("request %s: an unknown attempt stays unsettled (%s)", self.request_id, error)
            return
        finally:
            await adapter.close()
        if found is not None:
            log.warning(
                "request %s had ended as %s, but the club holds it", self.request_id, self.request.status
            )
            await self._outcomes.end(
                self.request,
                RequestStatus.BOOKED,
                Reason(Code.BOOKED_AFTER_ALL, {"slot": place(found.slot), "day": found.slot.day}),
                booking=found,
                only_if=(self.request.status,),
            )

    async def _run(self, adapter: SiteAdapter) -> Booking:
        self._emit(EventKind.WARMING_UP, Reason(Code.LOGGING_IN))
        club = await self._transient(self._club_source)
        self._rules, self._courts = club.rules, club.court_numbers
        release = self.request.release_at or datetime.fromtimestamp(self._release_s, UTC)
        release_s = self._release_s
        sample: ClockSample | None = None
        if self._clock.now() < release_s and self._policy.plan_releases:
            self._plans.join(release_s, self.request, self._candidates())  # at once: the plan waits for none
        if self._clock.now() < release_s:
            # Before logging in: many members warming up together would disturb the estimate.
            sample = await self._sync_clock(adapter)
            self._emit(
                EventKind.CLOCK_SYNCED,
                Reason(
                    Code.CLOCK_SYNCED,
                    {"offset_ms": round(sample.offset_s * 1000), "error_ms": round(sample.error_s * 1000)},
                ),
                clock_offset_ms=sample.offset_s * 1000,
            )
        await self._login(adapter)
        await self._transient(adapter.courts)  # what booking needs, loaded now rather than at the instant
        self._emit(EventKind.LOGGED_IN, Reason(Code.LOGGED_IN))
        found = await self._settle_earlier_attempts(adapter)
        if found is not None:
            return found
        await self._no_unclear_overlap()
        candidates = self._candidates()
        prepared: Prepared | None = None
        pending: Attempt | None = None
        armed: ArmedPrepare | None = None
        fire_at: float | None = None
        if sample is not None and self._server_now() < release_s:
            fire_at = fire_instant(sample, release_s)
            candidates = await self._planned(candidates, release_s, fire_at)
        # One member's attempts never overlap, even across requests: on a site that does not lock (MRBS,
        # LibreBooking), two of them in flight could both land and beat the club's own per-day limit. An
        # armed request is an attempt the gate fires (on those sites, the booking itself), so the lock is
        # held from before arming: another request of the member's due now waits, and sends after this one.
        async with self._member_lock:
            if fire_at is not None and self._server_now() < release_s:
                if self._first_is_ours() and self._claim(candidates[0]):
                    if self._rules.hold_before_open:
                        prepared = await self._prepare_early(adapter, candidates[0])
                    # The first attempt is on disk before we wait, so nothing but the request is left to do
                    # at the instant itself.
                    pending = await self._record(candidates[0])
                    if prepared is None:
                        armed = await self._arm(adapter, candidates[0], fire_at)
                await self._gates.wait(fire_at, armed.fire if armed else None)
                self._fired_at_release = True
                self._emit(EventKind.FIRING, self._firing_reason(candidates), release_at=release)
            else:
                candidates = await self._free_first(adapter, candidates)
                self._emit(EventKind.FIRING, Reason(Code.SENDING, {"slot": place(candidates[0])}))
            return await self._attempt_all(adapter, candidates, prepared, pending, armed, release_s)

    async def _planned(self, candidates: list[Slot], release_s: float, fire_at: float) -> list[Slot]:
        """The member's choices as the release's plan orders them (made just before arming, once every
        run due then has joined)."""
        if not self._policy.plan_releases:
            return candidates
        await self._clock.sleep_until(fire_at - self._policy.arm_lead_s - PLAN_LEAD_S)
        self._assignment = await self._plans.assignment(release_s, self.request_id)
        return list(self._assignment.slots)

    def _first_is_ours(self) -> bool:
        """Whether the plan left the member a first request (it may have given all their choices away)."""
        return self._assignment is None or self._assignment.choice is not None

    def _claim(self, slot: Slot) -> bool:
        """Whether we may send for `slot`: no other request of ours is trying it (or had it)."""
        return not self._policy.plan_releases or self._claims.claim(self.request_id, slot) is None

    def _firing_reason(self, candidates: list[Slot]) -> Reason:
        planned = self._assignment
        if planned is None or planned.choice == 0:
            return Reason(Code.SENDING, {"slot": place(candidates[0])})
        first = place(self._candidates()[0])
        if planned.choice is None:
            return Reason(Code.ALL_TO_MATES, {"wanting": planned.wanting_first, "first": first})
        return Reason(
            Code.SENDING_PLANNED,
            {
                "slot": place(candidates[0]),
                "choice": planned.choice,
                "wanting": planned.wanting_first,
                "first": first,
            },
        )

    def _plan_note(self, slot: Slot) -> dict[str, Value]:
        """What the booked notice says of the release plan: the member got a later choice."""
        planned = self._assignment
        if planned is None or planned.choice in (0, None) or slot != planned.slots[0]:
            return {}
        return {
            "choice": planned.choice,
            "wanting": planned.wanting_first,
            "first": place(self._candidates()[0]),
        }

    async def _login(self, adapter: SiteAdapter) -> None:
        self._credentials = await self._storage.credentials.get(self.request.member_id)
        if self._credentials is None:
            raise RunFailed(Code.NO_LOGIN)
        await self._transient(lambda: adapter.login(self._credentials.username, self._credentials.password))

    async def _sync_clock(self, adapter: SiteAdapter) -> ClockSample:
        try:
            sample = await self._clock_estimate.get(adapter)
        except SiteError as error:
            log.warning(
                "request %s: clock estimate failed (%s); firing on our own clock", self.request_id, error
            )
            return ClockSample(offset_s=0.0, error_s=0.0, rtt_s=0.0, probes=0)
        self._offset_s, self._half_rtt_s = sample.offset_s, sample.rtt_s / 2
        return sample

    def _server_now(self) -> float:
        return self._clock.now() + self._offset_s

    def _candidates(self) -> list[Slot]:
        courts = list(self.request.courts) or self._courts
        return [
            Slot(court=c, day=self.request.day, start=t, duration_min=self.request.duration_min)
            for t in self.request.times
            for c in courts
        ]

    async def _free_first(self, adapter: SiteAdapter, candidates: list[Slot]) -> list[Slot]:
        """For a day already open, skip what the grid shows taken (or not released yet): no wasted requests."""
        try:
            shown = await self._transient(lambda: adapter.availability(self.request.day))
        except RunFailed:
            return candidates
        grid = bookable_now(shown, self._rules, self._server_now())
        free = [s for s in candidates if grid.state(s.court, s.start) in (CellState.FREE, CellState.MINE)]
        if not free:
            raise AllTaken(Code.ALL_TAKEN, **self._all_taken_values(candidates))
        return free

    async def _arm(self, adapter: SiteAdapter, slot: Slot, fire_at: float) -> ArmedPrepare | None:
        """Build the first request in the last second, when its connection will not idle out first."""
        await self._clock.sleep_until(fire_at - self._policy.arm_lead_s)
        try:
            return await adapter.arm(slot, self.request.partner)
        except SiteError as error:
            log.info("request %s: not armed (%s); firing the ordinary way", self.request_id, error)
            return None

    async def _prepare_early(self, adapter: SiteAdapter, slot: Slot) -> Prepared | None:
        try:
            return await adapter.prepare(slot, self.request.partner)
        except SiteError as error:
            log.info("request %s: early hold not taken (%s)", self.request_id, type(error).__name__)
            return None

    # -- attempts -------------------------------------------------------------------------------------

    async def _record(self, slot: Slot) -> Attempt:
        """The attempt on disk before its request may leave (from then on the club may have it)."""
        attempt = await self._storage.attempts.record(
            Attempt(
                request_id=self.request_id,
                court=slot.court,
                start=slot.start,
                sent_at=self._clock.now(),
                clock_offset_s=self._offset_s,
            )
        )
        self._sent = True
        return attempt

    async def _finish(
        self, attempt: Attempt, outcome: AttemptOutcome, detail: str = "", ref: str = ""
    ) -> None:
        await self._storage.attempts.finish(
            attempt.id or 0, outcome, self._clock.now(), detail=detail or None, reference=ref or None
        )

    async def _attempt_all(
        self,
        adapter: SiteAdapter,
        candidates: list[Slot],
        prepared: Prepared | None,
        pending: Attempt | None,
        armed: ArmedPrepare | None,
        release_s: float,
    ) -> Booking:
        taken: list[Slot] = []
        to_mates: list[Slot] = []
        for index, slot in enumerate(candidates):
            if index > 0:
                prepared, pending, armed = None, None, None
            if not self._claim(slot):
                to_mates.append(slot)
                continue
            booking = await self._attempt_slot(adapter, slot, prepared, pending, armed, release_s)
            if booking is not None:
                return booking
            taken.append(slot)
        raise AllTaken(Code.ALL_TAKEN, **self._all_taken_values(taken, to_mates))

    async def _attempt_slot(
        self,
        adapter: SiteAdapter,
        slot: Slot,
        prepared: Prepared | None,
        pending: Attempt | None,
        armed: ArmedPrepare | None,
        release_s: float,
    ) -> Booking | None:
        """Book one slot; None means it is taken. Raises RunFailed when the whole request must stop."""
        delay = self._policy.backoff_first_s
        unclear = 0
        while True:
            attempt = pending or await self._record(slot)
            pending = None
            sent_at = self._clock.now()
            try:
                if armed is not None:  # already sent by the gate: only its answer is awaited
                    first, armed = armed, None
                    prepared = await first.prepared()
                elif prepared is None or prepared.slot != slot:
                    prepared = await adapter.prepare(slot, self.request.partner)
                booking = await adapter.commit(prepared)
            except SlotTaken:
                await self._finish(attempt, AttemptOutcome.TAKEN)
                self._emit(EventKind.ATTEMPT, Reason(Code.TAKEN, {"slot": place(slot)}), outcome="taken")
                return None
            except NotOpenYet as error:
                await self._finish(attempt, AttemptOutcome.NOT_OPEN, str(error))
                if self._server_now() > release_s + self._policy.not_open_retry_s:
                    raise RunFailed(
                        Code.STILL_NOT_OPEN, seconds=round(self._policy.not_open_retry_s)
                    ) from None
                prepared = None
                await asyncio.sleep(self._policy.not_open_step_s)
                continue
            except HoldExpired:
                await self._finish(attempt, AttemptOutcome.HOLD_EXPIRED)
                prepared = None
                continue
            except SessionExpired:  # not booked; the adapter has logged in again (or will, preparing)
                await self._finish(attempt, AttemptOutcome.SESSION_EXPIRED)
                self._emit(EventKind.RETRYING, Reason(Code.LOGGED_IN_AGAIN))
                prepared = None
                continue
            except LoginFailed:
                await self._finish(attempt, AttemptOutcome.SESSION_EXPIRED, "the login was refused")
                raise RunFailed(Code.LOGIN_REFUSED) from None
            except LimitReached as error:
                await self._finish(attempt, AttemptOutcome.LIMIT, error.which)
                raise RunFailed(Code.LIMIT_REACHED, which=error.which, detail=str(error)) from None
            except InvalidRequest as error:
                await self._finish(attempt, AttemptOutcome.INVALID, str(error))
                raise RunFailed(Code.CLUB_REFUSED, detail=str(error)) from None
            except RefusedByClub as error:  # its text already quotes the club's own words
                await self._finish(attempt, AttemptOutcome.REFUSED, str(error))
                raise RunFailed(Code.REFUSED_BY_CLUB, detail=str(error)) from None
            except RateLimited as error:
                await self._finish(attempt, AttemptOutcome.RATE_LIMITED, f"{error.retry_after_s}s")
                self._check_deadline(Code.KEPT_THROTTLING)
                self._emit(EventKind.RETRYING, Reason(Code.ASKED_TO_WAIT, {"seconds": error.retry_after_s}))
                await asyncio.sleep(error.retry_after_s)
                continue
            except (TemporarilyUnavailable, PageNotUnderstood) as error:
                # The commit may have landed: settle it with the club before sending anything again.
                outcome = (
                    AttemptOutcome.UNAVAILABLE
                    if isinstance(error, TemporarilyUnavailable)
                    else AttemptOutcome.NOT_UNDERSTOOD
                )
                await self._finish(attempt, outcome, str(error))
                settled = await self._settle(adapter, [attempt])
                if settled.booking is not None:
                    return settled.booking
                if slot in settled.taken:
                    self._emit(EventKind.ATTEMPT, Reason(Code.TAKEN, {"slot": place(slot)}), outcome="taken")
                    return None
                unclear += 1
                if isinstance(error, PageNotUnderstood) and unclear >= self._policy.max_slow_checks:
                    raise RunFailed(Code.PAGE_NOT_UNDERSTOOD, detail=str(error)) from None
                self._check_deadline(Code.KEPT_FAILING)
                self._emit(
                    EventKind.RETRYING, Reason(Code.SITE_FAILED, {"detail": str(error), "seconds": delay})
                )
                await asyncio.sleep(delay * (0.5 + self._rng.random()))
                delay = min(delay * 2, self._policy.backoff_max_s)
                prepared = None
                continue
            self._booked = booking  # what the member hears even if it cannot be recorded
            await self._finish(attempt, AttemptOutcome.BOOKED, ref=booking.reference)
            self._winning_sent_at = sent_at
            return booking

    def _check_deadline(self, code: Code) -> None:
        """`code`: what the club kept doing (failing, or asking us to slow down) past the deadline."""
        if self._clock.now() - self._started > self._policy.transient_deadline_s:
            raise RunFailed(code, minutes=self._policy.transient_deadline_s / 60)

    async def _transient(self, call):  # type: ignore[no-untyped-def]
        """Run a call that books nothing, retrying site faults until the deadline."""
        delay = self._policy.backoff_first_s
        while True:
            try:
                return await call()
            except LoginFailed:
                raise RunFailed(Code.LOGIN_REFUSED) from None
            except RateLimited as error:
                self._check_deadline(Code.KEPT_THROTTLING)
                await asyncio.sleep(error.retry_after_s)
            except (TemporarilyUnavailable, PageNotUnderstood) as error:
                self._check_deadline(Code.KEPT_FAILING)
                log.info("request %s: %s; retrying", self.request_id, error)
                await asyncio.sleep(delay * (0.5 + self._rng.random()))
                delay = min(delay * 2, self._policy.backoff_max_s)

    # -- settling unknown outcomes --------------------------------------------------------------------

    async def _settle(self, adapter: SiteAdapter, unknown: list[Attempt]) -> Settlement:
        """Settle attempts whose outcome is unknown against the club's records; raises Unclear (leaving
        them unknown) when the club's records cannot tell."""
        slots = [self._slot_of(attempt) for attempt in unknown]
        settled = await self._transient(lambda: settle(adapter, self.request, slots))
        if settled.unclear:
            tried = tuple(place(s) for s in slots)
            log.warning("request %s: could not tell whether %s was booked", self.request_id, slots)
            raise Unclear(Code.UNCLEAR_ANSWER, slots=tried)
        found = settled.booking
        for attempt in unknown:
            if found is not None and (found.slot.court, found.slot.start) == (attempt.court, attempt.start):
                await self._finish(attempt, AttemptOutcome.FOUND, ref=found.reference)
            else:
                await self._finish(attempt, AttemptOutcome.NOT_FOUND)
        return settled

    def _slot_of(self, attempt: Attempt) -> Slot:
        return Slot(attempt.court, self.request.day, attempt.start, self.request.duration_min)

    async def _settle_earlier_attempts(self, adapter: SiteAdapter) -> Booking | None:
        """An earlier run may have left attempts whose answer never came: ask the club before retrying."""
        unknown = await self._storage.attempts.unresolved(self.request_id)
        if not unknown:
            return None
        found = (await self._settle(adapter, unknown)).booking
        if found is not None:
            log.info("request %s: an earlier attempt had booked %s", self.request_id, found.reference)
        return found

    async def _no_unclear_overlap(self) -> None:
        """Another request of the member's that may have booked this time is still being checked: a
        booking request now could make two."""
        ours = self.request
        for other in await self._storage.requests.for_member(ours.member_id, (RequestStatus.CHECKING,)):
            if other.id != self.request_id and other.day == ours.day and _overlap(other, ours):
                raise Unclear(Code.OTHER_REQUEST_CHECKING)

    # -- endings --------------------------------------------------------------------------------------

    def _all_taken_values(self, slots: Sequence[Slot], to_mates: Sequence[Slot] = ()) -> dict[str, Value]:
        """ALL_TAKEN's values: the slots the club had taken, and those that went to club-mates."""
        return {"taken": tuple(place(s) for s in slots), "to_mates": tuple(place(s) for s in to_mates)}

    async def _succeed(self, booking: Booking) -> None:
        slot = booking.slot
        after_ms: float | None = None
        sent_at = self._winning_sent_at
        if self._fired_at_release and self.request.release_at is not None and sent_at is not None:
            arrival = sent_at + self._offset_s + self._half_rtt_s
            after_ms = (arrival - self.request.release_at.timestamp()) * 1000
        if self._policy.plan_releases and self._plans.contested(self._release_s, slot):
            await self._storage.contests.record_win(self.request.member_id, self._clock.now())
        said = Reason(Code.BOOKED, {"slot": place(slot), "day": slot.day, **self._plan_note(slot)})
        if booking.double:
            log.warning("request %s: %s reads back booked twice", self.request_id, slot)
            said = Reason(
                Code.BOOKED_TWICE, {"slot": place(slot), "day": slot.day, "reference": booking.reference}
            )
        await self._outcomes.end(
            self.request,
            RequestStatus.BOOKED,
            said,
            booking=booking,
            after_release_ms=after_ms,
            outcome=DOUBLE_BOOKED if booking.double else None,
        )

    async def _checking(self, said: Reason) -> None:
        self.unclear = True
        await self._storage.requests.update(self.request_id, RequestStatus.CHECKING, reason=said.code)
        self._emit(EventKind.CHECKING, said)

    async def _fail(self, said: Reason, outcome: str | None = None) -> None:
        await self._outcomes.end(self.request, RequestStatus.FAILED, said, reason=said.code, outcome=outcome)

    async def _all_taken(self, said: Reason) -> None:
        until = self.request.watch_until
        if until is not None and self._clock.now() < until.timestamp():
            await self._storage.requests.update(self.request_id, RequestStatus.WATCHING)
            self._emit(EventKind.RETRYING, Reason(Code.STILL_WATCHING))
            return
        await self._fail(said, outcome=ALL_TAKEN)


def _overlap(a: BookingRequest, b: BookingRequest) -> bool:
    """Whether any slot the two requests could book overlaps in time (courts aside: one member, one
    court at a time)."""

    def span(t: time, minutes: int) -> tuple[int, int]:
        start = t.hour * 60 + t.minute
        return start, start + minutes

    return any(
        s1 < e2 and s2 < e1
        for t1 in a.times
        for t2 in b.times
        for (s1, e1), (s2, e2) in [(span(t1, a.duration_min), span(t2, b.duration_min))]
    )
