"""The LibreBooking readers on their own: what the stand-in draws reads right; anything else - cut short,
altered, or not LibreBooking's at all - is "not understood" (or a typed refusal), never a wrong success."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.sites.errors import (
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
from booking.sites.librebooking import api, pages
from booking.sites.librebooking.refusals import refusal_error
from sim.librebooking import LibreBookingConfig, LibreBookingState
from sim.librebooking import pages as drawn
from sim.librebooking.state import Refusal, WebSession
from tests.librebooking.helpers import DAY, LONDON, NOON

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=150)
REFERENCE = "6b0d0d59ca64f343282205"


def _state() -> LibreBookingState:
    return LibreBookingState(LibreBookingConfig(clock_offset_s=NOON.timestamp() - time.time()))


def _refusals(state: LibreBookingState) -> dict[str, Refusal]:
    taken = state.book("bob", 5, DAY, "18:00")
    return {
        "taken": Refusal("taken", conflicts=(taken,)),
        "not-open": Refusal("not-open", latest=int(NOON.timestamp()) + 7 * 86400),
        "past": Refusal("past"),
        "quota": Refusal("quota", schedule="Tennis", limit=1),
        "slot": Refusal("slot", bad_start=True, bad_end=True),
        "too-long": Refusal("too-long", seconds=3600),
        "too-short": Refusal("too-short", seconds=3600),
        "order": Refusal("order"),
        "invalid-data": Refusal("invalid-data"),
    }


EXPECTED: dict[str, type[SiteError]] = {
    "taken": SlotTaken,
    "not-open": NotOpenYet,
    "past": InvalidRequest,
    "quota": LimitReached,
    "slot": InvalidRequest,
    "too-long": InvalidRequest,
    "too-short": InvalidRequest,
    "order": InvalidRequest,
    "invalid-data": InvalidRequest,
}


# Refusals


@pytest.mark.parametrize("language", ["en_us", "de_de"])
@pytest.mark.parametrize("code", list(EXPECTED))
def test_each_of_libre_booking_s_refusals_is_typed(language: str, code: str) -> None:
    state = _state()
    words = state.explain(_refusals(state)[code], language)
    error = refusal_error([words])
    assert type(error) is EXPECTED[code], words
    if isinstance(error, LimitReached):
        assert error.which == "per-day"


def test_a_refusal_it_does_not_know_keeps_the_club_s_words() -> None:
    error = refusal_error(["Bitte zuerst die Nutzungsbedingungen akzeptieren."])
    assert isinstance(error, RefusedByClub)
    assert str(error) == "refused by the club: Bitte zuerst die Nutzungsbedingungen akzeptieren."


@SETTINGS
@given(st.lists(st.text(max_size=200), min_size=1, max_size=3))
def test_any_words_are_a_typed_refusal_never_anything_else(messages: list[str]) -> None:
    assert isinstance(refusal_error(messages), SiteError)


# The API's answers


def _created() -> str:
    return json.dumps({"referenceNumber": REFERENCE, "isPendingApproval": False, "links": [], "message": "x"})


def test_the_api_s_answers_read() -> None:
    assert api.parse_created(_created()) == REFERENCE
    session = api.parse_authentication(
        json.dumps({"isAuthenticated": True, "sessionToken": "a" * 50, "userId": "7"})
    )
    assert (session.token, session.user_id) == ("a" * 50, 7)
    with pytest.raises(LoginFailed):
        api.parse_authentication(json.dumps({"isAuthenticated": False, "sessionToken": None}))
    assert api.parse_deleted("") is False and api.parse_deleted('{"message":"The item was deleted"}') is True
    assert api.is_disabled("LibreBooking API has been configured as disabled.<br/><br/>Set ...")
    listed = {
        "reservations": [
            {"referenceNumber": REFERENCE, "resourceId": "5", "userId": 2,
             "startDate": f"{DAY}T18:00:00+0100", "endDate": f"{DAY}T19:00:00+0100"}
        ]
    }  # fmt: skip
    [item] = api.parse_reservations(json.dumps(listed))
    assert (item.resource_id, item.user_id) == (5, 2)
    assert item.start == int(dt.datetime.combine(DAY, dt.time(18), LONDON).timestamp())
    with pytest.raises(PageNotUnderstood, match=r"pending|approval"):
        api.parse_created(json.dumps({"referenceNumber": REFERENCE, "isPendingApproval": True}))


@SETTINGS
@given(st.integers(min_value=0, max_value=len(_created()) - 1))
def test_a_created_answer_cut_short_is_not_understood(cut: int) -> None:
    with pytest.raises(PageNotUnderstood):
        api.parse_created(_created()[:cut])


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=15), inner, max_size=5),
    max_leaves=20,
)
_KEYS = st.sampled_from(
    ["dates", "resources", "slots", "reservations", "schedules", "errors", "referenceNumber", "isAuthenticated",
     "sessionToken", "userId", "resourceId", "startDateTime", "endDateTime", "isReserved", "isReservable"]
)  # fmt: skip


@SETTINGS
@given(
    st.one_of(
        st.text(max_size=300),
        _JSON.map(json.dumps),
        st.dictionaries(_KEYS, _JSON, max_size=6).map(json.dumps),
    )
)
def test_any_api_answer_reads_or_is_not_understood(text: str) -> None:
    readers = (
        api.parse_authentication,
        api.parse_schedules,
        api.parse_resources,
        api.parse_slots,
        api.parse_reservations,
        api.parse_created,
        lambda t: api.parse_errors(t, "booking"),
        api.parse_deleted,
    )
    for read in readers:
        with contextlib.suppress(PageNotUnderstood, LoginFailed):
            read(text)


# The web pages


def _schedule_html() -> str:
    state = _state()
    session = WebSession("sid", NOON.timestamp(), user_id=2, csrf="c" * 64)
    monday = DAY - dt.timedelta(days=DAY.weekday())
    return drawn.schedule_page(state, "en_us", session, 1, monday, NOON.timestamp())


def test_the_schedule_page_reads() -> None:
    page = pages.parse_schedule(_schedule_html())
    assert page.schedule_id == 1 and page.schedules is None and page.csrf_token == "c" * 64
    assert page.courts == ((4, "Court 1"), (5, "Court 2"), (7, "Court 3"), (8, "Court 4"))
    assert len(page.day_starts) == 7 and len(page.cells) == 7 * 4 * 17
    assert {c.kind for c in page.cells} == {"free", "closed", "past"}


@SETTINGS
@given(st.integers(min_value=0, max_value=200))
def test_a_schedule_page_cut_short_is_not_understood(back: int) -> None:
    html = _schedule_html()
    with pytest.raises(PageNotUnderstood, match="incomplete"):
        pages.parse_schedule(html[: len(html) - 20 - back])


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (('data-min="', 'data-mix="'), "lacks data-min"),
        (('class="reservable clickres slot"', 'class="slot"'), "neither free, closed nor past"),
        (('id="scheduleId"', 'id="schedule"'), "which schedule"),
        (('name="CSRF_TOKEN" value="c', 'name="CSRF_TOKEN" value="d'), "one CSRF token"),
    ],
)
def test_an_altered_schedule_page_is_not_understood(change: tuple[str, str], detail: str) -> None:
    with pytest.raises(PageNotUnderstood, match=detail):
        pages.parse_schedule(_schedule_html().replace(*change, 1))


@pytest.mark.parametrize("language", ["en_us", "de_de"])
def test_the_booking_fragments_read(language: str) -> None:
    saved = pages.parse_save_reply(drawn.created_fragment(language, REFERENCE, "06/12/2026", "Court 2"))
    assert saved == pages.SaveReply(REFERENCE, ())
    state = _state()
    words = state.explain(_refusals(state)["taken"], language)
    failed = pages.parse_save_reply(drawn.failed_fragment(language, [words]))
    assert failed.reference is None and isinstance(refusal_error(failed.errors), SlotTaken)
    assert pages.parse_delete_reply(drawn.deleted_fragment(language)) == ()
    assert pages.parse_delete_reply(drawn.critical_fragment(language))
    with pytest.raises(PageNotUnderstood):
        pages.parse_save_reply(drawn.critical_fragment(language))


@SETTINGS
@given(st.integers(min_value=0, max_value=2000))
def test_a_created_fragment_cut_anywhere_gives_its_reference_or_nothing(cut: int) -> None:
    fragment = drawn.created_fragment("en_us", REFERENCE, "06/12/2026", "Court 2")
    try:
        saved = pages.parse_save_reply(fragment[:cut])
    except PageNotUnderstood:
        return
    assert saved.reference == REFERENCE


def test_the_member_form_and_the_login_answers() -> None:
    state = _state()
    session = WebSession("sid", NOON.timestamp(), user_id=3, csrf="t" * 64)
    form = pages.parse_member_form(drawn.reservation_page(state, "de_de", session, 5))
    assert (form.user_id, form.csrf_token) == (3, "t" * 64)
    with pytest.raises(SessionExpired):
        pages.parse_member_form(drawn.login_page("en_us"))
    with pytest.raises(LoginFailed):
        pages.parse_login_reply(drawn.login_page("de_de", failed=True))
    with pytest.raises(PageNotUnderstood, match="without saying why"):
        pages.parse_login_reply(drawn.login_page("en_us"))


def test_the_reservations_json_reads() -> None:
    items = [
        {"StartDate": "1781110800", "EndDate": "1781114400", "ReferenceNumber": REFERENCE, "ResourceId": "5",
         "IsReservation": True, "IsOwner": True, "IsBuffer": False},
        {"StartDate": 1781110800, "EndDate": 1781114400, "ReferenceNumber": "", "ResourceId": 7,
         "IsReservation": False, "IsBuffer": False},
        {"StartDate": "1", "EndDate": "2", "IsBuffer": True},
    ]  # fmt: skip
    mine, blackout = pages.parse_reservations(json.dumps(items))
    assert (mine.reference, mine.resource_id, mine.mine, mine.reservation) == (REFERENCE, 5, True, True)
    assert (blackout.resource_id, blackout.mine, blackout.reservation) == (7, False, False)
    with pytest.raises(PageNotUnderstood, match="IsOwner"):
        pages.parse_reservations(json.dumps([{**items[0], "IsOwner": "yes"}]))


@SETTINGS
@given(st.one_of(st.text(max_size=400), _JSON.map(json.dumps)))
def test_any_web_answer_reads_or_is_not_understood(text: str) -> None:
    readers = (
        pages.parse_login_reply,
        pages.parse_member_form,
        pages.parse_schedule,
        pages.parse_reservations,
        pages.parse_save_reply,
        pages.parse_delete_reply,
    )
    for read in readers:
        with contextlib.suppress(PageNotUnderstood, LoginFailed, SessionExpired):
            read(text)
