"""Small readers the platforms' HTML parsers share (MRBS, LibreBooking): each failure is PageNotUnderstood
naming the page, so a page we cannot read is never a crash or a wrong success."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from booking.sites.errors import PageNotUnderstood

_END = re.compile(r"</html\s*>\Z", re.IGNORECASE)
_WHOLE_NUMBER = re.compile(r"[0-9]{1,12}")


def soup(html: str, page: str, *, whole: bool = True) -> BeautifulSoup:
    """The parsed page; a whole page (not an AJAX fragment) must end with </html>."""
    if not html.strip():
        raise PageNotUnderstood(page, "the page was empty")
    if whole and not _END.search(html.rstrip()[-16:]):
        # html.parser reads a cut-off page as a shorter one: a day would silently lose its later rows.
        raise PageNotUnderstood(page, "the page is incomplete (it does not end with </html>)")
    try:
        return BeautifulSoup(html, "html.parser")
    except Exception as exc:  # html.parser rejects some malformed markup outright
        raise PageNotUnderstood(page, "the markup could not be parsed") from exc


def attr(tag: Tag, name: str, page: str) -> str:
    value = tag.get(name)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise PageNotUnderstood(page, f"a <{tag.name}> lacks {name}")


def whole_number(value: str, page: str) -> int:
    if not _WHOLE_NUMBER.fullmatch(value.strip()):
        raise PageNotUnderstood(page, f"{value[:20]!r} is not a whole number")
    return int(value)


def words(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def login_form(page: BeautifulSoup) -> Tag | None:
    """The form holding a password field: a site's login form, wherever it shows it."""
    field = page.find("input", attrs={"name": "password", "type": "password"})
    form = field.find_parent("form") if isinstance(field, Tag) else None
    return form if isinstance(form, Tag) else None
