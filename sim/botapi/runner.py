"""Serve the emulator on a loopback port, in-process, for tests, benchmarks and the playground."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from sim.botapi.app import create_app
from sim.botapi.emulator import (
    DEFAULT_BOT_NAME,
    DEFAULT_BOT_USERNAME,
    DEFAULT_CALLBACK_QUERY_TTL,
    DEFAULT_TOKEN,
    BotApiEmulator,
)
from sim.serve import serve

# The only handlers that outlive a request are long polls, and stop() releases those first.
_SHUTDOWN_TIMEOUT = 2.0


class RunningBotApi(BotApiEmulator):
    """An emulator with its HTTP server up: the control methods plus where the bot should connect.

    Give the bot `ApplicationBuilder().token(api.token).base_url(api.base_url)
    .base_file_url(api.base_file_url)`, as for a self-hosted Bot API server.
    """

    url: str = ""  # the server's root, e.g. http://127.0.0.1:41234, once serving
    _runner: web.AppRunner | None = None

    @property
    def emulator(self) -> BotApiEmulator:
        return self

    @property
    def base_url(self) -> str:
        """What to pass to ApplicationBuilder().base_url(); PTB appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    async def serve(self, host: str, port: int) -> None:
        self._runner, self.url = await serve(
            create_app(self), host, port, shutdown_timeout=_SHUTDOWN_TIMEOUT, handler_cancellation=True
        )

    async def stop(self) -> None:
        """Release the bot's long poll, then close the server; calling it again does nothing."""
        self.close()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()


async def start_botapi(
    token: str = DEFAULT_TOKEN,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    bot_username: str = DEFAULT_BOT_USERNAME,
    bot_name: str = DEFAULT_BOT_NAME,
    callback_query_ttl: float | None = DEFAULT_CALLBACK_QUERY_TTL,
) -> RunningBotApi:
    """Serve an emulator on host:port (port 0: any free port; `.url` says which)."""
    api = RunningBotApi(
        token, bot_username=bot_username, bot_name=bot_name, callback_query_ttl=callback_query_ttl
    )
    await api.serve(host, port)
    return api


@asynccontextmanager
async def run_botapi(
    token: str = DEFAULT_TOKEN,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    bot_username: str = DEFAULT_BOT_USERNAME,
    bot_name: str = DEFAULT_BOT_NAME,
    callback_query_ttl: float | None = DEFAULT_CALLBACK_QUERY_TTL,
) -> AsyncIterator[RunningBotApi]:
    api = await start_botapi(
        token,
        host,
        port,
        bot_username=bot_username,
        bot_name=bot_name,
        callback_query_ttl=callback_query_ttl,
    )
    try:
        yield api
    finally:
        await api.stop()
