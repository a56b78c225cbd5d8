"""What MRBS says, in English and German, and how it writes dates and times in each.

The words follow MRBS's own lang.en / lang.de, so an adapter that leans on words instead of markup fails
here the way it would fail on a real club's site.
"""

from __future__ import annotations

import datetime as dt

VOCAB: dict[str, dict[str, str]] = {
    "en": {
        "mrbs": "Meeting Room Booking System",
        "sched_conflict": "Scheduling Conflict",
        "rules_broken": "The new booking will conflict with the following policies",
        "conflict": "The new booking will conflict with the following entries",
        "max_create_time_before": "You cannot create a booking which ends in more than {n} {unit}",
        "max_create_time_before_start": "You cannot create a booking which starts in more than {n} {unit}",
        "min_create_time_before": "You cannot create a booking which starts in less than {n} {unit}",
        "max_per_day_area": "The maximum number of bookings per day per user in this area is",
        "invalid_booking": "Invalid booking",
        "must_set_description": (
            "You must set a brief description for the booking. Please go back and enter one."
        ),
        "no_rooms_selected": "You must select a room.",
        "no_rooms_for_area": "No rooms defined for this area",
        "tentative": "Tentative",
        "accessdenied": "Access Denied",
        "norights": "You do not have access rights to modify this item.",
        "please_login": "Please log in",
        "unknown_user": "Unknown user",
        "username": "Username",
        "password": "Password",
        "login": "Log in",
        "logoff": "Log off",
        "session_expired": "Your session has expired.",
        "error": "Error",
        "back": "Back",
        "time": "Time",
        "view_week": "View Week",
        "highlight_line": "Highlight this line",
        "create_new_booking": "Create a new booking",
        "select_area": "Select area",
        "search": "Search",
        "search_for": "Search For",
        "from": "From",
        "invalid_search": "Empty or invalid search string.",
        "search_results": "Search results for '{query}' from {day}",
        "nothing_found": "No matching entries found.",
        "records": "Records {first} through {last} of {total}",
        "previous": "Previous",
        "next": "Next",
        "namebooker": "Brief description",
        "createdby": "Created by",
        "start_date": "Start date",
        "description": "Full description",
        "room": "Room",
        "status": "Status",
        "start": "Start",
        "end": "End",
        "deleteentry": "Delete entry",
        "save": "Save",
        "weeks": "weeks",
        "days": "days",
        "hours": "hours",
        "minutes": "minutes",
        "seconds": "seconds",
    },
    "de": {
        "mrbs": "Raumbuchungssystem",
        "sched_conflict": "Konflikt in der Planung",
        "rules_broken": "Der neue Eintrag entspricht nicht den folgenden Regeln",
        "conflict": "Der neue Eintrag hat einen Konflikt mit folgenden Einträgen",
        "max_create_time_before": "Sie können keine Buchung erstellen, die in mehr als {n} {unit} endet",
        "max_create_time_before_start": (
            "Sie können keine Buchung erstellen, die in mehr als {n} {unit} beginnt"
        ),
        "min_create_time_before": (
            "Sie können keine Buchung erstellen, die in weniger als {n} {unit} beginnt"
        ),
        "max_per_day_area": (
            "Die maximale Anzahl an Buchungen pro Tag und Benutzer in diesem Bereich beträgt"
        ),
        "invalid_booking": "Ungültiger Eintrag",
        "must_set_description": (
            "Sie müssen eine kurze Beschreibung für den Eintrag angeben.  "
            "Bitte gehen Sie zurück und korrigieren Sie Ihre Eingabe."
        ),
        "no_rooms_selected": "Sie müssen einen Raum wählen.",
        "no_rooms_for_area": "Der Bereich enthält keinen Raum",
        "tentative": "vorläufig",
        "accessdenied": "Zugang verweigert",
        "norights": "Sie haben keine Berechtigung, diesen Eintrag zu ändern",
        "please_login": "Bitte anmelden",
        "unknown_user": "Unbekannter Benutzer",
        "username": "Benutzername",
        "password": "Passwort",
        "login": "Anmelden",
        "logoff": "Abmelden",
        "session_expired": "Ihre Sitzung ist abgelaufen.",
        "error": "Fehler",
        "back": "Zurück",
        "time": "Zeit",
        "view_week": "Zeige Woche",
        "highlight_line": "Markieren Sie diese Zeile",
        "create_new_booking": "Reservierung durchführen",
        "select_area": "Bereich auswählen",
        "search": "Suche",
        "search_for": "Suche nach",
        "from": "Von",
        "invalid_search": "Leerer oder ungültiger Suchbegriff.",
        "search_results": "Suchergebnis für '{query}' ab {day}",
        "nothing_found": "Keine passenden Suchergebnisse gefunden.",
        "records": "Ergebnisse {first} bis {last} von {total}",
        "previous": "Vorige",
        "next": "Nächste",
        "namebooker": "Kurzbeschreibung",
        "createdby": "Erstellt von",
        "start_date": "Anfangsdatum",
        "description": "Vollständige Beschreibung",
        "room": "Raum",
        "status": "Status",
        "start": "Anfang",
        "end": "Ende",
        "deleteentry": "Eintrag löschen",
        "save": "Speichern",
        "weeks": "Wochen",
        "days": "Tage",
        "hours": "Stunden",
        "minutes": "Minuten",
        "seconds": "Sekunden",
    },
}

_DE_DAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_DE_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


def word(lang: str, key: str, **values: object) -> str:
    return VOCAB[lang][key].format(**values)


def pick_language(header: str | None, default: str) -> str:
    """The best of MRBS's languages for an Accept-Language header (q-values honoured), else `default`."""
    best, best_q = default, 0.0
    for part in (header or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in VOCAB:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:
            best, best_q = primary, q
    return best


def clock(lang: str, t: dt.time) -> str:
    """US English "7:00 AM", German "07:00"."""
    if lang == "de":
        return f"{t.hour:02d}:{t.minute:02d}"
    hour = t.hour % 12 or 12
    return f"{hour}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def long_date(lang: str, d: dt.date) -> str:
    """ "Thursday 11 June 2026" / "Donnerstag, 11. Juni 2026"."""
    if lang == "de":
        return f"{_DE_DAYS[d.weekday()]}, {d.day}. {_DE_MONTHS[d.month - 1]} {d.year}"
    return f"{d:%A} {d.day} {d:%B %Y}"


def interval(lang: str, seconds: int) -> tuple[int, str]:
    """A policy interval in MRBS's largest whole unit, always in the plural as MRBS writes it."""
    for unit, size in (("weeks", 604800), ("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds and seconds % size == 0:
            return seconds // size, word(lang, unit)
    return seconds, word(lang, "seconds")
