"""Fixtures: a club on a loopback port with its clock pinned to NOON, and logged-in members."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from sim.club import ClubConfig, RunningClub, run_club
from tests.sim_club.helpers import NOON, Browser, pin

Login = Callable[[str], Awaitable[Browser]]
OpenBrowser = Callable[[RunningClub], Browser]


@pytest.fixture
async def club() -> AsyncIterator[RunningClub]:
    async with run_club(ClubConfig()) as running:
        pin(running, NOON)
        yield running


@pytest.fixture
async def browser() -> AsyncIterator[OpenBrowser]:
    """A factory of anonymous browsers on a club, all closed at the end."""
    opened: list[Browser] = []

    def open_browser(club: RunningClub) -> Browser:
        opened.append(Browser(club))
        return opened[-1]

    yield open_browser
    for item in opened:
        await item.close()


@pytest.fixture
def member(club: RunningClub, browser: OpenBrowser) -> Login:
    """Log a demo member in (password "<name>-pass") in a browser of their own."""

    async def login(username: str) -> Browser:
        session = browser(club)
        page = await session.login(username)
        assert page.name == "courts", page.text
        return session

    return login
