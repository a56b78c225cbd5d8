"""The one-line /book form: the examples people type, and properties over generated lines."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.oneline import OneLineError, OneLineRequest, Problem, parse_oneline

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("tue 18:00 court 2 90m", OneLineRequest(date(2026, 12, 1), (time(18),), (2,), 90)),
        ("2026-12-01 18:00 court 2 60m", OneLineRequest(date(2026, 12, 1), (time(18),), (2,), 60)),
        ("tomorrow 19:00 any", OneLineRequest(date(2026, 11, 25), (time(19),), (), None)),
        ("today 18:00,19:00 court 2,1 2h", OneLineRequest(TODAY, (time(18), time(19)), (2, 1), 120)),
        (
            "wednesday 18:00 19:00 courts 3 4 120",
            OneLineRequest(date(2026, 11, 25), (time(18), time(19)), (3, 4), 120),
        ),
        ("Fri at 6pm c2 for 1 h", OneLineRequest(date(2026, 11, 27), (time(18),), (2,), 60)),
        ("01/12 7:00 court1 90 min", OneLineRequest(date(2026, 12, 1), (time(7),), (1,), 90)),
        ("02/01 18.30 1.5h", OneLineRequest(date(2027, 1, 2), (time(18, 30),), (), 90)),
        ("tue", OneLineRequest(date(2026, 12, 1), (), (), None)),
    ],
)
def test_the_forms_people_type(line: str, expected: OneLineRequest) -> None:
    assert parse_oneline(line, TODAY) == expected


@pytest.mark.parametrize(
    ("line", "problem", "word"),
    [
        ("", Problem.EMPTY, ""),
        ("18:00 court 2", Problem.NO_DAY, ""),
        ("tue wed 18:00", Problem.TWO_DAYS, "wed"),
        ("31/02 18:00", Problem.BAD_DATE, "31/02"),
        ("0001-01-01 18:00", Problem.BAD_DATE, "0001-01-01"),
        ("tue 60m 2h", Problem.TWO_DURATIONS, "2h"),
        ("tue 18:00 please", Problem.UNKNOWN_WORD, "please"),
        ("tue 25:00", Problem.UNKNOWN_WORD, "25:00"),
    ],
)
def test_what_cannot_be_read_says_what_and_where(line: str, problem: Problem, word: str) -> None:
    with pytest.raises(OneLineError) as raised:
        parse_oneline(line, TODAY)
    assert (raised.value.problem, raised.value.word) == (problem, word)


def test_a_weekday_means_the_next_such_day_never_today() -> None:
    days = [parse_oneline(name, TODAY).day for name in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
    assert sorted(days) == [TODAY + timedelta(days=n) for n in range(1, 8)]
    assert parse_oneline("tuesday", TODAY).day == TODAY + timedelta(days=7)


@st.composite
def requests(draw: st.DrawFn) -> tuple[OneLineRequest, date]:
    today = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
    day = today + timedelta(days=draw(st.integers(0, 400)))
    times = tuple(draw(st.lists(st.times().map(lambda t: time(t.hour, t.minute)), max_size=4)))
    courts = tuple(draw(st.lists(st.integers(1, 29), max_size=4)))
    duration = draw(st.none() | st.integers(1, 600))
    return OneLineRequest(day, times, courts, duration), today


def _written(request: OneLineRequest, style: int) -> str:
    day = [request.day.isoformat(), f"{request.day:%d/%m/%Y}"][style % 2]
    times = [t.strftime("%H:%M") for t in request.times]
    words = [day, ",".join(times) if style % 3 == 0 else " ".join(times)]
    if request.courts:
        words.append("court " + ",".join(str(c) for c in request.courts))
    if request.duration_min is not None:
        words.append([f"{request.duration_min}m", f"{request.duration_min} min"][style % 2])
    return " ".join(w for w in words if w)


@given(requests(), st.integers(0, 5))
def test_a_written_request_reads_back_the_same(generated: tuple[OneLineRequest, date], style: int) -> None:
    request, today = generated
    assert parse_oneline(_written(request, style), today) == request


@given(st.text(), st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
def test_any_text_reads_or_fails_with_a_one_line_error(text: str, today: date) -> None:
    try:
        parsed = parse_oneline(text, today)
    except OneLineError:
        return
    assert abs(parsed.day - today) <= timedelta(days=3650)
