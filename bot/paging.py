"""Long lists a page at a time, so a member with 90 bookings (or an admin with 200 members) still gets a
message Telegram takes and buttons a thumb can find."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

#: items on one page: a screenful, each with its button
PER_PAGE = 10
#: characters of items on one page, leaving room under Telegram's 4096 for headings and notes
PAGE_BUDGET = 3000


def paginate(
    items: Sequence[T], size: Callable[[T], int], *, per_page: int = PER_PAGE, budget: int = PAGE_BUDGET
) -> list[list[T]]:
    """The items in order, cut into pages of at most `per_page` whose sizes add up to at most `budget`
    (an item larger than that has a page of its own); always at least one page."""
    pages: list[list[T]] = [[]]
    used = 0
    for item in items:
        cost = size(item)
        if pages[-1] and (len(pages[-1]) == per_page or used + cost > budget):
            pages.append([])
            used = 0
        pages[-1].append(item)
        used += cost
    return pages


def clamp(page: int, pages: int) -> int:
    """A page that exists (the list may have shrunk since the member turned to it)."""
    return min(max(page, 0), pages - 1)
