"""aioresponses, made to work with the aiohttp in use.

aioresponses 0.7.9 (the newest) builds `ClientResponse` without the `stream_writer` argument that
aiohttp 3.14 requires, so every mocked request fails with a TypeError. This subclass defaults each
mock's `response_class` to one that supplies a stand-in writer (only its `output_size` is read).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import aiohttp
from aioresponses import CallbackResult, aioresponses
from yarl import URL


class _Response(aiohttp.ClientResponse):
    def __init__(self, method: str, url: URL, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", SimpleNamespace(output_size=0))
        super().__init__(method, url, **kwargs)


class ClubMock(aioresponses):
    def add(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("response_class", _Response)
        super().add(*args, **kwargs)


def reply(**kwargs: Any) -> CallbackResult:
    """What a mock's callback returns, with the same compatible response class."""
    return CallbackResult(response_class=_Response, **kwargs)
