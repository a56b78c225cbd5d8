"""A real `courtbot run` that cannot start as configured says so in one line naming the setting or file,
and exits non-zero at once: systemd and Docker restart (or stop) a process that exits, not one that hangs.
An unreachable club is no such failure: the bot comes up and waits for it.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest

from booking.models import Access, Credentials, Member, RequestStatus
from sim.botapi.runner import RunningBotApi
from sim.club.runner import RunningClub, start_club
from storage import Storage
from storage.crypto import new_key
from tests.ops.conftest import TOKEN, environment, free_port
from tests.ops.process import courtbot_process, prepare, read_request, until

ROOT = Path(__file__).resolve().parents[2]
OTHER_TOKEN = "987654:ZYXWVUTSRQPONMLKJIHGFEDCBA987654"


async def failed_start(env: dict[str, str], command: str = "run") -> str:
    """`courtbot <command>`, which must exit non-zero within 5 s; its stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from bot.cli import main; main()",
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), 5)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(f"`courtbot {command}` was still up after 5 s") from None
    assert process.returncode not in (0, None)
    return stderr.decode()


def the_line(stderr: str) -> str:
    """The one `courtbot: …` line, last, with no traceback before it."""
    lines = [line for line in stderr.splitlines() if line.startswith("courtbot: ")]
    assert len(lines) == 1 and stderr.rstrip("\n").endswith(lines[0]), stderr
    assert "Traceback" not in stderr, stderr
    return lines[0]


async def _stored_login(data_dir: Path, keys: tuple[str, ...] = ()) -> None:
    storage = await Storage.open(data_dir, keys)
    await storage.members.upsert(Member(1, "Alice", access=Access.ALLOWED))
    await storage.credentials.save(1, Credentials("alice", "alice-pass"))
    await storage.close()


Setup = Callable[[Path, dict[str, str]], Awaitable[None]]


async def _refused_token(_: Path, env: dict[str, str]) -> None:
    env["TELEGRAM_BOT_TOKEN"] = OTHER_TOKEN


async def _api_url_with_bot(_: Path, env: dict[str, str]) -> None:
    env["TELEGRAM_API_URL"] += "/bot"  # the usual slip: the Bot API's root, not its /bot<token> path


async def _damaged_database(data_dir: Path, _: dict[str, str]) -> None:
    await asyncio.to_thread(data_dir.mkdir)
    await asyncio.to_thread((data_dir / "courtbot.sqlite3").write_bytes, b"this is not SQLite" * 512)


async def _data_dir_is_a_file(data_dir: Path, _: dict[str, str]) -> None:
    await asyncio.to_thread(data_dir.write_text, "")


async def _wrong_key(data_dir: Path, _: dict[str, str]) -> None:
    await _stored_login(data_dir, (new_key(),))  # written under a key the bot is not given


async def _lost_key_file(data_dir: Path, env: dict[str, str]) -> None:
    del env["ENCRYPTION_KEYS"]
    await _stored_login(data_dir)
    await asyncio.to_thread((data_dir / "secret.key").unlink)


async def _no_club_url(_: Path, env: dict[str, str]) -> None:
    del env["CLUB_URL"]  # with a token: a real bot, which must not book on a simulated club


CASES: list[tuple[Setup, str]] = [
    (_refused_token, "courtbot: TELEGRAM_BOT_TOKEN: Telegram refused the token"),
    (_api_url_with_bot, "courtbot: TELEGRAM_API_URL: "),
    (_damaged_database, "courtbot: {data}/courtbot.sqlite3 is damaged or not a courtbot database"),
    (_data_dir_is_a_file, "courtbot: DATA_DIR: {data} cannot be courtbot's folder (it is a file)"),
    (_wrong_key, "courtbot: ENCRYPTION_KEYS: the stored club logins cannot be decrypted with it"),
    (_lost_key_file, "courtbot: {data}/secret.key: the stored club logins cannot be decrypted with it"),
    (_no_club_url, "courtbot: CLUB_URL: not set"),
]


@pytest.mark.parametrize(("setup", "says"), CASES, ids=[setup.__name__.strip("_") for setup, _ in CASES])
async def test_a_start_that_cannot_work_is_one_line_and_an_exit(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi, setup: Setup, says: str
) -> None:
    data_dir = tmp_path / "data"
    env = environment(data_dir, club, botapi, key, free_port())
    await setup(data_dir, env)
    stderr = await failed_start(env)
    assert the_line(stderr).startswith(says.format(data=data_dir))
    for secret in (TOKEN, OTHER_TOKEN, key, "alice-pass"):
        assert secret not in stderr


@pytest.mark.parametrize("setting", ["HTTP_PORT", "PLAYGROUND_PORT"])
async def test_a_port_in_use_is_one_line_naming_it(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi, setting: str
) -> None:
    env = environment(tmp_path, club, botapi, key, free_port())
    if setting == "PLAYGROUND_PORT":  # the playground: no token, its own simulated club and Telegram
        env.update(TELEGRAM_BOT_TOKEN="", CLUB_URL="", TELEGRAM_API_URL="")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        env[setting] = str(taken.getsockname()[1])
        stderr = await failed_start(env)
    assert the_line(stderr).startswith(f"courtbot: {setting}: port {env[setting]} on 127.0.0.1 is in use")


async def test_an_address_not_of_this_host_is_one_line_naming_http_host(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    env = {**environment(tmp_path, club, botapi, key, free_port()), "HTTP_HOST": "192.0.2.1"}  # TEST-NET-1
    stderr = await failed_start(env)
    assert the_line(stderr).startswith("courtbot: HTTP_HOST: cannot listen on 192.0.2.1:")


async def test_a_lost_key_is_got_over_by_forgetting_the_logins(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    await _stored_login(tmp_path, (new_key(),))
    env = environment(tmp_path, club, botapi, key, free_port())
    assert "courtbot forget-logins" in the_line(await failed_start(env))
    forget = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from bot.cli import main; main()",
        "forget-logins",
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
    )
    said, _ = await forget.communicate()
    assert forget.returncode == 0 and said.decode().startswith("forgot 1 stored login(s)")
    storage = await Storage.open(tmp_path, (key,))
    try:
        await storage.credentials.check_keys()
        assert await storage.credentials.get(1) is None
    finally:
        await storage.close()


async def test_an_unreachable_club_is_waited_for_not_a_failure(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    ahead = await prepare(tmp_path, key, day_offset=20, released=False)  # needs only its stored release
    missed = await prepare(tmp_path, key, day_offset=2, released=True)  # needs the club's time zone
    club_port = free_port()
    env = {
        **environment(tmp_path, club, botapi, key, free_port()),
        "CLUB_URL": f"http://127.0.0.1:{club_port}",
    }

    async def booked() -> bool:
        return (await read_request(tmp_path, key, missed))[0].status is RequestStatus.BOOKED

    async with courtbot_process(env, tmp_path / "run.log"):
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{env['HTTP_PORT']}/metrics") as response,
        ):
            assert "courtbot_scheduled_requests 1.0" in await response.text()
        assert (await read_request(tmp_path, key, missed))[0].status is RequestStatus.SCHEDULED
        back = await start_club(port=club_port)
        try:
            await until(booked, within=10)
        finally:
            await back.stop()
    assert (await read_request(tmp_path, key, ahead))[0].status is RequestStatus.SCHEDULED
