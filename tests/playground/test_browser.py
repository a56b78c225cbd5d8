"""The whole product in one process (no token: simulated club, Bot API emulator, bot, playground), used the
way a newcomer uses it: through the chat page in a real headless Chromium."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, async_playwright, expect

from bot.app import Courtbot, start_courtbot
from bot.settings import load_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it)",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def courtbot(tmp_path: Path) -> AsyncIterator[Courtbot]:
    environ = {
        "DATA_DIR": str(tmp_path / "data"),
        "HTTP_PORT": str(_free_port()),
        "PLAYGROUND_PORT": str(_free_port()),
    }
    running = await start_courtbot(load_settings(environ, env_file=None))
    yield running
    await running.stop()


@pytest.fixture
async def page(courtbot: Courtbot, tmp_path: Path) -> AsyncIterator[Page]:
    assert courtbot.playground is not None
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 900},
        )
        tab = browser.pages[0] if browser.pages else await browser.new_page()
        await tab.goto(courtbot.playground.url)
        yield tab
        await browser.close()


def bot_says(page: Page, text: str) -> Locator:
    return page.locator(".message.from-bot", has_text=text)


async def send(page: Page, text: str) -> None:
    await page.locator("#text").fill(text)
    await page.get_by_role("button", name="Send", exact=True).click()


async def tap(page: Page, label: str) -> None:
    """Tap a button on the latest keyboard, as a thumb would."""
    keyboard = page.locator(".message.from-bot:has(.keyboard)").last
    await keyboard.get_by_role("button", name=label, exact=True).click()


async def test_log_in_and_book_a_court_by_tapping(page: Page) -> None:
    await expect(page.locator("#accounts")).to_contain_text("alice-pass")
    await send(page, "/start")
    await expect(bot_says(page, "I'm courtbot")).to_be_visible()

    await send(page, "/login")
    await expect(bot_says(page, "What's your username")).to_be_visible()
    await send(page, "alice")
    await expect(bot_says(page, "Now the password for alice")).to_be_visible()
    await send(page, "alice-pass")
    await expect(bot_says(page, "Logged in at the club as alice")).to_be_visible()
    await expect(page.locator(".message.from-me", has_text="alice-pass")).to_have_count(0)

    await send(page, "/book")
    await expect(bot_says(page, "Which day?")).to_be_visible()
    await tap(page, "Tomorrow")
    await expect(bot_says(page, "which start time?")).to_be_visible()
    await tap(page, "18:00")
    await expect(bot_says(page, "Your order: 18:00")).to_be_visible()
    await tap(page, "Next ›")
    await expect(bot_says(page, "Which court?")).to_be_visible()
    await tap(page, "Court 2")
    await expect(bot_says(page, "Your order: court 2")).to_be_visible()
    await tap(page, "Next ›")
    await expect(bot_says(page, "How long")).to_be_visible()
    await tap(page, "1 h")
    await expect(bot_says(page, "Ready to book")).to_be_visible()
    await tap(page, "✅ Book now")

    await expect(bot_says(page, "✅ Booked! Court 2")).to_be_visible(timeout=10_000)
    # The progress message is edited in place, live, to its final state.
    await expect(bot_says(page, "Request #1")).to_have_count(1)
    await expect(bot_says(page, "Request #1")).to_contain_text("✅ Booked", timeout=10_000)
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / "playground.png")


async def test_release_in_30_seconds_shows_the_day_and_a_countdown(page: Page) -> None:
    async with page.expect_response("**/api/release-soon") as answered:
        await page.get_by_role("button", name="Release in 30 s").click()
    release = await (await answered.value).json()

    await expect(page.locator("#countdown")).to_have_text(re.compile(r"^0:[0-3]\d$"))
    await expect(page.locator("#release-text")).to_contain_text(f"The club releases {release['day_label']}")
    await expect(page.get_by_role("button", name="Release in 30 s")).to_be_disabled()
    # The instructions' /book is a command link: tapping it starts the booking form in the chat.
    await page.locator("#release-text a.command").click()
    await expect(bot_says(page, "Which day?")).to_contain_text(f"🔒 {release['day_label']}")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / "playground-release.png")
