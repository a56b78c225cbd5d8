"""Serving a simulated peer on loopback: one place that binds, cleans up on failure and reports the URL."""

from __future__ import annotations

from aiohttp import web


async def serve(
    app: web.Application,
    host: str,
    port: int,
    *,
    shutdown_timeout: float = 0.5,
    handler_cancellation: bool = False,
) -> tuple[web.AppRunner, str]:
    """Serve `app` on host:port (port 0: any free port); the runner and the root URL actually bound.

    A short shutdown timeout drops answers still held back by injected latency instead of waiting.
    """
    runner = web.AppRunner(
        app, access_log=None, shutdown_timeout=shutdown_timeout, handler_cancellation=handler_cancellation
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
