"""What a booking platform is to the rest of the house: one record, `Platform`, that each platform's
package under booking/sites/ declares as its `PLATFORM` (the registry collects them).

Its adapter, its own settings (environment names, checked once at start-up), the release rule that
applies when its sites publish none, and where its stand-in lives (for the playground and the tests;
imported only there, so a real bot never loads sim/).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from booking.release import ReleaseRule
from booking.sites.base import SiteAdapter, SiteConfig
from booking.timebase import Clock


class RunningStandin(Protocol):
    """A platform's stand-in serving on loopback (sim/): where it is, its live settings, and its end."""

    url: str

    @property
    def config(self) -> Any: ...

    async def stop(self) -> None: ...


AdapterClass = Callable[[SiteConfig, Clock | None], SiteAdapter]


@dataclass(frozen=True)
class PlatformSetting:
    """One setting of a platform: its environment name, its key in SiteConfig.extra, and its check."""

    env: str
    key: str
    meaning: str
    #: the value as the adapter reads it, or ValueError saying what is wrong (the env name is added)
    check: Callable[[str], str] = str.strip


@dataclass(frozen=True)
class Platform:
    name: str
    adapter: AdapterClass
    #: the release rule when the club's site publishes none (the host's settings still win)
    fallback_release: ReleaseRule | None
    #: "module:function" starting its stand-in (an async function returning a running site with `.url`)
    standin: str
    settings: tuple[PlatformSetting, ...] = field(default_factory=tuple)

    def options(self, environ: Mapping[str, str | None]) -> dict[str, str]:
        """Its settings from the environment as SiteConfig.extra; ValueError names the setting."""
        options: dict[str, str] = {}
        for setting in self.settings:
            raw = (environ.get(setting.env) or "").strip()
            if not raw:
                continue
            try:
                options[setting.key] = setting.check(raw)
            except ValueError as error:
                raise ValueError(f"{setting.env}: {error}") from None
        return options
