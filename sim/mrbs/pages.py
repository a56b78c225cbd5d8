"""MRBS 1.12's HTML as a member's browser receives it: the markup adapters may rely on (ids, classes,
data-* attributes, link parameters) follows MRBS; the words follow the reader's language.
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from urllib.parse import urlencode

from sim.mrbs import texts
from sim.mrbs.config import MrbsConfig
from sim.mrbs.state import Entry, MrbsState, Session, Violation

_CSS = """
body{font-family:sans-serif;margin:0;color:#222}header{background:#4b667b;color:#fff;padding:.5em 1em}
header a{color:#fff}#contents{padding:1em}table.dwm_main{border-collapse:collapse}
.dwm_main th,.dwm_main td{border:1px solid #ccc;padding:.2em .6em;min-width:6em}
td.new a{display:block;height:1.2em}td.booked{background:#cde}.writable{font-weight:bold}
td.multiply{background:#fcc}p.error{color:#a00}
""".strip()


def _q(**values: object) -> str:
    """A query string in the order given, as PHP's http_build_query writes it."""
    return urlencode([(key, str(value)) for key, value in values.items()])


def _csrf_input(session: Session) -> str:
    return f'<input type="hidden" name="csrf_token" value="{escape(session.csrf)}">'


def layout(lang: str, session: Session, content: str, *, simple: bool = False) -> str:
    """The page frame: every page carries the session's CSRF token; a member's page their username."""
    user = session.username
    body_attrs = ' class="logged_in"' + f' data-username="{escape(user)}"' if user else ' class="logged_out"'
    nav = "" if simple else _banner(lang, session)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="csrf_token" content="{escape(session.csrf)}">\n'
        f"<title>{escape(texts.word(lang, 'mrbs'))}</title>\n<style>{_CSS}</style>\n</head>\n"
        f'<body{body_attrs}>\n{nav}<div id="contents">\n{content}\n</div>\n</body>\n</html>\n'
    )


def _banner(lang: str, session: Session) -> str:
    w = lambda key: escape(texts.word(lang, key))  # noqa: E731
    if session.username:
        logon = (
            f"<span>{escape(session.username)}</span>"
            f'<form method="post" action="admin.php">{_csrf_input(session)}'
            '<input type="hidden" name="action" value="SetName">'
            '<input type="hidden" name="username" value="">'
            '<input type="hidden" name="password" value="">'
            '<input type="hidden" name="target_url" value="index.php">'
            f'<input type="submit" value="{w("logoff")}"></form>'
        )
    else:
        logon = (
            '<form method="get" action="admin.php"><input type="hidden" name="action" value="QueryName">'
            '<input type="hidden" name="target_url" value="index.php">'
            f'<input type="submit" value="{w("login")}"></form>'
        )
    return (
        '<header class="banner">\n<nav>\n<div class="logo"><a href="index.php">MRBS</a></div>\n'
        f'<form id="header_search" method="post" action="search.php">{_csrf_input(session)}'
        f'<input type="search" name="search_str" aria-label="{w("search")}" required></form>\n'
        f'<div id="logon_box">{logon}</div>\n</nav>\n</header>\n'
    )


# The day view


def day_page(state: MrbsState, area_id: int, day: dt.date, session: Session, lang: str) -> str:
    cfg = state.config
    selector = ""
    if len(cfg.areas) > 1:  # MRBS lists the areas only when there is a choice
        options = "".join(
            f'<option value="{aid}"{" selected" if aid == area_id else ""}>{escape(area.name)}</option>'
            for aid, area in cfg.areas.items()
        )
        selector = (
            f'<form class="areaChangeForm" method="get" action="index.php">{_csrf_input(session)}'
            '<input type="hidden" name="view" value="day">'
            f'<input type="hidden" name="page_date" value="{day}">'
            '<select class="room_area_select" name="area" '
            f'aria-label="{escape(texts.word(lang, "select_area"))}">'
            f"{options}</select></form>"
        )
    content = (
        f'<div id="dwm_header" class="screenonly">{selector}</div>\n'
        f'<div id="dwm"><h2 class="date">{escape(texts.long_date(lang, day))}</h2></div>\n'
        f'<div class="table_container">\n<table class="dwm_main" id="day_main" '
        f'data-resolution="{cfg.slot_minutes * 60}">\n'
        f"{day_table(state, area_id, day, session, lang)}</table>\n</div>"
    )
    return layout(lang, session, content)


def day_refresh(state: MrbsState, area_id: int, day: dt.date, session: Session, lang: str) -> str:
    """index.php?refresh=1: the table's inner HTML for the page's periodic refresh (JSON, as text/html)."""
    return json.dumps(
        {
            "date_heading": texts.long_date(lang, day),
            "inner_html": day_table(state, area_id, day, session, lang),
        }
    )


def day_table(state: MrbsState, area_id: int, day: dt.date, session: Session, lang: str) -> str:
    """thead and tbody of the day view, cell by cell as MRBS's cell_html() draws them."""
    cfg = state.config
    area = cfg.areas.get(area_id)
    if area is None:  # an area id the site does not have: MRBS shows a table of no rooms
        return f"<tbody data-empty=1><tr><td><h1>{escape(texts.word(lang, 'no_rooms_for_area'))}</h1></td></tr></tbody>\n"
    rooms = list(area.rooms.items())
    slots = state.slots(day)
    entries = state.entries_between([room for room, _ in rooms], slots[0][0], slots[-1][1])
    cells = {
        room: [[e for e in entries if e.overlaps(room, start, end)] for start, end in slots]
        for room, _ in rooms
    }
    ymd = {"year": day.year, "month": day.month, "day": day.day}
    week = escape(texts.word(lang, "view_week"))
    header = "".join(
        f'<th data-room="{room}">'
        f'<a href="index.php?{escape(_q(view="week", view_all=0, **ymd, area=area_id, room=room))}"'
        f' title="{week}">'
        f'{escape(name)}<span class="capacity zero">0</span></a></th>\n'
        for room, name in rooms
    )
    thead = (
        f'<thead data-slots="{escape(json.dumps([[list(slot) for slot in slots]]))}" '
        'data-timeline-vertical="false" data-timeline-full="true">\n<tr>\n'
        f'<th class="first_last">{escape(texts.word(lang, "time"))}</th>\n{header}</tr>\n</thead>\n'
    )
    today = day == state.today(state.now())
    highlight = escape(texts.word(lang, "highlight_line"))
    rows = []
    for i, start in enumerate(cfg.slot_starts()):
        seconds = start.hour * 3600 + start.minute * 60
        link = _q(view="day", **ymd, area=area_id, timetohighlight=seconds)
        row = [
            f'<tr>\n<th data-seconds="{seconds}"><a href="index.php?{escape(link)}" '
            f'title="{highlight}">{escape(texts.clock(lang, start))}</a></th>\n'
        ]
        for room, _ in rooms:
            column = cells[room]
            here = column[i]
            if not here:
                new = _q(view="day", **ymd, area=area_id, room=room, hour=start.hour, minute=start.minute)
                row.append(
                    f'<td class="new{" today" if today else ""}"><a href="edit_entry.php?{escape(new)}" '
                    f'aria-label="{escape(texts.word(lang, "create_new_booking"))}"></a></td>\n'
                )
            elif len(here) > 1:
                row.append(
                    f'<td class="booked multiply">{_bookings(state, here, ymd, area_id, session)}</td>\n'
                )
            elif i == 0 or column[i - 1] != here:  # the first slot of a run: the cell spans the run
                span = 1
                while i + span < len(column) and column[i + span] == here:
                    span += 1
                rowspan = f' rowspan="{span}"' if span > 1 else ""
                row.append(
                    f'<td class="booked"{rowspan}>{_bookings(state, here, ymd, area_id, session)}</td>\n'
                )
        row.append("</tr>\n")
        rows.append("".join(row))
    return f"{thead}<tbody>\n{''.join(rows)}</tbody>\n"


def _bookings(
    state: MrbsState, entries: list[Entry], ymd: dict[str, int], area_id: int, session: Session
) -> str:
    """Each entry's div: `writable` where the viewer may edit it (an admin: every one), `tentative`
    where it is not confirmed."""
    out = []
    for e in entries:
        classes = " ".join(
            ["I", "booking"]
            + (["tentative"] if e.tentative else [])
            + (["writable"] if state.may_edit(session.username, e) else [])
        )
        link = _q(view="day", **ymd, area=area_id, id=e.id)
        out.append(
            f'<div class="{classes}"><a href="view_entry.php?{escape(link)}" title="{escape(e.description)}" '
            f'class="I" data-id="{e.id}" data-type="I">{escape(e.name)}</a></div>'
        )
    return "".join(out)


# Login, errors and refusals


def login_page(lang: str, session: Session, error: str | None = None, target: str = "index.php") -> str:
    w = lambda key: escape(texts.word(lang, key))  # noqa: E731
    problem = f'<p class="error">{w(error)}</p>\n' if error else ""
    content = (
        f'<form class="standard" id="logon" method="post" action="admin.php">\n{_csrf_input(session)}\n'
        f"<fieldset>\n<legend>{w('please_login')}</legend>\n{problem}"
        f'<div><label for="username">{w("username")}</label>'
        '<input type="text" id="username" name="username" required></div>\n'
        f'<div><label for="password">{w("password")}</label>'
        '<input type="password" id="password" name="password" required></div>\n'
        f'<input type="hidden" name="target_url" value="{escape(target)}">\n'
        '<input type="hidden" name="action" value="SetName">\n'
        f'<div><input class="submit" type="submit" value="{w("login")}"></div>\n</fieldset>\n</form>'
    )
    return layout(lang, session, content)


def fatal_page(lang: str, session: Session, key: str) -> str:
    """MRBS's fatal_error(): a bare page with the message."""
    return layout(lang, session, f"<p>\n  {escape(texts.word(lang, key))}\n</p>", simple=True)


def invalid_booking_page(lang: str, session: Session, key: str) -> str:
    content = (
        f"<h1>{escape(texts.word(lang, 'invalid_booking'))}</h1>\n<p>{escape(texts.word(lang, key))}</p>"
    )
    return layout(lang, session, content)


def access_denied_page(lang: str, session: Session) -> str:
    content = (
        f"<h1>{escape(texts.word(lang, 'accessdenied'))}</h1>\n<p>{escape(texts.word(lang, 'norights'))}</p>"
    )
    return layout(lang, session, content)


def violation_text(lang: str, violation: Violation) -> str:
    if violation.code == "max_per_day_area":
        return f"{texts.word(lang, 'max_per_day_area')} {violation.number}"
    n, unit = texts.interval(lang, violation.number)
    return texts.word(lang, violation.code, n=n, unit=unit)


def conflict_item(state: MrbsState, lang: str, entry: Entry) -> str:
    """One clashing entry as MRBS lists it: a link to the entry, then when and where."""
    local = state.local(entry.start)
    when = f"{texts.clock(lang, local.time())} - {texts.long_date(lang, local.date())}"
    return (
        f'<a href="view_entry.php?id={entry.id}">{escape(entry.name)}</a> '
        f"({escape(when)}, {escape(state.config.room_name(entry.room_id))})"
    )


def conflict_page(
    state: MrbsState,
    lang: str,
    session: Session,
    violations: list[Violation],
    conflicts: list[Entry],
    back: str,
) -> str:
    w = lambda key: escape(texts.word(lang, key))  # noqa: E731
    parts = [f"<h2>{w('sched_conflict')}</h2>\n"]
    if violations:
        items = "".join(f"<li>{escape(violation_text(lang, v))}</li>\n" for v in violations)
        parts.append(f"<p>\n{w('rules_broken')}:\n</p>\n<ul>\n{items}</ul>\n")
    if conflicts:
        items = "".join(f"<li>{conflict_item(state, lang, e)}</li>\n" for e in conflicts)
        parts.append(f"<p>\n{w('conflict')}:\n</p>\n<ul>\n{items}</ul>\n")
    parts.append(
        f'<div id="submit_buttons">\n<form method="post" action="{escape(back)}">{_csrf_input(session)}'
        f'<input type="submit" value="{w("back")}"></form>\n</div>'
    )
    return layout(lang, session, "".join(parts))


# Search


def search_page(
    state: MrbsState,
    lang: str,
    session: Session,
    query: str,
    from_day: dt.date,
    found: list[Entry],
    position: int,
) -> str:
    cfg = state.config
    w = lambda key, **v: escape(texts.word(lang, key, **v))  # noqa: E731
    form = (
        f'<form class="standard" id="search_form" method="post" action="search.php">{_csrf_input(session)}'
        f"<fieldset><legend>{w('search')}</legend>"
        f'<label for="search_str">{w("search_for")}</label>'
        f'<input type="search" id="search_str" name="search_str" value="{escape(query)}" required>'
        f'<label for="from_date">{w("from")}</label>'
        f'<input type="date" id="from_date" name="from_date" value="{from_day}" required>'
        f'<input type="submit" value="{w("search")}"></fieldset></form>\n'
    )
    if not query:
        return layout(lang, session, f'{form}<p class="error">{w("invalid_search")}</p>')
    title = w("search_results", query=query, day=texts.long_date(lang, from_day))
    heading = f'<h3 class="search_results">{title}</h3>\n'
    if not found:
        return layout(lang, session, f'{form}{heading}<p id="nothing_found">{w("nothing_found")}</p>')
    size = cfg.search_page_size
    page = found[position : position + size]
    nav = ""
    if position > 0 or position + size < len(found):
        numbers = w("records", first=position + 1, last=position + len(page), total=len(found))
        buttons = "".join(
            _search_nav(session, query, from_day, len(found), pos, w(label), disabled)
            for pos, label, disabled in (
                (max(0, position - size), "previous", position == 0),
                (position + size, "next", position + size >= len(found)),
            )
        )
        nav = f'<div id="record_numbers">{numbers}</div>\n<div id="record_nav">{buttons}</div>\n'
    returl = f"search.php?search_str={query}&from_date={from_day}"
    rows = []
    for e in page:
        local = state.local(e.start)
        day = local.date()
        entry_link = _q(id=e.id, returl=returl)
        day_link = _q(
            view="day",
            year=day.year,
            month=day.month,
            day=day.day,
            area=cfg.area_of(e.room_id),
            room=e.room_id,
        )
        when = f"{texts.clock(lang, local.time())} - {texts.long_date(lang, day)}"
        values = (
            f'<a title="{escape(e.name)}" href="view_entry.php?{escape(entry_link)}">{escape(e.name)}</a>',
            escape(state.compound_name(e.create_by)),
            f'<span title="{e.start}"></span><a href="index.php?{escape(day_link)}">{escape(when)}</a>',
            escape(e.description),
        )
        rows.append("<tr>\n<td>\n" + "</td>\n<td>".join(values) + "</td>\n</tr>\n")
    table = (
        '<div id="search_output" class="datatable_container">\n'
        f'<table id="search_results" class="admin_table display" data-search_str="{escape(query)}" '
        f'data-from_date="{from_day}">\n<thead>\n<tr>\n'
        f"<th>{w('namebooker')}</th>\n<th>{w('createdby')}</th>\n"
        f'<th><span class="normal" data-type="title-numeric">{w("start_date")}</span></th>\n'
        f"<th>{w('description')}</th>\n</tr>\n</thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table>\n</div>"
    )
    return layout(lang, session, form + heading + nav + table)


def _search_nav(
    session: Session, query: str, from_day: dt.date, total: int, position: int, label: str, disabled: bool
) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{escape(str(value))}">'
        for name, value in (
            ("search_str", query),
            ("total", total),
            ("from_date", from_day),
            ("search_pos", position),
        )
    )
    return (
        f'<form method="post" action="search.php">{_csrf_input(session)}{hidden}'
        f'<input type="submit" value="{label}"{" disabled" if disabled else ""}></form>'
    )


# Pages for people (the playground): an entry, and the new-booking form


def entry_page(state: MrbsState, lang: str, session: Session, entry: Entry | None) -> str:
    if entry is None:
        return layout(lang, session, f"<h1>{escape(texts.word(lang, 'error'))}</h1>")
    w = lambda key: escape(texts.word(lang, key))  # noqa: E731
    start, end = state.local(entry.start), state.local(entry.end)
    rows = (
        (w("room"), escape(state.config.room_name(entry.room_id))),
        (w("start"), escape(f"{texts.clock(lang, start.time())} - {texts.long_date(lang, start.date())}")),
        (w("end"), escape(f"{texts.clock(lang, end.time())} - {texts.long_date(lang, end.date())}")),
        (w("createdby"), escape(state.compound_name(entry.create_by))),
    )
    if entry.tentative:
        rows = (*rows, (w("status"), w("tentative")))
    table = "".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in rows)
    delete = ""
    if state.may_edit(session.username, entry):
        delete = (
            f'<form method="post" action="del_entry.php">{_csrf_input(session)}'
            f'<input type="hidden" name="id" value="{entry.id}"><input type="hidden" name="series" value="0">'
            '<input type="hidden" name="returl" value="index.php">'
            f'<input type="submit" value="{w("deleteentry")}"></form>'
        )
    return layout(lang, session, f'<h3>{escape(entry.name)}</h3><table id="entry">{table}</table>{delete}')


def edit_entry_page(
    cfg: MrbsConfig, lang: str, session: Session, room: int, day: dt.date, start: dt.time
) -> str:
    seconds = start.hour * 3600 + start.minute * 60
    hidden = {
        "create_by": session.username or "",
        "start_date": day.isoformat(),
        "end_date": day.isoformat(),
        "start_seconds": seconds,
        "end_seconds": seconds + cfg.slot_minutes * 60,
        "rooms[]": room,
        "type": "I",
        "rep_type": 0,
        "rep_id": 0,
        "edit_series": 0,
        "returl": "index.php",
    }
    inputs = "".join(f'<input type="hidden" name="{k}" value="{escape(str(v))}">' for k, v in hidden.items())
    content = (
        '<form class="standard" id="main" method="post" action="edit_entry_handler.php">'
        f"{_csrf_input(session)}"
        f'{inputs}<label for="name">{escape(texts.word(lang, "namebooker"))}</label>'
        f'<input id="name" name="name" value="{escape(session.username or "")}" required>'
        '<input type="hidden" name="description" value="">'
        f'<input type="submit" value="{escape(texts.word(lang, "save"))}">'
        "</form>"
    )
    return layout(lang, session, content)
