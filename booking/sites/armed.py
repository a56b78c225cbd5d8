"""A request serialised ahead of time on its own open connection, sent by one socket write.

At a release instant hundreds of members fire together from one event loop. Through aiohttp each
request costs ~0.15 ms of Python before its bytes leave, so the 200th would leave ~30 ms after the
first. Armed requests are built (method, cookies, headers, target and body: a form or JSON) and
connected in the last second before the instant; firing them all is a loop of `transport.write` calls,
a few microseconds each. The reply is read with h11 and handed back as the same `Reply` the ordinary path
produces, so parsing and error mapping are shared.

Whatever a platform's first request at the release is - democlub's hold (a GET), MRBS's booking (a form
POST), LibreBooking's reservation (a JSON POST, or its web form) - it is armed the same way. Where that
request is the booking itself, `ArmedCommit` hands its answer to the adapter's `commit`, which reads it
instead of sending (see `SiteAdapter.arm`). A request whose form is known only at the last moment
(democlub's commit names the hold its first request was given) is armed too, and given its form as it is
fired: serialising it then is a few tens of microseconds, where aiohttp takes ~0.5 ms to send it.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import Mapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

import aiohttp
import h11
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from booking.sites.base import Prepared
from booking.sites.errors import TemporarilyUnavailable
from booking.sites.http import Reply, check_status, decode

#: `Prepared.data` key under which an armed booking request leaves the club's answer for `commit`
SENT = "sent"


class ArmedRequest:
    def __init__(
        self,
        url: URL,
        session: aiohttp.ClientSession,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        method: str,
        fields: CIMultiDict[str],
        timeout_s: float,
    ) -> None:
        self._url = url
        self._method = method
        self._fields = fields  # every header but the body's
        self._connection = h11.Connection(our_role=h11.CLIENT)
        self._session = session
        self._reader = reader
        self._writer = writer
        self._payload = b""
        self._timeout_s = timeout_s
        self._fired = False

    @classmethod
    async def open(
        cls,
        session: aiohttp.ClientSession,
        method: str,
        url: URL,
        timeout_s: float,
        *,
        headers: Mapping[str, str] | None = None,
        form: Mapping[str, str] | None = None,
        json_body: Any = None,
    ) -> ArmedRequest:
        """Connect and serialise now; raises TemporarilyUnavailable if the club cannot be reached.

        `headers` are added to (or replace) the session's; the body is `form` (URL-encoded) or
        `json_body`, as aiohttp would send them.
        """
        host, port = url.raw_host or "", url.explicit_port or url.port or 80
        tls = ssl.create_default_context() if url.scheme == "https" else None
        try:
            async with asyncio.timeout(timeout_s):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=tls, server_hostname=host if tls else None
                )
        except (OSError, TimeoutError) as exc:
            raise TemporarilyUnavailable("The club's booking site could not be reached.") from exc
        fields = CIMultiDict[str](
            {"Accept": "text/html,application/xhtml+xml", "Accept-Encoding": "identity"}
        )
        fields.update(session.headers)
        fields.update(headers or {})
        fields["Host"] = url.raw_authority
        cookies = session.cookie_jar.filter_cookies(url)
        if cookies:
            fields["Cookie"] = "; ".join(f"{m.key}={m.value}" for m in cookies.values())
        armed = cls(url, session, reader, writer, method, fields, timeout_s)
        armed._serialise(form, json_body)
        return armed

    def _serialise(self, form: Mapping[str, str] | None, json_body: Any) -> None:
        body, content_type = _body(form, json_body)
        fields = CIMultiDict[str](self._fields)
        if content_type:
            fields["Content-Type"] = content_type
        if body or self._method not in ("GET", "HEAD"):
            fields["Content-Length"] = str(len(body))
        self._connection = h11.Connection(our_role=h11.CLIENT)
        request = h11.Request(method=self._method, target=self._url.raw_path_qs, headers=list(fields.items()))
        payload = self._connection.send(request) or b""
        if body:
            payload += self._connection.send(h11.Data(data=body)) or b""
        self._payload = payload + (self._connection.send(h11.EndOfMessage()) or b"")

    @property
    def ready(self) -> bool:
        """Not sent yet, and its connection still open (a club may close one it was given no request on)."""
        return not self._fired and not self._writer.is_closing() and not self._reader.at_eof()

    def fire(self, form: Mapping[str, str] | None = None) -> None:
        """Send the request: synchronous, so a gate can fire hundreds in one tight loop. `form` is its body,
        in place of the one it was armed with, for a form known only as it is sent."""
        if form is not None:
            self._serialise(form, None)
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


class ArmedCommit:
    """A platform's booking request armed whole (MRBS, LibreBooking: booking is one request).

    `prepared()` waits for the club's answer and returns `prepared` with that answer under `SENT`, so the
    engine's flow stays "prepared, then commit": the adapter's `commit` reads the answer instead of
    sending. It raises only what sending would (transport trouble, 429, 5xx).
    """

    def __init__(self, request: ArmedRequest, prepared: Prepared) -> None:
        self._request = request
        self._prepared = prepared

    def fire(self) -> None:
        self._request.fire()

    async def prepared(self) -> Prepared:
        reply = await self._request.reply()
        return Prepared(self._prepared.slot, {**self._prepared.data, SENT: reply})

    def close(self) -> None:
        self._request.close()


def sent_reply(prepared: Prepared) -> Reply | None:
    """The club's answer to a booking request an armed commit already sent, if this one was armed."""
    reply = prepared.data.get(SENT)
    return reply if isinstance(reply, Reply) else None


def _body(form: Mapping[str, str] | None, json_body: Any) -> tuple[bytes, str | None]:
    if form is not None and json_body is not None:
        raise ValueError("an armed request has one body: a form or JSON")
    if form is not None:
        return urlencode(dict(form)).encode(), "application/x-www-form-urlencoded"
    if json_body is not None:
        return json.dumps(json_body).encode(), "application/json"
    return b"", None


def _charset(headers: CIMultiDict[str]) -> str | None:
    for part in headers.get("Content-Type", "").split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset":
            return value.strip('"') or None
    return None
