"""SQLite storage: the only package that speaks SQL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storage.contests import ContestRepo
from storage.credentials import CredentialRepo
from storage.crypto import Vault, key_ring
from storage.db import Database, StorageUnavailable
from storage.members import MemberRepo
from storage.notices import NoticeRepo
from storage.progress import ProgressMessageRepo
from storage.requests import AttemptRepo, RequestRepo
from storage.series import SeriesRepo

__all__ = ["Storage", "StorageUnavailable"]


@dataclass
class Storage:
    db: Database
    members: MemberRepo
    credentials: CredentialRepo
    requests: RequestRepo
    attempts: AttemptRepo
    progress: ProgressMessageRepo
    series: SeriesRepo
    notices: NoticeRepo
    contests: ContestRepo

    @classmethod
    async def open(cls, data_dir: Path, keys: tuple[str, ...] = ()) -> Storage:
        """Open (and migrate) DATA_DIR's database with ENCRYPTION_KEYS, or the generated key file."""
        db = await Database.open(data_dir)  # first: it makes DATA_DIR, private, for the key file too
        try:
            vault: Vault = key_ring(keys, data_dir)
        except BaseException:
            await db.close()
            raise
        return cls(
            db=db,
            members=MemberRepo(db),
            credentials=CredentialRepo(db, vault),
            requests=RequestRepo(db),
            attempts=AttemptRepo(db),
            progress=ProgressMessageRepo(db),
            series=SeriesRepo(db),
            notices=NoticeRepo(db),
            contests=ContestRepo(db),
        )

    async def close(self) -> None:
        await self.db.close()
