"""A network path on loopback: a TCP proxy that holds each direction's bytes for a one-way delay plus
uniform jitter, keeping their order per direction (as TCP delivers them, however the packets travel).

Loopback answers in a tenth of a millisecond; a club on the internet is tens of milliseconds away, with
jitter. Put this between courtbot and a simulated club to see how the release race goes over a real
path. The connection set-up itself is not delayed (the kernel accepts it), only the bytes.

    python -m sim.netem --to 127.0.0.1:8081 --delay-ms 20 --jitter-ms 5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import signal
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from yarl import URL

#: How much earlier than due a delivery's timer is set (asyncio's selector waits in whole milliseconds).
_TIMER_SLACK_S = 0.0015


@dataclass(frozen=True)
class Path:
    """Each chunk of bytes takes `delay_s` ± `jitter_s` (uniform) to cross, never overtaking the last."""

    delay_s: float
    jitter_s: float = 0.0
    seed: int | None = None


class _Direction:
    """One way of one connection: delivers what it is fed to `transport` later, in order."""

    def __init__(self, path: Path, rng: random.Random) -> None:
        self._path = path
        self._rng = rng
        self._loop = asyncio.get_running_loop()
        self._last = 0.0
        self._queue: deque[tuple[float, Callable[[bytes], None], bytes]] = deque()  # (due, action, data)
        self._pending: list[bytes] = []  # due before the far side was connected
        self._closed = False
        self.transport: asyncio.Transport | None = None

    def feed(self, data: bytes) -> None:
        self._at_next(self._send, data)

    def close_after(self) -> None:
        """Close the far side once everything fed so far has been delivered."""
        self._at_next(self._close, b"")

    def _at_next(self, action: Callable[[bytes], None], data: bytes) -> None:
        crossing = self._path.delay_s + self._rng.uniform(-self._path.jitter_s, self._path.jitter_s)
        self._last = max(self._loop.time() + max(crossing, 0.0), self._last)
        self._queue.append((self._last, action, data))
        if len(self._queue) == 1:
            self._loop.call_at(self._last - _TIMER_SLACK_S, self._due)

    def _due(self) -> None:
        """Deliver what is due, in order (one timer per direction: asyncio's timers for the same instant
        may run in any order). The timer is set early, as it wakes up to a millisecond late; the rest of
        the wait is spent here, yielding to the loop."""
        if self._queue[0][0] > self._loop.time():
            self._loop.call_soon(self._due)
            return
        while self._queue and self._queue[0][0] <= self._loop.time():
            _, action, data = self._queue.popleft()
            action(data)
        if self._queue:
            self._loop.call_at(self._queue[0][0] - _TIMER_SLACK_S, self._due)

    def connected(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        for data in self._pending:
            transport.write(data)
        self._pending.clear()
        if self._closed:
            transport.close()

    def _send(self, data: bytes) -> None:
        if self.transport is None:
            self._pending.append(data)
        elif not self.transport.is_closing():
            self.transport.write(data)

    def _close(self, _: bytes) -> None:
        self._closed = True
        if self.transport is not None:
            self.transport.close()


class _Side(asyncio.Protocol):
    """One socket of a proxied connection: what it reads goes `out`; its own end closes when told."""

    def __init__(self, out: _Direction, back: _Direction) -> None:
        self._out = out
        self._back = back

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._back.connected(transport)

    def data_received(self, data: bytes) -> None:
        self._out.feed(data)

    def eof_received(self) -> bool:
        self._out.close_after()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._out.close_after()


class Netem:
    """A running proxy: `url` reaches the target through the path."""

    def __init__(self, server: asyncio.Server, url: str, connecting: set[asyncio.Task[None]]) -> None:
        self._server = server
        self._connecting = connecting
        self.url = url

    async def stop(self) -> None:
        self._server.close()
        for task in self._connecting:
            task.cancel()
        with contextlib.suppress(Exception):
            await self._server.wait_closed()


async def start_netem(target: str, path: Path, host: str = "127.0.0.1", port: int = 0) -> Netem:
    """Listen on host:port (0: any free port) and forward every connection to `target` (host:port or a
    URL) through `path`, both ways."""
    far = URL(target if "://" in target else f"tcp://{target}")
    rng = random.Random(path.seed)
    loop = asyncio.get_running_loop()
    connecting: set[asyncio.Task[None]] = set()

    def accept() -> _Side:
        upstream, downstream = _Direction(path, rng), _Direction(path, rng)
        near = _Side(out=upstream, back=downstream)

        async def connect() -> None:
            try:
                await loop.create_connection(lambda: _Side(out=downstream, back=upstream), far.host, far.port)
            except OSError:
                if downstream.transport is not None:
                    downstream.transport.close()

        task = loop.create_task(connect())
        connecting.add(task)
        task.add_done_callback(connecting.discard)
        return near

    server = await loop.create_server(accept, host, port)
    bound_host, bound_port = server.sockets[0].getsockname()[:2]
    return Netem(server, f"http://{bound_host}:{bound_port}", connecting)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m sim.netem", description="A TCP proxy that delays each direction's bytes."
    )
    parser.add_argument("--to", required=True, metavar="HOST:PORT", help="where to forward to")
    parser.add_argument("--listen", default="127.0.0.1:0", metavar="HOST:PORT", help="(default: %(default)s)")
    parser.add_argument("--delay-ms", type=float, required=True, help="one-way delay, each direction")
    parser.add_argument("--jitter-ms", type=float, default=0.0, help="± this, uniformly (default: 0)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the jitter dice")
    args = parser.parse_args()
    if args.delay_ms < 0 or args.jitter_ms < 0:
        parser.error("--delay-ms and --jitter-ms must not be negative")
    host, _, port = args.listen.rpartition(":")
    path = Path(args.delay_ms / 1000, args.jitter_ms / 1000, args.seed)
    asyncio.run(_serve(args.to, path, host, int(port)))


async def _serve(target: str, path: Path, host: str, port: int) -> None:
    netem = await start_netem(target, path, host, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    print(
        f"netem is forwarding {netem.url} to {target}, "
        f"{path.delay_s * 1000:g} ± {path.jitter_s * 1000:g} ms each way  (Ctrl-C to stop)",
        flush=True,
    )
    try:
        await stop.wait()
    finally:
        await netem.stop()


if __name__ == "__main__":
    main()
