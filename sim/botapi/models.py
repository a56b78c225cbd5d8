"""What the emulator remembers: users and their private chats, messages with their edit history, files,
callback queries, and the log of the bot's calls.

Records are live: a MessageRecord read from a transcript shows later edits too, which is what a test
waiting for "the progress message now says booked" needs. Each record can render itself both as the Bot
API object the bot receives and as the plain JSON the control API serves.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from sim.botapi.entities import Entity, entities_to_api
from sim.botapi.errors import BLOCKED, CANT_INITIATE, CHAT_ID_EMPTY, CHAT_NOT_FOUND, ApiError

# The field of an InlineKeyboardButton that says what pressing it does; exactly one is required.
BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


#: the BotCommandScope types and the ids each names
SCOPE_FIELDS: dict[str, tuple[str, ...]] = {
    "default": (),
    "all_private_chats": (),
    "all_group_chats": (),
    "all_chat_administrators": (),
    "chat": ("chat_id",),
    "chat_administrators": ("chat_id",),
    "chat_member": ("chat_id", "user_id"),
}


def scope_key(scope: dict[str, Any] | None) -> str:
    """The key commands are stored under for a BotCommandScope (None: the default scope)."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


@dataclass
class UserInfo:
    """A Telegram user (or the bot itself)."""

    id: int
    first_name: str
    is_bot: bool = False
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    def to_api(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for name in ("last_name", "username", "language_code"):
            value = getattr(self, name)
            if value is not None:
                user[name] = value
        return user


@dataclass(frozen=True)
class Button:
    """One inline keyboard button: its label and what it does (callback_data, url, or another action)."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    action: str = "callback_data"

    @classmethod
    def from_api(cls, button: dict[str, Any]) -> Button:
        """From a validated InlineKeyboardButton object (one action field)."""
        action = next((name for name in BUTTON_ACTIONS if name in button), "callback_data")
        return cls(button["text"], button.get("callback_data"), button.get("url"), action)

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"text": self.text}
        if self.callback_data is not None:
            result["callback_data"] = self.callback_data
        if self.url is not None:
            result["url"] = self.url
        if self.action not in ("callback_data", "url"):
            result["action"] = self.action
        return result


def keyboard_of(markup: dict[str, Any] | None) -> list[list[Button]]:
    """The rows of an inline keyboard markup (none for no markup)."""
    if not markup:
        return []
    return [[Button.from_api(button) for button in row] for row in markup["inline_keyboard"]]


@dataclass(frozen=True)
class Document:
    """A file the bot sent, kept whole so tests can read it back."""

    file_id: str
    file_unique_id: str
    file_name: str
    mime_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def file_path(self) -> str:
        return f"documents/{self.file_unique_id}/{self.file_name}"

    def to_api(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": self.size,
        }


@dataclass(frozen=True)
class Revision:
    """An earlier state of an edited message: what it showed from `at` until `replaced_at`."""

    text: str
    entities: tuple[Entity, ...]
    caption: str | None
    reply_markup: dict[str, Any] | None
    at: float
    replaced_at: float

    @property
    def keyboard(self) -> list[list[Button]]:
        return keyboard_of(self.reply_markup)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "entities": entities_to_api(self.text, self.entities),
            "caption": self.caption,
            "keyboard": [[button.to_json() for button in row] for row in self.keyboard],
            "at": self.at,
            "replaced_at": self.replaced_at,
        }


@dataclass
class MessageRecord:
    """A message of a chat as it is now, with how it got there.

    `text` is "" for a document (whose words are its `caption`); `reply_markup` is the message's inline
    keyboard, while `reply_keyboard` keeps a ReplyKeyboardMarkup/ReplyKeyboardRemove/ForceReply it came
    with. `created_at`, `updated_at` and `deleted_at` are Unix times with fractions; `date` and
    `edit_date` are Telegram's whole seconds.
    """

    chat_id: int
    message_id: int
    sender: UserInfo
    from_bot: bool
    date: int
    created_at: float
    text: str = ""
    entities: list[Entity] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[Entity] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    reply_keyboard: dict[str, Any] | None = None
    document: Document | None = None
    reply_to_message_id: int | None = None
    disable_notification: bool = False
    edit_date: int | None = None
    updated_at: float = 0.0
    history: list[Revision] = field(default_factory=list)
    deleted: bool = False
    deleted_at: float | None = None

    @property
    def keyboard(self) -> list[list[Button]]:
        return keyboard_of(self.reply_markup)

    def button(self, text: str) -> Button:
        """The inline button labelled `text` (LookupError if there is none)."""
        for row in self.keyboard:
            for button in row:
                if button.text == text:
                    return button
        labels = [button.text for row in self.keyboard for button in row]
        raise LookupError(f"message {self.message_id} has no button {text!r}; it has {labels}")

    def revise(self, now: float, **changes: Any) -> None:
        """Apply an edit, keeping the state it replaces in `history`."""
        self.history.append(
            Revision(self.text, tuple(self.entities), self.caption, self.reply_markup, self.updated_at, now)
        )
        for name, value in changes.items():
            setattr(self, name, value)
        self.updated_at = now

    def to_json(self) -> dict[str, Any]:
        """The control API's view of the message (a document's bytes are served separately)."""
        return {
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "from_bot": self.from_bot,
            "from": self.sender.to_api(),
            "date": self.date,
            "text": self.text,
            "entities": entities_to_api(self.text, self.entities),
            "caption": self.caption,
            "keyboard": [[button.to_json() for button in row] for row in self.keyboard],
            "reply_keyboard": self.reply_keyboard,
            "document": self.document.to_api() if self.document else None,
            "reply_to_message_id": self.reply_to_message_id,
            "disable_notification": self.disable_notification,
            "edit_date": self.edit_date,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "deleted": self.deleted,
            "deleted_at": self.deleted_at,
            "history": [revision.to_json() for revision in self.history],
        }


@dataclass
class CallbackAnswer:
    """What the bot said in answerCallbackQuery."""

    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int
    at: float

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "show_alert": self.show_alert,
            "url": self.url,
            "cache_time": self.cache_time,
            "at": self.at,
        }


@dataclass
class CallbackQueryRecord:
    """A button press injected by a test, and the bot's answer once it comes."""

    id: str
    user: UserInfo
    chat_id: int
    message_id: int
    data: str
    created_at: float
    answer: CallbackAnswer | None = None


@dataclass
class CallRecord:
    """One Bot API call the bot made: what it asked and what it was told."""

    method: str
    params: dict[str, Any]
    chat_id: int | str | None
    at: float
    duration: float
    status: int
    description: str | None
    result: Any

    @property
    def ok(self) -> bool:
        return self.status == 200

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "params": self.params,
            "chat_id": self.chat_id,
            "at": self.at,
            "duration": self.duration,
            "status": self.status,
            "ok": self.ok,
            "description": self.description,
        }


class _Messages:
    """What every chat has: its messages by id (message id n is messages[n - 1]), deleted ones flagged."""

    messages: list[MessageRecord]

    def next_message_id(self) -> int:
        return len(self.messages) + 1

    def find(self, message_id: int | None) -> MessageRecord | None:
        """The message with this id, deleted or not."""
        if message_id is None or not 0 < message_id <= len(self.messages):
            return None
        return self.messages[message_id - 1]

    def live(self, message_id: int | None) -> MessageRecord | None:
        """The message with this id unless it was deleted."""
        message = self.find(message_id)
        return None if message is None or message.deleted else message


@dataclass
class Chat(_Messages):
    """A private chat between the bot and one user (chat id = user id)."""

    user: UserInfo
    started: bool = True
    blocked: bool = False
    messages: list[MessageRecord] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.user.id

    def to_api(self) -> dict[str, Any]:
        chat = self.user.to_api()
        del chat["is_bot"]
        chat.pop("language_code", None)
        return {"id": chat.pop("id"), "type": "private", **chat}


GROUP_TYPES = ("group", "supergroup")


@dataclass
class GroupChat(_Messages):
    """A group or supergroup the bot is a member of (ids are negative, as on Telegram).

    `bot_is_admin`: an admin bot receives every message and may delete anyone's; otherwise privacy mode
    holds (see `delivered_to_bot`) and the bot may delete only its own messages.
    """

    id: int
    title: str
    type: str = "group"
    members: set[int] = field(default_factory=set)
    bot_is_admin: bool = False
    messages: list[MessageRecord] = field(default_factory=list)

    def to_api(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": self.type, "title": self.title}
        if self.type == "group":
            chat["all_members_are_administrators"] = False
        return chat

    def delivered_to_bot(self, message: MessageRecord, bot_username: str | None) -> bool:
        """Whether a member's message reaches the bot: all of them if it is an admin; with privacy mode,
        commands (but not /command@another_bot) and replies to the bot's own messages.

        Telegram sends a bare /command only if this bot was the last to post in the group; the emulator
        has one bot, so it always is.
        """
        if self.bot_is_admin:
            return True
        replied = self.live(message.reply_to_message_id)
        if replied is not None and replied.from_bot:
            return True
        command = next((e for e in message.entities if e.type == "bot_command" and e.start == 0), None)
        if command is None:
            return False
        _, _, addressee = message.text.split()[0].partition("@")
        return not addressee or addressee.lower() == (bot_username or "").lower()


class World:
    """All chats, files and callback queries; the Bot API methods and the control API both act on it."""

    def __init__(self, bot: UserInfo) -> None:
        self.bot = bot
        self.chats: dict[int, Chat] = {}
        self.groups: dict[int, GroupChat] = {}
        self.files: dict[str, Document] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}

    def user_json(self, user_id: int) -> dict[str, Any] | None:
        chat = self.chats.get(user_id)
        return chat.user.to_api() if chat else None

    def chat(self, chat_id: int | str | None) -> Chat | GroupChat | None:
        """A private chat (by user id) or a group (by its negative id)."""
        if not isinstance(chat_id, int):
            return None
        return self.chats.get(chat_id) or self.groups.get(chat_id)

    def chat_for_bot(self, chat_id: int | str | None) -> Chat | GroupChat:
        """The chat a bot call names, as Telegram judges it: unknown, blocked, or never started fail."""
        if chat_id is None:
            raise ApiError.bad_request(CHAT_ID_EMPTY)
        chat = self.chat(chat_id)
        if chat is None:
            raise ApiError.bad_request(CHAT_NOT_FOUND)
        if isinstance(chat, GroupChat):
            return chat
        if chat.blocked:
            raise ApiError(403, BLOCKED)
        if not chat.started:
            raise ApiError(403, CANT_INITIATE)
        return chat

    def add_message(self, chat: Chat | GroupChat, sender: UserInfo, **fields: Any) -> MessageRecord:
        now = time.time()
        message = MessageRecord(
            chat_id=chat.id,
            message_id=chat.next_message_id(),
            sender=sender,
            from_bot=sender.is_bot,
            date=int(now),
            created_at=now,
            updated_at=now,
            **fields,
        )
        chat.messages.append(message)
        return message

    def message_json(self, message: MessageRecord, *, with_reply: bool = True) -> dict[str, Any]:
        """The Message object the Bot API returns and delivers for this message."""
        chat = self.chat(message.chat_id)
        assert chat is not None
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "from": message.sender.to_api(),
            "chat": chat.to_api(),
            "date": message.date,
        }
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        replied = chat.live(message.reply_to_message_id) if with_reply else None
        if replied is not None:
            result["reply_to_message"] = self.message_json(replied, with_reply=False)
        if message.document is not None:
            result["document"] = message.document.to_api()
            if message.caption:
                result["caption"] = message.caption
                if message.caption_entities:
                    result["caption_entities"] = entities_to_api(message.caption, message.caption_entities)
        else:
            result["text"] = message.text
            if message.entities:
                result["entities"] = entities_to_api(message.text, message.entities)
        if message.reply_markup is not None:
            result["reply_markup"] = message.reply_markup
        return result
