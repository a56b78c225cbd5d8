"""Callback data: every action packs and parses back, always within 64 bytes; anything else is None."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.callbacks import ARGS, MAX_BYTES, Action, Arg, Callback, fits, pack, parse

VALUES = {
    Arg.NUMBER: st.integers(min_value=0, max_value=10**12 - 1),
    Arg.DAY: st.dates(min_value=date(1000, 1, 1)),
    Arg.CLOCK: st.times().map(lambda t: time(t.hour, t.minute)),
    Arg.REFERENCE: st.from_regex(Arg.REFERENCE.value, fullmatch=True),
    Arg.LANGUAGE: st.from_regex(Arg.LANGUAGE.value, fullmatch=True),
}
#: a loaded 2-core machine is slow to draw regexes: no deadline, no complaint about it
PATIENT = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def callbacks(draw: st.DrawFn) -> Callback:
    action = draw(st.sampled_from(list(Action)))
    return Callback(action, tuple(draw(VALUES[kind]) for kind in ARGS.get(action, ())))


@PATIENT
@given(callbacks())
def test_every_callback_round_trips_within_64_bytes(callback: Callback) -> None:
    data = pack(callback.action, *callback.args)
    assert len(data.encode()) <= MAX_BYTES
    assert parse(data) == callback


@PATIENT
@given(st.one_of(st.text(), st.binary(), st.integers(), st.none()))
def test_anything_else_parses_to_none_or_to_what_it_packs(data: object) -> None:
    parsed = parse(data)
    assert parsed is None or pack(parsed.action, *parsed.args) == data


@pytest.mark.parametrize(
    "data",
    [
        "",
        "zz",
        "dy",
        "dy:2026-12-01",
        "dy:20261301",
        "tm:2460",
        "xr:-1",
        "xr:01",
        "xb:a:b",
        "ap:1:2",
        "nb:1",
        "x" * 65,
    ],
)
def test_malformed_data_is_refused(data: str) -> None:
    assert parse(data) is None


def test_pack_refuses_what_does_not_fit() -> None:
    with pytest.raises(ValueError, match="takes 1 argument"):
        pack(Action.DAY)
    with pytest.raises(ValueError, match="not a day"):
        pack(Action.DAY, "tomorrow")
    with pytest.raises(ValueError, match="not a number"):
        pack(Action.COURT, True)
    assert not fits(Action.CANCEL_BOOKING, "R" * 49)
    assert fits(Action.CANCEL_BOOKING, "DC-1A2B3C")
