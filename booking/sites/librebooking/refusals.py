"""LibreBooking's refusals, typed from its words (it gives no codes), in English and German.

LibreBooking reports only the first rule a reservation breaks, in the request's language (the `language`
cookie, else the site's), through the API's `errors` and the web form's failure fragment alike. The texts
are those of its lang/en_us.php and lang/de_de.php; anything not recognised is passed on in the club's
own words as RefusedByClub, never read as a success.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from booking.sites.errors import (
    InvalidRequest,
    LimitReached,
    NotOpenYet,
    RefusedByClub,
    SiteError,
    SlotTaken,
)

_TAKEN = re.compile(
    r"there are conflicting reservations on the following dates"
    r"|es gibt in konflikt stehende reservierungen an folgenden tagen"
)
_NOT_OPEN = re.compile(
    r"this reservation cannot be made this far in the future|die reservierung liegt zu weit in der zukunft"
)
_PAST = re.compile(
    r"the start date and time cannot be in the past|der startzeitpunkt darf nicht in der vergangenheit liegen"
)
_QUOTA = re.compile(
    r"are limited to [0-9.,]+ \S+ per (?P<en>day|week|month|year)"
    r"|sind limitiert auf [0-9.,]+ \S+ pro (?P<de>tag|woche|monat|jahr)"
)
_QUOTA_PLAIN = re.compile(r"quota limit exceeded|kontingentgrenze überschritten")
_PERIODS = {"day": "per-day", "tag": "per-day", "week": "per-week", "woche": "per-week",
            "month": "per-month", "monat": "per-month", "year": "per-year", "jahr": "per-year"}  # fmt: skip
_INVALID = re.compile(
    r"the (?:start|end) date and time requested is not valid"
    r"|die angeforderte (?:start|end)zeit ist nicht gültig"
    r"|this reservation cannot last longer than|diese reservierung kann nicht länger als"
    r"|this reservation must last at least|diese reservierung muss mindestens"
    r"|the start date and time must be before the end date and time"
    r"|der startzeitpunkt muss vor dem endzeitpunkt liegen"
    r"|there were problems with your reservation request|es gab probleme mit ihrer reservierungsanfrage"
)


def refusal_error(messages: Sequence[str]) -> SiteError:
    """The typed error for LibreBooking's refusal, the most decisive reason first: a limit or a request
    the club will never take ends the request, a clash moves on to the next choice, "too far in the
    future" waits (the caller adds when it opens)."""
    words = [" ".join(m.casefold().split()) for m in messages]
    said = " ".join(" ".join(m.split()) for m in messages)
    for text in words:
        quota = _QUOTA.search(text)
        if quota is not None:
            return LimitReached(
                f"The club's booking limit stops this: {said}", _PERIODS[quota["en"] or quota["de"]]
            )
        if _QUOTA_PLAIN.search(text):
            return LimitReached(f"The club's booking limit stops this: {said}", "quota")
    if any(_PAST.search(text) for text in words):
        return InvalidRequest(f"The club no longer takes this booking: {said}")
    if any(_INVALID.search(text) for text in words):
        return InvalidRequest(f"The club does not take this booking: {said}")
    if any(_TAKEN.search(text) for text in words):
        return SlotTaken("Someone else has booked that court at that time.")
    if any(_NOT_OPEN.search(text) for text in words):
        return NotOpenYet("That slot is not open for booking yet.")
    return RefusedByClub(f"refused by the club: {said}")
