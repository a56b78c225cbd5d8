"""Properties: no request shape breaks the app, and the release rule holds on every day of the year."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yarl import URL

from sim.club import ClubConfig, RunningClub
from sim.club.model import Refusal, Slot
from sim.club.state import ClubState
from tests.sim_club.conftest import Login
from tests.sim_club.helpers import Browser

LONDON = ZoneInfo("Europe/London")
FIXTURE_REUSE = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PLAUSIBLE = st.sampled_from(
    [
        "5",
        "7",
        "11",
        "0",
        "2026-06-12",
        "2026-06-18",
        "2026-06-10",
        "10:00",
        "21:00",
        "60",
        "120",
        "-60",
        "1e3",
    ]
)
VALUES = st.one_of(
    PLAUSIBLE, st.text(max_size=12), st.from_regex(r"[0-9]{1,5}[-:][0-9]{1,3}", fullmatch=True)
)
QUERIES = st.dictionaries(st.sampled_from(["court", "date", "time", "duration", "cancelled", "x"]), VALUES)
RAW_QUERIES = st.text(alphabet="cdeortu=&%0123456789FfGg:-+;/?#[]", max_size=40)


@pytest.fixture
async def alice(club: RunningClub, member: Login) -> AsyncIterator[Browser]:
    yield await member("alice")


@FIXTURE_REUSE
@given(query=QUERIES)
async def test_random_queries_never_give_a_server_error(alice: Browser, query: dict[str, str]) -> None:
    for path in ("/courts", "/book", "/my-bookings"):
        page = await alice.get(path, params=query)
        assert page.status in (200, 400), (path, query, page.text)
        assert page.name in ("courts", "book", "error", "my-bookings")


@FIXTURE_REUSE
@given(raw=RAW_QUERIES)
async def test_raw_query_strings_never_give_a_server_error(alice: Browser, raw: str) -> None:
    for path in ("/courts", "/book"):
        async with alice.http.get(URL(f"{alice.base}{path}?{raw}", encoded=True)) as response:
            assert response.status < 500, (path, raw)


@FIXTURE_REUSE
@given(form=st.dictionaries(st.sampled_from(["csrf_token", "hold_id", "partner", "reference", "x"]), VALUES))
async def test_random_forms_never_give_a_server_error(alice: Browser, form: dict[str, str]) -> None:
    for path in ("/book", "/cancel", "/login"):
        page = await alice.post(path, {**form, "csrf_token": form.get("csrf_token", alice.csrf)})
        assert page.status in (200, 403), (path, form, page.text)


@FIXTURE_REUSE
@given(
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=no-such-charset",
            "multipart/form-data",
            "multipart/form-data; boundary=xx",
            "text/plain",
        ]
    ),
    body=st.binary(max_size=60),
)
async def test_malformed_bodies_never_give_a_server_error(
    alice: Browser, content_type: str, body: bytes
) -> None:
    for path in ("/login", "/book", "/cancel", "/logout"):
        headers = {"Content-Type": content_type}
        async with alice.http.post(alice.base + path, data=body, headers=headers) as response:
            assert response.status < 500, (path, content_type, body)


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
    hour=st.integers(7, 21),
    window=st.integers(1, 14),
    opens_at=st.times(dt.time(3, 0), dt.time(23, 59)).map(lambda t: t.replace(second=0, microsecond=0)),
    nudge=st.floats(-3, 3, allow_nan=False).filter(lambda x: abs(x) > 1e-3),
)
def test_a_slot_opens_exactly_at_the_local_opening_time(
    day: dt.date, hour: int, window: int, opens_at: dt.time, nudge: float
) -> None:
    state = ClubState(ClubConfig(window_days=window, opens_at=opens_at, max_per_day=99, max_future=99))
    start = dt.time(hour)
    release = state.release_instant(day, start)
    local = release.astimezone(LONDON)
    assert (local.date(), local.time()) == (day - dt.timedelta(days=window), opens_at)  # DST-proof
    now = release.timestamp() + nudge
    slot = Slot("5", day, start, 60)
    try:
        state.prepare("alice", slot, now)
        outcome = "ok"
    except Refusal as refusal:
        outcome = refusal.code
    assert outcome == ("not-open" if nudge < 0 else "ok")


@given(
    a=st.tuples(st.integers(0, 23), st.sampled_from([60, 120])),
    b=st.tuples(st.integers(0, 23), st.sampled_from([60, 120])),
    same_court=st.booleans(),
)
def test_overlap_is_sharing_a_minute(a: tuple[int, int], b: tuple[int, int], same_court: bool) -> None:
    day = dt.date(2026, 6, 12)
    one = Slot("5", day, dt.time(a[0]), a[1])
    two = Slot("5" if same_court else "7", day, dt.time(b[0]), b[1])
    minutes = [set(range(s.time.hour * 60, s.time.hour * 60 + s.duration)) for s in (one, two)]
    assert one.overlaps(two) == two.overlaps(one) == (same_court and bool(minutes[0] & minutes[1]))
