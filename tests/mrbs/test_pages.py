"""The MRBS page parsers on their own: real pages (rendered by the stand-in), altered pages, any text.

Whatever a parser is given, it returns what the page says or raises; a page it cannot read is always
PageNotUnderstood, never a success and never a claim the page does not make.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.sites.errors import (
    InvalidRequest,
    LimitReached,
    LoginFailed,
    LoginRequired,
    NotOpenYet,
    PageNotUnderstood,
    RefusedByClub,
    SessionExpired,
    SiteError,
    SlotTaken,
)
from booking.sites.mrbs import pages
from sim.mrbs import MrbsConfig, MrbsState
from sim.mrbs import pages as render
from sim.mrbs.state import Session, Violation
from tests.mrbs.helpers import NOON

DAY = dt.date(2026, 6, 12)


def state_and_session(username: str | None = "alice") -> tuple[MrbsState, Session]:
    state = MrbsState(MrbsConfig())
    state.config.clock_offset_s = NOON.timestamp() - state.now()
    session, _ = state.sessions.resolve(None, None, state.now(), 1440)
    session.username = username
    return state, session


def day_page(lang: str = "en") -> tuple[str, MrbsState]:
    state, session = state_and_session()
    state.config.max_per_day = None
    state.book("alice", 3, DAY, "18:00")
    state.book("bob", 4, DAY, "17:00", 120)
    state.book("bob", 6, DAY, "10:00")
    state.book("carol", 6, DAY, "10:00")
    return render.day_page(state, 1, DAY, session, lang), state


def conflict_page(lang: str, violations: list[Violation], clash: bool = True) -> str:
    state, session = state_and_session()
    conflicts = [state.book("bob", 4, DAY, "18:00")] if clash else []
    return render.conflict_page(state, lang, session, violations, conflicts, "index.php")


DAY_PAGE, _ = day_page()


# Reading real pages


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_day_view_is_read_from_its_structure(lang: str) -> None:
    html, state = day_page(lang)
    view = pages.parse_day_view(html, DAY, 1)
    assert [(r.id, r.name) for r in view.rooms] == [
        (3, "Court 1"),
        (4, "Court 2"),
        (6, "Court 3"),
        (8, "Court 4"),
    ]
    assert (view.area_id, view.resolution_s, view.starts[0], view.starts[-1]) == (
        1,
        3600,
        dt.time(7),
        dt.time(21),
    )
    assert view.first_slot_at == state.first_slot(DAY) and view.areas is None
    assert (view.username, view.csrf_token) == ("alice", re.search(r'content="([0-9a-f]{64})"', html)[1])
    assert view.cells[(3, dt.time(18))] == "booked" and view.cells[(3, dt.time(19))] == "free"
    assert [view.cells[(4, dt.time(h))] for h in (16, 17, 18, 19)] == ["free", "booked", "booked", "free"]
    assert view.cells[(6, dt.time(10))] == "booked" and len(view.cells) == 60
    own = next(e for e in view.entries.values() if e.room_id == 3)
    assert (own.start, own.minutes, own.writable) == (dt.time(18), 60, True)
    long = next(e for e in view.entries.values() if e.room_id == 4)
    assert (long.start, long.minutes, long.writable) == (dt.time(17), 120, False)
    shared = [e for e in view.entries.values() if e.room_id == 6]
    assert len(shared) == 2 and {e.writable for e in shared} == {False}


def test_an_admin_may_edit_every_booking_so_writable_is_on_all_of_them() -> None:
    state, session = state_and_session()
    state.config.admins.add("alice")
    state.book("bob", 4, DAY, "17:00", 120)
    view = pages.parse_day_view(render.day_page(state, 1, DAY, session, "en"), DAY, 1)
    assert [e.writable for e in view.entries.values()] == [True]


def test_an_area_without_rooms_is_named_as_such() -> None:
    state, session = state_and_session()
    with pytest.raises(pages.NoRooms, match="No rooms defined for this area"):
        pages.parse_day_view(render.day_page(state, 9, DAY, session, "en"), DAY)


def test_a_private_sites_login_form_asks_for_a_login_and_carries_its_token() -> None:
    _, session = state_and_session(None)
    html = render.login_page("en", session)
    with pytest.raises(LoginRequired):
        pages.parse_day_view(html, DAY)
    assert pages.parse_csrf(html, "login") == session.csrf
    with pytest.raises(SessionExpired):
        pages.parse_search(html)


@pytest.mark.parametrize(
    ("shown", "username", "is_theirs"),
    [
        ("alice", "alice", True),
        ("alice (Alice Archer)", "alice", True),
        ("Alice (Alice Archer)", "alice", True),
        ("alice (Ålice Ärcher)", "alice", True),
        ("Alice Archer (alice)", "alice", False),  # a display name is never compared
        ("malice (Malice)", "alice", False),
        ("alice2 (Alice Two)", "alice", False),
        ("bob (alice)", "alice", False),
        ("alice (", "alice", False),
    ],
)
def test_a_creator_is_compared_on_the_username_mrbs_shows_first(
    shown: str, username: str, is_theirs: bool
) -> None:
    assert pages.is_creator(shown, username) is is_theirs


def test_a_day_view_of_another_day_or_area_is_not_understood() -> None:
    with pytest.raises(PageNotUnderstood, match="2026-06-12, not 2026-06-13"):
        pages.parse_day_view(DAY_PAGE, DAY + dt.timedelta(days=1))
    with pytest.raises(PageNotUnderstood, match="area 1, not area 2"):
        pages.parse_day_view(DAY_PAGE, DAY, 2)


def test_search_results_and_nothing_found() -> None:
    state, session = state_and_session()
    entry = state.book("alice", 3, DAY, "18:00")
    found = pages.parse_search(
        render.search_page(state, "de", session, "alice", DAY, state.search("alice", DAY), 0)
    )
    assert found.rows == (pages.SearchRow(entry.id, "alice (Alice Archer)", entry.start, 1, 3),)
    empty = pages.parse_search(render.search_page(state, "en", session, "zed", DAY, [], 0))
    assert empty.rows == () and empty.username == "alice"


# Refusals, in English and German


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize(
    ("violations", "clash", "error", "detail"),
    [
        ([], True, SlotTaken, None),
        ([Violation("max_per_day_area", 1)], True, LimitReached, "per-day"),
        ([Violation("max_create_time_before", 7 * 86400)], False, NotOpenYet, None),
        ([Violation("max_create_time_before_start", 7 * 86400)], False, NotOpenYet, None),
        ([Violation("max_create_time_before", 7 * 86400)], True, SlotTaken, None),
        ([Violation("min_create_time_before", 0)], False, InvalidRequest, None),
        (
            [Violation("min_create_time_before", 0), Violation("max_per_day_area", 2)],
            True,
            LimitReached,
            "per-day",
        ),
    ],
)
def test_refusals_become_typed_errors(
    lang: str, violations: list[Violation], clash: bool, error: type[SiteError], detail: object
) -> None:
    refusal = pages.parse_booking_reply(conflict_page(lang, violations, clash))
    assert len(refusal.conflicts) == int(clash) and len(refusal.policies) == len(violations)
    result = pages.refusal_error(refusal)
    assert type(result) is error
    if isinstance(result, LimitReached):
        assert result.which == detail
    if isinstance(result, NotOpenYet):
        assert result.opens_at is None, "MRBS does not say when; the domain knows"


@pytest.mark.parametrize(
    ("text", "which"),
    [
        ("The maximum number of bookings per week per user across the whole system is 3", "per-week"),
        ("The maximum number of outstanding bookings per user in this area is 4", "future"),
        ("Die maximale Anzahl an ausstehenden Buchungen pro Benutzer in diesem Bereich beträgt 4", "future"),
        ("Die maximale Anzahl an Buchungen pro Monat und Benutzer im System beträgt 8", "per-month"),
        ("The maximum total length of bookings per day per user in this area is 2 hours", "time-per-day"),
        (
            "Die maximale Buchungszeit pro Woche pro Benutzer für diesen Bereich beträgt 4 Stunden",
            "time-per-week",
        ),
    ],
)
def test_every_limit_of_mrbs_is_named(text: str, which: str) -> None:
    error = pages.refusal_error(pages.Refusal((text,), ()))
    assert isinstance(error, LimitReached) and error.which == which


def test_a_policy_not_recognised_keeps_the_club_s_words() -> None:
    refusal = pages.Refusal(("Les réservations de type E ne sont pas autorisées",), ())
    error = pages.refusal_error(refusal)
    assert type(error) is RefusedByClub
    assert str(error) == "refused by the club: Les réservations de type E ne sont pas autorisées."
    duration = pages.refusal_error(pages.Refusal(("The maximum duration of a booking is 2 hours",), ()))
    assert type(duration) is InvalidRequest


def test_error_pages_of_mrbs() -> None:
    state, session = state_and_session()
    with pytest.raises(RefusedByClub, match="Invalid booking"):
        pages.parse_booking_reply(render.invalid_booking_page("en", session, "must_set_description"))
    with pytest.raises(InvalidRequest, match="Zugang verweigert"):
        pages.parse_cancel_reply(render.access_denied_page("de", session), "7")
    anonymous = state_and_session(None)[1]
    for html in (
        render.fatal_page("de", anonymous, "session_expired"),
        render.login_page("en", anonymous),
        render.day_page(state, 1, DAY, anonymous, "en"),
    ):
        with pytest.raises(SessionExpired):
            pages.parse_booking_reply(html)
    with pytest.raises(LoginFailed):
        pages.parse_login_reply(render.login_page("de", anonymous, "unknown_user"))
    with pytest.raises(SessionExpired):
        pages.parse_login_reply(render.fatal_page("en", anonymous, "session_expired"))


def test_a_proxy_page_is_not_understood_rather_than_a_lost_session() -> None:
    proxy = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
    for parse in (
        pages.parse_booking_reply,
        lambda h: pages.parse_cancel_reply(h, "7"),
        pages.parse_login_reply,
    ):
        with pytest.raises(PageNotUnderstood):
            parse(proxy)


# Pages that are not what they should be


def _every_parser(html: str) -> None:
    """Run every parser on `html`; each must raise PageNotUnderstood."""
    for parse in (
        lambda h: pages.parse_day_view(h, DAY),
        pages.parse_search,
        pages.parse_booking_reply,
        lambda h: pages.parse_cancel_reply(h, "7"),
        pages.parse_login_reply,
    ):
        with pytest.raises(PageNotUnderstood):
            parse(html)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_is_not_understood(text: str) -> None:
    _every_parser(text)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abdhilmnoprstuy#-_0123456789")), max_size=300))
def test_any_markup_is_not_understood(body: str) -> None:
    _every_parser(f"<!DOCTYPE html><html><head></head><body>{body}</body></html>")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=len(DAY_PAGE.rstrip()) - 1))
def test_a_day_view_cut_short_is_not_understood(cut: int) -> None:
    with pytest.raises(PageNotUnderstood):
        pages.parse_day_view(DAY_PAGE[:cut], DAY)


_CELLS = [m.span() for m in re.finditer(r"<td[^>]*>.*?</td>\n", DAY_PAGE, re.DOTALL)]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_CELLS))
def test_a_day_view_missing_a_cell_is_not_understood(span: tuple[int, int]) -> None:
    with pytest.raises(PageNotUnderstood):
        pages.parse_day_view(DAY_PAGE[: span[0]] + DAY_PAGE[span[1] :], DAY)


@pytest.mark.parametrize(
    ("old", "new"), [('rowspan="2"', 'rowspan="3"'), (' rowspan="2"', ""), ('rowspan="2"', 'rowspan="99"')]
)
def test_a_day_view_with_wrong_rowspans_is_not_understood(old: str, new: str) -> None:
    with pytest.raises(PageNotUnderstood):
        pages.parse_day_view(DAY_PAGE.replace(old, new), DAY)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('data-resolution="3600"', ""),
        ('data-seconds="25200"', 'data-seconds="25260"'),
        ("room=4&amp;hour=16", "room=3&amp;hour=16"),
        ('class="new"', 'class="mystery"'),
        ('data-id="', 'data-nothing="'),
        ('data-room="8"', 'data-room="6"'),
    ],
)
def test_a_day_view_with_altered_markup_is_not_understood(old: str, new: str) -> None:
    assert old in DAY_PAGE
    with pytest.raises(PageNotUnderstood):
        pages.parse_day_view(DAY_PAGE.replace(old, new, 1), DAY)


def test_a_refusal_without_reasons_is_not_understood() -> None:
    html = conflict_page("en", [], clash=True)
    stripped = re.sub(r"<ul>.*?</ul>", "", html, flags=re.DOTALL)
    with pytest.raises(PageNotUnderstood):
        pages.parse_booking_reply(stripped)
