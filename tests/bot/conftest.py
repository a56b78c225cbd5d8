"""A whole world for bot tests: the simulated club, storage, the booking and member services, the Bot API
emulator, and the real PTB application built by build_application and run by BotRunner.

With `release`, our clock and the club's are shifted together so that a 07:00 release is seconds away,
as in tests/engine/harness.py: the test runs in real time against real HTTP.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from booking.events import ProgressEvent
from booking.members import MemberService
from booking.release import ReleaseChoice
from booking.run import Policy
from booking.service import BookingService
from booking.sites.base import SiteConfig
from booking.sites.registry import create_adapter, platform
from booking.timebase import SystemClock
from booking.watch import CancellationWatch, WatchPolicy
from booking.weekly import WeeklyPlanner
from bot.application import BotRunner, BotServices, build_application
from sim.botapi import CallbackAnswer, MessageRecord, Revision, RunningBotApi, start_botapi
from sim.club.config import ClubConfig
from sim.club.runner import RunningClub, start_club
from sim.mrbs import MrbsConfig, RunningMrbs, start_mrbs
from storage import Storage
from tests.engine.harness import LONDON

ADMIN = 9001
ALICE = 1001
BOB = 1002
STRANGER = 2001

POLICY = Policy(
    warmup_s=2.0,
    not_open_retry_s=2.0,
    not_open_step_s=0.02,
    transient_deadline_s=8.0,
    backoff_first_s=0.05,
    backoff_max_s=0.2,
    recheck_first_s=0.1,
    recheck_max_s=0.4,
    alert_after_checks=2,
)
#: the club's clock measured well within that warm-up (on loopback a sweep and a burst are plenty)
QUICK_CLOCK_S = 1.5
#: a watched day is read every 0.2 s, so a freed court is booked within the test's patience
WATCH_POLICY = WatchPolicy(interval_s=0.2, jitter=0.1)


class EventLog:
    """Every engine event since the world started, to wait on without polling (e.g. for the weekly
    planner's next week, which no message announces)."""

    def __init__(self) -> None:
        self.events: list[ProgressEvent] = []
        self._new = asyncio.Event()

    def record(self, event: ProgressEvent) -> None:
        self.events.append(event)
        self._new.set()

    async def wait_for(
        self, predicate: Callable[[ProgressEvent], bool], within: float = 5.0
    ) -> ProgressEvent:
        """The first event (so far or to come) that matches."""
        async with asyncio.timeout(within):
            while True:
                found = next((e for e in self.events if predicate(e)), None)
                if found is not None:
                    return found
                self._new.clear()
                await self._new.wait()


@dataclass
class BotWorld:
    api: RunningBotApi
    club: RunningClub | RunningMrbs
    storage: Storage
    booking: BookingService
    members: MemberService
    weekly: WeeklyPlanner
    watch: CancellationWatch
    runner: BotRunner
    clock: SystemClock
    data_dir: Path
    events: EventLog = field(default_factory=EventLog)

    def services(self) -> BotServices:
        return BotServices(self.booking, self.members, self.storage.progress, self.weekly, self.watch)

    def today(self) -> date:
        """The club's date on the world's clock."""
        return datetime.fromtimestamp(self.clock.now(), UTC).astimezone(LONDON).date()

    async def say(
        self, user_id: int, text: str, *, expect: str | None = None, within: float = 5.0
    ) -> MessageRecord:
        """The user types `text`; the bot's next message (containing `expect`) after it."""
        sent = self.api.send_text(user_id, text, first_name=NAMES.get(user_id))
        if expect is None:
            return await self.api.wait_for_message(user_id, after=sent.message_id, timeout=within)
        return await self.api.wait_for_text(user_id, expect, after=sent.message_id, timeout=within)

    async def press(
        self, user_id: int, message: MessageRecord, label: str, *, expect: str | None = None
    ) -> CallbackAnswer:
        """The user presses the button whose label starts with `label`; with `expect`, until the message
        shows it (answers come first, edits after)."""
        query_id = self.api.press_button(user_id, message.message_id, button_data(message, label))
        answer = await self.api.wait_for_answer(query_id)
        if expect is not None:
            await self.shows(message, expect)
        return answer

    async def press_again(self, user_id: int, message: MessageRecord, label: str) -> CallbackAnswer:
        """Press a button the message no longer shows (Telegram clients can: a stale keyboard)."""
        data = button_data(next(r for r in reversed(message.history) if _labelled(r, label)), label)
        query_id = self.api.press_button(user_id, message.message_id, data, force=True)
        return await self.api.wait_for_answer(query_id)

    async def shows(self, message: MessageRecord, text: str, within: float = 5.0) -> MessageRecord:
        """Until the (live) message's text contains `text`."""
        await self.api.wait_for(
            lambda: text in (message.text or message.caption or ""),
            within,
            what=f"message {message.message_id} to show {text!r}; it shows {message.text!r}",
        )
        return message


def _labelled(message: MessageRecord | Revision, label: str) -> bool:
    return any(b.text.startswith(label) for row in message.keyboard for b in row)


def button_data(message: MessageRecord | Revision, label: str) -> str:
    data = next((b.callback_data for row in message.keyboard for b in row if b.text.startswith(label)), None)
    assert data is not None, f"no button {label!r} on: {[b.text for row in message.keyboard for b in row]}"
    return data


NAMES = {ADMIN: "Ada", ALICE: "Alice", BOB: "Bob", STRANGER: "Sam"}


@asynccontextmanager
async def bot_world(
    tmp_path: Path,
    key: str,
    *,
    release: datetime | None = None,
    lead_s: float = 4.0,
    allowed: frozenset[int] = frozenset({ALICE, BOB}),
    admins: frozenset[int] = frozenset({ADMIN}),
    site: str = "democlub",
    **club_settings: object,
) -> AsyncIterator[BotWorld]:
    """`site`: democlub (the simulated club) or mrbs (the MRBS stand-in), with `club_settings` for it."""
    shift = release.timestamp() - lead_s - time.time() if release else 0.0
    clock = SystemClock(shift)
    club: RunningClub | RunningMrbs
    if site == "mrbs":
        club = await start_mrbs(MrbsConfig(clock_offset_s=shift, **club_settings))  # type: ignore[arg-type]
    else:
        club = await start_club(ClubConfig(clock_offset_s=shift, **club_settings))  # type: ignore[arg-type]
    storage = await Storage.open(tmp_path, (key,))
    booking = BookingService(
        storage,
        lambda: create_adapter(
            site, SiteConfig(base_url=club.url, timeout_s=5.0, clock_budget_s=QUICK_CLOCK_S), clock
        ),
        clock,
        policy=POLICY,
        release=ReleaseChoice(fallback=platform(site).fallback_release),
    )
    members = MemberService(storage, booking, allowed, admins)
    weekly = WeeklyPlanner(booking)
    watch = CancellationWatch(booking, WATCH_POLICY)
    api = await start_botapi()
    for user_id, name in NAMES.items():
        api.add_user(user_id, name)
    services = BotServices(booking, members, storage.progress, weekly, watch)
    application = build_application(services, api.token, api.url)
    world = BotWorld(
        api, club, storage, booking, members, weekly, watch, BotRunner(application), clock, tmp_path
    )
    booking.bus.listen(world.events.record)
    try:
        await booking.start()
        await weekly.start()
        await watch.start()
        await world.runner.start()
        await api.wait_for_poll()
        yield world
    finally:
        await world.runner.stop()  # the one running now: a test may restart the bot
        await watch.stop()
        await weekly.stop()
        await booking.stop()
        await api.stop()
        await storage.close()
        await club.stop()


@pytest.fixture
async def world(tmp_path: Path, key: str) -> AsyncIterator[BotWorld]:
    async with bot_world(tmp_path, key) as the_world:
        yield the_world


async def logged_in(world: BotWorld, user_id: int, username: str, password: str) -> None:
    """Give a member a club login through /login, as they would."""
    await world.say(user_id, "/login", expect="username")
    await world.say(user_id, username, expect="password")
    await world.say(user_id, password, expect="Logged in")


async def has_login(world: BotWorld, user_id: int, username: str, password: str) -> None:
    """Give a member a club login as /login stores it (checked with the club), without the conversation:
    for tests about something else, now that /book asks for a login first."""
    await world.members.login(user_id, username, password)


def days_ahead(world: BotWorld, days: int) -> date:
    return world.today() + timedelta(days=days)
