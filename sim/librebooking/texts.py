"""What LibreBooking says, in English (en_us) and German (de_de), and how it writes dates in each.

The words follow LibreBooking's own lang/en_us.php and lang/de_de.php (German dates come from en_gb, which
de_de extends), so an adapter that leans on words fails here the way it would on a real club's site.
"""

from __future__ import annotations

import datetime as dt

VOCAB: dict[str, dict[str, str]] = {
    "en_us": {
        "LoginError": "We could not match your username or password",
        "UsernameOrEmail": "Username or Email",
        "Password": "Password",
        "LogIn": "Log In",
        "Schedule": "Schedule",
        "Reservation": "New Reservation",
        "ReservationFailed": "Your reservation could not be made",
        "ReservationCreated": "Your reservation was successfully created!",
        "YourReferenceNumber": "Your reference number is {0}",
        "ReservationRemoved": "Your reservation was removed",
        "ReservationErrors": "Change Reservation",
        "ReservationCriticalError": (
            "There was a critical error saving your reservation. "
            "If this continues, contact your system administrator."
        ),
        "NoReservationAccess": "You are not allowed to change this reservation.",
        "InvalidReservationData": "There were problems with your reservation request.",
        "StartDateBeforeEndDateRule": "The start date and time must be before the end date and time.",
        "StartIsInPast": "The start date and time cannot be in the past.",
        "MaxNoticeError": (
            "This reservation cannot be made this far in the future. "
            "The latest date and time that can be reserved is {0}."
        ),
        "MinDurationError": "This reservation must last at least {0}.",
        "MaxDurationError": "This reservation cannot last longer than {0}.",
        "InvalidStartSlot": "The start date and time requested is not valid.",
        "InvalidEndSlot": "The end date and time requested is not valid.",
        "ConflictingReservationDates": "There are conflicting reservations on the following dates:",
        "QuotaConfiguration": "On {0} for {1} users in {2} are limited to {3} {4} per {5}",
        "QuotaEnforcement": "Enforced {0} {1}",
        "AllResources": "All Resources",
        "AllGroups": "All Groups",
        "reservations": "reservations",
        "day": "day",
        "IncludingCompletedReservations": "Including Completed Reservations",
        "AllDay": "All Day",
        "Everyday": "Everyday",
        "days": "days",
        "hours": "hours",
        "minutes": "minutes",
        "Dates": "Dates",
        "Resources": "Resources",
        "Close": "Close",
    },
    "de_de": {
        "LoginError": "Benutzername oder Passwort falsch",
        "UsernameOrEmail": "Benutzername oder E-Mail",
        "Password": "Passwort",
        "LogIn": "Anmelden",
        "Schedule": "Terminplan",
        "Reservation": "Neue Reservierung",
        "ReservationFailed": "Ihre Reservierung konnte nicht angelegt werden",
        "ReservationCreated": "Ihre Reservierung wurde erfolgreich angelegt!",
        "YourReferenceNumber": "Ihre Referenznummer ist {0}",
        "ReservationRemoved": "Ihre Reservierung wurde erfolgreich gelöscht",
        "ReservationErrors": "Reservierung ändern",
        "ReservationCriticalError": (
            "Es kam zu einem kritischer Fehler beim Speichern Ihrer Reservierung. "
            "Wenn das Problem weiterhin besteht, wenden Sie sich an Ihren Systemadministrator."
        ),
        "NoReservationAccess": "Sie dürffen diese Reservierung nicht verändern.",
        "InvalidReservationData": "Es gab Probleme mit Ihrer Reservierungsanfrage.",
        "StartDateBeforeEndDateRule": "Der Startzeitpunkt muss vor dem Endzeitpunkt liegen",
        "StartIsInPast": "Der Startzeitpunkt darf nicht in der Vergangenheit liegen",
        "MaxNoticeError": "Die Reservierung liegt zu weit in der Zukunft. Der späteste Zeitpunkt ist {0}.",
        "MinDurationError": "Diese Reservierung muss mindestens {0} dauern.",
        "MaxDurationError": "Diese Reservierung kann nicht länger als {0} dauern.",
        "InvalidStartSlot": "Die angeforderte Startzeit ist nicht gültig.",
        "InvalidEndSlot": "Die angeforderte Endzeit ist nicht gültig.",
        "ConflictingReservationDates": "Es gibt in Konflikt stehende Reservierungen an folgenden Tagen:",
        "QuotaConfiguration": (
            "Zeitkontingente im Terminplan {0} für Ressource {1} und Benutzer in {2} sind limitiert auf "
            "{3} {4} pro {5}"
        ),
        "QuotaEnforcement": "{0} {1} erzwungen",
        "AllResources": "Alle Ressourcen",
        "AllGroups": "Alle Gruppen",
        "reservations": "Reservierungen",
        "day": "Tag",
        "IncludingCompletedReservations": "Inklusive Abgeschlossene Reservierungen",
        "AllDay": "Ganzer Tag",
        "Everyday": "Jeden Tag",
        "days": "Tage",
        "hours": "Stunden",
        "minutes": "Minuten",
        "Dates": "Daten",
        "Resources": "Ressourcen",
        "Close": "Schließen",
    },
}

#: PHP date() formats of general_date / general_datetime / period_time
_FORMATS = {
    "en_us": ("%m/%d/%Y", "{d:%m/%d/%Y} {h}:{d:%M:%S} {d:%p}", "{h}:{d:%M} {d:%p}"),
    "de_de": ("%d/%m/%Y", "{d:%d/%m/%Y %H:%M:%S}", "{d:%H:%M}"),
}


def word(lang: str, key: str, *args: object) -> str:
    return VOCAB[lang][key].format(*args)


def pick_language(cookie: str | None, accept: str | None, default: str) -> str:
    """The `language` cookie; else (the login page passes it) Accept-Language, read as LibreBooking does:
    its first five characters as a language code, so `de-de` works and `de-DE` does not; else the site's."""
    if cookie in VOCAB:
        return cookie
    guess = (accept or "")[:5].replace("-", "_")
    return guess if guess in VOCAB else default


def general_date(lang: str, moment: dt.datetime) -> str:
    return moment.strftime(_FORMATS[lang][0])


def general_datetime(lang: str, moment: dt.datetime) -> str:
    """en_us 'm/d/Y g:i:s A' (12/07/2026 5:45:30 AM), de_de 'd/m/Y H:i:s'."""
    return _FORMATS[lang][1].format(d=moment, h=moment.hour % 12 or 12)


def period_time(lang: str, moment: dt.datetime) -> str:
    return _FORMATS[lang][2].format(d=moment, h=moment.hour % 12 or 12)


def interval(lang: str, seconds: int) -> str:
    """A length as LibreBooking's DateDiff writes it: '1 hours', '1 hours 30 minutes', '2 days'."""
    days, rest = divmod(seconds, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    parts = [
        f"{n} {word(lang, unit)}" for n, unit in ((days, "days"), (hours, "hours"), (minutes, "minutes")) if n
    ]
    return " ".join(parts)


def quota(lang: str, schedule: str, limit: int) -> str:
    """The quota refusal, as QuotaRule words a per-day limit on a schedule for all resources and groups."""
    config = word(
        lang,
        "QuotaConfiguration",
        schedule,
        word(lang, "AllResources"),
        word(lang, "AllGroups"),
        f"{limit:.2f}",
        word(lang, "reservations"),
        word(lang, "day"),
    )
    enforcement = word(lang, "QuotaEnforcement", word(lang, "AllDay"), word(lang, "Everyday"))
    return f"{config} {word(lang, 'IncludingCompletedReservations')}. {enforcement}"
