"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Storage
from storage.crypto import new_key


@pytest.fixture
def key() -> str:
    return new_key()


@pytest.fixture
async def storage(tmp_path: Path, key: str) -> AsyncIterator[Storage]:
    store = await Storage.open(tmp_path, (key,))
    yield store
    await store.close()
