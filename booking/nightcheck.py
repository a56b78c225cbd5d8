"""The night-before check: some hours before a request fires, make sure nothing we can see would make
it fail - while there is still time to fix it.

It logs in with the stored login, reads the day's grid and the member's bookings, and names each
problem in plain words: a changed password, a club limit already reached, a site we can no longer read.
"""

from __future__ import annotations

from booking.club import Club
from booking.models import BookingRequest, Credentials
from booking.sites.base import SiteAdapter
from booking.sites.errors import LoginFailed, PageNotUnderstood


async def night_before_problems(
    adapter: SiteAdapter, request: BookingRequest, club: Club, credentials: Credentials | None
) -> list[str]:
    """What would make the request fail, in words for the member; empty when all is well.

    Site faults (5xx, timeouts) propagate: a passing outage is not the member's to fix.
    """
    when = f"{request.day:%a %d %b}"
    if credentials is None:
        return [f"You have no club login stored, so your booking for {when} cannot run. Send /login."]
    try:
        await adapter.login(credentials.username, credentials.password)
    except LoginFailed:
        return [
            f"The club refused your stored login - has your password changed? Your booking for {when} "
            "will fail unless you send /login with the new one before it fires."
        ]
    try:
        await adapter.availability(request.day)
        bookings = await adapter.my_bookings()
    except PageNotUnderstood as error:
        return [
            f"The club's booking site has changed and courtbot cannot read it ({error.page} page), so your "
            f"booking for {when} may fail. Please tell whoever runs courtbot."
        ]
    problems = []
    rules = club.rules
    on_the_day = [b for b in bookings if b.slot.day == request.day]
    if rules.max_per_day is not None and len(on_the_day) >= rules.max_per_day:
        problems.append(
            f"You already have {_count(len(on_the_day), 'booking')} on {when}, the most the club allows in a "
            "day, so the club will refuse this one. Cancel one in /bookings if you want it."
        )
    if rules.max_future is not None and len(bookings) >= rules.max_future:
        problems.append(
            f"You already have {_count(len(bookings), 'upcoming booking')}, the club's limit, so the club will "
            f"refuse your booking for {when}. Cancel one in /bookings if you want it."
        )
    return problems


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
