"""The one-line booking form for power users: `/book tue 18:00 court 2 60m`.

Only the words are read here; whether the club allows what they ask for is the booking service's to say,
so its refusal (with what *is* allowed) reaches the member unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum

WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}
RELATIVE_DAYS = {"today": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1}
FILLERS = frozenset({"at", "on", "for", "then", "or", "and", "from", "with", "a", "an"})
COURT_WORDS = frozenset({"court", "courts"})
ANY_WORDS = frozenset({"any", "anywhere"})

_UNIT = r"(h|hr|hrs|hour|hours|m|min|mins|minute|minutes)"
_GLUE_UNIT = re.compile(rf"(\d)\s+{_UNIT}\b")
_GLUE_COURT = re.compile(r"\b(court|courts|c)\s+(\d)")
_SPLIT = re.compile(r"[\s,;]+")
_CLOCK = re.compile(r"([01]?\d|2[0-3])[:.h]([0-5]\d)")
_AM_PM = re.compile(r"(1[0-2]|0?[1-9])(?::([0-5]\d))?(am|pm)")
_MINUTES = re.compile(r"(\d{1,4})(m|min|mins|minute|minutes)")
_HOURS = re.compile(r"(\d{1,2}(?:\.\d{1,2})?)(h|hr|hrs|hour|hours)")
_BARE_NUMBER = re.compile(r"\d{1,4}")
_COURT_TOKEN = re.compile(r"(?:court|courts|c)(\d{1,3})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?")
#: how far from today a written date may be; further is surely a typo (and beyond any booking window)
FURTHEST_DATE = timedelta(days=3650)
#: a bare number at least this large is a duration in minutes ("120"); smaller ones may be court numbers
SHORTEST_BARE_MINUTES = 30


class Problem(StrEnum):
    EMPTY = "empty"
    NO_DAY = "no-day"
    TWO_DAYS = "two-days"
    BAD_DATE = "bad-date"
    TWO_DURATIONS = "two-durations"
    UNKNOWN_WORD = "unknown-word"


class OneLineError(ValueError):
    """What could not be read; texts.py turns it into words with a working example."""

    def __init__(self, problem: Problem, word: str = "") -> None:
        super().__init__(f"{problem}: {word}" if word else str(problem))
        self.problem = problem
        self.word = word


@dataclass(frozen=True)
class OneLineRequest:
    day: date
    times: tuple[time, ...]  # in order of preference; empty: ask with the keyboard
    courts: tuple[int, ...]  # in order of preference; empty: any court
    duration_min: int | None  # None: the club's shortest


def parse_oneline(text: str, today: date) -> OneLineRequest:
    """Read `/book`'s arguments; `today` is the club's date, for "tomorrow" and weekday names."""
    words = _words(text)
    if not words:
        raise OneLineError(Problem.EMPTY)
    day: date | None = None
    times: list[time] = []
    courts: list[int] = []
    duration: int | None = None
    after_court_word = False
    for word in words:
        if word in COURT_WORDS:
            after_court_word = True
            continue
        if after_court_word and _BARE_NUMBER.fullmatch(word) and int(word) < SHORTEST_BARE_MINUTES:
            courts.append(int(word))
            continue
        after_court_word = False
        if word in FILLERS or word in ANY_WORDS:
            continue
        if (court := _COURT_TOKEN.fullmatch(word)) is not None:
            courts.append(int(court[1]))
            after_court_word = True
        elif (start := _clock(word)) is not None:
            times.append(start)
        elif (minutes := _duration(word)) is not None:
            if duration is not None:
                raise OneLineError(Problem.TWO_DURATIONS, word)
            duration = minutes
        elif (named := _day(word, today)) is not None:
            if day is not None:
                raise OneLineError(Problem.TWO_DAYS, word)
            day = named
        else:
            raise OneLineError(Problem.UNKNOWN_WORD, word)
    if day is None:
        raise OneLineError(Problem.NO_DAY)
    return OneLineRequest(day=day, times=tuple(times), courts=tuple(courts), duration_min=duration)


def _words(text: str) -> list[str]:
    text = text.strip().lower()
    text = _GLUE_UNIT.sub(r"\1\2", text)
    text = _GLUE_COURT.sub(r"\1 \2", text)
    return [word for word in _SPLIT.split(text) if word]


def _clock(word: str) -> time | None:
    if (match := _CLOCK.fullmatch(word)) is not None:
        return time(int(match[1]), int(match[2]))
    if (match := _AM_PM.fullmatch(word)) is not None:
        hour = int(match[1]) % 12 + (12 if match[3] == "pm" else 0)
        return time(hour, int(match[2] or 0))
    return None


def _duration(word: str) -> int | None:
    if (match := _MINUTES.fullmatch(word)) is not None:
        return int(match[1])
    if (match := _HOURS.fullmatch(word)) is not None:
        minutes = float(match[1]) * 60
        return int(minutes) if minutes == int(minutes) else None
    if _BARE_NUMBER.fullmatch(word) and int(word) >= SHORTEST_BARE_MINUTES:
        return int(word)
    return None


def _day(word: str, today: date) -> date | None:
    if word in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[word])
    if word in WEEKDAYS:
        # The NEXT such day: "tue" on a Tuesday means a week from today.
        return today + timedelta(days=(WEEKDAYS[word] - today.weekday() - 1) % 7 + 1)
    if (match := _ISO_DAY.fullmatch(word)) is not None:
        return _date(word, int(match[1]), int(match[2]), int(match[3]), today)
    if (match := _DMY.fullmatch(word)) is not None:
        day, month = int(match[1]), int(match[2])
        if match[3] is None:
            return _next_occurrence(word, today, month, day)
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        return _date(word, year, month, day, today)
    return None


def _next_occurrence(word: str, today: date, month: int, day: int) -> date:
    """dd/mm without a year: the first such date from today on (29/02 waits for a leap year)."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise OneLineError(Problem.BAD_DATE, word)


def _date(word: str, year: int, month: int, day: int, today: date) -> date:
    try:
        value = date(year, month, day)
    except ValueError:
        raise OneLineError(Problem.BAD_DATE, word) from None
    if abs(value - today) > FURTHEST_DATE:
        raise OneLineError(Problem.BAD_DATE, word)
    return value
