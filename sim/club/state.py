"""The club's data and the booking rules applied to it.

Nothing here awaits: every check and the store that follows it happen in one synchronous step of the
event loop, so two members racing for one slot cannot both win, exactly as with a database row lock.
Every decision takes `now`, the server-clock instant the request arrived.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
from collections import Counter
from collections.abc import Mapping

from booking.release import to_utc
from sim.club.config import ANY_COURT, ClubConfig, Rival, parse_day, parse_hhmm
from sim.club.model import Arrival, Booking, Cell, Grid, Hold, Refusal, Slot, invalid
from sim.club.sessions import SessionStore
from sim.siteclock import SiteClock

RIVAL = "rival"
#: how far from today (in days) the calendar reaches; keeps date arithmetic far from datetime's limits
CALENDAR_DAYS = 3660
PARTNER_MAX = 80
_DIGITS = re.compile(r"\d{1,4}", re.ASCII)


def _hhmm(t: dt.time) -> str:
    return t.strftime("%H:%M")


def _minutes(text: str | None, default: int) -> int:
    """A duration from a request: left out means one slot, and anything not a number is -1 (invalid)."""
    if not text:
        return default
    return int(text) if _DIGITS.fullmatch(text) else -1


def _human_day(d: dt.date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


class ClubState(SiteClock):
    config: ClubConfig

    def __init__(self, config: ClubConfig) -> None:
        super().__init__(config)
        self.sessions = SessionStore()
        self._bookings: dict[str, Booking] = {}
        self._holds: dict[str, Hold] = {}
        self._arrivals: list[Arrival] = []
        #: requests per path (all but /_sim/), so tests can tell how politely a client polls
        self.hits: Counter[str] = Counter()
        self._settled: set[tuple[Rival, int]] = set()  # each rival with how many alike came before
        self.logins: list[str] = []  # the username of every accepted login, in order

    # The clock and club time

    def slot_starts(self) -> list[dt.time]:
        cfg = self.config
        first = cfg.open_from.hour * 60 + cfg.open_from.minute
        last = cfg.open_until.hour * 60 + cfg.open_until.minute - cfg.slot_minutes
        return [dt.time(m // 60, m % 60) for m in range(first, last + 1, cfg.slot_minutes)]

    def release_instant(self, date: dt.date | str, time: dt.time | str, duration: int = 60) -> dt.datetime:
        """The UTC instant a booking of `date` `time` opens (the rule in booking.release, DST-correct)."""
        day = date if isinstance(date, dt.date) else parse_day(date)
        start = time if isinstance(time, dt.time) else parse_hhmm(time)
        return self.config.release_rule.release_instant(day, start, duration, self.config.zone)

    def since_daily_release(self, now: float) -> float:
        """Seconds since the most recent daily release (opens_at, club time): the load spike's clock."""
        today = self.today(now)
        instant = self._daily_release(today)
        if instant > now:
            instant = self._daily_release(today - dt.timedelta(days=1))
        return now - instant

    def _daily_release(self, day: dt.date) -> float:
        return to_utc(dt.datetime.combine(day, self.config.opens_at), self.config.zone).timestamp()

    def _release_at(self, slot: Slot) -> float:
        return self.release_instant(slot.date, slot.time, slot.duration).timestamp()

    def _start_at(self, slot: Slot) -> float:
        return to_utc(dt.datetime.combine(slot.date, slot.time), self.config.zone).timestamp()

    # Reading requests

    def request_day(self, text: str | None, now: float) -> dt.date:
        """A date from a request; within the club's calendar or refused as invalid."""
        try:
            day = parse_day(text or "")
        except ValueError:
            raise invalid("date", "That is not a date (use YYYY-MM-DD).") from None
        if abs((day - self.today(now)).days) > CALENDAR_DAYS:
            raise invalid("date", "The calendar does not reach that far.")
        return day

    def parse_slot(
        self, court: str | None, date: str | None, time: str | None, duration: str | None, now: float
    ) -> Slot:
        """The slot a booking request names, or the first thing wrong with it."""
        cfg = self.config
        if court not in cfg.courts:
            raise invalid("court", "There is no such court.")
        day = self.request_day(date, now)
        try:
            start = parse_hhmm(time or "")
        except ValueError:
            raise invalid("time", "That is not a time (use HH:MM).") from None
        if start not in self.slot_starts():
            raise invalid("time", "Bookings start on the hour between opening and closing.")
        minutes = _minutes(duration, cfg.slot_minutes)
        if minutes not in cfg.durations:
            allowed = ", ".join(str(d) for d in cfg.durations)
            raise invalid("duration", f"A booking lasts {allowed} minutes.")
        slot = Slot(court, day, start, minutes)
        if start.hour * 60 + start.minute + minutes > cfg.open_until.hour * 60 + cfg.open_until.minute:
            raise invalid("duration", "That booking would run past closing time.")
        return slot

    # The rules

    def _check_bookable(self, member: str, slot: Slot, now: float, *, allow_early: bool) -> None:
        """Past, release, limits, then availability: the order a member would want to hear them in."""
        if self._start_at(slot) <= now:
            raise invalid("time", "That slot has already started.")
        opens = self.release_instant(slot.date, slot.time, slot.duration)
        if now < opens.timestamp() and not allow_early:
            local = opens.astimezone(self.config.zone)
            raise Refusal(
                "not-open",
                f"Bookings for {_human_day(slot.date)} open at {local:%H:%M} on {_human_day(local.date())}.",
                opens_at=opens.isoformat(),
            )
        mine = [b for b in self._bookings.values() if b.member == member]
        if sum(b.slot.date == slot.date for b in mine) >= self.config.max_per_day:
            raise Refusal(
                "limit", "You already have as many bookings on that day as allowed.", limit="per-day"
            )
        if sum(self._start_at(b.slot) > now for b in mine) >= self.config.max_future:
            raise Refusal(
                "limit",
                f"You already have {self.config.max_future} upcoming bookings, the most allowed.",
                limit="future",
            )
        if self._booking_on(slot) is not None or self._held_by_other(member, slot, now):
            raise Refusal("taken", "Sorry, that court has just been taken by someone else.")

    def _booking_on(self, slot: Slot) -> Booking | None:
        return next((b for b in self._bookings.values() if b.slot.overlaps(slot)), None)

    def _held_by_other(self, member: str, slot: Slot, now: float) -> bool:
        return any(
            h.member != member and h.valid(now) and h.slot.overlaps(slot) for h in self._holds.values()
        )

    def prepare(self, member: str, slot: Slot, now: float) -> Hold:
        """GET /book: hold the slot for the member, replacing any hold of theirs on it."""
        self.settle_rivals(now)
        self._check_bookable(member, slot, now, allow_early=self.config.hold_before_open)
        for hold in [h for h in self._holds.values() if h.member == member and h.slot.overlaps(slot)]:
            del self._holds[hold.hold_id]
        hold = Hold(secrets.token_urlsafe(12), member, slot, now + self.config.hold_minutes * 60)
        self._holds[hold.hold_id] = hold
        return hold

    def commit(self, member: str, hold_id: str | None, partner: str | None, now: float) -> Booking:
        """POST /book: turn the member's live hold into a booking, re-checking everything."""
        self.settle_rivals(now)
        if not hold_id:
            raise invalid("hold", "The booking form is incomplete.")
        hold = self._holds.get(hold_id)
        if hold is None or hold.member != member or not hold.valid(now):
            raise Refusal("hold-expired", "Your reservation has expired. Please start again.")
        partner = (partner or "").strip()
        if self.config.partner_required and not partner:
            raise invalid("partner", "Please enter your partner's name.")
        if len(partner) > PARTNER_MAX:
            raise invalid("partner", "That partner name is too long.")
        self._check_bookable(member, hold.slot, now, allow_early=False)
        del self._holds[hold_id]
        return self._store(member, hold.slot, partner, now)

    def _store(self, member: str, slot: Slot, partner: str, now: float) -> Booking:
        reference = f"DC-{secrets.token_hex(3).upper()}"
        while reference in self._bookings:
            reference = f"DC-{secrets.token_hex(3).upper()}"
        booking = Booking(reference, member, slot, partner, now)
        self._bookings[reference] = booking
        return booking

    def cancel_own(self, member: str, reference: str | None, now: float) -> Booking:
        """POST /cancel: a member may cancel their own bookings that have not started."""
        self.settle_rivals(now)
        booking = self._bookings.get(reference or "")
        if booking is None or booking.member != member or self._start_at(booking.slot) <= now:
            raise invalid("reference", "There is no upcoming booking of yours with that reference.")
        return self._bookings.pop(booking.reference)

    def upcoming(self, member: str, now: float) -> list[Booking]:
        self.settle_rivals(now)
        mine = [b for b in self._bookings.values() if b.member == member and self._start_at(b.slot) > now]
        return sorted(mine, key=lambda b: (b.slot.date, b.slot.time, b.slot.court_id))

    def grid(self, member: str, day: dt.date, now: float) -> Grid:
        """The availability grid as `member` sees it at `now`."""
        self.settle_rivals(now)
        grid = Grid(day)
        for start in self.slot_starts():
            cells: dict[str, Cell] = {}
            for court_id in self.config.courts:
                slot = Slot(court_id, day, start, self.config.slot_minutes)
                cells[court_id] = self._cell(member, slot, now)
            grid.rows.append((start, cells))
        return grid

    def _cell(self, member: str, slot: Slot, now: float) -> Cell:
        if self._start_at(slot) <= now:
            return Cell("closed", "past")
        booking = self._booking_on(slot)
        if booking is not None:
            return Cell("mine" if booking.member == member else "booked")
        opens = self.release_instant(slot.date, slot.time, slot.duration)
        if now < opens.timestamp():
            return Cell("closed", "not-open", opens)
        return Cell("booked" if self._held_by_other(member, slot, now) else "free")

    def settle_rivals(self, now: float) -> None:
        """Let every rival whose moment (release + delay) has come book, earliest first, unless someone beat
        them to it.

        Called before any decision at `now`, so a rival's booking exists for exactly the requests that
        arrive at or after its moment, and the club it chose from is the club as it was at that moment.
        """
        due: list[tuple[float, tuple[Rival, int]]] = []
        seen: Counter[Rival] = Counter()
        for rival in self.config.rivals:
            key = (rival, seen[rival])  # two alike are two players
            seen[rival] += 1
            if key in self._settled:
                continue
            moment = self.release_instant(rival.date, rival.time, rival.duration).timestamp()
            moment += rival.delay_ms / 1000
            if moment <= now:
                due.append((moment, key))
        for moment, key in sorted(due, key=lambda item: item[0]):
            self._settled.add(key)
            slot = self._rival_slot(key[0], moment)
            if slot is not None:
                self._store(RIVAL, slot, "", moment)

    def _rival_slot(self, rival: Rival, moment: float) -> Slot | None:
        """What the rival books at `moment`: their court unless it is booked (a hold does not stop them), or
        for any court the first the grid shows free then (neither booked nor held); None if there is none."""
        if rival.court_id != ANY_COURT:
            slot = Slot(rival.court_id, rival.date, rival.time, rival.duration)
            return slot if self._booking_on(slot) is None else None
        for court_id in self.config.courts:
            slot = Slot(court_id, rival.date, rival.time, rival.duration)
            if self._booking_on(slot) is None and not self._held_by_other(RIVAL, slot, moment):
                return slot
        return None

    def find_hold(self, hold_id: str | None) -> Hold | None:
        return self._holds.get(hold_id or "")

    def record_arrival(self, arrival: Arrival) -> int:
        """Log a booking request; its place in the log, for `answered`."""
        self._arrivals.append(arrival)
        return len(self._arrivals) - 1

    def answered(self, index: int, now: float) -> None:
        """The answer to the logged request at `index` is being written at `now` (server clock)."""
        if index < len(self._arrivals):  # a reset may have emptied the log meanwhile
            self._arrivals[index] = dataclasses.replace(self._arrivals[index], answered_at=now)

    def release_at(self, slot: Slot) -> float:
        return self._release_at(slot)

    # The Python control API (the same operations as /_sim/)

    def book(
        self,
        member: str,
        court_id: str,
        date: dt.date | str,
        time: dt.time | str,
        duration: int = 60,
        partner: str = "",
    ) -> Booking:
        """Seed a booking directly, bypassing release and limits (it may even be in the past)."""
        now = self.now()
        self.settle_rivals(now)
        day = date.isoformat() if isinstance(date, dt.date) else date
        start = _hhmm(time) if isinstance(time, dt.time) else time
        try:
            slot = self.parse_slot(court_id, day, start, str(duration), now)
        except Refusal as exc:
            raise ValueError(f"{exc.attrs.get('field')}: {exc.message}") from None
        if self._booking_on(slot) is not None:
            raise ValueError(f"{court_id} {day} {start} is already booked")
        return self._store(member, slot, partner, now)

    def cancel(self, reference: str) -> Booking:
        """Remove any booking (a rival's too); KeyError if there is none with that reference."""
        return self._bookings.pop(reference)

    def bookings(self) -> list[Booking]:
        """Every booking, rivals' included, in the order they were made."""
        self.settle_rivals(self.now())
        return sorted(self._bookings.values(), key=lambda b: b.created_at)

    def holds(self) -> list[Hold]:
        """The holds still live on the server clock."""
        now = self.now()
        return [h for h in self._holds.values() if h.valid(now)]

    def arrivals(self) -> list[Arrival]:
        return list(self._arrivals)

    def expire_sessions(self) -> int:
        return self.sessions.expire_all()

    def add_members(self, members: Mapping[str, str]) -> None:
        self.config.members.update(members)

    def reset(self) -> None:
        """Forget bookings, holds, arrivals, logins and which rivals have acted; reseed the fault dice."""
        self._bookings.clear()
        self._holds.clear()
        self._arrivals.clear()
        self.logins.clear()
        self.hits.clear()
        self._settled.clear()
        self.reseed()
