"""Final notices survive the process: kill -9 while the Booked notice is held back by Telegram's 429s,
and after the restart the member receives it exactly once, and the progress message shows the end."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp

from booking.models import RequestStatus
from sim.botapi.runner import RunningBotApi
from sim.club.runner import RunningClub
from storage import Storage
from tests.ops.conftest import TOKEN, environment, free_port
from tests.ops.process import ROOT, prepare, read_request, tail, until


async def _start(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "from bot.cli import main; main()",
            "run",
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )


async def _bot_message(botapi: RunningBotApi, chat_id: int, text: str) -> int:
    """A message from the bot, as the progress message of a request made in an earlier session."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{botapi.url}/bot{TOKEN}/sendMessage", data={"chat_id": chat_id, "text": text}) as resp,
    ):
        return int((await resp.json())["result"]["message_id"])


async def _pending_notices(data_dir: Path, key: str) -> int:
    storage = await Storage.open(data_dir, (key,))
    try:
        return len(await storage.notices.pending())
    finally:
        await storage.close()


async def test_kill_9_while_the_booked_notice_is_held_back_delivers_it_once_after_restart(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    botapi.add_user(1, "Alice")
    env = environment(tmp_path, club, botapi, key, free_port())
    request_id = await prepare(tmp_path, key, day_offset=2, released=True)
    progress_id = await _bot_message(botapi, 1, "⏳ Starting…")
    storage = await Storage.open(tmp_path, (key,))
    await storage.progress.put(request_id, 1, progress_id)
    await storage.close()
    botapi.inject_retry_after("sendDocument", 60, count=None)  # Telegram holds the notice back

    async def booked() -> bool:
        return (await read_request(tmp_path, key, request_id))[0].status is RequestStatus.BOOKED

    process = await _start(env, tmp_path / "run.log")
    try:
        await until(booked, within=15)

        async def tried_to_send() -> bool:
            return any(c.status == 429 for c in botapi.calls("sendDocument"))

        await until(tried_to_send, within=10)
    finally:
        process.kill()  # kill -9: no shutdown code runs
        await process.wait()
    assert await _pending_notices(tmp_path, key) == 1
    assert [m for m in botapi.transcript(1) if m.document is not None] == []

    botapi.clear_faults()
    process = await _start(env, tmp_path / "run.log")
    try:

        async def delivered() -> bool:
            return await _pending_notices(tmp_path, key) == 0

        await until(delivered, within=15)
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 15) == 0, tail(tmp_path / "run.log")
    notices = [m for m in botapi.transcript(1) if m.document is not None]
    assert len(notices) == 1 and "✅ Booked!" in (notices[0].caption or "")
    [progress] = [m for m in botapi.transcript(1) if m.message_id == progress_id]
    assert "Booked court 2" in (progress.text or ""), "the progress message shows the end"
