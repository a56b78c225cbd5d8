"""Typed failures of a club site.

The engine's retry policy is a match on these types, so each adapter must map every refusal the site
can give onto one of them, and anything it cannot read onto `PageNotUnderstood` - never a success.
"""

from __future__ import annotations

from datetime import datetime


class SiteError(Exception):
    """Base of every failure a site adapter raises; `str()` is safe to show a member."""


class LoginFailed(SiteError):
    """The club refused the username or password. Always told in our words: some clubs' refusals repeat
    the typed password."""

    def __init__(self) -> None:
        super().__init__("The club did not accept this login.")


class SessionExpired(SiteError):
    """The site sent us back to its login page; logging in again fixes it."""


class LoginRequired(SiteError):
    """The club shows this only to members who are logged in (a private site): log in first."""


class NotOpenYet(SiteError):
    def __init__(self, message: str, opens_at: datetime | None = None) -> None:
        super().__init__(message)
        self.opens_at = opens_at


class SlotTaken(SiteError):
    """Someone else holds or booked the slot."""


class LimitReached(SiteError):
    def __init__(self, message: str, which: str) -> None:
        super().__init__(message)
        #: "per-day", "future" or the site's own word for the limit
        self.which = which


class RateLimited(SiteError):
    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class InvalidRequest(SiteError):
    """The site says the request itself is wrong (unknown court, bad time, missing partner...)."""


class HoldExpired(SiteError):
    """The prepared token or hold lapsed before commit; prepare again."""


class TemporarilyUnavailable(SiteError):
    """5xx, timeout or connection failure: the outcome of a commit is unknown until checked."""


class RefusedByClub(SiteError):
    """A refusal the adapter recognises as a refusal but not which one; carries the club's words."""


class PageNotUnderstood(SiteError):
    def __init__(self, page: str, detail: str) -> None:
        super().__init__(f"the club's {page} page was not understood: {detail}")
        self.page = page
        self.detail = detail
