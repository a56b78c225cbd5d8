"""The whole product in one process (no token: simulated club, Bot API emulator, bot, playground), used the
way a newcomer uses it: through the chat page in a real headless Chromium, at desktop width and at a
phone's 390 px, where every button label must show whole. Screenshots are kept in artifacts/."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, async_playwright, expect

from bot.app import Courtbot, start_courtbot
from bot.settings import load_settings
from sim.club.runner import RunningClub

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


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1200, "height": 900}


@asynccontextmanager
async def browser_page(courtbot: Courtbot, profile: Path, viewport: dict[str, int]) -> AsyncIterator[Page]:
    assert courtbot.playground is not None
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=viewport,  # type: ignore[arg-type]
        )
        tab = browser.pages[0] if browser.pages else await browser.new_page()
        await tab.goto(courtbot.playground.url)
        yield tab
        await browser.close()


@pytest.fixture
async def page(courtbot: Courtbot, tmp_path: Path) -> AsyncIterator[Page]:
    async with browser_page(courtbot, tmp_path / "chromium-profile", DESKTOP) as tab:
        yield tab


@pytest.fixture
async def phone(courtbot: Courtbot, tmp_path: Path) -> AsyncIterator[Page]:
    async with browser_page(courtbot, tmp_path / "chromium-profile", PHONE) as tab:
        yield tab


def bot_says(page: Page, text: str) -> Locator:
    return page.locator(".message.from-bot", has_text=text)


async def send(page: Page, text: str) -> None:
    await page.locator("#text").fill(text)
    await page.get_by_role("button", name="Send", exact=True).click()


async def tap(page: Page, label: str) -> None:
    """Tap a button on the latest keyboard, as a thumb would."""
    keyboard = page.locator(".message.from-bot:has(.keyboard)").last
    await keyboard.get_by_role("button", name=label, exact=True).click()


async def log_in(page: Page) -> None:
    await send(page, "/login")
    await expect(bot_says(page, "What's your username")).to_be_visible()
    await send(page, "alice")
    await expect(bot_says(page, "Now the password for alice")).to_be_visible()
    await send(page, "alice-pass")
    await expect(bot_says(page, "Logged in at the club as alice")).to_be_visible()


#: room a label must leave in its button: text that only just fits is drawn cut short ("…")
SPARE_PX = 4
#: each key's text width (a Range around it: a button's scrollWidth does not grow past its box) and room
_KEYS = """keys => keys.map(key => {
    const text = document.createRange();
    text.selectNodeContents(key);
    const style = getComputedStyle(key);
    const room = key.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {label: key.textContent, width: text.getBoundingClientRect().width, room: room};
})"""


async def labels_cut_short(page: Page) -> list[str]:
    """The labels of the buttons on the page that do not fit their button (the browser cuts them "…")."""
    keys = await page.eval_on_selector_all(".message .key", _KEYS)
    return [
        f"{k['label']} ({k['width']:.0f} of {k['room']:.0f} px)"
        for k in keys
        if k["width"] > k["room"] - SPARE_PX
    ]


async def shot(page: Page, name: str) -> None:
    """Keep what the page shows as a test artifact (CI keeps artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / f"{name}.png")


async def fits(page: Page, name: str) -> None:
    """Every button label on the page is whole, and a screenshot of it is kept."""
    await page.eval_on_selector("#messages", "box => { box.scrollTop = box.scrollHeight; }")
    await shot(page, name)
    assert await labels_cut_short(page) == [], f"labels cut short on {name}"


async def test_log_in_and_book_a_court_by_tapping(page: Page) -> None:
    await expect(page.locator("#accounts")).to_contain_text("alice-pass")
    await send(page, "/start")
    await expect(bot_says(page, "I'm courtbot")).to_be_visible()

    await log_in(page)
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
    progress = bot_says(page, "· 18:00 · court 2 · 1 h")
    await expect(progress).to_have_count(1)
    await expect(progress).to_contain_text("✅ Booked", timeout=10_000)
    await expect(progress).not_to_contain_text("#")
    await shot(page, "playground")


async def test_release_in_30_seconds_shows_the_day_and_a_countdown_in_view(page: Page) -> None:
    await log_in(page)
    async with page.expect_response("**/api/release-soon") as answered:
        await page.get_by_role("button", name="Release in 30 s").click()
    release = await (await answered.value).json()

    await expect(page.locator("#countdown")).to_have_text(re.compile(r"^0:[0-3]\d$"))
    await expect(page.locator("#countdown")).to_be_in_viewport()  # 1200×900: no scrolling to see it
    await expect(page.locator("#release-text")).to_contain_text(f"The club releases {release['day_label']}")
    await expect(page.get_by_role("button", name="Release in 30 s")).to_be_disabled()
    # The instructions' /book is a command link: tapping it starts the booking form in the chat.
    await page.locator("#release-text a.command").click()
    await expect(bot_says(page, "Which day?")).to_contain_text(f"🔒 {release['day_label']}")
    await shot(page, "playground-release")


@dataclass(frozen=True)
class Words:
    """What a phone test taps and waits for, in one language."""

    language: str
    logged_in: str
    which_day: str
    later: str
    this_week: str
    tomorrow: str
    which_time: str
    next: str
    which_court: str
    one_hour: str
    ready: str
    schedule: str
    scheduled: str
    weekly: str
    set_up: str
    book_now: str
    not_booked: str
    waiting: str
    your_weekly: str


ENGLISH = Words(
    "en", "Logged in at the club as alice", "Which day?", "Later ▸", "◂ This week", "Tomorrow",
    "which start time?", "Next ›", "Which court?", "1 h", "Ready to book", "⏰ Schedule", "Scheduled for",
    "🔁 Every", "Set up: Every", "✅ Book now", "❌ I couldn't book", "Waiting to book", "Your weekly bookings",
)  # fmt: skip
GERMAN = Words(
    "de", "Beim Club als alice angemeldet", "Welcher Tag?", "Später ▸", "◂ Diese Woche", "Morgen",
    "welche Anfangszeit?", "Weiter ›", "Welcher Platz?", "1 Std.", "Bereit zum Buchen", "⏰ Vormerken",
    "Vorgemerkt für", "🔁 Jeden", "Eingerichtet: Jeden", "✅ Jetzt buchen", "❌ Ich konnte",
    "Wartet auf die Buchung", "Deine wöchentlichen Buchungen",
)  # fmt: skip


async def speak(page: Page, words: Words) -> None:
    """Log in, in the language of `words` (chosen with /language first, unless English)."""
    if words.language != "en":
        await send(page, "/language")
        await expect(bot_says(page, "Which language")).to_be_visible()
        await tap(page, "Deutsch")
        await expect(bot_says(page, "Ab jetzt spreche ich Deutsch")).to_be_visible()
    await send(page, "/login")
    await send(page, "alice")
    await expect(bot_says(page, "alice").last).to_be_visible()
    await send(page, "alice-pass")
    await expect(bot_says(page, words.logged_in)).to_be_visible()


async def tap_latest(page: Page, starting: str) -> None:
    """Tap the latest keyboard's button whose label starts with `starting`."""
    keyboard = page.locator(".message.from-bot:has(.keyboard)").last
    await keyboard.locator(".key", has_text=re.compile("^" + re.escape(starting))).first.click()


@pytest.mark.parametrize("words", [ENGLISH, GERMAN], ids=["en", "de"])
async def test_every_booking_form_button_fits_a_phone(phone: Page, words: Words) -> None:
    """At 390 px, each step of /book, as a member meets it, shows whole labels."""
    await speak(phone, words)
    await send(phone, "/book")
    await expect(bot_says(phone, words.which_day)).to_be_visible()
    await fits(phone, f"phone-{words.language}-days")
    await tap(phone, words.later)
    await expect(phone.locator(".key", has_text=words.this_week)).to_be_visible()
    await fits(phone, f"phone-{words.language}-days-later")
    await tap(phone, words.this_week)
    await tap(phone, words.tomorrow)
    await expect(bot_says(phone, words.which_time)).to_be_visible()
    await tap(phone, "18:00")
    await tap(phone, "19:00")
    await expect(bot_says(phone, "18:00, ")).to_be_visible()
    await fits(phone, f"phone-{words.language}-times")
    await tap(phone, words.next)
    await expect(bot_says(phone, words.which_court)).to_be_visible()
    await tap(phone, "Court 2")
    await fits(phone, f"phone-{words.language}-courts")
    await tap(phone, words.next)
    await tap(phone, words.one_hour)
    await expect(bot_says(phone, words.ready)).to_be_visible()
    await fits(phone, f"phone-{words.language}-summary")
    await expect(phone.locator("#countdown")).to_be_hidden()  # no release asked for


@pytest.mark.parametrize("words", [ENGLISH, GERMAN], ids=["en", "de"])
async def test_lists_and_a_taken_court_fit_a_phone(phone: Page, courtbot: Courtbot, words: Words) -> None:
    """/bookings, /weekly and an all-taken notice with its free courts and watch buttons, at 390 px."""
    assert isinstance(courtbot.club, RunningClub)
    state = courtbot.club.state
    today = datetime.fromtimestamp(state.now(), UTC).astimezone(courtbot.club.config.zone).date()
    state.book("bob", "9", today + timedelta(days=1), "19:00")  # our court 3
    await speak(phone, words)
    later = (today + timedelta(days=9)).isoformat()
    for line in (f"{later} 19:00 court 2", f"{later} 19:00 court 4"):
        await send(phone, f"/book {line}")
        await expect(bot_says(phone, words.ready).last).to_be_visible()
        await tap_latest(phone, words.schedule)
        await expect(bot_says(phone, words.scheduled).last).to_be_visible()
    await send(phone, f"/book {(today + timedelta(days=2)).isoformat()} 20:00 court 1")
    await expect(bot_says(phone, words.ready).last).to_be_visible()
    await tap_latest(phone, words.weekly)
    await expect(bot_says(phone, words.set_up)).to_be_visible(timeout=10_000)

    await send(phone, "/book tomorrow 19:00 court 3")
    await expect(bot_says(phone, words.ready).last).to_be_visible()
    await tap(phone, words.book_now)
    notice = bot_says(phone, words.not_booked)
    await expect(notice).to_be_visible(timeout=10_000)
    await expect(notice.locator(".key", has_text="🎾 Court 1 · 19:00")).to_be_visible()
    await fits(phone, f"phone-{words.language}-all-taken")

    await send(phone, "/bookings")
    await expect(bot_says(phone, words.waiting)).to_be_visible(timeout=10_000)
    await fits(phone, f"phone-{words.language}-bookings")
    await send(phone, "/weekly")
    await expect(bot_says(phone, words.your_weekly)).to_be_visible()
    await fits(phone, f"phone-{words.language}-weekly")
