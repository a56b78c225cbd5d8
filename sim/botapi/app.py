"""The emulator's HTTP face: the Bot API at /bot<token>/<method>, files at /file/bot<token>/<path>, and
the control API under /_control/ (control.py), laid out like a self-hosted Bot API server.
"""

from __future__ import annotations

import json
import re

from aiohttp import web

from sim.botapi.control import add_control_routes
from sim.botapi.emulator import BotApiEmulator
from sim.botapi.errors import NOT_FOUND, UNAUTHORIZED, ApiError, ApiReply
from sim.botapi.params import Params, UploadedFile

EMULATOR = web.AppKey("emulator", BotApiEmulator)
MAX_REQUEST_BYTES = 50 * 1024 * 1024  # Telegram's upload limit for bots
_TOKEN_SHAPE = re.compile(r"\d+:[\w-]+")


def create_app(emulator: BotApiEmulator) -> web.Application:
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[EMULATOR] = emulator
    app.router.add_route("*", "/bot{token}/{method}", _bot_method)
    app.router.add_get("/file/bot{token}/{path:.+}", _file)
    add_control_routes(app, emulator)
    app.router.add_route("*", "/{tail:.*}", _not_found)
    return app


def _respond(reply: ApiReply) -> web.Response:
    if isinstance(reply.body, str):
        return web.Response(status=reply.status, text=reply.body, content_type="text/html")
    return web.json_response(
        reply.body, status=reply.status, dumps=lambda data: json.dumps(data, ensure_ascii=False)
    )


def _token_error(emulator: BotApiEmulator, token: str) -> web.Response | None:
    """Telegram's answer to a wrong token: 401 if it is shaped like one, else 404."""
    if token == emulator.token:
        return None
    return _respond(
        ApiError(401, UNAUTHORIZED).reply() if _TOKEN_SHAPE.fullmatch(token) else _not_found_reply()
    )


def _not_found_reply() -> ApiReply:
    return ApiError(404, NOT_FOUND).reply()


async def read_params(request: web.Request) -> Params:
    """Query string and body fields (form, multipart or JSON object) as Params; the body wins."""
    values: dict[str, object] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                body = None
            if isinstance(body, dict):
                values.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[name] = UploadedFile(value.filename, value.content_type, value.file.read())
                else:
                    values[name] = value
    return Params(values, files)


async def _bot_method(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR]
    refused = _token_error(emulator, request.match_info["token"])
    if refused is not None:
        return refused
    reply = await emulator.call(request.match_info["method"], await read_params(request))
    return _respond(reply)


async def _file(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR]
    refused = _token_error(emulator, request.match_info["token"])
    if refused is not None:
        return refused
    path = request.match_info["path"]
    for document in emulator.world.files.values():
        if document.file_path == path:
            return web.Response(body=document.data, headers={"Content-Type": document.mime_type})
    return _respond(_not_found_reply())


async def _not_found(request: web.Request) -> web.Response:
    return _respond(_not_found_reply())
