"""Serving a simulated peer on loopback: one place that binds, cleans up on failure and reports the URL.

A simulated club also stamps each request as its bytes come in (`wire_clock`). A single-threaded club
takes its requests one after another, ~0.1 ms each, so when 200 arrive together the last one's handler
runs ~25 ms after its bytes did: timed by the handler, the queue would be measured as the sender's
lateness. Nor is the moment the loop reads the bytes good enough: while it runs one batch's handlers it
reads nothing, so later requests are read late. On Linux the kernel stamps each packet as it arrives
(SO_TIMESTAMPNS), whatever the loop is doing; elsewhere the read is the stamp. The handler's own instant
is what the club decides on; the wire stamp is when the request reached it.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import sys
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

WireClock = Callable[[], float]
#: stamps kept per connection for requests not yet handled (aiohttp itself queues ~32 pipelined ones)
_PENDING = 64
#: Linux's SO_TIMESTAMPNS (and SCM_TIMESTAMPNS): a struct timespec of the wall clock with each read
_SO_TIMESTAMPNS = 35
_TIMESPEC = struct.Struct("qq")


async def serve(
    app: web.Application,
    host: str,
    port: int,
    *,
    shutdown_timeout: float = 0.5,
    handler_cancellation: bool = False,
    wire_clock: WireClock | None = None,
) -> tuple[web.AppRunner, str]:
    """Serve `app` on host:port (port 0: any free port); the runner and the root URL actually bound.

    A short shutdown timeout drops answers still held back by injected latency instead of waiting. With
    `wire_clock`, `wire_stamp(request)` says when each request's bytes arrived, on that clock.
    """
    kwargs: dict[str, Any] = {
        "access_log": None,
        "shutdown_timeout": shutdown_timeout,
        "handler_cancellation": handler_cancellation,
    }
    runner = (
        web.AppRunner(app, **kwargs) if wire_clock is None else _StampingRunner(app, wire_clock, **kwargs)
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    bound_host, bound_port = runner.addresses[0][:2]
    url_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    return runner, f"http://{url_host}:{bound_port}"


def wire_stamp(request: web.BaseRequest) -> float | None:
    """When `request`'s bytes arrived (its headers complete), on the server's `wire_clock`; None if it was
    not served with one. Each request's stamp can be taken once."""
    protocol = request.protocol
    if not isinstance(protocol, _StampingHandler):
        return None
    return protocol.take(request.headers)


class _KernelStamped:
    """A connection's socket, read with recvmsg so that the kernel says when the bytes arrived."""

    def __init__(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
        self._sock = sock
        self.received: float | None = None  # wall clock, of the last bytes read

    def recv(self, size: int) -> bytes:
        data, ancillary, _, _ = self._sock.recvmsg(size, socket.CMSG_SPACE(_TIMESPEC.size))
        self.received = None
        for level, kind, payload in ancillary:
            if (level, kind) == (socket.SOL_SOCKET, _SO_TIMESTAMPNS) and len(payload) >= _TIMESPEC.size:
                seconds, nanoseconds = _TIMESPEC.unpack_from(payload)
                self.received = seconds + nanoseconds / 1e9
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _StampingHandler(RequestHandler):
    """aiohttp's connection protocol, noting when each read's bytes arrived before parsing them."""

    __slots__ = ("_kernel", "_stamps", "_wire_clock")

    def __init__(self, manager: web.Server, *, wire_clock: WireClock, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self._wire_clock = wire_clock
        self._stamps: deque[tuple[object, float]] = deque(maxlen=_PENDING)
        self._kernel: _KernelStamped | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        sock = getattr(transport, "_sock", None)  # what asyncio's socket transport reads from
        if sys.platform == "linux" and isinstance(sock, socket.socket):
            self._kernel = _KernelStamped(sock)
            transport._sock = self._kernel  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        now = self._wire_clock()
        if self._kernel is not None and self._kernel.received is not None:
            now += self._kernel.received - time.time()
        queued = len(self._messages)
        super().data_received(data)
        for message, _ in list(self._messages)[queued:]:
            # A request is known by its headers object, which aiohttp hands on to the web.Request as is.
            self._stamps.append((getattr(message, "headers", None), now))

    def take(self, headers: object) -> float | None:
        while self._stamps:
            stamped, at = self._stamps.popleft()
            if stamped is headers:
                return at
        return None


class _StampingServer(web.Server):
    def __init__(self, plain: web.Server, wire_clock: WireClock, **kwargs: Any) -> None:
        super().__init__(
            plain.request_handler,
            request_factory=plain.request_factory,
            handler_cancellation=plain.handler_cancellation,
            **kwargs,
        )
        self._wire_clock = wire_clock

    def __call__(self) -> RequestHandler:
        return _StampingHandler(self, wire_clock=self._wire_clock, loop=self._loop, **self._kwargs)


class _StampingRunner(web.AppRunner):
    """An `AppRunner` whose connections stamp requests; everything else is the app's own server."""

    __slots__ = ("_wire_clock",)

    def __init__(self, app: web.Application, wire_clock: WireClock, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._wire_clock = wire_clock

    async def _make_server(self) -> web.Server:
        plain = await super()._make_server()
        # The app's server, rebuilt with the same handler, factory and settings (aiohttp's Server has
        # no hook for the connection class).
        return _StampingServer(plain, self._wire_clock, **plain._kwargs)
