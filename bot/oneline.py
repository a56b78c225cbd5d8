"""The one-line booking form for power users: `/book tue 18:00 court 2 60m`, `/book 1 dec 18:00`.

Only the words are read here; whether the club allows what they ask for is the booking service's to say,
so its refusal (with what *is* allowed) reaches the member unchanged. Days are read as people write them
(1 dec, dec 1, 1/12, 2026-12-01, today, tonight, tomorrow, a weekday), in English or German; a line with
no day at all leaves the day to the keyboard. `written_day` writes a day the way this parser reads it
back (the help's examples; a property test keeps the two honest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum

_WEEKDAY_NAMES = (
    ("mon", "monday", "mo", "montag"),
    ("tue", "tues", "tuesday", "di", "dienstag"),
    ("wed", "weds", "wednesday", "mi", "mittwoch"),
    ("thu", "thur", "thurs", "thursday", "do", "donnerstag"),
    ("fri", "friday", "fr", "freitag"),
    ("sat", "saturday", "sa", "samstag", "sonnabend"),
    ("sun", "sunday", "so", "sonntag"),
)
WEEKDAYS = {name: number for number, names in enumerate(_WEEKDAY_NAMES) for name in names}
_MONTH_NAMES = (
    ("jan", "january", "januar", "jän", "jänner"),
    ("feb", "february", "februar"),
    ("mar", "march", "mär", "märz", "maerz"),
    ("apr", "april"),
    ("may", "mai"),
    ("jun", "june", "juni"),
    ("jul", "july", "juli"),
    ("aug", "august"),
    ("sep", "sept", "september"),
    ("oct", "october", "okt", "oktober"),
    ("nov", "november"),
    ("dec", "december", "dez", "dezember"),
)
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}
RELATIVE_DAYS = {
    "today": 0,
    "tonight": 0,
    "tomorrow": 1,
    "tmrw": 1,
    "tmr": 1,
    "heute": 0,
    "morgen": 1,
    "übermorgen": 2,
}
PAST_DAYS = frozenset({"yesterday", "gestern", "vorgestern"})
FILLERS = frozenset(
    {"at", "on", "for", "then", "or", "and", "from", "with", "a", "an", "next", "this", "the"}
    | {"um", "am", "für", "fuer", "dann", "oder", "und", "ab", "mit", "nächsten", "abend", "uhr"}
)
COURT_WORDS = frozenset({"court", "courts", "platz", "plätze"})
ANY_WORDS = frozenset({"any", "anywhere", "egal", "beliebig"})

_UNIT = r"(h|hr|hrs|hour|hours|m|min|mins|minute|minutes|std|stunde|stunden)"
_GLUE_UNIT = re.compile(rf"(\d)\s+{_UNIT}\b")
_GLUE_COURT = re.compile(r"\b(court|courts|c|platz)\s+(\d)")
_GLUE_AM_PM = re.compile(r"(\d)\s+(am|pm)\b")
_SPLIT = re.compile(r"[\s,;]+")
_CLOCK = re.compile(r"([01]?\d|2[0-3])[:.h]([0-5]\d)")
_AM_PM = re.compile(r"(1[0-2]|0?[1-9])(?::([0-5]\d))?(am|pm)")
_MINUTES = re.compile(r"(\d{1,4})(m|min|mins|minute|minutes)")
_HOURS = re.compile(r"(\d{1,2}(?:\.\d{1,2})?)(h|hr|hrs|hour|hours|std|stunde|stunden)")
_BARE_NUMBER = re.compile(r"\d{1,4}")
_COURT_TOKEN = re.compile(r"(?:court|courts|c|platz)(\d{1,3})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?")
_DAY_OF_MONTH = re.compile(r"(\d{1,2})(?:\.|st|nd|rd|th)?")
_YEAR = re.compile(r"20\d{2}")
#: how far from today a written date may be; further is surely a typo (and beyond any booking window)
FURTHEST_DATE = timedelta(days=3650)
#: a date written without its year that fell this recently is past, not next year's
RECENT_PAST = timedelta(days=60)
#: a bare number at least this large is a duration in minutes ("120"); smaller ones may be court numbers
SHORTEST_BARE_MINUTES = 30


class Problem(StrEnum):
    EMPTY = "empty"
    TWO_DAYS = "two-days"
    BAD_DATE = "bad-date"
    PAST = "past"
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
    day: date | None  # None: ask with the keyboard
    times: tuple[time, ...]  # in order of preference; empty: ask with the keyboard
    courts: tuple[int, ...]  # in order of preference; empty: any court
    duration_min: int | None  # None: the club's shortest


def parse_oneline(text: str, today: date) -> OneLineRequest:
    """Read `/book`'s arguments; `today` is the club's date, for "tomorrow", weekdays and years."""
    words = _words(text)
    if not words:
        raise OneLineError(Problem.EMPTY)
    day: date | None = None
    times: list[time] = []
    courts: list[int] = []
    duration: int | None = None
    after_court_word = False
    for word, shown in words:
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
        elif (named := _day(word, shown, today)) is not None:
            if day is not None:
                raise OneLineError(Problem.TWO_DAYS, shown)
            day = named
        else:
            raise OneLineError(Problem.UNKNOWN_WORD, shown)
    return OneLineRequest(day=day, times=tuple(times), courts=tuple(courts), duration_min=duration)


def written_day(value: date, today: date, style: str = "day month") -> str:
    """`value` as a member would write it and this parser reads it back: "1 dec" (style "day month"),
    "dec 1" ("month day"), "1/12" ("numeric"), "2026-12-01" ("iso"), "today", "tomorrow", "tue"
    ("weekday", within the coming week). A day month-and-day would not name is written with its year."""
    month = _MONTH_NAMES[value.month - 1][0]
    if style == "iso":
        return value.isoformat()
    if style == "today" and value == today:
        return "today"
    if style == "tomorrow" and value == today + timedelta(days=1):
        return "tomorrow"
    if style == "weekday" and timedelta(days=1) <= value - today <= timedelta(days=7):
        return _WEEKDAY_NAMES[value.weekday()][0]
    year = "" if _without_year(value.month, value.day, today) == value else str(value.year)
    if style == "month day":
        return f"{month} {value.day} {year}".strip()
    if style == "numeric":
        return f"{value.day}/{value.month}/{year}" if year else f"{value.day}/{value.month}"
    return f"{value.day} {month} {year}".strip()


def _words(text: str) -> list[tuple[str, str]]:
    """The words to read, each with how the member wrote it (to quote it back)."""
    text = text.strip().lower()
    text = _GLUE_UNIT.sub(r"\1\2", text)
    text = _GLUE_AM_PM.sub(r"\1\2", text)
    text = _GLUE_COURT.sub(r"\1 \2", text)
    return _join_dates([word for word in _SPLIT.split(text) if word])


def _join_dates(words: list[str]) -> list[tuple[str, str]]:
    """ "1 dec", "dec 1", "1. dez", with an optional year after, read as one word "1/12[/2027]"."""
    joined: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        word, after = words[i].rstrip("."), words[i + 1] if i + 1 < len(words) else ""
        court_before = bool(joined) and joined[-1][0] in COURT_WORDS
        if word in MONTHS and (number := _DAY_OF_MONTH.fullmatch(after)):
            month, day = MONTHS[word], number[1]
        elif (
            (number := _DAY_OF_MONTH.fullmatch(words[i])) and after.rstrip(".") in MONTHS and not court_before
        ):
            month, day = MONTHS[after.rstrip(".")], number[1]
        else:
            joined.append((words[i], words[i]))
            i += 1
            continue
        taken = 3 if i + 2 < len(words) and _YEAR.fullmatch(words[i + 2]) else 2
        token = f"{int(day)}/{month}" + (f"/{words[i + 2]}" if taken == 3 else "")
        joined.append((token, " ".join(words[i : i + taken])))
        i += taken
    return joined


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


def _day(word: str, shown: str, today: date) -> date | None:
    if word in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[word])
    if word in PAST_DAYS:
        raise OneLineError(Problem.PAST, shown)
    if word in WEEKDAYS:
        # The NEXT such day: "tue" on a Tuesday means a week from today.
        return today + timedelta(days=(WEEKDAYS[word] - today.weekday() - 1) % 7 + 1)
    if (match := _ISO_DAY.fullmatch(word)) is not None:
        return _date(shown, int(match[1]), int(match[2]), int(match[3]), today)
    if (match := _DMY.fullmatch(word)) is not None:
        day, month = int(match[1]), int(match[2])
        if match[3] is None:
            found = _without_year(month, day, today)
            if found is None:
                raise OneLineError(Problem.BAD_DATE, shown)
            if found < today:
                raise OneLineError(Problem.PAST, shown)
            return found
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        return _date(shown, year, month, day, today)
    return None


def _without_year(month: int, day: int, today: date) -> date | None:
    """A day and month without a year: this year's if it is ahead or only just past (then it is past),
    else the next one there is (29/02 waits for a leap year); None if there is no such day."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today or today - candidate <= RECENT_PAST:
            return candidate
    return None


def _date(word: str, year: int, month: int, day: int, today: date) -> date:
    try:
        value = date(year, month, day)
    except ValueError:
        raise OneLineError(Problem.BAD_DATE, word) from None
    if abs(value - today) > FURTHEST_DATE:
        raise OneLineError(Problem.BAD_DATE, word)
    if value < today:
        raise OneLineError(Problem.PAST, word)
    return value
