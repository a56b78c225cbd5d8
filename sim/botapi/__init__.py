"""A Telegram Bot API emulator: the bot talks to it over HTTP as to a self-hosted Bot API server, while
tests and the playground act as users through its control API (see sim/botapi/README.md)."""

from sim.botapi.emulator import DEFAULT_TOKEN, BotApiEmulator
from sim.botapi.errors import ControlError
from sim.botapi.faults import FaultRule
from sim.botapi.models import (
    Button,
    CallbackAnswer,
    CallRecord,
    Chat,
    Document,
    GroupChat,
    MessageRecord,
    Revision,
    UserInfo,
)
from sim.botapi.runner import RunningBotApi, run_botapi, start_botapi

__all__ = [
    "DEFAULT_TOKEN",
    "BotApiEmulator",
    "Button",
    "CallRecord",
    "CallbackAnswer",
    "Chat",
    "ControlError",
    "Document",
    "FaultRule",
    "GroupChat",
    "MessageRecord",
    "Revision",
    "RunningBotApi",
    "UserInfo",
    "run_botapi",
    "start_botapi",
]
