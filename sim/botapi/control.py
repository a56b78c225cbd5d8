"""The control API over HTTP: the emulator's Python control methods as JSON endpoints under /_control/.

For what runs in another process than the emulator (the playground's web chat, a benchmark driver):
act as users, read transcripts and the call log, script failures. A transcript request can long-poll
(`after_version`, `timeout`) so a page learns of the bot's next message without polling in a loop.
Bad requests answer 400 {"error": "..."}; a wait that times out answers 408.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from sim.botapi.emulator import BotApiEmulator
from sim.botapi.errors import ApiError, ControlError

MAX_HOLD = 60.0
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def add_control_routes(app: web.Application, emulator: BotApiEmulator) -> None:
    api = _ControlApi(emulator)
    routes = [
        ("POST", "/_control/users", api.add_user),
        ("POST", "/_control/block", api.block),
        ("POST", "/_control/send_text", api.send_text),
        ("POST", "/_control/press_button", api.press_button),
        ("GET", "/_control/answers/{callback_query_id}", api.answers),
        ("GET", "/_control/chats", api.chats),
        ("GET", "/_control/transcript/{chat_id}", api.transcript),
        ("GET", "/_control/calls", api.calls),
        ("GET", "/_control/commands", api.commands),
        ("GET", "/_control/files/{file_id}", api.file),
        ("POST", "/_control/faults", api.add_fault),
        ("DELETE", "/_control/faults", api.clear_faults),
        ("POST", "/_control/flood_limit", api.flood_limit),
        ("POST", "/_control/wait_for_text", api.wait_for_text),
    ]
    for verb, path, handler in routes:
        app.router.add_route(verb, path, _guarded(handler))


def _guarded(handler: Handler) -> Handler:
    """Turn a control request the emulator cannot carry out into 400 with the reason."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except (ControlError, KeyError, TypeError, ValueError) as exc:
            reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            return web.json_response({"error": reason}, status=400)

    return guarded


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except json.JSONDecodeError as exc:
        raise ControlError(f"the body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise ControlError("the body must be a JSON object")
    return body


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


class _ControlApi:
    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator

    async def add_user(self, request: web.Request) -> web.Response:
        body = await _body(request)
        user = self.emulator.add_user(
            int(body["user_id"]),
            body.get("first_name"),
            username=body.get("username"),
            last_name=body.get("last_name"),
            language_code=body.get("language_code"),
            started=bool(body.get("started", True)),
        )
        return web.json_response(user.to_api())

    async def block(self, request: web.Request) -> web.Response:
        body = await _body(request)
        self.emulator.block(int(body["user_id"]), bool(body.get("blocked", True)))
        return web.json_response({"ok": True})

    async def send_text(self, request: web.Request) -> web.Response:
        body = await _body(request)
        message = self.emulator.send_text(
            int(body["user_id"]),
            str(body["text"]),
            body.get("first_name"),
            body.get("username"),
            last_name=body.get("last_name"),
            language_code=body.get("language_code"),
            reply_to_message_id=_optional_int(body.get("reply_to_message_id")),
        )
        return web.json_response(message.to_json())

    async def press_button(self, request: web.Request) -> web.Response:
        body = await _body(request)
        query_id = self.emulator.press_button(
            int(body["user_id"]),
            int(body["message_id"]),
            str(body["callback_data"]),
            force=bool(body.get("force", False)),
        )
        return web.json_response({"callback_query_id": query_id})

    async def answers(self, request: web.Request) -> web.Response:
        answer = self.emulator.answers(request.match_info["callback_query_id"])
        return web.json_response({"answer": answer.to_json() if answer else None})

    async def chats(self, request: web.Request) -> web.Response:
        chats = [
            {
                "id": chat.id,
                "user": chat.user.to_api(),
                "started": chat.started,
                "blocked": chat.blocked,
                "messages": len(chat.messages),
            }
            for chat in self.emulator.chats()
        ]
        return web.json_response({"version": self.emulator.version, "chats": chats})

    async def transcript(self, request: web.Request) -> web.Response:
        """A chat's messages; with `after_version`, held until something changes (up to `timeout` s)."""
        chat_id = int(request.match_info["chat_id"])
        after_version = request.query.get("after_version")
        if after_version is not None:
            hold = min(float(request.query.get("timeout", "30")), MAX_HOLD)
            await self.emulator.wait_changed(int(after_version), hold)
        messages = [message.to_json() for message in self.emulator.transcript(chat_id)]
        return web.json_response({"version": self.emulator.version, "messages": messages})

    async def calls(self, request: web.Request) -> web.Response:
        calls = [call.to_json() for call in self.emulator.calls(request.query.get("method"))]
        return web.json_response({"calls": calls}, dumps=lambda data: json.dumps(data, default=str))

    async def commands(self, request: web.Request) -> web.Response:
        scope = json.loads(request.query["scope"]) if "scope" in request.query else None
        commands = self.emulator.commands(scope, request.query.get("language_code", ""))
        return web.json_response({"commands": commands})

    async def file(self, request: web.Request) -> web.Response:
        document = self.emulator.document(request.match_info["file_id"])
        return web.Response(
            body=document.data,
            headers={
                "Content-Type": document.mime_type,
                "Content-Disposition": f'attachment; filename="{document.file_name}"',
            },
        )

    async def add_fault(self, request: web.Request) -> web.Response:
        body = await _body(request)
        status = int(body["status"])
        retry_after = _optional_int(body.get("retry_after"))
        if "description" in body:
            description = str(body["description"])
        elif status == 429:
            description = ApiError.flood(retry_after or 1).description
            retry_after = retry_after or 1
        else:
            description = ApiError.server(status).description
        rule = self.emulator.inject_error(
            status,
            description,
            method=body.get("method"),
            chat_id=_optional_int(body.get("chat_id")),
            count=_optional_int(body.get("count", 1)),
            retry_after=retry_after,
            after_effect=bool(body.get("after_effect", False)),
        )
        return web.json_response({"id": rule.id})

    async def clear_faults(self, request: web.Request) -> web.Response:
        self.emulator.clear_faults()
        return web.json_response({"ok": True})

    async def flood_limit(self, request: web.Request) -> web.Response:
        body = await _body(request)
        self.emulator.set_flood_limit(
            _optional_int(body.get("max_calls")), float(body.get("window", 1.0)), body.get("methods")
        )
        return web.json_response({"ok": True})

    async def wait_for_text(self, request: web.Request) -> web.Response:
        body = await _body(request)
        try:
            message = await self.emulator.wait_for_text(
                int(body["chat_id"]),
                str(body["substring"]),
                after=int(body.get("after", 0)),
                timeout=min(float(body.get("timeout", 5.0)), MAX_HOLD),
            )
        except TimeoutError as exc:
            return web.json_response({"error": str(exc)}, status=408)
        return web.json_response(message.to_json())
