"""Secrets at rest: Fernet tokens under a key ring (MultiFernet).

The first key encrypts; every key decrypts, so a key can be rotated in without losing what the old one
wrote. A token no key opens is an error that says so, never an empty value.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from booking.masking import remember

log = logging.getLogger(__name__)

KEY_FILE = "secret.key"


class SecretKeyError(Exception):
    """The key ring cannot be built or cannot open a stored secret; the message says which."""


def validate_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32 and len(key) == 44
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


class Vault:
    """Encrypts and decrypts member secrets with a key ring; `source` names where its keys come from
    (ENCRYPTION_KEYS or the key file), for the operator to fix."""

    def __init__(self, keys: list[str] | tuple[str, ...], source: str = "ENCRYPTION_KEYS") -> None:
        if not keys:
            raise SecretKeyError("no encryption key configured")
        for position, key in enumerate(keys, 1):
            if not validate_key(key):
                raise SecretKeyError(f"encryption key {position} is not a Fernet key")
        self._ring = MultiFernet([Fernet(k.encode("ascii")) for k in keys])
        self._source = source
        remember(*keys)

    def encrypt(self, plaintext: str) -> bytes:
        return self._ring.encrypt(plaintext.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        try:
            return self._ring.decrypt(token).decode("utf-8")
        except InvalidToken:
            if self._source == "ENCRYPTION_KEYS":
                fix = "add the key they were written with (after the new one, to rotate)"
            else:
                fix = "restore the key file they were written with from your backup (or set ENCRYPTION_KEYS)"
            raise SecretKeyError(
                f"{self._source}: the stored club logins cannot be decrypted with it: {fix}, or if that key "
                "is lost run `courtbot forget-logins` (members then /login again)"
            ) from None

    def rotate(self, token: bytes) -> bytes:
        """The same secret re-encrypted under the first key."""
        try:
            return self._ring.rotate(token)
        except InvalidToken:
            raise SecretKeyError(
                "rotation stopped: a stored secret opens with none of the configured keys"
            ) from None


def load_or_create_key_file(data_dir: Path) -> str:
    """The generated key in DATA_DIR/secret.key (DATA_DIR exists), created once with mode 0600."""
    path = data_dir / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii", errors="replace").strip()
        if not validate_key(key):
            raise SecretKeyError(f"{path} does not hold a Fernet key; restore it from your backup") from None
        if path.stat().st_mode & 0o077:
            log.warning("%s is readable by other users; run: chmod 600 %s", path, path)
        return key
    key = new_key()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    log.info("generated a new encryption key in %s - back it up with the database", path)
    return key


def key_ring(configured: tuple[str, ...], data_dir: Path) -> Vault:
    """ENCRYPTION_KEYS when set, else the generated key file."""
    if configured:
        return Vault(configured)
    return Vault([load_or_create_key_file(data_dir)], str(data_dir / KEY_FILE))
