"""The democlub adapter against canned HTTP (aioresponses): flows, recovery and every kind of bad page."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import time

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yarl import URL

from booking.sites.base import Booking, CellState, Prepared, SiteConfig, Slot
from booking.sites.democlub.adapter import DemoClubAdapter
from booking.sites.errors import (
    InvalidRequest,
    LoginFailed,
    PageNotUnderstood,
    RateLimited,
    SessionExpired,
    SiteError,
    SlotTaken,
    TemporarilyUnavailable,
)
from booking.sites.registry import SITE_NAMES, create_adapter
from tests.sites import democlub_html as html
from tests.sites.democlub_html import DAY
from tests.sites.mock_http import ClubMock as aioresponses
from tests.sites.mock_http import reply

BASE = "http://club.test"
PASSWORD = "s3cret-Pa55"
COURTS_URL = re.compile(rf"^{re.escape(BASE)}/courts\?date=")
BOOK_URL = re.compile(rf"^{re.escape(BASE)}/book\?")
SLOT = Slot(1, DAY, time(18), 60)


@pytest.fixture
def mock() -> Iterator[aioresponses]:
    with aioresponses() as m:
        yield m


@pytest.fixture
async def adapter() -> AsyncIterator[DemoClubAdapter]:
    club = DemoClubAdapter(SiteConfig(BASE, court_map={1: "5", 2: "7", 3: "9", 4: "11"}))
    yield club
    await club.close()


def expect_login(mock: aioresponses, after: str | None = None) -> None:
    mock.get(f"{BASE}/login", body=html.login_page(csrf="tok-1"))
    mock.post(f"{BASE}/login", body=after or html.grid_page())


async def logged_in(adapter: DemoClubAdapter, mock: aioresponses) -> DemoClubAdapter:
    expect_login(mock)
    await adapter.login("alice", PASSWORD)
    return adapter


def sent(mock: aioresponses, method: str, path: str) -> list[dict[str, object]]:
    """The form bodies (or query params) of every request made to `path`."""
    return [
        call.kwargs.get("data") or call.kwargs.get("params") or {}
        for (m, url), calls in mock.requests.items()
        if m == method and url.path == path
        for call in calls
    ]


async def test_login_posts_the_forms_token_and_follows_the_redirect(
    adapter: DemoClubAdapter, mock: aioresponses
) -> None:
    mock.get(f"{BASE}/login", body=html.login_page(csrf="form-tok"))
    mock.post(f"{BASE}/login", status=303, headers={"Location": "/courts"})
    mock.get(f"{BASE}/courts", body=html.grid_page())
    await adapter.login("alice", PASSWORD)
    assert sent(mock, "POST", "/login") == [
        {"csrf_token": "form-tok", "username": "alice", "password": PASSWORD}
    ]


async def test_bad_password_is_login_failed_and_the_password_never_shows(
    adapter: DemoClubAdapter, mock: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    expect_login(mock, after=html.login_page(error="login-failed"))
    with pytest.raises(LoginFailed) as caught:
        await adapter.login("alice", PASSWORD)
    for text in (str(caught.value), repr(caught.value), repr(adapter), caplog.text):
        assert PASSWORD not in text
    with pytest.raises(SessionExpired):  # refused credentials are not kept for a re-login
        await adapter.availability(DAY)


async def test_availability_by_our_court_numbers(adapter: DemoClubAdapter, mock: aioresponses) -> None:
    await logged_in(adapter, mock)
    mock.get(COURTS_URL, body=html.grid_page(states={("7", "18:00"): "booked"}))
    grid = await adapter.availability(DAY)
    assert grid.state(2, time(18)) is CellState.BOOKED
    assert grid.state(1, time(18)) is CellState.FREE
    assert sent(mock, "GET", "/courts") == [{"date": "2030-06-04"}]


async def test_default_numbering_follows_the_sites_list(mock: aioresponses) -> None:
    async with DemoClubAdapter(SiteConfig(BASE)) as club:
        await logged_in(club, mock)
        mock.get(f"{BASE}/rules", body=html.rules_page())
        courts = await club.courts()
        assert [(c.number, c.site_id, c.name) for c in courts] == [
            (1, "5", "Court 1"),
            (2, "7", "Court 2"),
            (3, "9", "Court 3"),
            (4, "11", "Court 4"),
        ]
        mock.get(COURTS_URL, body=html.grid_page(states={("5", "07:00"): "mine"}))
        assert (await club.availability(DAY)).state(1, time(7)) is CellState.MINE


async def test_courts_outside_the_map_are_invisible(mock: aioresponses) -> None:
    async with DemoClubAdapter(SiteConfig(BASE, court_map={1: "9"})) as club:
        await logged_in(club, mock)
        mock.get(COURTS_URL, body=html.grid_page(states={("9", "10:00"): "booked"}))
        grid = await club.availability(DAY)
        assert {court for court, _ in grid.cells} == {1}
        assert grid.state(1, time(10)) is CellState.BOOKED
        row = ("DC-1", "5", DAY, "18:00", 60)
        mock.get(f"{BASE}/my-bookings", body=html.my_bookings_page((row, ("DC-2", "9", DAY, "19:00", 60))))
        assert await club.my_bookings() == [Booking("DC-2", Slot(1, DAY, time(19), 60))]


async def test_map_naming_a_court_the_club_lacks(mock: aioresponses) -> None:
    async with DemoClubAdapter(SiteConfig(BASE, court_map={1: "5", 2: "99"})) as club:
        mock.get(f"{BASE}/rules", body=html.rules_page())
        with pytest.raises(InvalidRequest, match="COURT_MAP"):
            await club.courts()


async def test_unknown_court_is_refused_before_any_request(
    adapter: DemoClubAdapter, mock: aioresponses
) -> None:
    await logged_in(adapter, mock)
    before = sum(len(calls) for calls in mock.requests.values())
    with pytest.raises(InvalidRequest, match="court 5"):
        await adapter.prepare(Slot(5, DAY, time(18), 60))
    with pytest.raises(InvalidRequest):
        await adapter.commit(
            Prepared(Slot(0, DAY, time(18), 60), {"csrf_token": "t", "hold_id": "h", "partner": ""})
        )
    assert sum(len(calls) for calls in mock.requests.values()) == before


async def test_not_logged_in_is_session_expired_without_a_request(
    adapter: DemoClubAdapter, mock: aioresponses
) -> None:
    with pytest.raises(SessionExpired):
        await adapter.availability(DAY)
    assert not mock.requests


async def test_expired_session_logs_in_again_once_and_repeats_the_call(
    adapter: DemoClubAdapter, mock: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await logged_in(adapter, mock)
    mock.get(COURTS_URL, status=303, headers={"Location": "/login?next=%2Fcourts"})
    mock.get(f"{BASE}/login?next=%2Fcourts", body=html.login_page())
    expect_login(mock)
    mock.get(COURTS_URL, body=html.grid_page())
    grid = await adapter.availability(DAY)
    assert grid.state(4, time(21)) is CellState.FREE
    assert len(sent(mock, "POST", "/login")) == 2
    assert "logging in again" in caplog.text and PASSWORD not in caplog.text


async def test_login_page_again_right_after_logging_in_is_not_understood(
    adapter: DemoClubAdapter, mock: aioresponses
) -> None:
    await logged_in(adapter, mock)
    mock.get(COURTS_URL, body=html.login_page())
    expect_login(mock)
    mock.get(COURTS_URL, body=html.login_page())
    with pytest.raises(PageNotUnderstood) as caught:
        await adapter.availability(DAY)
    assert caught.value.page == "availability"
    assert len(sent(mock, "POST", "/login")) == 2


async def test_concurrent_expiries_log_in_again_only_once(
    adapter: DemoClubAdapter, mock: aioresponses
) -> None:
    await logged_in(adapter, mock)
    arrived: list[URL] = []
    both_in = asyncio.Event()

    async def courts(url: URL, **kwargs: object) -> object:
        arrived.append(url)
        if len(arrived) > 2:
            return reply(body=html.grid_page())
        if len(arrived) == 2:
            both_in.set()
        await both_in.wait()  # both calls see the expiry before either logs in again
        return reply(body=html.login_page())

    mock.get(COURTS_URL, callback=courts, repeat=True)
    expect_login(mock)
    await asyncio.gather(adapter.availability(DAY), adapter.availability(DAY))
    assert len(sent(mock, "POST", "/login")) == 2


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (html.proxy_page(502), 200, "without a page name"),
        ("", 200, "empty"),
        (html.grid_page().replace('data-state="free"', 'data-state="green"'), 200, "unknown state"),
        (html.grid_page().replace(' data-time="12:00"', ""), 200, "no time"),
        (html.grid_page()[: len(html.grid_page()) // 2], 200, "incomplete"),
        ("<h1>Not Found</h1>", 404, "HTTP 404"),
    ],
)
async def test_bad_availability_pages(
    adapter: DemoClubAdapter, mock: aioresponses, body: str, status: int, detail: str
) -> None:
    await logged_in(adapter, mock)
    mock.get(COURTS_URL, body=body, status=status)
    with pytest.raises(PageNotUnderstood) as caught:
        await adapter.availability(DAY)
    assert caught.value.page == "availability"
    assert detail in caught.value.detail


async def test_prepare_and_commit(adapter: DemoClubAdapter, mock: aioresponses) -> None:
    await logged_in(adapter, mock)
    mock.get(BOOK_URL, body=html.confirm_page(hold_id="H-9", csrf="tok-2"))
    prepared = await adapter.prepare(SLOT, partner="Bob")
    assert prepared.data == {
        "csrf_token": "tok-2",
        "hold_id": "H-9",
        "partner_required": False,
        "partner": "Bob",
    }
    assert sent(mock, "GET", "/book") == [
        {"court": "5", "date": "2030-06-04", "time": "18:00", "duration": "60"}
    ]
    mock.post(f"{BASE}/book", body=html.booked_page("DC-77", "5", DAY, "18:00", 60))
    assert await adapter.commit(prepared) == Booking("DC-77", SLOT)
    assert sent(mock, "POST", "/book") == [{"csrf_token": "tok-2", "hold_id": "H-9", "partner": "Bob"}]


async def test_partner_required_by_the_form(adapter: DemoClubAdapter, mock: aioresponses) -> None:
    await logged_in(adapter, mock)
    mock.get(BOOK_URL, body=html.confirm_page(required=True))
    with pytest.raises(InvalidRequest, match="partner"):
        await adapter.prepare(SLOT)


PREPARED = Prepared(SLOT, {"csrf_token": "tok-1", "hold_id": "H-1", "partner_required": False, "partner": ""})


@pytest.mark.parametrize(
    "body",
    [
        html.booked_page(reference=""),
        html.booked_page().replace(' data-reference="DC-1"', ""),
        html.booked_page(court_id="7"),
        html.booked_page(time="19:00"),
        html.booked_page(duration=120),
        html.booked_page(day=DAY.replace(day=5)),
        html.proxy_page(200),
        html.confirm_page(),
        "",
    ],
)
async def test_doubtful_confirmations_are_never_a_success(
    adapter: DemoClubAdapter, mock: aioresponses, body: str
) -> None:
    await logged_in(adapter, mock)
    mock.post(f"{BASE}/book", body=body)
    with pytest.raises(PageNotUnderstood) as caught:
        await adapter.commit(PREPARED)
    assert caught.value.page == "booking confirmation"


async def test_expired_session_at_commit_logs_in_but_never_commits_again(
    adapter: DemoClubAdapter, mock: aioresponses
) -> None:
    await logged_in(adapter, mock)
    mock.post(f"{BASE}/book", body=html.login_page())
    expect_login(mock)
    with pytest.raises(SessionExpired, match="not made"):
        await adapter.commit(PREPARED)
    assert len(sent(mock, "POST", "/book")) == 1
    assert len(sent(mock, "POST", "/login")) == 2


async def test_refusal_at_commit_is_typed(adapter: DemoClubAdapter, mock: aioresponses) -> None:
    await logged_in(adapter, mock)
    mock.post(f"{BASE}/book", body=html.error_page("taken"))
    with pytest.raises(SlotTaken):
        await adapter.commit(PREPARED)


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Date": "Tue, 04 Jun 2030 06:00:00 GMT", "Retry-After": "Tue, 04 Jun 2030 06:00:05 GMT"}, 5.0),
        ({"Retry-After": "soon"}, 2.0),
        ({}, 2.0),
    ],
)
async def test_429_is_rate_limited_with_retry_after(
    adapter: DemoClubAdapter, mock: aioresponses, headers: dict[str, str], wait: float
) -> None:
    await logged_in(adapter, mock)
    mock.get(BOOK_URL, status=429, headers=headers, body="slow down")
    with pytest.raises(RateLimited) as caught:
        await adapter.prepare(SLOT)
    assert caught.value.retry_after_s == pytest.approx(wait)


@pytest.mark.parametrize(
    "reply",
    [
        {"status": 500, "body": html.proxy_page(500)},
        {"status": 503, "body": ""},
        {"exception": TimeoutError()},
        {"exception": aiohttp.ClientConnectionError("refused")},
        {"exception": aiohttp.ServerDisconnectedError()},
    ],
)
async def test_transport_failures_are_temporarily_unavailable(
    adapter: DemoClubAdapter, mock: aioresponses, reply: dict[str, object]
) -> None:
    await logged_in(adapter, mock)
    mock.post(f"{BASE}/book", **reply)  # type: ignore[arg-type]
    with pytest.raises(TemporarilyUnavailable):
        await adapter.commit(PREPARED)


async def test_cancel_needs_the_clubs_confirmation(adapter: DemoClubAdapter, mock: aioresponses) -> None:
    await logged_in(adapter, mock)
    mock.post(f"{BASE}/cancel", status=303, headers={"Location": "/my-bookings?cancelled=DC-1"})
    mock.get(f"{BASE}/my-bookings?cancelled=DC-1", body=html.my_bookings_page(cancelled="DC-1"))
    await adapter.cancel("DC-1")
    assert sent(mock, "POST", "/cancel") == [{"csrf_token": "tok-1", "reference": "DC-1"}]
    mock.post(f"{BASE}/cancel", body=html.my_bookings_page((("DC-1", "5", DAY, "18:00", 60),)))
    with pytest.raises(PageNotUnderstood) as caught:
        await adapter.cancel("DC-1")
    assert caught.value.page == "cancellation"


async def test_rules_are_read_once(adapter: DemoClubAdapter, mock: aioresponses) -> None:
    mock.get(f"{BASE}/rules", body=html.rules_page(hold_before_open="true"))
    first = await adapter.rules()
    assert first.hold_before_open
    assert await adapter.rules() is first


async def test_server_clock_without_a_readable_date_is_not_understood(
    adapter: DemoClubAdapter, mock: aioresponses
) -> None:
    mock.head(f"{BASE}/rules", headers={"Date": "yesterday"}, repeat=True)
    with pytest.raises(PageNotUnderstood) as caught:
        await adapter.server_clock()
    assert caught.value.page == "clock"


def test_registry() -> None:
    assert SITE_NAMES == ("democlub", "mrbs", "librebooking")
    assert isinstance(create_adapter("democlub", SiteConfig(BASE)), DemoClubAdapter)
    with pytest.raises(ValueError, match="democlub, mrbs, librebooking"):
        create_adapter("bookteq", SiteConfig(BASE))


# Whatever the club answers, a call yields a SiteError or a success only from a well-formed page.

CALLS = {
    "availability": (COURTS_URL, "GET", lambda a: a.availability(DAY)),
    "prepare": (BOOK_URL, "GET", lambda a: a.prepare(SLOT)),
    "commit": (f"{BASE}/book", "POST", lambda a: a.commit(PREPARED)),
    "my_bookings": (f"{BASE}/my-bookings", "GET", lambda a: a.my_bookings()),
    "cancel": (f"{BASE}/cancel", "POST", lambda a: a.cancel("DC-1")),
    "rules": (f"{BASE}/rules", "GET", lambda a: a.rules()),
}


async def _answer(call: str, status: int, body: str) -> None:
    url, method, run = CALLS[call]
    with aioresponses() as m:
        async with DemoClubAdapter(SiteConfig(BASE, court_map={1: "5"})) as club:
            expect_login(m)
            await club.login("alice", PASSWORD)
            m.add(url, method, status=status, body=body, repeat=True)
            expect_login(m)
            await run(club)


@pytest.mark.parametrize("call", CALLS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.sampled_from([200, 200, 200, 400, 403, 404, 500]),
    body=st.one_of(
        st.text(max_size=300),
        st.builds(
            lambda name, inner: html.page(name, inner),
            st.sampled_from(["courts", "book", "booked", "my-bookings", "error", "login"]),
            st.text(max_size=80),
        ),
    ),
)
def test_arbitrary_answers_never_succeed(call: str, status: int, body: str) -> None:
    with pytest.raises(SiteError):
        asyncio.run(_answer(call, status, body))


def test_url_with_a_path_prefix() -> None:
    club = DemoClubAdapter(SiteConfig("http://club.test/tennis/"))
    assert club._url("login") == URL("http://club.test/tennis/login")
