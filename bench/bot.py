"""How many updates per second does the bot handle, and how fast does it answer, for 100 members at once?

The bot runs in its own process (as deployed: the real PTB application from build_application, run by
BotRunner, with its own SQLite storage and booking service); the Bot API emulator and the simulated club
run here. 100 members act at the same time, each like a person: send or press, wait for the bot, go on.
Each member has a club login stored (/book asks for one first; the pickers and /bookings read the club
with it). Their mixed load: /start, /help, /bookings, and /book by buttons up to the summary (day, time, Next, any
court, duration, Back, duration again), for a few rounds.

Latency of an update: from its injection into the emulator to the bot's answering call (the first
sendMessage to the chat after a message, the answerCallbackQuery of a press), from the emulator's call
log. RSS: the bot process's resident memory, the highest seen while the load ran.

    .venv/bin/python bench/bot.py [--members 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.botapi import MessageRecord, RunningBotApi, start_botapi  # noqa: E402
from sim.club.runner import start_club  # noqa: E402

FIRST_MEMBER = 100_001
READY = "bot ready"


# -- the bot process ------------------------------------------------------------------------------------


async def serve_bot(api_url: str, token: str, club_url: str, data_dir: Path, members: int) -> None:
    """The bot as deployed, until its stdin closes."""
    from booking.members import MemberService
    from booking.models import Access, Credentials, Member
    from booking.service import BookingService
    from booking.sites.base import SiteConfig
    from booking.sites.registry import create_adapter
    from booking.timebase import SystemClock
    from booking.watch import CancellationWatch
    from booking.weekly import WeeklyPlanner
    from bot.application import BotRunner, BotServices, build_application
    from storage import Storage

    logging.basicConfig(level=logging.WARNING)
    clock = SystemClock()
    storage = await Storage.open(data_dir)
    for member_id in range(FIRST_MEMBER, FIRST_MEMBER + members):  # /book asks for a login first
        await storage.members.upsert(Member(member_id, f"M{member_id}", access=Access.ALLOWED))
        await storage.credentials.save(member_id, Credentials("alice", "alice-pass"))
    booking = BookingService(
        storage, lambda: create_adapter("democlub", SiteConfig(base_url=club_url), clock), clock
    )
    allowed = frozenset(range(FIRST_MEMBER, FIRST_MEMBER + members))
    members_service = MemberService(storage, booking, allowed, frozenset())
    services = BotServices(
        booking, members_service, storage.progress, WeeklyPlanner(booking), CancellationWatch(booking)
    )
    runner = BotRunner(build_application(services, token, api_url))
    await booking.start()
    await runner.start()
    print(READY, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.stop()
    await booking.stop()
    await storage.close()


# -- the load -------------------------------------------------------------------------------------------


@dataclass
class Load:
    api: RunningBotApi
    #: each update: "message" or "press", the chat, when it was injected, its message id or query id
    injected: list[tuple[str, int, float, int | str]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    async def say(self, user_id: int, text: str, expect: str) -> MessageRecord:
        sent = self.api.send_text(user_id, text)
        self.injected.append(("message", user_id, sent.created_at, sent.message_id))
        reply = await self.api.wait_for_message(user_id, after=sent.message_id, timeout=60)
        await self.shows(reply, expect)
        return reply

    async def press(self, user_id: int, message: MessageRecord, label: str, expect: str) -> None:
        data = next(b.callback_data for row in message.keyboard for b in row if b.text.startswith(label))
        assert data is not None
        injected = time.time()
        query_id = self.api.press_button(user_id, message.message_id, data)
        self.injected.append(("press", user_id, injected, query_id))
        await self.api.wait_for_answer(query_id, timeout=60)
        await self.shows(message, expect)

    async def shows(self, message: MessageRecord, text: str) -> None:
        await self.api.wait_for(lambda: text in message.text, 60, what=f"{text!r} in {message.text!r}")

    def measure(self) -> None:
        """Match each injected update with the bot's answering call in the emulator's log."""
        answers = {
            str(c.params.get("callback_query_id")): c.at for c in self.api.calls("answerCallbackQuery")
        }
        sends: dict[int, list[float]] = {}
        for call in self.api.calls("sendMessage"):
            sends.setdefault(int(call.params["chat_id"]), []).append(call.at)
        for kind, user_id, injected, ref in self.injected:
            if kind == "press":
                self.latencies.append(answers[str(ref)] - injected)
            else:
                self.latencies.append(min(t for t in sends[user_id] if t >= injected) - injected)


async def member_session(load: Load, user_id: int, rounds: int) -> None:
    for _ in range(rounds):
        await load.say(user_id, "/start", "courtbot")
        await load.say(user_id, "/help", "what I can do")
        await load.say(user_id, "/bookings", "Nothing waiting")
        form = await load.say(user_id, "/book", "Which day")
        await load.press(user_id, form, "Tomorrow", "start time")
        await load.press(user_id, form, "18:00", "Your order")
        await load.press(user_id, form, "Next", "Which court")
        await load.press(user_id, form, "Any court", "How long")
        await load.press(user_id, form, "1 h", "Ready to book")
        await load.press(user_id, form, "‹ Back", "How long")
        await load.press(user_id, form, "2 h", "Ready to book")


async def sample_rss(pid: int, peak: list[float], stop: asyncio.Event) -> None:
    process = psutil.Process(pid)
    while not stop.is_set():
        peak[0] = max(peak[0], process.memory_info().rss / 2**20)
        await asyncio.sleep(0.1)


async def run(members: int, rounds: int) -> str:
    club = await start_club()
    api = await start_botapi(callback_query_ttl=None)
    ids = range(FIRST_MEMBER, FIRST_MEMBER + members)
    for user_id in ids:
        api.add_user(user_id, f"Member {user_id}")
    with tempfile.TemporaryDirectory() as data_dir:
        bot = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--serve",
            api.url,
            api.token,
            club.url,
            data_dir,
            str(members),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=ROOT,
        )
        try:
            assert bot.stdout is not None and bot.stdin is not None
            line = await asyncio.wait_for(bot.stdout.readline(), 30)
            if READY not in line.decode():
                raise RuntimeError("the bot did not start")
            await api.wait_for_poll(timeout=10)
            # Warm up: first contact (member records), connections, caches.
            await asyncio.gather(*(member_session(Load(api), user_id, 1) for user_id in ids))
            load = Load(api)
            peak = [0.0]
            stop = asyncio.Event()
            sampler = asyncio.create_task(sample_rss(bot.pid, peak, stop))
            started = time.perf_counter()
            await asyncio.gather(*(member_session(load, user_id, rounds) for user_id in ids))
            elapsed = time.perf_counter() - started
            bot_cpu = psutil.Process(bot.pid).cpu_times()
            driver_cpu = psutil.Process().cpu_times()
            stop.set()
            await sampler
            load.measure()
        finally:
            if bot.stdin is not None:
                bot.stdin.close()
            await bot.wait()
    await api.stop()
    await club.stop()
    latencies_ms = sorted(value * 1000 for value in load.latencies)
    p99 = latencies_ms[min(len(latencies_ms) - 1, round(0.99 * (len(latencies_ms) - 1)))]
    print(
        f"{len(latencies_ms)} updates in {elapsed:.1f} s; CPU (warm-up included): "
        f"bot {bot_cpu.user + bot_cpu.system:.1f} s, emulator + club + members {driver_cpu.user + driver_cpu.system:.1f} s"
    )
    return (
        f"bot members={members} updates_per_s={len(latencies_ms) / elapsed:.0f} "
        f"p50_ms={statistics.median(latencies_ms):.1f} p99_ms={p99:.1f} rss_mb={peak[0]:.0f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", nargs=5, metavar=("API_URL", "TOKEN", "CLUB_URL", "DATA_DIR", "MEMBERS"))
    args = parser.parse_args(argv)
    if args.serve:
        api_url, token, club_url, data_dir, members = args.serve
        asyncio.run(serve_bot(api_url, token, club_url, Path(data_dir), int(members)))
        return
    print(asyncio.run(run(args.members, args.rounds)))


if __name__ == "__main__":
    main()
