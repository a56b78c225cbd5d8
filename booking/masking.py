"""The secrets this process holds in clear - the bot token, the encryption keys, members' passwords - so
that whatever it writes (log lines, tracebacks, the line a failed start prints) can mask them.

Process-wide, as logging is: a password is added when a Credentials holding it is made (typed to /login or
read back from the database), keys when a key ring is built, the token when the settings are read.
"""

from __future__ import annotations

import re

MASK = "***"
#: a shorter value would mask ordinary words and numbers all over the logs
MIN_LENGTH = 4


class _Secrets:
    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, values: tuple[str, ...]) -> None:
        new = {v for v in values if len(v) >= MIN_LENGTH} - self._values
        if new:
            self._values |= new
            longest_first = sorted(self._values, key=len, reverse=True)  # a secret inside another: both go
            self._pattern = re.compile("|".join(map(re.escape, longest_first)))

    def mask(self, text: str) -> str:
        pattern = self._pattern
        return pattern.sub(MASK, text) if pattern is not None else text


_known = _Secrets()


def remember(*secrets: str) -> None:
    """Mask these from now on in whatever the process writes."""
    _known.add(secrets)


def mask(text: str) -> str:
    """`text` with every remembered secret replaced by ***."""
    return _known.mask(text)
