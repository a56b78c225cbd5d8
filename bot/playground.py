"""The playground: courtbot with no TELEGRAM_BOT_TOKEN, to try in a browser. The Bot API emulator (and,
without CLUB_URL, a simulated club) join the process, and a web chat page stands in for Telegram.

Only this path imports the simulators (sim/): bot.app loads this module lazily, so a real bot never
carries them.
"""

from __future__ import annotations

import importlib
import logging
from contextlib import AsyncExitStack
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from booking.sites.platform import RunningStandin
from booking.sites.registry import platform
from bot.settings import Settings
from bot.startup import listening
from sim.botapi.runner import RunningBotApi, start_botapi
from sim.club.runner import RunningClub
from sim.playground.server import PLAYGROUND_USER, Release, RunningPlayground, start_playground

if TYPE_CHECKING:
    from bot.app import Courtbot

log = logging.getLogger(__name__)

#: the chat page's user, an admin of the playground's bot
USER = PLAYGROUND_USER


async def start_standin(spec: str) -> RunningStandin:
    """A platform's stand-in started from its `Platform.standin` ("module:function")."""
    module, _, function = spec.partition(":")
    start = getattr(importlib.import_module(module), function)
    return await start()


async def start_simulators(
    settings: Settings, stack: AsyncExitStack
) -> tuple[RunningStandin | None, RunningBotApi]:
    """The chosen platform's stand-in (unless CLUB_URL names a real club) and the Bot API emulator, each
    stopped by `stack`."""
    club: RunningStandin | None = None
    if settings.club_url is None:
        club = await start_standin(platform(settings.club_site).standin)
        stack.push_async_callback(club.stop)
        log.info("no CLUB_URL: a simulated %s club runs at %s", settings.club_site, club.url)
    botapi = await start_botapi()
    stack.push_async_callback(botapi.stop)
    return club, botapi


async def start_page(courtbot: Courtbot, port: int) -> RunningPlayground:
    """The web chat page in front of the emulator, on 127.0.0.1:port (PLAYGROUND_PORT)."""
    assert courtbot.botapi is not None
    club = courtbot.club
    with listening("PLAYGROUND_PORT", "127.0.0.1", port):
        return await start_playground(
            courtbot.botapi,
            # The 30-second release is democlub's (a fixed opening time); the others' windows roll by the slot.
            release_soon=(lambda: release_soon(courtbot)) if isinstance(club, RunningClub) else None,
            accounts=dict(club.config.members) if club is not None else {},
            club_url=courtbot.club_url,
            port=port,
        )


async def release_soon(courtbot: Courtbot) -> Release:
    """Make the simulated club release the next day not open yet 30 seconds from now, and time again
    every booking already scheduled (the club's release time moved for every day)."""
    assert isinstance(courtbot.club, RunningClub)
    state, config = courtbot.club.state, courtbot.club.config
    now = state.now()
    instant = datetime.fromtimestamp(int(now) + 31, UTC)
    local = instant.astimezone(config.zone)
    day = local.date() + timedelta(days=config.window_days)
    if state.release_instant(day, state.slot_starts()[0]).timestamp() <= now:
        # An earlier press released that day already (it may be booked): release the one after it.
        config.window_days += 1
        day += timedelta(days=1)
    config.opens_at = time(local.hour, local.minute, local.second)
    retimed = await courtbot.booking.retime()
    log.info(
        "playground: the club now releases %s at %s; %d scheduled booking(s) timed again",
        day,
        local.time(),
        len(retimed),
    )
    return Release(instant, day, len(retimed))
