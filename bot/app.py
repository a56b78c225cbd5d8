"""The courtbot process: storage, engine, club, Telegram (or the playground), ops — started and stopped
in order, inside one event loop.

With no TELEGRAM_BOT_TOKEN this is the playground (bot.playground): the Bot API emulator, a simulated club
and a web chat page join the same process, so anyone can try the whole bot in a browser.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web
from telegram.ext import ContextTypes

from booking.members import MemberService
from booking.release import ReleaseChoice
from booking.service import BookingService
from booking.sites.base import SiteConfig
from booking.sites.platform import RunningStandin
from booking.sites.registry import platform
from booking.timebase import Clock, SystemClock
from booking.watch import CancellationWatch, WatchPolicy
from booking.weekly import WeeklyPlanner
from bot import logs
from bot.application import BotRunner, BotServices, build_application
from bot.metrics import Metrics
from bot.ops import Check, ClubProbe, Ops
from bot.settings import Settings, cautions
from bot.startup import listening, telegram_accepts
from storage import Storage

if TYPE_CHECKING:
    from sim.botapi.runner import RunningBotApi
    from sim.playground.server import RunningPlayground

log = logging.getLogger(__name__)

DAY_S = 24 * 3600.0


@dataclass
class Courtbot:
    """A running courtbot; `stop()` stops what `start_courtbot()` started, in reverse order."""

    settings: Settings
    storage: Storage
    booking: BookingService
    members: MemberService
    weekly: WeeklyPlanner
    watch: CancellationWatch
    metrics: Metrics
    runner: BotRunner
    club_url: str
    club: RunningStandin | None = None
    botapi: RunningBotApi | None = None
    playground: RunningPlayground | None = None
    ops: web.AppRunner | None = None
    _started: AsyncExitStack = field(default_factory=AsyncExitStack, repr=False)

    async def stop(self) -> None:
        # Runs in flight are cancelled; their attempts are on disk and are settled at the next start.
        await self._started.aclose()


async def start_courtbot(
    settings: Settings, clock: Clock | None = None, *, serve_ops: bool = True, club_probe_cache_s: float = 5.0
) -> Courtbot:
    """Start every part in order. If one fails, those already started are stopped before the error goes
    on: a half-started process would otherwise stay up doing nothing (the database's thread alone keeps
    it alive)."""
    async with AsyncExitStack() as started:
        courtbot = await _start(settings, clock or SystemClock(), started, serve_ops, club_probe_cache_s)
        courtbot._started = started.pop_all()
    return courtbot


async def _start(
    settings: Settings, clock: Clock, started: AsyncExitStack, serve_ops: bool, club_probe_cache_s: float
) -> Courtbot:
    storage = await Storage.open(settings.data_dir, settings.encryption_keys)
    started.push_async_callback(storage.close)
    await storage.credentials.check_keys()
    club: RunningStandin | None = None
    botapi: RunningBotApi | None = None
    admins = settings.admin_users
    if settings.telegram_bot_token is None:
        from bot import playground  # the simulators: a real bot never loads them

        club, botapi = await playground.start_simulators(settings, started)
        admins = admins | {playground.USER}
    club_url = settings.club_url or (club.url if club else "")
    chosen = platform(settings.club_site)
    site = SiteConfig(
        base_url=club_url,
        court_map=settings.court_map,
        timezone=settings.club_timezone,
        extra=settings.site_options,
    )
    release = ReleaseChoice(
        fallback=chosen.fallback_release,
        window_days=settings.booking_window_days,
        opens_at=settings.booking_opens_at,
        measure=settings.booking_window_measure,
    )
    booking = BookingService(
        storage,
        lambda: chosen.adapter(site, clock),
        clock,
        release=release,
        check_hours_before=settings.night_check_hours or None,
    )
    members = MemberService(storage, booking, settings.allowed_users, admins)
    metrics = Metrics()
    booking.bus.listen(metrics.observe)
    booking.bus.listen(logs.log_event)
    weekly = WeeklyPlanner(booking)
    watch = CancellationWatch(booking, WatchPolicy(interval_s=settings.watch_interval_seconds))
    # Access follows the settings before anything is restored: a revoked member's request never runs.
    applied = await members.apply_settings()
    started.push_async_callback(booking.stop)
    restored = await booking.start()
    log.info("restored %d open request(s) from the database", restored)
    started.push_async_callback(weekly.stop)
    await weekly.start()
    started.push_async_callback(watch.stop)
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
    started.push_async_callback(runner.stop)
    with telegram_accepts(api_url):
        await runner.start(applied)

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
        from bot import playground

        courtbot.playground = await playground.start_page(courtbot, settings.playground_port)
        started.push_async_callback(courtbot.playground.stop)
    if serve_ops:
        checks = {
            "database": storage.db.writable,
            "scheduler": _const(lambda: booking.scheduler_running),
            "telegram": _const(lambda: runner.healthy),
            "club": ClubProbe(club_url, cache_s=club_probe_cache_s),
        }
        with listening("HTTP_PORT", settings.http_host, settings.http_port, host_setting="HTTP_HOST"):
            courtbot.ops = await Ops(checks, metrics, lambda: booking.scheduled_count).start(
                settings.http_host, settings.http_port
            )
        started.push_async_callback(courtbot.ops.cleanup)
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


def run(settings: Settings) -> None:
    logs.configure(settings.log_level, settings.log_format == "json")
    for caution in cautions(settings):
        log.warning(caution)
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
