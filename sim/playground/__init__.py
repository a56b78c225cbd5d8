"""The playground: a web chat page on 127.0.0.1 that plays one Telegram user against the Bot API
emulator, so anyone can try the whole bot in a browser (`make run` with no token)."""

from sim.playground.server import (
    PLAYGROUND_NAME,
    PLAYGROUND_USER,
    Release,
    RunningPlayground,
    start_playground,
)

__all__ = ["PLAYGROUND_NAME", "PLAYGROUND_USER", "Release", "RunningPlayground", "start_playground"]
