"""sim.netem: a TCP path on loopback with a one-way delay and jitter, order kept."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path as FsPath

import pytest

from sim.netem import Path, start_netem

ROOT = FsPath(__file__).resolve().parents[2]


@pytest.fixture
async def echo() -> AsyncIterator[str]:
    """A server that sends back every byte it reads, as host:port."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            writer.write(data)
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    yield f"{host}:{port}"
    server.close()


async def open_through(url: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return await asyncio.open_connection(host, int(port))


async def test_each_way_takes_the_delay(echo: str) -> None:
    netem = await start_netem(echo, Path(0.05))
    reader, writer = await open_through(netem.url)
    started = time.perf_counter()
    writer.write(b"ping")
    assert await reader.readexactly(4) == b"ping"
    assert 0.1 <= time.perf_counter() - started < 0.3  # 50 ms out, 50 ms back
    writer.close()
    await netem.stop()


async def test_jitter_never_reorders_a_direction(echo: str) -> None:
    netem = await start_netem(echo, Path(0.01, jitter_s=0.009, seed=3))
    reader, writer = await open_through(netem.url)
    chunks = [b"%04d;" % i for i in range(200)]
    for chunk in chunks:
        writer.write(chunk)
        await asyncio.sleep(0.0005)  # separate reads at the proxy, each with its own delay
    assert await reader.readexactly(len(b"".join(chunks))) == b"".join(chunks)
    writer.close()
    await netem.stop()


async def test_the_command_line_forwards_until_stopped(echo: str) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sim.netem", "--to", echo, "--delay-ms", "5", "--jitter-ms", "1",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode()
    assert f"to {echo}, 5 ± 1 ms each way" in line
    reader, writer = await open_through(line.split()[3])
    writer.write(b"hello")
    assert await reader.readexactly(5) == b"hello"
    writer.close()
    proc.terminate()
    assert await asyncio.wait_for(proc.wait(), 10) == 0
