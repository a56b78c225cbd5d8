"""Start-up failures as the one line `courtbot: …` prints: which setting is wrong and what to do.

Each helper wraps one step of start-up and turns the failure only that step can have (a port in use,
Telegram refusing the token) into a StartupError; anything else goes on unchanged.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager

from telegram.error import InvalidToken


class StartupError(Exception):
    """Courtbot cannot start as configured; the message is the line to print."""


@contextmanager
def listening(setting: str, host: str, port: int, host_setting: str | None = None) -> Iterator[None]:
    """Serving on host:port, where `setting` names the port and `host_setting` the address, if settable."""
    try:
        yield
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise StartupError(
                f"{setting}: port {port} on {host} is in use (another courtbot?): stop what listens there, "
                f"or set {setting} to a free port"
            ) from None
        reason = os.strerror(error.errno) if error.errno and error.errno > 0 else str(error)
        if host_setting is None or error.errno in (errno.EACCES, errno.EPERM):
            raise StartupError(
                f"{setting}: cannot listen on port {port} ({reason}): choose another port"
            ) from None
        raise StartupError(
            f"{host_setting}: cannot listen on {host}:{port} ({reason}): use an address of this host, such as "
            "127.0.0.1 or 0.0.0.0"
        ) from None


@contextmanager
def telegram_accepts(api_url: str) -> Iterator[None]:
    """Telegram's first answer, which proves the token (401: refused) and the URL (404: no Bot API)."""
    try:
        yield
    except InvalidToken as error:
        # PTB rewords both as "The token … was rejected"; the server's own words are in the cause.
        said = str(error.__cause__ or error).split(". ")[0]
        if said.startswith("Unauthorized"):
            raise StartupError(
                "TELEGRAM_BOT_TOKEN: Telegram refused the token (Unauthorized): copy it again from "
                "@BotFather (/mybots, API Token), or revoke it there and use the new one"
            ) from None
        raise StartupError(
            f"TELEGRAM_API_URL: {api_url} is not a Bot API server ({said}): use https://api.telegram.org, "
            "or your own Bot API server's root, without /bot"
        ) from None
