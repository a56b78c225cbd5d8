"""A real `courtbot run` that cannot start as configured says so in one line naming the setting or file,
and exits non-zero at once: systemd and Docker restart (or stop) a process that exits, not one that hangs.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from sim.botapi.runner import RunningBotApi
from sim.club.runner import RunningClub
from tests.ops.conftest import TOKEN, environment, free_port

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


@pytest.mark.parametrize(
    ("setup", "says"),
    [
        (_refused_token, "courtbot: TELEGRAM_BOT_TOKEN: Telegram refused the token"),
        (_api_url_with_bot, "courtbot: TELEGRAM_API_URL: "),
        (_damaged_database, "courtbot: {data}/courtbot.sqlite3 is damaged or not a courtbot database"),
        (_data_dir_is_a_file, "courtbot: DATA_DIR: {data} cannot be courtbot's folder (it is a file)"),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else None,
)
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
