"""A request serialised ahead of time on its own open connection, sent by one socket write.

At a release instant hundreds of members fire together from one event loop. Through aiohttp each
request costs ~0.15 ms of Python before its bytes leave, so the 200th would leave ~30 ms after the
first. Armed requests are built (cookies, headers, target) and connected in the last second before the
instant; firing them all is a loop of `transport.write` calls, a few microseconds each. The reply is
read with h11 and handed back as the same `Reply` the ordinary path produces, so parsing and error
mapping are shared.
"""

from __future__ import annotations

import asyncio
import ssl
from http.cookies import SimpleCookie

import aiohttp
import h11
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from booking.sites.errors import TemporarilyUnavailable
from booking.sites.http import Reply, check_status, decode


class ArmedRequest:
    def __init__(
        self,
        url: URL,
        session: aiohttp.ClientSession,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        connection: h11.Connection,
        payload: bytes,
        timeout_s: float,
    ) -> None:
        self._url = url
        self._connection = connection
        self._session = session
        self._reader = reader
        self._writer = writer
        self._payload = payload
        self._timeout_s = timeout_s
        self._fired = False

    @classmethod
    async def open(
        cls, session: aiohttp.ClientSession, method: str, url: URL, timeout_s: float
    ) -> ArmedRequest:
        """Connect and serialise now; raises TemporarilyUnavailable if the club cannot be reached."""
        host, port = url.raw_host or "", url.explicit_port or url.port or 80
        tls = ssl.create_default_context() if url.scheme == "https" else None
        try:
            async with asyncio.timeout(timeout_s):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=tls, server_hostname=host if tls else None
                )
        except (OSError, TimeoutError) as exc:
            raise TemporarilyUnavailable("The club's booking site could not be reached.") from exc
        headers = [
            ("Host", url.raw_authority),
            ("Accept", "text/html,application/xhtml+xml"),
            ("Accept-Encoding", "identity"),
            *((name, value) for name, value in session.headers.items() if name.lower() != "host"),
        ]
        cookies = session.cookie_jar.filter_cookies(url)
        if cookies:
            headers.append(("Cookie", "; ".join(f"{m.key}={m.value}" for m in cookies.values())))
        connection = h11.Connection(our_role=h11.CLIENT)
        payload = connection.send(h11.Request(method=method, target=url.raw_path_qs, headers=headers))
        payload += connection.send(h11.EndOfMessage()) or b""
        return cls(url, session, reader, writer, connection, payload, timeout_s)

    def fire(self) -> None:
        """Send the request: synchronous, so a gate can fire hundreds in one tight loop."""
        self._fired = True
        self._writer.write(self._payload)

    async def reply(self) -> Reply:
        """The answer, redirects not followed; 429 and 5xx raise as on the ordinary path."""
        if not self._fired:
            self.fire()
        try:
            async with asyncio.timeout(self._timeout_s):
                status, headers, body = await self._read()
        except TimeoutError as exc:
            raise TemporarilyUnavailable("The club's booking site took too long to answer.") from exc
        except (OSError, h11.ProtocolError) as exc:
            raise TemporarilyUnavailable("The club's booking site dropped the connection.") from exc
        finally:
            self.close()
        for value in headers.getall("Set-Cookie", []):
            self._session.cookie_jar.update_cookies(SimpleCookie(value), self._url)
        proxy = CIMultiDictProxy(headers)
        check_status(status, proxy)
        return Reply(status, self._url, decode(body, _charset(headers)), proxy)

    async def _read(self) -> tuple[int, CIMultiDict[str], bytes]:
        connection = self._connection
        status, headers, body = 0, CIMultiDict[str](), bytearray()
        while True:
            event = connection.next_event()
            if event is h11.NEED_DATA:
                connection.receive_data(await self._reader.read(65536))
            elif isinstance(event, h11.Response):
                status = event.status_code
                for name, value in event.headers:
                    headers.add(name.decode("latin-1"), value.decode("latin-1"))
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                if not status:
                    raise h11.RemoteProtocolError("the connection closed before an answer")
                return status, headers, bytes(body)

    def close(self) -> None:
        if not self._writer.is_closing():
            self._writer.close()


def _charset(headers: CIMultiDict[str]) -> str | None:
    for part in headers.get("Content-Type", "").split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset":
            return value.strip('"') or None
    return None
