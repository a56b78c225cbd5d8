"""Typed callback data for inline buttons.

Telegram hands a button's data back verbatim, and anyone can forge it, so each action declares the
exact arguments it carries and `parse` accepts nothing else. Data always fits Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from enum import Enum, StrEnum

MAX_BYTES = 64
SEPARATOR = ":"


class Arg(Enum):
    """How one argument is written in callback data."""

    NUMBER = re.compile(r"0|[1-9][0-9]{0,11}")  # a non-negative id or count
    DAY = re.compile(r"[0-9]{8}")  # YYYYMMDD
    CLOCK = re.compile(r"[0-9]{4}")  # HHMM
    REFERENCE = re.compile(r"[A-Za-z0-9._/-]{1,48}")  # a club's booking reference
    LANGUAGE = re.compile(r"[a-z]{2}")  # a language code: "de"


class Action(StrEnum):
    """What a button does; the value is its short code in callback data."""

    ASK_ACCESS = "aa"
    APPROVE = "ap"
    DENY = "dn"
    NEW_BOOKING = "nb"
    DAY = "dy"
    DAY_PAGE = "dp"
    REFRESH = "rf"
    TIME = "tm"
    TIMES_DONE = "tn"
    COURT = "ct"
    ANY_COURT = "ca"
    COURTS_DONE = "cn"
    DURATION = "du"
    PARTNER_DEFAULT = "pd"
    SAVE_PARTNER = "ps"
    SUBMIT = "go"
    MAKE_WEEKLY = "wk"
    BACK = "bk"
    ABORT = "ab"
    CANCEL_REQUEST = "xr"
    CANCEL_BOOKING = "xb"
    CONFIRM_CANCEL_BOOKING = "yb"
    KEEP_BOOKING = "kb"
    BOOKINGS_PAGE = "bp"
    MEMBERS_PAGE = "mp"
    WATCH = "wa"
    ALTERNATIVE = "al"
    LANGUAGE = "lg"
    PAUSE_SERIES = "sp"
    RESUME_SERIES = "sr"
    SKIP_SERIES = "ss"
    UNSKIP_SERIES = "su"
    DELETE_SERIES = "sd"
    CONFIRM_DELETE_SERIES = "sy"
    KEEP_SERIES = "sk"


ARGS: dict[Action, tuple[Arg, ...]] = {
    Action.APPROVE: (Arg.NUMBER,),
    Action.DENY: (Arg.NUMBER,),
    Action.DAY: (Arg.DAY,),
    Action.DAY_PAGE: (Arg.NUMBER,),
    Action.TIME: (Arg.CLOCK,),
    Action.COURT: (Arg.NUMBER,),
    Action.DURATION: (Arg.NUMBER,),
    Action.CANCEL_REQUEST: (Arg.NUMBER,),
    Action.CANCEL_BOOKING: (Arg.REFERENCE,),
    Action.CONFIRM_CANCEL_BOOKING: (Arg.REFERENCE,),
    Action.BOOKINGS_PAGE: (Arg.NUMBER,),
    Action.MEMBERS_PAGE: (Arg.NUMBER,),
    Action.WATCH: (Arg.NUMBER, Arg.NUMBER),  # request id, minutes before the slot to stop watching
    Action.ALTERNATIVE: (Arg.NUMBER, Arg.NUMBER, Arg.CLOCK),  # the all-taken request, a free court and start
    Action.LANGUAGE: (Arg.LANGUAGE,),
    Action.PAUSE_SERIES: (Arg.NUMBER,),
    Action.RESUME_SERIES: (Arg.NUMBER,),
    # the series, and the date its button showed: a stale press skips no other week
    Action.SKIP_SERIES: (Arg.NUMBER, Arg.DAY),
    Action.UNSKIP_SERIES: (Arg.NUMBER, Arg.DAY),
    Action.DELETE_SERIES: (Arg.NUMBER,),
    Action.CONFIRM_DELETE_SERIES: (Arg.NUMBER,),
}

Value = int | date | time | str


@dataclass(frozen=True)
class Callback:
    action: Action
    args: tuple[Value, ...] = ()

    def int_arg(self, position: int = 0) -> int:
        value = self.args[position]
        assert isinstance(value, int)
        return value

    def day_arg(self, position: int = 0) -> date:
        value = self.args[position]
        assert isinstance(value, date)
        return value

    def time_arg(self, position: int = 0) -> time:
        value = self.args[position]
        assert isinstance(value, time)
        return value

    def str_arg(self, position: int = 0) -> str:
        value = self.args[position]
        assert isinstance(value, str)
        return value


def pack(action: Action, *args: Value) -> str:
    """The callback data for a button; ValueError if the arguments do not fit the action."""
    kinds = ARGS.get(action, ())
    if len(args) != len(kinds):
        raise ValueError(f"{action.name} takes {len(kinds)} argument(s), not {len(args)}")
    data = SEPARATOR.join(
        [action.value, *(_encode(kind, value) for kind, value in zip(kinds, args, strict=True))]
    )
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data for {action.name} is longer than {MAX_BYTES} bytes")
    return data


def fits(action: Action, *args: Value) -> bool:
    """Whether `pack(action, *args)` would succeed (a club reference may be too long for a button)."""
    try:
        pack(action, *args)
    except ValueError:
        return False
    return True


def parse(data: object) -> Callback | None:
    """The callback a button carried, or None for anything malformed, unknown or forged."""
    if not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
        return None
    code, *raw = data.split(SEPARATOR)
    try:
        action = Action(code)
    except ValueError:
        return None
    kinds = ARGS.get(action, ())
    if len(raw) != len(kinds):
        return None
    values = []
    for kind, text in zip(kinds, raw, strict=True):
        value = _decode(kind, text)
        if value is None:
            return None
        values.append(value)
    return Callback(action, tuple(values))


def matches(*actions: Action) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: the data parses and is one of `actions`."""

    def check(data: object) -> bool:
        parsed = parse(data)
        return parsed is not None and parsed.action in actions

    return check


def _encode(kind: Arg, value: Value) -> str:
    if kind is Arg.NUMBER and isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif kind is Arg.DAY and isinstance(value, date):
        text = value.strftime("%Y%m%d")
    elif kind is Arg.CLOCK and isinstance(value, time):
        text = value.strftime("%H%M")
    elif kind in (Arg.REFERENCE, Arg.LANGUAGE) and isinstance(value, str):
        text = value
    else:
        raise ValueError(f"{value!r} is not a {kind.name.lower()}")
    if not kind.value.fullmatch(text):
        raise ValueError(f"{value!r} cannot be written as a {kind.name.lower()}")
    return text


def _decode(kind: Arg, text: str) -> Value | None:
    if not kind.value.fullmatch(text):
        return None
    try:
        if kind is Arg.NUMBER:
            return int(text)
        if kind is Arg.DAY:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if kind is Arg.CLOCK:
            return time(int(text[:2]), int(text[2:]))
    except ValueError:
        return None
    return text
