"""Cookie sessions with a CSRF token each, expiring after an idle time as real club sites do."""

from __future__ import annotations

import hmac
import secrets

from sim.club.model import Session

COOKIE = "dc_session"


class SessionStore:
    def __init__(self) -> None:
        self._by_id: dict[str, Session] = {}

    def create(self, now: float) -> Session:
        session = Session(secrets.token_urlsafe(18), secrets.token_urlsafe(24), None, now)
        self._by_id[session.sid] = session
        return session

    def peek(self, sid: str | None, now: float, idle_s: float) -> Session | None:
        """The live session for a cookie value, without counting this as activity."""
        session = self._by_id.get(sid or "")
        if session is None:
            return None
        if now - session.last_seen > idle_s:
            del self._by_id[session.sid]
            return None
        return session

    def touch(self, sid: str | None, now: float, idle_s: float) -> Session | None:
        """The live session for a cookie value; a request on it restarts the idle time."""
        session = self.peek(sid, now, idle_s)
        if session is not None:
            session.last_seen = max(session.last_seen, now)
        return session

    def end(self, sid: str) -> None:
        self._by_id.pop(sid, None)

    def expire_all(self) -> int:
        """Forced expiry (a fault): every client must log in again. Returns how many were live."""
        count = len(self._by_id)
        self._by_id.clear()
        return count

    def all(self) -> list[Session]:
        return list(self._by_id.values())


def csrf_ok(session: Session | None, token: str | None) -> bool:
    return (
        session is not None
        and token is not None
        and hmac.compare_digest(session.csrf.encode(), token.encode())
    )
