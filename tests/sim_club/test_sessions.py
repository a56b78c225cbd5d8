"""Login, CSRF, idle expiry and logout, as the adapter meets them."""

from __future__ import annotations

import asyncio

from yarl import URL

from sim.club import RunningClub
from tests.sim_club.conftest import Login, OpenBrowser


async def test_login_lands_on_the_courts_as_the_member(club: RunningClub, browser: OpenBrowser) -> None:
    alice = browser(club)
    form = await alice.get("/login")
    assert form.name == "login"
    assert form.one("form#login-form")["action"] == "/login"
    token = form.input("csrf_token")
    assert form.soup.select_one('input[name="username"]') is not None
    assert form.soup.select_one('input[type="password"][name="password"]') is not None
    answer = await alice.post(
        "/login", {"csrf_token": token, "username": "alice", "password": "alice-pass"}, allow_redirects=False
    )
    assert answer.status == 303
    assert answer.headers["Location"] == "/courts"
    courts = await alice.get("/courts")
    assert courts.name == "courts"
    assert courts.one("body")["data-member"] == "alice"
    assert courts.csrf == token


async def test_session_cookie_is_http_only(club: RunningClub, browser: OpenBrowser) -> None:
    page = await browser(club).get("/login")
    assert "dc_session=" in page.headers["Set-Cookie"]
    assert "HttpOnly" in page.headers["Set-Cookie"]


async def test_bad_credentials_show_the_form_again_with_a_code(
    club: RunningClub, browser: OpenBrowser
) -> None:
    bob = browser(club)
    for username, password in (("bob", "wrong"), ("nobody", "bob-pass"), ("", "")):
        page = await bob.login(username, password)
        assert page.status == 200
        assert page.name == "login"
        assert page.error == {"error": "login-failed"}
    assert (await bob.get("/courts")).name == "login"
    await bob.login("bob")
    assert club.state.logins == ["bob"], "only the accepted login is counted"


async def test_login_echo_repeats_the_typed_password_in_the_clubs_own_words(
    club: RunningClub, browser: OpenBrowser
) -> None:
    club.config.update({"login_echo": True})
    page = await browser(club).login("bob", "b0b-typo")
    assert page.name == "login" and page.error == {"error": "denied"}
    assert page.one("[data-error]").get_text() == "The password b0b-typo is not the password of bob."


async def test_wrong_or_missing_csrf_is_refused_with_403(club: RunningClub, browser: OpenBrowser) -> None:
    carol = browser(club)
    await carol.get("/login")
    wrong = await carol.post(
        "/login", {"csrf_token": "forged", "username": "carol", "password": "carol-pass"}
    )
    assert wrong.status == 403
    assert wrong.name == "login"
    assert wrong.error == {"error": "csrf"}
    missing = await carol.post("/login", {"username": "carol", "password": "carol-pass"})
    assert missing.status == 403
    cookieless = await browser(club).post(
        "/login", {"csrf_token": "x", "username": "carol", "password": "carol-pass"}
    )
    assert cookieless.status == 403
    assert cookieless.error == {"error": "csrf"}


async def test_member_pages_need_a_session(club: RunningClub, browser: OpenBrowser) -> None:
    anonymous = browser(club)
    answer = await anonymous.get("/book?court=5&date=2026-06-12&time=10:00", allow_redirects=False)
    assert answer.status == 303
    location = URL(answer.headers["Location"])
    assert (location.path, location.query["next"]) == ("/login", "/book?court=5&date=2026-06-12&time=10:00")
    for path in ("/courts", "/my-bookings"):
        assert (await anonymous.get(path)).name == "login"
    posted = await anonymous.post("/book", {"hold_id": "x"}, allow_redirects=False)
    assert (posted.status, URL(posted.headers["Location"]).query["next"]) == (303, "/book")
    assert club.state.bookings() == []


async def test_idle_session_expires(club: RunningClub, member: Login) -> None:
    dave = await member("dave")
    club.config.session_idle_s = 0.05
    await asyncio.sleep(0.1)
    answer = await dave.get("/courts", allow_redirects=False)
    assert answer.status == 303
    assert answer.headers["Location"].startswith("/login?next=")
    club.config.session_idle_s = 1800
    assert (await dave.get("/courts")).name == "login"


async def test_activity_keeps_a_session_alive(club: RunningClub, member: Login) -> None:
    dave = await member("dave")
    club.config.session_idle_s = 0.3
    for _ in range(4):
        await asyncio.sleep(0.1)
        assert (await dave.get("/rules")).name == "rules"  # public: does not count as activity
        assert (await dave.get("/my-bookings")).name == "my-bookings"


async def test_forced_expiry_sends_everyone_to_login(club: RunningClub, member: Login) -> None:
    alice, bob = await member("alice"), await member("bob")
    assert club.state.expire_sessions() >= 2
    for session in (alice, bob):
        assert (await session.get("/courts")).name == "login"
    relogged = await alice.login("alice")
    assert relogged.name == "courts"
    assert relogged.csrf == alice.csrf


async def test_logout_ends_the_session(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    page = await alice.post("/logout", {"csrf_token": alice.csrf})
    assert page.name == "login"
    assert (await alice.get("/my-bookings")).name == "login"
