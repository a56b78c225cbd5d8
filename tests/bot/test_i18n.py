"""The member's language: every message in the code is in each catalog, translated with the same
placeholders and compiled as shipped; the language follows Telegram's language_code, and /language; and a
German member books from /start to the calendar file in German."""

from __future__ import annotations

import gettext
import string
import tomllib
from datetime import time
from fnmatch import fnmatch
from io import BytesIO
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from icalendar import Calendar

from booking.reasons import Code
from bot import i18n, reasons, texts
from tests.bot.conftest import ALICE, BotWorld, days_ahead
from tests.engine.harness import SITE_ID

BOT = Path(i18n.__file__).parent
TRANSLATED = sorted(set(i18n.LANGUAGES) - {i18n.DEFAULT})


def _catalog(language: str) -> Catalog:
    with open(i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po", "rb") as po:
        return read_po(po, locale=language)


def _in_the_code() -> dict[str, tuple[str, ...]]:
    """Every message the code marks for translation (singular id -> its forms), as pybabel extracts it."""
    found: dict[str, tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(str(BOT)):
        forms = (message,) if isinstance(message, str) else tuple(message)
        found[forms[0]] = forms
    return found


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_in_the_code_is_translated(language: str) -> None:
    catalog = _catalog(language)
    missing = [
        msgid
        for msgid in _in_the_code()
        if (message := catalog.get(msgid)) is None or message.fuzzy or not all(_forms(message.string))
    ]
    assert missing == [], f"{language} misses {len(missing)} message(s); run `make catalogs` and translate"


def _forms(translation: str | tuple[str, ...]) -> tuple[str, ...]:
    return (translation,) if isinstance(translation, str) else translation


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language: str) -> None:
    for msgid, forms in _in_the_code().items():
        message = _catalog(language).get(msgid)
        assert message is not None
        for translated in _forms(message.string):
            assert _fields(translated) == _fields(forms[-1]), f"{msgid!r} -> {translated!r}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_shipped_mo_is_the_po_compiled(language: str) -> None:
    """`make catalogs` compiles the .mo committed beside the .po; an install needs no build step."""
    compiled = BytesIO()
    write_mo(compiled, _catalog(language))
    compiled.seek(0)
    shipped = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    with shipped.open("rb") as mo:
        assert gettext.GNUTranslations(mo)._catalog == gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    pyproject = tomllib.loads((BOT.parent / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["bot"]
    assert any(fnmatch(str(shipped.relative_to(BOT)), pattern) for pattern in patterns), "packaged"


def test_every_reason_the_domain_gives_has_words() -> None:
    assert set(reasons._WORDS) == set(Code)


@pytest.mark.parametrize(
    ("chosen", "telegram", "spoken"),
    [(None, "de", "de"), (None, "de-AT", "de"), (None, "fr", "en"), (None, None, "en"), ("en", "de", "en")],
)
def test_the_language_is_the_members_choice_else_telegrams(
    chosen: str | None, telegram: str | None, spoken: str
) -> None:
    assert i18n.pick(chosen, telegram) == spoken


async def test_a_german_member_books_in_german_from_start_to_the_calendar_file(world: BotWorld) -> None:
    world.api.add_user(ALICE, "Alice", language_code="de")
    day = days_ahead(world, 1)
    german_day = format_date(day, "EEE d. MMM", locale="de")
    await world.say(ALICE, "/start", expect="Hallo Alice! Ich bin courtbot")
    await world.say(ALICE, "/book", expect="Zuerst, einmalig, deine Club-Anmeldung")
    await world.say(ALICE, "alice", expect="Jetzt das Passwort für alice")
    secret = world.api.send_text(ALICE, "alice-pass")
    form = await world.api.wait_for_text(ALICE, "📅 Welcher Tag?", after=secret.message_id)
    await world.press(ALICE, form, "Morgen", expect=f"🕕 {german_day}: welche Anfangszeit?")
    await world.press(ALICE, form, "18:00", expect="Deine Reihenfolge: 18:00")
    await world.press(ALICE, form, texts_in("de", "NEXT_BUTTON"), expect="Welcher Platz?")
    await world.press(ALICE, form, "Court 2", expect="Deine Reihenfolge: Platz 2")
    await world.press(ALICE, form, texts_in("de", "NEXT_BUTTON"), expect="Wie lange möchtest du spielen?")
    await world.press(ALICE, form, "1 Std.", expect="Bereit zum Buchen:")
    assert "✅ Es ist schon freigegeben: ich buche sofort." in form.text
    answer = await world.press(
        ALICE, form, "✅ Jetzt buchen", expect=f"Platz 2 um 18:00 am {german_day} gebucht"
    )
    assert answer.text == "Wird gebucht…"
    notice = await world.api.wait_for_message(ALICE, lambda m: m.document is not None, after=form.message_id)
    assert (notice.caption or "").startswith(f"✅ Gebucht! Court 2 · {german_day} 18:00–19:00")
    assert "Öffne die Kalenderdatei" in (notice.caption or "")
    assert notice.document is not None
    event = Calendar.from_ical(notice.document.data).walk("VEVENT")[0]
    assert str(event["summary"]) == "Tennis · Court 2"
    assert str(event["description"]).startswith("Gebucht von courtbot. Buchungsnummer des Clubs:")
    [booking] = world.club.state.bookings()
    assert (booking.member, booking.slot.court_id, booking.slot.time) == ("alice", SITE_ID[2], time(18))


async def test_language_is_chosen_by_button_stored_and_the_menu_follows(world: BotWorld) -> None:
    chooser = await world.say(ALICE, "/language", expect="Which language shall I speak?")
    assert [b.text for row in chooser.keyboard for b in row] == ["✓ English", "Deutsch"]
    answer = await world.press(ALICE, chooser, "Deutsch", expect="Ab jetzt spreche ich Deutsch.")
    assert answer.text == "Deutsch" and [b.text for row in chooser.keyboard for b in row] == [
        "English",
        "✓ Deutsch",
    ]
    member = await world.members.get(ALICE)
    assert member is not None and member.language == "de"
    await world.say(ALICE, "/help", expect="Das kann ich:")
    menu = world.api.menu(ALICE)
    assert {"command": "book", "description": "Einen Platz buchen oder zur Freigabe vormerken"} in menu
    await world.press(ALICE, chooser, "English", expect="From now on I speak English.")
    await world.say(ALICE, "/help", expect="Here's what I can do:")


def texts_in(language: str, key: str) -> str:
    with i18n.speaking(language):
        return texts.fixed(key)
