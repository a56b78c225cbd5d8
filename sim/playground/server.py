"""The playground's web server: the chat page and the small same-origin JSON API it talks to.

The page plays one Telegram user (PLAYGROUND_USER) against the Bot API emulator running in this process:
it types and taps through the emulator's control API and reads the chat through a long poll, so the
bot's progress edits show up live without the page polling in a loop.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from sim.botapi.errors import ControlError
from sim.botapi.methods import MAX_TEXT
from sim.botapi.models import MessageRecord
from sim.botapi.runner import RunningBotApi
from sim.serve import serve

PLAYGROUND_USER: int = 1001
PLAYGROUND_NAME: str = "You"


@dataclass(frozen=True)
class Release:
    """What "Release in 30 s" did: the day the club now releases, when, and how many bookings already
    scheduled were timed again by the club's new release time."""

    release_at: datetime
    day: date
    retimed: int = 0


ReleaseSoon = Callable[[], Awaitable[Release]]

T = TypeVar("T")
N = TypeVar("N", int, float)

STATIC = Path(__file__).parent / "static"
DEFAULT_HOLD = 25.0
MAX_HOLD = 30.0  # longest transcript long poll, seconds: well under browsers' and proxies' idle limits
ANSWER_WAIT = 5.0  # how long a press waits for the bot's callback answer (the toast text)
_SHUTDOWN_TIMEOUT = 0.1  # held long polls and answer waits only read: cancel them on stop


@dataclass
class RunningPlayground:
    """The chat page being served; `url` is what to open in a browser."""

    url: str
    _runner: web.AppRunner

    async def stop(self) -> None:
        await self._runner.cleanup()


class Refused(Exception):
    """A request the API cannot carry out: answered as {"error": message} with `status`."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


async def start_playground(
    botapi: RunningBotApi,
    *,
    release_soon: ReleaseSoon | None,
    accounts: dict[str, str],
    club_url: str,
    host: str = "127.0.0.1",
    port: int = 8000,
) -> RunningPlayground:
    """Serve the chat page on host:port (0: any free port). `release_soon` is None with a real club,
    which hides the "Release in 30 s" button."""
    botapi.add_user(PLAYGROUND_USER, PLAYGROUND_NAME)
    api = _PlaygroundApi(botapi, release_soon, accounts, club_url)
    try:
        runner, url = await serve(_create_app(api), host, port, shutdown_timeout=_SHUTDOWN_TIMEOUT)
    except OSError as exc:
        raise OSError(
            exc.errno,
            f"the playground can't listen on {host}:{port} ({exc.strerror}); "
            "set PLAYGROUND_PORT to another port, or to 0 for any free one",
        ) from exc
    return RunningPlayground(f"{url}/", runner)


def _create_app(api: _PlaygroundApi) -> web.Application:
    app = web.Application(middlewares=[_errors_as_json])
    app.router.add_get("/", _index)
    app.router.add_static("/static/", STATIC)
    app.router.add_get("/api/info", api.info)
    app.router.add_get("/api/transcript", api.transcript)
    app.router.add_post("/api/send", api.send)
    app.router.add_post("/api/press", api.press)
    app.router.add_post("/api/release-soon", api.release_soon)
    app.router.add_get("/api/files/{file_id}", api.file)
    return app


@web.middleware
async def _errors_as_json(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    try:
        return await handler(request)
    except Refused as exc:
        return web.json_response({"error": str(exc)}, status=exc.status)


async def _index(_: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


class _PlaygroundApi:
    def __init__(
        self,
        botapi: RunningBotApi,
        release_soon: ReleaseSoon | None,
        accounts: dict[str, str],
        club_url: str,
    ) -> None:
        self.botapi = botapi
        self.release_hook = release_soon
        self.accounts = accounts
        self.club_url = club_url
        # The last release the visitor asked for, so a reloaded page still shows its countdown.
        self.release: Release | None = None

    async def info(self, _: web.Request) -> web.Response:
        bot = self.botapi.world.bot
        return web.json_response(
            {
                "user": {"id": PLAYGROUND_USER, "name": PLAYGROUND_NAME},
                "bot": {"name": bot.first_name, "username": bot.username},
                "accounts": [{"username": u, "password": p} for u, p in self.accounts.items()],
                "club_url": self.club_url,
                "release_soon": self.release_hook is not None,
                "release": _release_json(self.release) if self.release else None,
                "commands": self.botapi.menu(PLAYGROUND_USER),
            }
        )

    async def transcript(self, request: web.Request) -> web.Response:
        """The chat as the page shows it. With `after_version`, held (up to `timeout` s) until the chat
        itself changes: the emulator's version also moves with the bot's own polling and other chats."""
        after = _query_number(request, "after_version", int)
        timeout = _query_number(request, "timeout", float)
        hold = DEFAULT_HOLD if timeout is None else min(max(timeout, 0.0), MAX_HOLD)
        messages = self._messages()
        if after is not None and self.botapi.version <= after:
            deadline = time.monotonic() + hold
            while (remaining := deadline - time.monotonic()) > 0:
                await self.botapi.wait_changed(self.botapi.version, remaining)
                if (latest := self._messages()) != messages:
                    messages = latest
                    break
        return web.json_response({"version": self.botapi.version, "messages": messages})

    async def send(self, request: web.Request) -> web.Response:
        text = _field(await _body(request), "text", str).strip()
        if not text:
            raise Refused("Type a message first.")
        if len(text) > MAX_TEXT:
            raise Refused(f"That message is too long: Telegram allows {MAX_TEXT} characters.")
        message = self.botapi.send_text(PLAYGROUND_USER, text, PLAYGROUND_NAME)
        return web.json_response({"message_id": message.message_id})

    async def press(self, request: web.Request) -> web.Response:
        """Tap an inline button; answers with the bot's callback answer (its toast), if it gives one."""
        body = await _body(request)
        message_id = _field(body, "message_id", int)
        callback_data = _field(body, "callback_data", str)
        try:
            query_id = self.botapi.press_button(PLAYGROUND_USER, message_id, callback_data)
        except ControlError:
            raise Refused(
                "That button isn't there any more: use the buttons on the latest message.", 409
            ) from None
        try:
            answer = await self.botapi.wait_for_answer(query_id, ANSWER_WAIT)
        except TimeoutError:
            return web.json_response({"answer": None})
        return web.json_response({"answer": {"text": answer.text, "show_alert": answer.show_alert}})

    async def release_soon(self, _: web.Request) -> web.Response:
        if self.release_hook is None:
            raise Refused("A real club is configured: its release times can't be changed from here.", 404)
        self.release = await self.release_hook()
        return web.json_response(_release_json(self.release))

    async def file(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        sent_here = any(
            message.document is not None and message.document.file_id == file_id
            for message in self.botapi.transcript(PLAYGROUND_USER)
        )
        if not sent_here:
            raise Refused("No such file in this chat.", 404)
        document = self.botapi.document(file_id)
        return web.Response(
            body=document.data,
            headers={
                "Content-Type": document.mime_type,
                "Content-Disposition": f'attachment; filename="{document.file_name}"',
            },
        )

    def _messages(self) -> list[dict[str, Any]]:
        return [_message_json(m) for m in self.botapi.transcript(PLAYGROUND_USER) if not m.deleted]


def _message_json(message: MessageRecord) -> dict[str, Any]:
    """What the page needs of a message: deleted ones are left out, so they vanish from the page."""
    document = message.document
    return {
        "id": message.message_id,
        "from_bot": message.from_bot,
        "date": message.date,
        "text": message.text,
        "caption": message.caption,
        "edited": message.edit_date is not None,
        "keyboard": [[button.to_json() for button in row] for row in message.keyboard],
        "document": (
            {"file_id": document.file_id, "file_name": document.file_name, "size": document.size}
            if document
            else None
        ),
    }


def _release_json(release: Release) -> dict[str, Any]:
    """`seconds_left` lets the page count down without trusting the browser's clock."""
    return {
        "release_at": release.release_at.isoformat(),
        "seconds_left": max(release.release_at.timestamp() - time.time(), 0.0),
        "day": release.day.isoformat(),
        "day_label": release.day.strftime("%a %d %b"),
        "retimed": release.retimed,
    }


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Refused('The request body must be JSON, e.g. {"text": "/start"}.') from None
    if not isinstance(body, dict):
        raise Refused("The request body must be a JSON object.")
    return body


def _field(body: dict[str, Any], name: str, kind: type[T]) -> T:
    value = body.get(name)
    # bool is an int in Python, but true is no message id.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Refused(f"Missing or wrong field {name!r}: expected a {kind.__name__}.")
    return value


def _query_number(request: web.Request, name: str, kind: type[N]) -> N | None:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value):
        raise Refused(f"Query parameter {name!r} must be a number, not {raw!r}.")
    return value
