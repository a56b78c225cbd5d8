"""`courtbot club`: the simulated club on its own, until Ctrl-C.

`--flavour mrbs` runs the MRBS 1.12 stand-in (sim/mrbs) instead of democlub, `--flavour librebooking` the
LibreBooking 2.8.6 stand-in (sim/librebooking), with the flags they share.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from zoneinfo import ZoneInfo

from sim.club.config import ClubConfig, parse_clock
from sim.club.runner import RunningClub, start_club
from sim.librebooking.config import LibreBookingConfig
from sim.librebooking.runner import RunningLibreBooking, start_librebooking
from sim.mrbs.config import MrbsConfig
from sim.mrbs.runner import RunningMrbs, start_mrbs

FLAVOURS = ("democlub", "mrbs", "librebooking")
#: flags only democlub understands, with the value that means "not given"
_DEMOCLUB_ONLY = {
    "spike_ms": 0.0,
    "rate_limit_rate": 0.0,
    "partner_required": False,
    "hold_before_open": False,
}


def _member(text: str) -> tuple[str, str]:
    username, sep, password = text.partition(":")
    if not sep or not username or not password:
        raise argparse.ArgumentTypeError(f"expected USER:PASSWORD, got {text!r}")
    return username, password


def _clock(text: str) -> str:
    try:
        parse_clock(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _timezone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (KeyError, ValueError):
        raise argparse.ArgumentTypeError(f"unknown time zone {text!r}") from None
    return text


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = ClubConfig()
    parser.add_argument(
        "--flavour",
        choices=FLAVOURS,
        default="democlub",
        help="which booking site to simulate (default: %(default)s)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=8081, help="port to listen on, 0 for any (default: %(default)s)"
    )
    parser.add_argument(
        "--member",
        action="append",
        type=_member,
        metavar="USER:PASSWORD",
        help="a member who can log in (repeatable; replaces the demo members)",
    )
    parser.add_argument(
        "--window-days",
        type=int,
        default=defaults.window_days,
        metavar="N",
        help="days ahead a slot opens (default: %(default)s)",
    )
    parser.add_argument(
        "--opens-at",
        type=_clock,
        default=None,
        metavar="HH:MM[:SS]",
        help="club time slots open (default: 07:00; mrbs: a rolling window unless given)",
    )
    parser.add_argument(
        "--window-measure",
        choices=("end", "start"),
        default=None,
        help="mrbs: measure the rolling window to the booking's end (MRBS's default) or start",
    )
    parser.add_argument(
        "--timezone",
        type=_timezone,
        default=defaults.timezone,
        metavar="ZONE",
        help="the club's IANA time zone (default: %(default)s)",
    )
    parser.add_argument(
        "--clock-offset-ms", type=float, default=0.0, metavar="MS", help="server clock minus real time"
    )
    parser.add_argument("--latency-ms", type=float, default=0.0, metavar="MS", help="added to every answer")
    parser.add_argument(
        "--jitter-ms", type=float, default=0.0, metavar="MS", help="latency varies by up to ± this"
    )
    parser.add_argument(
        "--spike-ms",
        type=float,
        default=0.0,
        metavar="MS",
        help="extra latency for a few seconds after each daily release",
    )
    parser.add_argument(
        "--error-rate",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of answers that are 500/502/503",
    )
    parser.add_argument(
        "--rate-limit-rate", type=_share, default=0.0, metavar="SHARE", help="share of answers that are 429"
    )
    parser.add_argument("--partner-required", action="store_true", help="a booking must name a partner")
    parser.add_argument("--hold-before-open", action="store_true", help="allow holds before release")
    parser.add_argument(
        "--api",
        choices=("on", "off"),
        default=None,
        help="librebooking: its REST API switched on (default) or off (members use the web pages)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault dice")


def config_from(args: argparse.Namespace) -> ClubConfig:
    """The settings the flags describe; ValueError names a setting that cannot work."""
    config = ClubConfig(
        window_days=args.window_days,
        opens_at=parse_clock(args.opens_at or "07:00"),
        timezone=args.timezone,
        clock_offset_s=args.clock_offset_ms / 1000,
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        spike_ms=args.spike_ms,
        error_rate=args.error_rate,
        rate_limit_rate=args.rate_limit_rate,
        partner_required=args.partner_required,
        hold_before_open=args.hold_before_open,
        seed=args.seed,
    )
    if args.member:
        config.members = dict(args.member)
    return config


def mrbs_config_from(args: argparse.Namespace) -> MrbsConfig:
    """The MRBS stand-in's settings from the shared flags; ValueError names a flag it has no use for."""
    unused = [name for name, unset in _DEMOCLUB_ONLY.items() if getattr(args, name) != unset]
    if unused:
        flags = ", ".join("--" + name.replace("_", "-") for name in unused)
        raise ValueError(f"{flags}: not a setting of the mrbs flavour")
    config = MrbsConfig(
        window_days=args.window_days,
        measure_to_start=args.window_measure == "start",
        opens_at=parse_clock(args.opens_at) if args.opens_at else None,
        timezone=args.timezone,
        clock_offset_s=args.clock_offset_ms / 1000,
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        error_rate=args.error_rate,
        seed=args.seed,
    )
    if args.member:
        config.members = dict(args.member)
    return config


def librebooking_config_from(args: argparse.Namespace) -> LibreBookingConfig:
    """The LibreBooking stand-in's settings from the shared flags: --window-days is every court's maximum
    notice; ValueError names a flag it has no use for."""
    unused = [name for name, unset in _DEMOCLUB_ONLY.items() if getattr(args, name) != unset]
    unused += [name for name in ("opens_at", "window_measure") if getattr(args, name) is not None]
    if unused:
        flags = ", ".join("--" + name.replace("_", "-") for name in unused)
        raise ValueError(f"{flags}: not a setting of the librebooking flavour")
    config = LibreBookingConfig(
        timezone=args.timezone,
        api_enabled=args.api != "off",
        clock_offset_s=args.clock_offset_ms / 1000,
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        error_rate=args.error_rate,
        seed=args.seed,
    )
    if args.window_days <= 0:
        raise ValueError("--window-days: LibreBooking's maximum notice must be at least a day here")
    for resource in config.resources.values():
        resource.max_notice_s = args.window_days * 86400
    if args.member:
        config.members = dict(args.member)
    return config


def run(args: argparse.Namespace) -> None:
    flavour = getattr(args, "flavour", "democlub")
    try:
        if getattr(args, "api", None) is not None and flavour != "librebooking":
            raise ValueError("--api: only the librebooking flavour has an API to switch")
        if flavour == "mrbs":
            config: ClubConfig | MrbsConfig | LibreBookingConfig = mrbs_config_from(args)
        elif flavour == "librebooking":
            config = librebooking_config_from(args)
        else:
            if args.window_measure is not None:
                raise ValueError("--window-measure: only the mrbs flavour has a rolling window")
            config = config_from(args)
    except ValueError as exc:
        raise SystemExit(f"courtbot club: {exc}") from None
    try:
        asyncio.run(_serve(flavour, config, args.host, args.port))
    except OSError as exc:  # the port is taken, the address is not ours, ...
        raise SystemExit(f"courtbot club: cannot listen on {args.host}:{args.port}: {exc.strerror}") from None


async def _serve(
    flavour: str, config: ClubConfig | MrbsConfig | LibreBookingConfig, host: str, port: int
) -> None:
    server: RunningClub | RunningMrbs | RunningLibreBooking
    if isinstance(config, MrbsConfig):
        server = await start_mrbs(config, host, port)
    elif isinstance(config, LibreBookingConfig):
        server = await start_librebooking(config, host, port)
    else:
        server = await start_club(config, host, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    print(f"{flavour} is serving at {server.url}  (Ctrl-C to stop)", flush=True)
    for username, password in config.members.items():
        print(f"  member {username} / password {password}", flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop()
    print(f"{flavour} stopped", flush=True)
