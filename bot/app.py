"""The courtbot process: storage, engine, club, Telegram (or the playground), ops — started and stopped
in order, inside one event loop.

With no TELEGRAM_BOT_TOKEN this is the playground: the simulated club, the Bot API emulator and a web
chat page join the same process, so anyone can try the whole bot in a browser.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from aiohttp import web
from telegram.ext import ContextTypes

from booking.members import MemberService
from booking.service import BookingService
from booking.sites.base import SiteConfig
from booking.sites.registry import create_adapter
from booking.timebase import Clock, SystemClock
from booking.watch import CancellationWatch, WatchPolicy
from booking.weekly import WeeklyPlanner
from bot import logs
from bot.application import BotRunner, BotServices, build_application
from bot.metrics import Metrics
from bot.ops import Check, ClubProbe, Ops
from bot.settings import Settings, site_extra
from sim.botapi.runner import RunningBotApi, start_botapi
from sim.club.runner import RunningClub, start_club
from sim.mrbs.runner import RunningMrbs, start_mrbs
from sim.playground.server import PLAYGROUND_USER, RunningPlayground, start_playground
from storage import Storage

log = logging.getLogger(__name__)

DAY_S = 24 * 3600.0


@dataclass
class Courtbot:
    """A running courtbot; `stop()` undoes `start_courtbot()` in reverse order."""

    settings: Settings
    storage: Storage
    booking: BookingService
    members: MemberService
    weekly: WeeklyPlanner
    watch: CancellationWatch
    metrics: Metrics
    runner: BotRunner
    club_url: str
    club: RunningClub | RunningMrbs | None = None
    botapi: RunningBotApi | None = None
    playground: RunningPlayground | None = None
    ops: web.AppRunner | None = None
    _stopped: bool = field(default=False, repr=False)

    async def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        await self.runner.stop()
        await self.watch.stop()
        await self.weekly.stop()
        # Runs in flight are cancelled; their attempts are on disk and are settled at the next start.
        await self.booking.stop()
        for server in (self.ops, self.playground, self.botapi, self.club):
            if server is not None:
                await (server.cleanup() if isinstance(server, web.AppRunner) else server.stop())
        await self.storage.close()


async def start_courtbot(
    settings: Settings, clock: Clock | None = None, *, serve_ops: bool = True, club_probe_cache_s: float = 5.0
) -> Courtbot:
    clock = clock or SystemClock()
    storage = await Storage.open(settings.data_dir, settings.encryption_keys)
    club: RunningClub | RunningMrbs | None = None
    if settings.club_url is None:
        club = await (start_mrbs() if settings.club_site == "mrbs" else start_club())
        log.info("no CLUB_URL: a simulated %s club runs at %s", settings.club_site, club.url)
    club_url = settings.club_url or (club.url if club else "")
    site = SiteConfig(base_url=club_url, court_map=settings.court_map, extra=site_extra(settings))
    booking = BookingService(
        storage,
        lambda: create_adapter(settings.club_site, site, clock),
        clock,
        window_days=settings.booking_window_days,
        opens_at=settings.booking_opens_at,
        window_measure=settings.booking_window_measure,
        check_hours_before=settings.night_check_hours or None,
    )
    admins = settings.admin_users
    botapi: RunningBotApi | None = None
    if settings.telegram_bot_token is None:
        botapi = await start_botapi()
        admins = admins | {PLAYGROUND_USER}
    members = MemberService(storage, booking, settings.allowed_users, admins)
    metrics = Metrics()
    booking.bus.listen(metrics.observe)
    booking.bus.listen(logs.log_event)
    weekly = WeeklyPlanner(booking)
    watch = CancellationWatch(booking, WatchPolicy(interval_s=settings.watch_interval_seconds))
    restored = await booking.start()
    log.info("restored %d open request(s) from the database", restored)
    await weekly.start()
    await watch.start()
    booking.every(DAY_S, lambda: _daily(booking, weekly, settings.retention_days), "daily")

    token, api_url = (
        (settings.telegram_bot_token, settings.telegram_api_url)
        if botapi is None
        else (botapi.token, botapi.url)
    )
    application = build_application(
        BotServices(booking, members, storage.progress, weekly, watch), token, api_url
    )
    application.add_error_handler(_count_telegram_errors(metrics))
    runner = BotRunner(application)
    await runner.start()

    courtbot = Courtbot(
        settings=settings,
        storage=storage,
        booking=booking,
        members=members,
        weekly=weekly,
        watch=watch,
        metrics=metrics,
        runner=runner,
        club_url=club_url,
        club=club,
        botapi=botapi,
    )
    if botapi is not None:
        courtbot.playground = await start_playground(
            botapi,
            # The 30-second release is democlub's (a fixed opening time); MRBS's window rolls by the hour.
            release_soon=(lambda: _release_soon(courtbot)) if isinstance(club, RunningClub) else None,
            accounts=dict(club.config.members) if club is not None else {},
            club_url=club_url,
            port=settings.playground_port,
        )
    if serve_ops:
        checks = {
            "database": storage.db.writable,
            "scheduler": _const(lambda: booking.scheduler_running),
            "telegram": _const(lambda: runner.healthy),
            "club": ClubProbe(club_url, cache_s=club_probe_cache_s),
        }
        courtbot.ops = await Ops(checks, metrics, lambda: booking.scheduled_count).start(
            settings.http_host, settings.http_port
        )
    return courtbot


def _const(value: Callable[[], bool]) -> Check:
    async def check() -> bool:
        return value()

    return check


async def _daily(booking: BookingService, weekly: WeeklyPlanner, retention_days: int) -> None:
    removed = await booking.prune(retention_days)
    log.info("pruned %d finished request(s) older than %d days", removed, retention_days)
    await weekly.start()  # catch up any series whose next week could not be planned before


def _count_telegram_errors(
    metrics: Metrics,
) -> Callable[[object, ContextTypes.DEFAULT_TYPE], Awaitable[None]]:
    async def count(_: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        metrics.telegram_errors.labels(type(context.error).__name__).inc()

    return count


async def _release_soon(courtbot: Courtbot) -> tuple[datetime, date]:
    """Playground: make the simulated club release a day's slots 30 seconds from now; returns the
    instant and the day it releases."""
    assert isinstance(courtbot.club, RunningClub)
    state = courtbot.club.state
    zone = courtbot.club.config.zone
    instant = datetime.fromtimestamp(int(state.now()) + 31, UTC)
    local = instant.astimezone(zone)
    courtbot.club.config.opens_at = time(local.hour, local.minute, local.second)
    courtbot.booking.forget_club()
    day = local.date() + timedelta(days=courtbot.club.config.window_days)
    log.info("playground: the club now releases %s at %s", day, local.time())
    return instant, day


def run(settings: Settings) -> None:
    secrets = [settings.telegram_bot_token or "", *settings.encryption_keys]
    logs.configure(settings.log_level, settings.log_format == "json", secrets)
    asyncio.run(_serve(settings))


async def _serve(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    courtbot = await start_courtbot(settings)
    try:
        if courtbot.playground is not None:
            print(f"\n  courtbot playground: open {courtbot.playground.url} in your browser\n", flush=True)
        else:
            log.info("courtbot is running; /healthz and /metrics on port %d", settings.http_port)
        await stop.wait()
        log.info("stopping")
    finally:
        await courtbot.stop()
