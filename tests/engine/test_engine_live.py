"""The engine against the simulated club over real HTTP, on a clock shifted to just before a release."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from booking.events import EventKind
from booking.models import AttemptOutcome, RequestStatus
from booking.reasons import Code, CourtTime
from sim.club.config import Rival
from sim.netem import Path as NetPath
from tests.engine.harness import ON_TIME_MS, SITE_ID, club_day, next_release, when, world

RELEASE = next_release()
SLOT_DAY = (RELEASE + timedelta(days=7)).date()


async def test_immediate_booking(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w:
        member = await w.member(1)
        day = club_day(w, 2)
        request = await w.service.submit(member, day, (time(18),), 60, (2,))
        done = await w.finished(request.id)
        assert done.status is RequestStatus.BOOKED
        assert (done.booked_court, done.booked_time) == (2, time(18))
        [booking] = w.bookings("alice")
        assert (booking.slot.court_id, booking.slot.date, booking.reference) == (
            SITE_ID[2],
            day,
            done.reference,
        )
        assert w.kinds(request.id)[-1] is EventKind.BOOKED
        attempts = await w.storage.attempts.for_request(request.id)
        assert [a.outcome for a in attempts] == [AttemptOutcome.BOOKED]


async def test_immediate_booking_skips_courts_the_grid_shows_taken(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w:
        member = await w.member(1)
        day = club_day(w, 2)
        w.club.state.book("bob", SITE_ID[1], day, time(18))
        request = await w.service.submit(member, day, (time(18),), 60, (1, 3))
        done = await w.finished(request.id)
        assert (done.status, done.booked_court) == (RequestStatus.BOOKED, 3)
        assert [a.court for a in await w.storage.attempts.for_request(request.id)] == [3]


async def test_scheduled_booking_fires_at_the_release_instant(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key, release=RELEASE) as w:
        member = await w.member(1)
        request = await w.service.submit(member, SLOT_DAY, (time(18),), 60, (2,))
        assert request.status is RequestStatus.SCHEDULED
        assert request.release_at == RELEASE
        done = await w.finished(request.id)
        assert done.status is RequestStatus.BOOKED, done.reason
        first = w.arrivals("alice")[0]
        lateness_ms = (first.arrived_at - RELEASE.timestamp()) * 1000
        assert 0 <= lateness_ms < ON_TIME_MS, lateness_ms
        kinds = w.kinds(request.id)
        for expected in (
            EventKind.SCHEDULED,
            EventKind.WARMING_UP,
            EventKind.LOGGED_IN,
            EventKind.CLOCK_SYNCED,
            EventKind.FIRING,
            EventKind.BOOKED,
        ):
            assert expected in kinds
        booked = next(e for e in w.events if e.kind is EventKind.BOOKED)
        assert booked.after_release_ms is not None and -20 < booked.after_release_ms < ON_TIME_MS


async def test_first_choice_taken_by_a_rival_falls_back_to_the_second(tmp_path: Path, key: str) -> None:
    rival = Rival(court_id=SITE_ID[2], date=SLOT_DAY, time=time(18), delay_ms=0)
    async with world(tmp_path, key, release=RELEASE, rivals=[rival]) as w:
        member = await w.member(1)
        request = await w.service.submit(member, SLOT_DAY, (time(18),), 60, (2, 1))
        done = await w.finished(request.id)
        assert (done.status, done.booked_court, done.booked_time) == (RequestStatus.BOOKED, 1, time(18))
        outcomes = [a.outcome for a in await w.storage.attempts.for_request(request.id)]
        assert outcomes == [AttemptOutcome.TAKEN, AttemptOutcome.BOOKED]


async def test_a_rival_5ms_after_release_takes_the_first_choice_before_our_commit(
    tmp_path: Path, key: str
) -> None:
    # The club answers in 10 ms: our hold lands first, but the rival books at +5 ms, before our commit
    # arrives; the commit finds the court taken and the second choice is booked at once.
    rival = Rival(court_id=SITE_ID[2], date=SLOT_DAY, time=time(18), delay_ms=5)
    async with world(tmp_path, key, release=RELEASE, rivals=[rival], latency_ms=10) as w:
        member = await w.member(1)
        request = await w.service.submit(member, SLOT_DAY, (time(18),), 60, (2, 1))
        done = await w.finished(request.id)
        assert (done.status, done.booked_court) == (RequestStatus.BOOKED, 1), done.reason
        outcomes = [a.outcome for a in await w.storage.attempts.for_request(request.id)]
        assert outcomes == [AttemptOutcome.TAKEN, AttemptOutcome.BOOKED]
        # Normally our hold lands first and the commit finds the court taken; on a loaded machine the
        # booking form itself may already say so - the fallback is the same.
        first_choice = [(a.step, a.outcome) for a in w.arrivals("alice") if a.court_id == SITE_ID[2]]
        assert first_choice in ([("prepare", "ok"), ("commit", "taken")], [("prepare", "taken")])
        assert [b.member for b in w.bookings() if b.slot.court_id == SITE_ID[2]] == ["rival"]


async def test_all_choices_taken_fails_with_the_reason(tmp_path: Path, key: str) -> None:
    rivals = [
        Rival(court_id=SITE_ID[c], date=SLOT_DAY, time=t, delay_ms=0)
        for c in (1, 2)
        for t in (time(18), time(19))
    ]
    async with world(tmp_path, key, release=RELEASE, rivals=rivals) as w:
        member = await w.member(1)
        request = await w.service.submit(member, SLOT_DAY, (time(18), time(19)), 60, (2, 1))
        done = await w.finished(request.id)
        assert done.status is RequestStatus.FAILED and done.reason == Code.ALL_TAKEN
        said = w.said(request.id, EventKind.FAILED)
        assert {CourtTime(2, time(18)), CourtTime(1, time(19))} <= set(said.values["taken"])
        assert w.bookings("alice") == []
        assert w.kinds(request.id)[-1] is EventKind.FAILED


@pytest.mark.parametrize("offset_ms", [730, -1500])
async def test_club_clock_offset_is_corrected(tmp_path: Path, key: str, offset_ms: int) -> None:
    async with world(tmp_path, key, release=RELEASE, club_offset_s=offset_ms / 1000) as w:
        member = await w.member(1)
        request = await w.service.submit(member, SLOT_DAY, (time(18),), 60, (2,))
        done = await w.finished(request.id)
        assert done.status is RequestStatus.BOOKED, done.reason
        synced = next(e for e in w.events if e.kind is EventKind.CLOCK_SYNCED)
        assert synced.clock_offset_ms == pytest.approx(offset_ms, abs=10)
        arrivals = w.arrivals("alice")
        early = [a for a in arrivals if a.arrived_at < RELEASE.timestamp() - 0.010]
        assert early == [], "no request arrives before the release by more than the estimate's error"
        assert (arrivals[0].arrived_at - RELEASE.timestamp()) * 1000 < ON_TIME_MS


@pytest.mark.parametrize("offset_ms", [730, -250])
async def test_over_a_jittery_path_the_first_request_lands_just_after_the_release(
    tmp_path: Path, key: str, offset_ms: int
) -> None:
    """20 ± 5 ms each way: the request leaves a floor's half trip early, never arrives before the release
    and lands within the estimate's bound plus the path's jitter after it."""
    path = NetPath(0.020, 0.005, seed=offset_ms)
    async with world(tmp_path, key, release=RELEASE, club_offset_s=offset_ms / 1000, path=path) as w:
        member = await w.member(1)
        request = await w.service.submit(member, SLOT_DAY, (time(18),), 60, (2,))
        done = await w.finished(request.id)
        assert done.status is RequestStatus.BOOKED, done.reason
        synced = next(e for e in w.events if e.kind is EventKind.CLOCK_SYNCED)
        assert synced.clock_offset_ms == pytest.approx(offset_ms, abs=10)
        first = w.arrivals("alice")[0]
        assert first.wire_at is not None
        lateness_ms = (first.wire_at - RELEASE.timestamp()) * 1000
        assert 0 <= lateness_ms < 40, lateness_ms  # a round trip late before; the bound and jitter now


async def test_server_errors_with_latency_still_book_exactly_once(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key, error_rate=0.3, latency_ms=200, jitter_ms=100, seed=7) as w:
        member = await w.member(1)
        day = club_day(w, 2)
        request = await w.service.submit(member, day, (time(18),), 60, (2, 3))
        done = await w.finished(request.id, within=20)
        assert done.status is RequestStatus.BOOKED, done.reason
        assert len(w.bookings("alice")) == 1


async def test_session_expired_at_the_release_instant_logs_in_again(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key, release=RELEASE) as w:
        member = await w.member(1)
        expired: list[int] = []
        # the warm-up's last step: nothing more is sent before the release
        when(w.service.bus, EventKind.LOGGED_IN, lambda: expired.append(w.club.state.expire_sessions()))
        request = await w.service.submit(member, SLOT_DAY, (time(18),), 60, (2,))
        done = await w.finished(request.id)
        assert expired[0] >= 1
        assert done.status is RequestStatus.BOOKED, done.reason
        # The adapter logs in again by itself for a prepare; the engine handles it for a commit.
        outcomes = [a.outcome for a in await w.storage.attempts.for_request(request.id)]
        assert outcomes[-1] is AttemptOutcome.BOOKED
        assert set(outcomes[:-1]) <= {AttemptOutcome.SESSION_EXPIRED}
        first = w.arrivals("alice")[0]
        assert (first.arrived_at - RELEASE.timestamp()) * 1000 < ON_TIME_MS


async def test_a_5xx_whose_booking_went_through_is_found_not_booked_again(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key, commit_store_then_fail=1) as w:
        member = await w.member(1)
        request = await w.service.submit(member, club_day(w, 2), (time(18),), 60, (2,))
        done = await w.finished(request.id)
        assert done.status is RequestStatus.BOOKED, done.reason
        [booking] = w.bookings("alice")
        assert done.reference == booking.reference
        outcomes = [a.outcome for a in await w.storage.attempts.for_request(request.id)]
        assert outcomes == [AttemptOutcome.FOUND], "the unclear answer, settled as found"
        assert len([a for a in w.arrivals("alice") if a.step == "commit"]) == 1


async def test_limit_stops_and_says_why(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w:
        member = await w.member(1)
        day = club_day(w, 2)
        w.club.state.book("alice", SITE_ID[4], day, time(9))
        request = await w.service.submit(member, day, (time(18),), 60, (2, 3))
        done = await w.finished(request.id)
        assert done.status is RequestStatus.FAILED and done.reason == Code.LIMIT_REACHED
        said = w.said(request.id, EventKind.FAILED)
        assert said.values["which"] == "per-day"
        assert said.values["detail"] == "You already have a booking on that day, the most the club allows."
        assert len(w.arrivals("alice")) <= 2  # stopped at once: no second court tried


async def test_wrong_stored_password_fails_with_advice(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w:
        member = await w.member(1, password="changed")
        request = await w.service.submit(member, club_day(w, 2), (time(18),), 60, (2,))
        done = await w.finished(request.id)
        assert done.status is RequestStatus.FAILED and done.reason == Code.LOGIN_REFUSED


async def test_cancel_a_scheduled_request_and_a_booked_one(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w:
        member = await w.member(1)
        far = club_day(w, 20)
        scheduled = await w.service.submit(member, far, (time(18),), 60, (2,))
        assert w.service.scheduled_count == 1
        cancelled = await w.service.cancel(member, scheduled.id)
        assert cancelled.status is RequestStatus.CANCELLED and w.service.scheduled_count == 0

        booked = await w.service.submit(member, club_day(w, 2), (time(18),), 60, (2,))
        await w.finished(booked.id)
        assert len(w.bookings("alice")) == 1
        await w.service.cancel(member, booked.id)
        assert w.bookings("alice") == []
        assert (await w.storage.requests.get(booked.id)).status is RequestStatus.CANCELLED


async def test_one_members_commits_never_overlap_at_the_club(tmp_path: Path, key: str) -> None:
    # Holds (the booking form) may go out together; a commit waits until the one before is answered.
    async with world(tmp_path, key, release=RELEASE, max_per_day=2, commit_latency_ms=300) as w:
        member = await w.member(1)
        first = await w.service.submit(member, SLOT_DAY, (time(18),), 60, (2,))
        second = await w.service.submit(member, SLOT_DAY, (time(19),), 60, (3,))
        assert (await w.finished(first.id)).status is RequestStatus.BOOKED
        assert (await w.finished(second.id)).status is RequestStatus.BOOKED
        commits = [a.arrived_at for a in w.arrivals("alice") if a.step == "commit"]
        assert len(commits) == 2
        assert commits[1] - commits[0] >= 0.3
