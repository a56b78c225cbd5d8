"""The Telegram application: built from the domain's services, run by an explicit life cycle.

`build_application` wires handlers, Telegram's size limits, the delivery policy (429/5xx/network retries),
per-chat concurrency, connection pools, the error handler and the progress notifier. `BotRunner` starts and stops it inside
the caller's event loop (not `run_polling`), keeps retrying when Telegram cannot be reached, and says
whether polling is healthy.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import time
from dataclasses import dataclass
from datetime import timedelta

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder
from telegram.request import HTTPXRequest, RequestData

from booking.members import MemberService, SettingsApplied
from booking.service import BookingService
from booking.watch import CancellationWatch
from booking.weekly import WeeklyPlanner
from bot import handlers, i18n, menus, redact, texts
from bot.concurrency import PerChatUpdateProcessor
from bot.delivery import DeliveryPolicy
from bot.handlers.common import NOTIFIER, SERVICES
from bot.limits import LimitedBot
from bot.progress import ProgressNotifier
from storage.progress import ProgressMessageRepo

log = logging.getLogger(__name__)

#: connections for the bot's own calls: enough for handlers and progress edits in flight to a distant
#: Telegram; not many more, as httpcore's pool bookkeeping grows with it (bench/bot.py: 8-16 is best locally)
CONNECTION_POOL_SIZE = 16
POLL_TIMEOUT = timedelta(seconds=10)
#: healthy while the last getUpdates succeeded (or began) within this long (a long poll lasts POLL_TIMEOUT)
HEALTHY_WITHIN_S = POLL_TIMEOUT.total_seconds() * 2 + 5
FIRST_RETRY_S = 1.0
MAX_RETRY_S = 60.0
FLUSH_TIMEOUT_S = 5.0
POLLING_MONITOR = "polling_monitor"
#: what the bot handles; edits of old messages and the like are not asked for
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


@dataclass(frozen=True)
class BotServices:
    booking: BookingService
    members: MemberService
    progress: ProgressMessageRepo
    weekly: WeeklyPlanner
    watch: CancellationWatch


async def language_of(members: MemberService, telegram_id: int) -> str:
    """The language a member is spoken to in, outside an answer to them (a notice, a menu)."""
    return i18n.of_member(await members.get(telegram_id))


class PollingMonitor(HTTPXRequest):
    """The getUpdates connection, remembering how the last poll went."""

    def __init__(self) -> None:
        super().__init__(connection_pool_size=1)
        self._last_success: float | None = None  # time.monotonic()
        self._in_flight_since: float | None = None
        self._failing = False

    def recently_ok(self, within_s: float) -> bool:
        """The last poll succeeded (or one is being held) within `within_s` seconds."""
        contacts = [t for t in (self._last_success, self._in_flight_since) if t is not None]
        return not self._failing and bool(contacts) and time.monotonic() - max(contacts) < within_s

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None = None,  # PTB passes its own types through
        write_timeout: float | None = None,
        connect_timeout: float | None = None,
        pool_timeout: float | None = None,
    ) -> tuple[int, bytes]:
        self._in_flight_since = time.monotonic()
        try:
            status, payload = await super().do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
        except BaseException:
            self._failing = True
            raise
        finally:
            self._in_flight_since = None
        self._failing = status != 200
        if not self._failing:
            self._last_success = time.monotonic()
        return status, payload


def build_application(services: BotServices, token: str, api_base_url: str) -> Application:
    # PTB 22 asks to opt in to time periods as timedelta (RetryAfter.retry_after); bot.delivery reads both.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    redact.install(token)
    polling_monitor = PollingMonitor()
    root = api_base_url.rstrip("/")
    bot = LimitedBot(
        token,
        base_url=f"{root}/bot",
        base_file_url=f"{root}/file/bot",
        request=HTTPXRequest(connection_pool_size=CONNECTION_POOL_SIZE),
        get_updates_request=polling_monitor,
        rate_limiter=DeliveryPolicy(),
    )
    application = (
        ApplicationBuilder().bot(bot).concurrent_updates(PerChatUpdateProcessor()).job_queue(None).build()
    )
    application.bot_data[SERVICES] = services
    application.bot_data[POLLING_MONITOR] = polling_monitor
    application.bot_data[NOTIFIER] = ProgressNotifier(
        application.bot,
        services.booking,
        services.progress,
        services.booking.storage.notices,
        admin_ids=services.members.admin_ids,
        language_of=functools.partial(language_of, services.members),
    )
    handlers.register(application)
    return application


class BotRunner:
    """The explicit PTB life cycle inside our own event loop (not run_polling)."""

    def __init__(self, application: Application) -> None:
        self.application = application
        self._notifier: ProgressNotifier = application.bot_data[NOTIFIER]
        self._monitor: PollingMonitor = application.bot_data[POLLING_MONITOR]
        self._services: BotServices = application.bot_data[SERVICES]
        self._former_admins: list[int] = []
        self._bootstrap: asyncio.Task[None] | None = None
        self._stopping = False

    async def start(self, applied: SettingsApplied | None = None) -> None:
        """Start serving; if Telegram cannot be reached yet, keep trying in the background.

        Access follows the settings first (`applied`, if the caller did it before restoring requests):
        whoever left ALLOWED_USERS or ADMIN_USERS since the last start is revoked before any update is
        read, and told once.
        """
        if applied is None:
            applied = await self._services.members.apply_settings()
        self._former_admins = applied.former_admins
        await self._notifier.start()
        for revoked in applied.revoked:
            with i18n.speaking(i18n.of_member(revoked.member)):
                self._notifier.tell(revoked.member.telegram_id, texts.access_ended(revoked.withdrawn))
        try:
            await self._bring_up()
        except InvalidToken:
            raise
        except TelegramError as error:
            log.warning("Telegram not reachable yet (%s); retrying in the background", type(error).__name__)
            self._bootstrap = asyncio.create_task(self._keep_trying(), name="bot-bootstrap")

    async def stop(self) -> None:
        """Stop polling and handlers, send the last progress edits, then close the connections."""
        self._stopping = True
        if self._bootstrap is not None:
            self._bootstrap.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._bootstrap
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await self._notifier.stop(FLUSH_TIMEOUT_S)
        await app.shutdown()

    @property
    def healthy(self) -> bool:
        """Polling runs and the last getUpdates succeeded recently."""
        updater = self.application.updater
        return updater is not None and updater.running and self._monitor.recently_ok(HEALTHY_WITHIN_S)

    # -- internals ------------------------------------------------------------------------------------

    async def _bring_up(self) -> None:
        app = self.application
        await app.initialize()  # getMe: proves the token and the URL
        await app.bot.delete_webhook()
        members = self._services.members
        await menus.install(
            app.bot, members.admin_ids, self._former_admins, functools.partial(language_of, members)
        )
        if not app.running:
            await app.start()
        assert app.updater is not None
        if not app.updater.running:
            await app.updater.start_polling(
                timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES, error_callback=self._polling_failed
            )
        log.info("bot @%s is polling for updates", app.bot.username)

    async def _keep_trying(self) -> None:
        delay = FIRST_RETRY_S
        while not self._stopping:
            await asyncio.sleep(delay)
            try:
                await self._bring_up()
            except InvalidToken:
                log.error("Telegram refused the bot token; the bot stays down")
                return
            except TelegramError as error:
                delay = min(delay * 2, MAX_RETRY_S)
                log.warning(
                    "Telegram still not reachable (%s); next try in %.0f s", type(error).__name__, delay
                )
            else:
                return

    def _polling_failed(self, error: TelegramError) -> None:
        """PTB keeps polling after this; we log it (healthy turns false until a poll succeeds)."""
        log.warning("polling Telegram failed: %s", type(error).__name__)
