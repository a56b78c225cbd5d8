"""Parameters decode to what python-telegram-bot encoded, whichever wire format carried them."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from sim.botapi.params import Params, to_integer

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)
json_objects = st.dictionaries(st.text(max_size=10), json_values, max_size=4)


def ptb_form(name: str, value: Any) -> Params:
    """The form fields python-telegram-bot would post for this parameter."""
    data = RequestData([RequestParameter.from_input(name, value)])
    return Params(data.json_parameters)


def json_body(name: str, value: Any) -> Params:
    """The same parameter in a JSON body, as other clients send it."""
    return Params(json.loads(json.dumps({name: value})))


@given(st.integers(min_value=-(2**62), max_value=2**62))
def test_integers(value: int) -> None:
    assert ptb_form("message_id", value).integer("message_id") == value
    assert json_body("message_id", value).integer("message_id") == value
    assert ptb_form("chat_id", value).chat_id() == value


@given(st.booleans())
def test_booleans(value: bool) -> None:
    assert ptb_form("disable_notification", value).flag("disable_notification") is value
    assert json_body("disable_notification", value).flag("disable_notification") is value


@given(st.text())
def test_strings_arrive_as_sent_even_when_they_look_like_json(value: str) -> None:
    assert ptb_form("text", value).text("text") == value
    assert json_body("text", value).text("text") == value


# PTB drops None items from a top-level list, so the lists here hold objects, as keyboards and commands do.
@given(json_objects | st.lists(json_objects, max_size=3))
def test_json_fields(value: Any) -> None:
    assert ptb_form("reply_markup", value).json_value("reply_markup", "bad") == value
    assert json_body("reply_markup", value).json_value("reply_markup", "bad") == value


def test_integers_read_like_tdlib() -> None:
    assert [to_integer(text) for text in ("12abc", "-7", "abc", "", "0.5")] == [12, -7, 0, 0, 0]
    assert Params({"chat_id": "@club"}).chat_id() == "@club"
    assert Params({}).integer("offset") is None and not Params({}).flag("x")
