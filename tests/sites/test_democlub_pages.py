"""democlub page parsing: right values from good pages, typed errors from everything else."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.sites.base import CellState
from booking.sites.democlub import pages
from booking.sites.errors import (
    HoldExpired,
    InvalidRequest,
    LimitReached,
    LoginFailed,
    NotOpenYet,
    PageNotUnderstood,
    RefusedByClub,
    SessionExpired,
    SiteError,
    SlotTaken,
)
from sim.club import pages as club_pages
from sim.club.config import ClubConfig
from sim.club.model import Hold, Slot
from tests.sites import democlub_html as html
from tests.sites.democlub_html import DAY

ROW = ("DC-9", "7", DAY, "19:00", 120)

#: every parser as "html -> value", with a valid page for it and the label its errors carry
PARSERS: dict[str, tuple[Callable[[str], object], str]] = {
    "login": (pages.parse_login_form, html.login_page()),
    "rules": (pages.parse_rules, html.rules_page()),
    "availability": (lambda text: pages.parse_grid(text, DAY), html.grid_page()),
    "booking form": (pages.parse_confirm_form, html.confirm_page()),
    "booking confirmation": (pages.parse_confirmation, html.booked_page()),
    "my bookings": (pages.parse_my_bookings, html.my_bookings_page((ROW,))),
}


def _not_understood(page: str, parse: Callable[[str], object], text: str) -> PageNotUnderstood:
    with pytest.raises(PageNotUnderstood) as caught:
        parse(text)
    assert caught.value.page == page
    return caught.value


def test_login_form_token() -> None:
    assert pages.parse_login_form(html.login_page(csrf="abc")) == "abc"


def test_login_form_without_token_is_not_understood() -> None:
    _not_understood("login", pages.parse_login_form, html.login_page(csrf=""))


def test_login_result_member_page_gives_session_token() -> None:
    assert pages.parse_login_result(html.grid_page(), "Alice") == "tok-1"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (html.login_page(error="login-failed"), LoginFailed),
        (html.login_page(error="csrf"), SessionExpired),
        (html.login_page(), PageNotUnderstood),
        (html.page("courts", "", member="bob"), PageNotUnderstood),
        (html.page("courts", "", member=None), PageNotUnderstood),
        (html.proxy_page(), PageNotUnderstood),
    ],
)
def test_login_result_failures(text: str, error: type[SiteError]) -> None:
    with pytest.raises(error):
        pages.parse_login_result(text, "alice")


def test_rules() -> None:
    parsed = pages.parse_rules(html.rules_page(max_future="none", partner_required="true"))
    rules = parsed.rules
    assert (rules.release.days, rules.release.opens_at) == (7, time(7, 0))
    assert rules.timezone.key == "Europe/London"
    assert (rules.opens, rules.closes, rules.slot_minutes, rules.durations) == (
        time(7),
        time(22),
        60,
        (60, 120),
    )
    assert (rules.max_per_day, rules.max_future, rules.partner_required, rules.hold_before_open) == (
        1,
        None,
        True,
        False,
    )
    assert parsed.courts == html.COURTS


@pytest.mark.parametrize(
    "text",
    [
        html.rules_page(timezone="Mars/Olympus"),
        html.rules_page(window_days="seven"),
        html.rules_page(opens_at="7am"),
        html.rules_page(slot_minutes="0"),
        html.rules_page(partner_required="yes"),
        html.rules_page(courts=()),
        html.rules_page(courts=(("5", "A"), ("5", "B"))),
    ],
)
def test_rules_not_understood(text: str) -> None:
    _not_understood("rules", pages.parse_rules, text)


def test_grid_states_and_token() -> None:
    grid = pages.parse_grid(html.grid_page(states={("7", "18:00"): "booked", ("5", "09:00"): "mine"}), DAY)
    assert grid.court_ids == ("5", "7", "9", "11")
    assert len(grid.cells) == 4 * 15
    assert grid.cells[("7", time(18))] is CellState.BOOKED
    assert grid.cells[("5", time(9))] is CellState.MINE
    assert grid.cells[("11", time(21))] is CellState.FREE
    assert grid.csrf_token == "tok-1"


def test_a_slot_not_released_yet_is_free_and_a_past_one_closed() -> None:
    text = html.grid_page(states={("5", "09:00"): "closed", ("7", "18:00"): "closed"})
    text = text.replace('"5" data-state="closed"', '"5" data-state="closed" data-reason="past"')
    not_open = 'data-reason="not-open" data-opens-at="2030-05-28T06:00:00+00:00"'
    grid = pages.parse_grid(
        text.replace('"7" data-state="closed"', f'"7" data-state="closed" {not_open}'), DAY
    )
    assert grid.cells[("5", time(9))] is CellState.CLOSED
    assert grid.cells[("7", time(18))] is CellState.FREE, "whether it is released is the domain's to say"


def test_login_page_instead_of_grid_is_session_expired() -> None:
    with pytest.raises(SessionExpired):
        pages.parse_grid(html.login_page(), DAY)


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        (html.proxy_page(), "without a page name"),
        (html.grid_page()[:-300], "incomplete"),
        (html.grid_page(day=date(2030, 6, 5)), "2030-06-05"),
        (html.grid_page().replace('data-state="free"', 'data-state="available"', 1), "unknown state"),
        (html.grid_page().replace(' data-time="08:00"', "", 1), "no time"),
        (html.grid_page().replace('<td data-court-id="9"', '<td data-court-ix="9"', 1), "one cell per court"),
        (html.grid_page().replace('<table id="grid"', '<table id="slots"', 1), "table#grid"),
        (html.grid_page().replace('data-page="courts"', 'data-page="home"', 1), "'home'"),
        (html.grid_page().replace('data-time="08:00"', 'data-time="07:00"', 1), "twice"),
        ('{"grid": []}', "incomplete"),
    ],
)
def test_grid_not_understood(text: str, detail: str) -> None:
    error = _not_understood("availability", lambda t: pages.parse_grid(t, DAY), text)
    assert detail in error.detail
    assert str(error).startswith("the club's availability page was not understood")


def test_confirm_form() -> None:
    form = pages.parse_confirm_form(html.confirm_page(hold_id="H-7", csrf="c-2", required=True))
    assert form == pages.ConfirmForm("c-2", "H-7", True)


def test_confirm_form_without_hold_is_not_understood() -> None:
    _not_understood("booking form", pages.parse_confirm_form, html.confirm_page(hold_id=""))


@pytest.mark.parametrize(
    ("code", "attrs", "error"),
    [
        ("taken", {}, SlotTaken),
        ("limit", {"limit": "per-day"}, LimitReached),
        ("invalid", {"field": "court"}, InvalidRequest),
        ("hold-expired", {}, HoldExpired),
        ("csrf", {}, SessionExpired),
        ("login-failed", {}, LoginFailed),
        ("closed-for-rain", {}, RefusedByClub),
    ],
)
def test_error_codes_are_typed_on_every_page(
    code: str, attrs: dict[str, str], error: type[SiteError]
) -> None:
    for parse, _ in PARSERS.values():
        with pytest.raises(error):
            parse(html.error_page(code, **attrs))


def test_not_open_carries_opening_instant() -> None:
    with pytest.raises(NotOpenYet) as caught:
        pages.parse_confirm_form(html.error_page("not-open", opens_at="2030-05-28T06:00:00+00:00"))
    assert caught.value.opens_at == datetime(2030, 5, 28, 6, tzinfo=UTC)


def test_limit_says_which_and_unknown_code_keeps_the_clubs_words() -> None:
    with pytest.raises(LimitReached) as limit:
        pages.parse_confirmation(html.error_page("limit", limit="future"))
    assert limit.value.which == "future"
    with pytest.raises(RefusedByClub, match="Sorry, that did not work"):
        pages.parse_confirmation(html.error_page("closed-for-rain"))


def test_confirmation() -> None:
    booking = pages.parse_confirmation(html.booked_page("DC-42", "9", DAY, "20:00", 120))
    assert booking == pages.SiteBooking("DC-42", "9", DAY, time(20), 120)


@pytest.mark.parametrize(
    "text",
    [
        html.booked_page(reference=""),
        html.booked_page().replace(' data-reference="DC-1"', ""),
        html.booked_page(time="25:00"),
        html.booked_page().replace('id="confirmation"', 'id="receipt"'),
        html.proxy_page(200),
        html.grid_page(),
    ],
)
def test_confirmation_not_understood(text: str) -> None:
    _not_understood("booking confirmation", pages.parse_confirmation, text)


def test_my_bookings_rows_and_notice() -> None:
    listed = pages.parse_my_bookings(html.my_bookings_page((ROW,), cancelled="DC-3"))
    assert listed.bookings == (pages.SiteBooking("DC-9", "7", DAY, time(19), 120),)
    assert listed.cancelled == "DC-3"
    assert pages.parse_my_bookings(html.my_bookings_page()).bookings == ()


def test_my_bookings_row_without_reference_is_not_understood() -> None:
    text = html.my_bookings_page((ROW,)).replace(' data-reference="DC-9"', "")
    _not_understood("my bookings", pages.parse_my_bookings, text)
    _not_understood("cancellation", lambda t: pages.parse_my_bookings(t, "cancellation"), text)


@pytest.mark.parametrize(("label", "case"), PARSERS.items(), ids=list(PARSERS))
def test_valid_fixture_parses(label: str, case: tuple[Callable[[str], object], str]) -> None:
    parse, text = case
    assert parse(text) is not None


REQUIRED_ATTRS = {
    "login": ["data-page", 'name="csrf_token"', 'name="username"'],
    "rules": [
        "data-window-days",
        "data-opens-at",
        "data-timezone",
        "data-slot-minutes",
        "data-open-from",
        "data-open-until",
        "data-max-slots",
        "data-partner-required",
        "data-hold-before-open",
        "data-court-id",
    ],
    "availability": ["data-page", "data-date", "data-court-id", "data-time", "data-state"],
    "booking form": ["data-page", 'name="csrf_token"', 'name="hold_id"', 'name="partner"', "data-required"],
    "booking confirmation": [
        "data-page",
        "data-reference",
        "data-court-id",
        "data-date",
        "data-time",
        "data-duration",
    ],
    "my bookings": [
        "data-page",
        "data-reference",
        "data-court-id",
        "data-date",
        "data-time",
        "data-duration",
    ],
}


@pytest.mark.parametrize(
    ("label", "attr"), [(label, attr) for label, attrs in REQUIRED_ATTRS.items() for attr in attrs]
)
def test_missing_attribute_is_not_understood(label: str, attr: str) -> None:
    parse, text = PARSERS[label]
    pattern = re.escape(attr) if "=" in attr else re.escape(attr) + r'="[^"]*"'
    mutilated, count = re.subn(pattern, "", text, count=1)
    assert count == 1
    _not_understood(label, parse, mutilated)


@pytest.mark.parametrize("label", PARSERS)
@settings(max_examples=150, deadline=None)
@given(
    body=st.one_of(st.text(), st.from_regex(r"<html><body data-page=\"[a-z-]{0,12}\">.{0,80}</body></html>"))
)
def test_arbitrary_bodies_never_succeed(label: str, body: str) -> None:
    parse, _ = PARSERS[label]
    with pytest.raises(SiteError):
        parse(body)


@pytest.mark.parametrize("label", PARSERS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_truncated_pages_never_succeed(label: str, data: st.DataObject) -> None:
    parse, text = PARSERS[label]
    cut = data.draw(st.integers(0, len(text) - 1))
    with pytest.raises(SiteError):
        parse(text[:cut])


@pytest.mark.parametrize("label", PARSERS)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_mangled_pages_raise_only_site_errors(label: str, data: st.DataObject) -> None:
    """Random markup spliced into a valid page: any outcome but an exception that is not a SiteError."""
    parse, text = PARSERS[label]
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    junk = data.draw(st.text(alphabet=st.sampled_from("<>/=\"' abdehilmrtx-!&;#[]"), max_size=30))
    with contextlib.suppress(SiteError):
        parse(text[:start] + junk + text[end:])


def test_the_confirm_forms_fast_path_reads_the_clubs_own_page_as_the_full_parser_does() -> None:
    config = ClubConfig(partner_required=True)
    hold = Hold("H&1", "alice", Slot("5", DAY, time(18), 60), 1_900_000_000.0)
    text = club_pages.confirm(hold, config, "alice", 'c"sr<f')
    fast = pages._confirm_form_fast(text)
    assert fast is not None and fast == pages.confirm_form_in_full(text)
    assert (fast.hold_id, fast.csrf_token, fast.partner_required) == ("H&1", 'c"sr<f', True)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_confirm_forms_fast_path_never_reads_what_the_full_parser_would_not(data: st.DataObject) -> None:
    text = html.confirm_page()
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    junk = data.draw(st.text(alphabet=st.sampled_from("<>/=\"' abdehilmrtx-!&;#[]"), max_size=30))
    mangled = text[:start] + junk + text[end:]
    fast = pages._confirm_form_fast(mangled)
    if fast is not None:
        assert fast == pages.confirm_form_in_full(mangled)
