"""The night-before check: some hours before a request fires, make sure nothing we can see would make
it fail - while there is still time to fix it.

It logs in with the stored login, reads the day's grid and the member's bookings, and names each
problem by its code: a changed password, a club limit already reached, a site we can no longer read.
"""

from __future__ import annotations

from booking.club import Club
from booking.models import BookingRequest, Credentials
from booking.reasons import Code, Reason
from booking.sites.base import SiteAdapter
from booking.sites.errors import LoginFailed, PageNotUnderstood


async def night_before_problems(
    adapter: SiteAdapter, request: BookingRequest, club: Club, credentials: Credentials | None
) -> list[Reason]:
    """What would make the request fail, for the member to hear; empty when all is well.

    Site faults (5xx, timeouts) propagate: a passing outage is not the member's to fix.
    """
    day = request.day
    if credentials is None:
        return [Reason(Code.NIGHT_NO_LOGIN, {"day": day})]
    try:
        await adapter.login(credentials.username, credentials.password)
    except LoginFailed:
        return [Reason(Code.NIGHT_LOGIN_REFUSED, {"day": day})]
    try:
        await adapter.availability(request.day)
        bookings = await adapter.my_bookings()
    except PageNotUnderstood as error:
        return [Reason(Code.SITE_CHANGED, {"day": day, "page": error.page})]
    problems = []
    rules = club.rules
    on_the_day = [b for b in bookings if b.slot.day == request.day]
    if rules.max_per_day is not None and len(on_the_day) >= rules.max_per_day:
        problems.append(Reason(Code.DAY_LIMIT, {"day": day, "count": len(on_the_day)}))
    if rules.max_future is not None and len(bookings) >= rules.max_future:
        problems.append(Reason(Code.FUTURE_LIMIT, {"day": day, "count": len(bookings)}))
    return problems
