"""The one-line /book form: the examples people type, and properties over generated lines: a request
written out reads back the same, and so does a day written the way the bot writes it."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.oneline import OneLineError, OneLineRequest, Problem, parse_oneline, written_day

TODAY = date(2026, 11, 24)  # a Tuesday
#: a loaded 2-core machine runs these slowly: no deadline, and no complaint about slow generation
PATIENT = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
        ("1 dec 18:00", OneLineRequest(date(2026, 12, 1), (time(18),), (), None)),
        ("dec 1st 18:00", OneLineRequest(date(2026, 12, 1), (time(18),), (), None)),
        ("1/12 18:00", OneLineRequest(date(2026, 12, 1), (time(18),), (), None)),
        ("tonight 7 pm", OneLineRequest(TODAY, (time(19),), (), None)),
        ("5 jan 2027 9am", OneLineRequest(date(2027, 1, 5), (time(9),), (), None)),
        ("2 jan 18:00", OneLineRequest(date(2027, 1, 2), (time(18),), (), None)),
        ("18:00 court 2", OneLineRequest(None, (time(18),), (2,), None)),
        ("morgen um 18:00 platz 2", OneLineRequest(date(2026, 11, 25), (time(18),), (2,), None)),
        ("1. dez 18:00", OneLineRequest(date(2026, 12, 1), (time(18),), (), None)),
        ("di 1. dez 18:00", None),
    ],
)
def test_the_forms_people_type(line: str, expected: OneLineRequest | None) -> None:
    if expected is None:  # a weekday and a date are two days
        with pytest.raises(OneLineError):
            parse_oneline(line, TODAY)
        return
    assert parse_oneline(line, TODAY) == expected


@pytest.mark.parametrize(
    ("line", "problem", "word"),
    [
        ("", Problem.EMPTY, ""),
        ("tue wed 18:00", Problem.TWO_DAYS, "wed"),
        ("tue 3 dec 18:00", Problem.TWO_DAYS, "3 dec"),
        ("yesterday 18:00", Problem.PAST, "yesterday"),
        ("23 nov 18:00", Problem.PAST, "23 nov"),
        ("2026-11-23 18:00", Problem.PAST, "2026-11-23"),
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


@PATIENT
@given(requests(), st.integers(0, 5))
def test_a_written_request_reads_back_the_same(generated: tuple[OneLineRequest, date], style: int) -> None:
    request, today = generated
    assert parse_oneline(_written(request, style), today) == request


@PATIENT
@given(st.text(), st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
def test_any_text_reads_or_fails_with_a_one_line_error(text: str, today: date) -> None:
    try:
        parsed = parse_oneline(text, today)
    except OneLineError:
        return
    assert parsed.day is None or today <= parsed.day <= today + timedelta(days=3650)


STYLES = ("day month", "month day", "numeric", "iso", "today", "tomorrow", "weekday")


@PATIENT
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    st.integers(0, 800),
    st.sampled_from(STYLES),
    st.times().map(lambda t: time(t.hour, t.minute)),
)
def test_a_day_as_the_bot_writes_it_reads_back(today: date, ahead: int, style: str, start: time) -> None:
    """format → parse: whatever day the bot writes (in the help's examples, say), in any style, is read
    back as that day; a style that cannot name it (a weekday two weeks ahead) falls back to "1 dec"."""
    day = today + timedelta(days=ahead)
    written = written_day(day, today, style)
    assert parse_oneline(f"{written} {start:%H:%M}", today) == OneLineRequest(day, (start,), (), None)
