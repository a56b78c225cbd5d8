"""The Bot API methods the bot uses, validated and answered as Telegram does.

Each handler reads its parameters the way the Bot API server does (see params.py), checks them in
Telegram's terms (a 400 with Telegram's exact description when it would refuse) and returns the result
object Telegram would. Method names are case-insensitive, as on Telegram.
"""

from __future__ import annotations

import contextlib
import mimetypes
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sim.botapi import errors
from sim.botapi.entities import Entity, checked_link, utf16_length
from sim.botapi.errors import ApiError
from sim.botapi.formatting import format_text
from sim.botapi.models import (
    BUTTON_ACTIONS,
    SCOPE_FIELDS,
    CallbackAnswer,
    Chat,
    Document,
    GroupChat,
    MessageRecord,
    scope_key,
)
from sim.botapi.params import Params, UploadedFile, to_integer

if TYPE_CHECKING:
    from sim.botapi.emulator import BotApiEmulator

Handler = Callable[["BotApiEmulator", Params], Awaitable[Any]]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_ANSWER_TEXT = 200
MAX_COMMANDS = 100
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_BUTTON_ERROR = "Bad Request: can't parse inline keyboard button: "
_MARKUP_JSON_ERROR = "Bad Request: can't parse reply keyboard markup JSON object"
_COMMAND_NAME = re.compile(r"[a-z0-9_]+")

METHODS: dict[str, Handler] = {}
_BY_LOWER_NAME: dict[str, str] = {}


def method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name] = handler
        _BY_LOWER_NAME[name.lower()] = name
        return handler

    return register


def canonical_name(name: str) -> str | None:
    """The method's documented spelling, for any capitalisation of it; None for an unknown method."""
    return _BY_LOWER_NAME.get(name.lower())


# ---- reading parameters -------------------------------------------------------------------------------


def _message_text(emu: BotApiEmulator, p: Params) -> tuple[str, list[Entity]]:
    raw = p.text("text")
    if not raw:
        raise ApiError.bad_request(errors.TEXT_EMPTY)
    entities = p.json_value("entities", "Bad Request: can't parse entities JSON object")
    text, parsed = format_text(raw, p.text("parse_mode"), entities, emu.world.user_json)
    if not text:
        raise ApiError.bad_request(errors.TEXT_EMPTY)
    if utf16_length(text) > MAX_TEXT:
        raise ApiError.bad_request(errors.TEXT_TOO_LONG)
    return text, parsed


def _caption(emu: BotApiEmulator, p: Params) -> tuple[str | None, list[Entity]]:
    raw = p.text("caption")
    if not raw:
        return None, []
    entities = p.json_value("caption_entities", "Bad Request: can't parse caption entities JSON object")
    text, parsed = format_text(raw, p.text("parse_mode"), entities, emu.world.user_json)
    if utf16_length(text) > MAX_CAPTION:
        raise ApiError.bad_request(errors.CAPTION_TOO_LONG)
    return text or None, parsed


def _inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise ApiError.bad_request(_BUTTON_ERROR + "InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise ApiError.bad_request(_BUTTON_ERROR + 'Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise ApiError.bad_request(_BUTTON_ERROR + 'Field "text" must be of type String')
    actions = [name for name in BUTTON_ACTIONS if button.get(name) not in (None, "", False)]
    if not actions:
        raise ApiError.bad_request(_BUTTON_ERROR + "Text buttons are unallowed in the inline keyboard")
    action, value = actions[0], button[actions[0]]
    if action == "callback_data":
        if not isinstance(value, str):
            raise ApiError.bad_request(_BUTTON_ERROR + 'Field "callback_data" must be of type String')
        if len(value.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise ApiError.bad_request(errors.BUTTON_DATA_INVALID)
    if action == "url" and (not isinstance(value, str) or checked_link(value) is None):
        raise ApiError.bad_request(errors.BUTTON_URL_INVALID)
    return {"text": button["text"], action: value}


def _inline_keyboard(rows: Any) -> dict[str, Any]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError.bad_request(
            'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    return {"inline_keyboard": [[_inline_button(button) for button in row] for row in rows]}


def _reply_markup(p: Params, *, inline_only: bool) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The call's reply_markup as (inline keyboard, other markup); edits accept only the former.

    An object with none of the markup fields, like a keyboard without buttons, is no markup at all.
    """
    markup = p.json_value("reply_markup", _MARKUP_JSON_ERROR)
    if markup is None:
        return None, None
    if not isinstance(markup, dict):
        raise ApiError.bad_request("Bad Request: object expected as reply markup")
    if "inline_keyboard" in markup:
        keyboard = _inline_keyboard(markup["inline_keyboard"])
        return (keyboard if any(keyboard["inline_keyboard"]) else None), None
    if not {"keyboard", "remove_keyboard", "force_reply"} & markup.keys():
        return None, None
    if inline_only:
        raise ApiError.bad_request("Bad Request: inline keyboard expected")
    return None, markup


def _reply_target(chat: Chat | GroupChat, p: Params) -> int | None:
    """The message this one replies to (reply_parameters, or the older reply_to_message_id)."""
    given = p.json_value("reply_parameters", "Bad Request: can't parse reply parameters JSON object")
    if isinstance(given, dict):
        raw_id = given.get("message_id")
        message_id = to_integer(raw_id) if isinstance(raw_id, str) else raw_id
        allow_missing = bool(given.get("allow_sending_without_reply"))
    else:
        message_id = p.integer("reply_to_message_id")
        allow_missing = p.flag("allow_sending_without_reply")
    if not isinstance(message_id, int) or not message_id:
        return None
    if chat.live(message_id) is None:
        if allow_missing:
            return None
        raise ApiError.bad_request(errors.REPLY_NOT_FOUND)
    return message_id


def _edit_target(emu: BotApiEmulator, p: Params) -> MessageRecord:
    """The bot message an edit names; Telegram's errors for a missing id, chat or message."""
    if p.has("inline_message_id"):
        raise ApiError.bad_request(errors.INLINE_MESSAGE_ID_INVALID)
    chat_id, message_id = p.chat_id(), p.integer("message_id")
    if chat_id is None or not message_id:
        raise ApiError.bad_request(errors.NO_MESSAGE_ID)
    message = emu.world.chat_for_bot(chat_id).live(message_id)
    if message is None:
        raise ApiError.bad_request(errors.EDIT_NOT_FOUND)
    if not message.from_bot:
        raise ApiError.bad_request(errors.CANT_EDIT)
    return message


def _document(emu: BotApiEmulator, given: UploadedFile | str | None) -> Document:
    """A new document from an upload, or a stored one by file_id (the emulator cannot fetch URLs)."""
    if given is None or given == "":
        raise ApiError.bad_request(errors.NO_DOCUMENT)
    if isinstance(given, str):
        stored = emu.world.files.get(given)
        if stored is not None:
            return stored
        raise ApiError.bad_request(
            errors.URL_UNREACHABLE if given.startswith(("http://", "https://")) else errors.WRONG_FILE_ID
        )
    if not given.data:
        raise ApiError.bad_request(errors.EMPTY_FILE)
    name = given.filename or "document"
    mime = given.content_type
    if not mime or mime == "application/octet-stream":
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    unique = secrets.token_urlsafe(12)
    document = Document(f"BQAC{unique}{secrets.token_urlsafe(24)}", unique, name, mime, given.data)
    emu.world.files[document.file_id] = document
    return document


def _command_scope(emu: BotApiEmulator, p: Params) -> str:
    """The key of the BotCommandScope a call names; a chat scope must name a chat the bot knows."""
    scope = p.json_value("scope", "Bad Request: can't parse BotCommandScope JSON object")
    if scope is None:
        return scope_key(None)
    if not isinstance(scope, dict) or scope.get("type") not in SCOPE_FIELDS:
        raise ApiError.bad_request("Bad Request: can't parse BotCommandScope JSON object")
    canonical: dict[str, Any] = {"type": scope["type"]}
    for name in SCOPE_FIELDS[scope["type"]]:
        value = scope.get(name)
        number = to_integer(value) if isinstance(value, str) else value
        if not isinstance(number, int) or not number:
            raise ApiError.bad_request(errors.CHAT_ID_EMPTY if name == "chat_id" else errors.USER_NOT_FOUND)
        canonical[name] = number
    if "chat_id" in canonical and emu.world.chat(canonical["chat_id"]) is None:
        raise ApiError.bad_request(errors.CHAT_NOT_FOUND)
    return scope_key(canonical)


def _bot_command(item: Any) -> dict[str, str]:
    if not isinstance(item, dict):
        raise ApiError.bad_request("Bad Request: can't parse BotCommand JSON object")
    command = str(item.get("command", "")).strip().removeprefix("/")
    description = str(item.get("description", "")).strip()
    if not command:
        raise ApiError.bad_request("Bad Request: command must be non-empty")
    if len(command) > 32:
        raise ApiError.bad_request("Bad Request: command length must not exceed 32")
    if not description:
        raise ApiError.bad_request("Bad Request: command description must be non-empty")
    if len(description) > 256:
        raise ApiError.bad_request("Bad Request: command description length must not exceed 256")
    if not _COMMAND_NAME.fullmatch(command):
        raise ApiError.bad_request("Bad Request: BOT_COMMAND_INVALID")
    return {"command": command, "description": description}


# ---- the methods ---------------------------------------------------------------------------------------


@method("getMe")
async def get_me(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    return {
        **emu.world.bot.to_api(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@method("logOut")
async def log_out(emu: BotApiEmulator, p: Params) -> bool:
    return True


@method("close")
async def close(emu: BotApiEmulator, p: Params) -> bool:
    return True


@method("getUpdates")
async def get_updates(emu: BotApiEmulator, p: Params) -> list[dict[str, Any]]:
    try:
        allowed = p.json_value("allowed_updates", "")
    except ApiError:  # Telegram ignores an unreadable allowed_updates
        allowed = None
    return await emu.updates.poll(
        p.integer("offset"),
        p.integer("limit"),
        p.integer("timeout") or 0,
        [str(kind) for kind in allowed] if isinstance(allowed, list) else None,
    )


@method("deleteWebhook")
async def delete_webhook(emu: BotApiEmulator, p: Params) -> bool:
    if p.flag("drop_pending_updates"):
        emu.updates.drop_pending()
    return True


@method("getWebhookInfo")
async def get_webhook_info(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    return {"url": "", "has_custom_certificate": False, "pending_update_count": len(emu.updates.pending)}


@method("setMyCommands")
async def set_my_commands(emu: BotApiEmulator, p: Params) -> bool:
    commands = p.json_value("commands", "Bad Request: can't parse commands JSON object")
    if commands is None:
        raise ApiError.bad_request('Bad Request: parameter "commands" is required')
    if not isinstance(commands, list):
        raise ApiError.bad_request('Bad Request: field "commands" must be an Array')
    if len(commands) > MAX_COMMANDS:
        raise ApiError.bad_request("Bad Request: BOT_COMMANDS_TOO_MUCH")
    parsed = [_bot_command(item) for item in commands]
    emu.world.commands[(_command_scope(emu, p), p.text("language_code") or "")] = parsed
    return True


@method("getMyCommands")
async def get_my_commands(emu: BotApiEmulator, p: Params) -> list[dict[str, str]]:
    return list(emu.world.commands.get((_command_scope(emu, p), p.text("language_code") or ""), []))


@method("deleteMyCommands")
async def delete_my_commands(emu: BotApiEmulator, p: Params) -> bool:
    emu.world.commands.pop((_command_scope(emu, p), p.text("language_code") or ""), None)
    return True


@method("setMyDescription")
async def set_my_description(emu: BotApiEmulator, p: Params) -> bool:
    emu.world.descriptions[("description", p.text("language_code") or "")] = p.text("description") or ""
    return True


@method("getMyDescription")
async def get_my_description(emu: BotApiEmulator, p: Params) -> dict[str, str]:
    return {"description": emu.world.descriptions.get(("description", p.text("language_code") or ""), "")}


@method("setMyShortDescription")
async def set_my_short_description(emu: BotApiEmulator, p: Params) -> bool:
    key = ("short_description", p.text("language_code") or "")
    emu.world.descriptions[key] = p.text("short_description") or ""
    return True


@method("getMyShortDescription")
async def get_my_short_description(emu: BotApiEmulator, p: Params) -> dict[str, str]:
    key = ("short_description", p.text("language_code") or "")
    return {"short_description": emu.world.descriptions.get(key, "")}


@method("sendMessage")
async def send_message(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    text, entities = _message_text(emu, p)
    inline, other = _reply_markup(p, inline_only=False)
    chat = emu.world.chat_for_bot(p.chat_id())
    message = emu.world.add_message(
        chat,
        emu.world.bot,
        text=text,
        entities=entities,
        reply_markup=inline,
        reply_keyboard=other,
        reply_to_message_id=_reply_target(chat, p),
        disable_notification=p.flag("disable_notification"),
    )
    return emu.world.message_json(message)


@method("sendDocument")
async def send_document(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    caption, caption_entities = _caption(emu, p)
    inline, other = _reply_markup(p, inline_only=False)
    chat = emu.world.chat_for_bot(p.chat_id())
    document = _document(emu, p.upload("document"))
    message = emu.world.add_message(
        chat,
        emu.world.bot,
        document=document,
        caption=caption,
        caption_entities=caption_entities,
        reply_markup=inline,
        reply_keyboard=other,
        reply_to_message_id=_reply_target(chat, p),
        disable_notification=p.flag("disable_notification"),
    )
    return emu.world.message_json(message)


@method("sendChatAction")
async def send_chat_action(emu: BotApiEmulator, p: Params) -> bool:
    emu.world.chat_for_bot(p.chat_id())
    if p.text("action") not in CHAT_ACTIONS:
        raise ApiError.bad_request(errors.BAD_CHAT_ACTION)
    return True


@method("editMessageText")
async def edit_message_text(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    text, entities = _message_text(emu, p)
    inline, _ = _reply_markup(p, inline_only=True)
    message = _edit_target(emu, p)
    if message.document is not None:
        raise ApiError.bad_request(errors.NO_TEXT_TO_EDIT)
    if (text, entities, inline) == (message.text, message.entities, message.reply_markup):
        raise ApiError.bad_request(errors.NOT_MODIFIED)
    now = time.time()
    message.revise(now, text=text, entities=entities, reply_markup=inline, edit_date=int(now))
    return emu.world.message_json(message)


@method("editMessageCaption")
async def edit_message_caption(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    caption, caption_entities = _caption(emu, p)
    inline, _ = _reply_markup(p, inline_only=True)
    message = _edit_target(emu, p)
    if message.document is None:
        raise ApiError.bad_request("Bad Request: there is no caption in the message to edit")
    current = (message.caption, message.caption_entities, message.reply_markup)
    if (caption, caption_entities, inline) == current:
        raise ApiError.bad_request(errors.NOT_MODIFIED)
    now = time.time()
    message.revise(
        now, caption=caption, caption_entities=caption_entities, reply_markup=inline, edit_date=int(now)
    )
    return emu.world.message_json(message)


@method("editMessageReplyMarkup")
async def edit_message_reply_markup(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    inline, _ = _reply_markup(p, inline_only=True)
    message = _edit_target(emu, p)
    if inline == message.reply_markup:
        raise ApiError.bad_request(errors.NOT_MODIFIED)
    message.revise(time.time(), reply_markup=inline)  # a keyboard change does not mark a message edited
    return emu.world.message_json(message)


def _delete(chat: Chat | GroupChat, message_id: int | None) -> bool:
    """Delete a live message; in a group the bot may delete others' messages only as an admin."""
    message = chat.live(message_id)
    if message is None:
        return False
    if isinstance(chat, GroupChat) and not message.from_bot and not chat.bot_is_admin:
        raise ApiError.bad_request(errors.CANT_DELETE)
    message.deleted = True
    message.deleted_at = time.time()
    return True


@method("deleteMessage")
async def delete_message(emu: BotApiEmulator, p: Params) -> bool:
    chat_id, message_id = p.chat_id(), p.integer("message_id")
    if not message_id:
        raise ApiError.bad_request(errors.NO_MESSAGE_ID)
    if not _delete(emu.world.chat_for_bot(chat_id), message_id):
        raise ApiError.bad_request(errors.DELETE_NOT_FOUND)
    return True


@method("deleteMessages")
async def delete_messages(emu: BotApiEmulator, p: Params) -> bool:
    """Messages that cannot be found or deleted are skipped, as on Telegram; none at all is an error."""
    ids = p.json_value("message_ids", "Bad Request: can't parse message identifiers JSON object")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise ApiError.bad_request("Bad Request: message identifiers are not specified")
    chat = emu.world.chat_for_bot(p.chat_id())
    deleted = []
    for message_id in ids:
        if isinstance(message_id, int):
            with contextlib.suppress(ApiError):
                deleted.append(_delete(chat, message_id))
    if not any(deleted):
        raise ApiError.bad_request(errors.DELETE_NOT_FOUND)
    return True


@method("answerCallbackQuery")
async def answer_callback_query(emu: BotApiEmulator, p: Params) -> bool:
    query = emu.world.callback_queries.get(p.text("callback_query_id") or "")
    now = time.time()
    ttl = emu.callback_query_ttl
    expired = query is not None and ttl is not None and now - query.created_at > ttl
    if query is None or query.answer is not None or expired:
        raise ApiError.bad_request(errors.QUERY_TOO_OLD)
    text = p.text("text")
    if text is not None and len(text) > MAX_ANSWER_TEXT:
        raise ApiError.bad_request(errors.ANSWER_TOO_LONG)
    cache_time = p.integer("cache_time") or 0
    query.answer = CallbackAnswer(text or None, p.flag("show_alert"), p.text("url"), cache_time, now)
    return True


@method("getFile")
async def get_file(emu: BotApiEmulator, p: Params) -> dict[str, Any]:
    document = emu.world.files.get(p.text("file_id") or "")
    if document is None:
        raise ApiError.bad_request(errors.INVALID_FILE_ID)
    return {
        "file_id": document.file_id,
        "file_unique_id": document.file_unique_id,
        "file_size": document.size,
        "file_path": document.file_path,
    }
