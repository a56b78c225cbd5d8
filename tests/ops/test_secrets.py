"""The token, the keys and members' passwords never reach what the process writes: log messages, the
exceptions and tracebacks under them (plain and JSON), tracebacks nobody caught, in any thread, and what
a club says at the login step."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from booking.models import RequestStatus
from booking.reasons import Code
from sim.botapi.runner import RunningBotApi
from sim.club.runner import RunningClub
from storage.crypto import new_key
from tests.ops.conftest import environment, free_port
from tests.ops.process import courtbot_process, prepare, read_request, until

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
PASSWORD = "s3cret-club-Passw0rd"

SCRIPT = """
import logging, sys, threading
from booking.masking import remember
from booking.models import Credentials
from bot import logs
from storage.crypto import Vault

token, key, password, as_json = sys.argv[1:]
logs.mask_uncaught()
logs.configure("DEBUG", as_json == "json")
remember(token)          # as `courtbot run` does with the settings
Vault([key])             # a key ring remembers its keys
Credentials("alice", password)  # and a login its password, typed or read back
try:
    raise RuntimeError(f"the token {token} was rejected; key {key}; club said {password!r}")
except RuntimeError:
    logging.getLogger("courtbot.test").exception("refused: %s", password)
logging.getLogger("courtbot.test").warning("key %s", key, stack_info=True)
def fail() -> None:
    raise ValueError(f"in a thread: {password}")
thread = threading.Thread(target=fail, name="worker")
thread.start()
thread.join()
raise SystemError(f"uncaught: {token} {password}")
"""


def _run(log_format: str) -> str:
    key = new_key()
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, TOKEN, key, PASSWORD, log_format],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 1
    for secret in (TOKEN, key, PASSWORD, repr(PASSWORD)):
        assert secret not in done.stderr, done.stderr
    assert "in a thread: ***" in done.stderr and "SystemError: uncaught: *** ***" in done.stderr
    return done.stderr


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_secrets_are_masked_in_everything_written_to_stderr(log_format: str) -> None:
    stderr = _run(log_format)
    if log_format == "json":
        refused, key_line = (json.loads(line) for line in stderr.splitlines()[:2])
        assert refused["message"] == "refused: ***"
        assert "RuntimeError: the token *** was rejected; key ***; club said '***'" in refused["exception"]
        assert key_line["message"] == "key ***" and "stack" in key_line
    else:
        assert "ERROR courtbot.test: refused: ***" in stderr
        assert "RuntimeError: the token *** was rejected; key ***; club said '***'" in stderr


async def test_a_booking_whose_login_the_club_refuses_repeating_it_writes_no_password(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    request_id = await prepare(tmp_path, key, day_offset=2, released=True, password=PASSWORD)
    club.config.update({"login_echo": True})  # and alice's password at the club is not PASSWORD
    env = {**environment(tmp_path, club, botapi, key, free_port()), "LOG_FORMAT": "json"}  # at DEBUG

    async def failed() -> bool:
        return (await read_request(tmp_path, key, request_id))[0].status is RequestStatus.FAILED

    log = tmp_path / "run.log"
    async with courtbot_process(env, log):
        await until(failed, within=10)
    request, _ = await read_request(tmp_path, key, request_id)
    assert request.reason == Code.LOGIN_REFUSED
    assert PASSWORD not in log.read_text()
